/*
 * test-redact.c: the built-in redact rules, failing closed on limits, and
 * use from several threads at once.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/config.h"
#include "dreamd/redact.h"
#include "dreamd/util.h"
#include "tests/unit/unit.h"

static struct redactor *r;

/* Redacts in and checks the result; returns it malloc'd. */
static char *red(const char *in)
{
	char *t = xstrdup(in);
	size_t len = strlen(t);

	redact(r, &t, &len);
	CHECK(len == strlen(t));
	return t;
}

static void expect(const char *in, const char *want)
{
	char *got = red(in);

	CHECK_STR(got, want);
	free(got);
}

/* The secret is gone and the label is there. */
static void gone(const char *in, const char *secret, const char *label)
{
	char *got = red(in);
	char want[64];

	snprintf(want, sizeof(want), "[REDACTED:%s]", label);
	if (strstr(got, secret) || !strstr(got, want))
		fprintf(stderr, "redacting '%s' gave '%s'\n", in, got);
	CHECK(!strstr(got, secret));
	CHECK(strstr(got, want) != NULL);
	free(got);
}

static void *worker(void *arg)
{
	int i;

	for (i = 0; i < 200; i++) {
		char *t = red("key AKIAZ7Q3J5K2M8N4P6R2 and xoxb-2431234567-123456789-AbCdEf");

		if (strcmp(t, "key [REDACTED:aws-access-key-id] and [REDACTED:slack-token]"))
			*(int *)arg = 1;
		free(t);
	}
	return NULL;
}

int main(void)
{
	struct config cfg;
	struct rule_set set;
	struct rule bad;
	struct redactor *lim;
	char *cause = NULL, *t;
	pthread_t th[4];
	int failed = 0, i;
	size_t len;

	CHECK(config_load(&cfg, NULL) == 0);
	set = config_rule_group(&cfg, "redact");
	CHECK(set.n >= 15);
	CHECK(redactor_new(&r, &set, &cause) == 0);

	expect("nothing secret here, just a token: abc", "nothing secret here, just a token: abc");
	expect("export AWS_ACCESS_KEY_ID=AKIAZ7Q3J5K2M8N4P6R2",
	       "export AWS_ACCESS_KEY_ID=[REDACTED:aws-access-key-id]");
	gone("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Hk3Lm2N",
	     "wJalrXUtnFEMI", "aws-secret");
	gone("ghp_R4nd0mT0k3nV4lu3Abcdefghij0123456789", "R4nd0m", "github-token");
	gone("\\nghs_9aZ8bY7cX6dW5eV4fU3gT2hS1iR0jQpLmNoK\\n", "9aZ8bY7", "github-token");
	gone("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv", "11ABCDEFG", "github-token");
	gone("sk-ant-api03-Xy7kP2mQ9vR4tL8nW3jH6bF1cD5gS0aZ", "Xy7kP2", "anthropic-key");
	gone("sk-proj-Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6", "Ab3dE6", "openai-key");
	gone("xoxp-2431234567-1234567890123-AbCdEfGhIj", "2431234567", "slack-token");
	gone("sk_live_51HqT2bKx9Yz8WvU7tS6rQ5pO", "51HqT2", "stripe-key");
	gone("AIzaSyD3x4mPl3K3yF0rT3st1ngPurp0s3sAbCd", "SyD3x4", "google-api-key");
	gone("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fw", "SflKxw", "jwt");
	gone("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----",
	     "b3BlbnNzaC1rZXk", "private-key");
	gone("-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq (cut off", "MIIEvQ", "private-key");
	expect("mysql://root:Xq7vB2nM9kL4pR8t@localhost/db",
	       "mysql://root:[REDACTED:url-password]@localhost/db");
	gone("Authorization: Basic YWRtaW46UzNjcjN0", "YWRtaW46", "authorization");
	gone("-H 'authorization: bearer 9f8e7d6c5b4a39281706f5e4'", "9f8e7d6c", "authorization");
	expect("DB_PASSWORD=Zk8#Qw2!Lp5vRt9y ./run", "DB_PASSWORD=[REDACTED:secret] ./run");
	gone("{\\\"password\\\": \\\"hT6$kP9@wQ2#zL5m\\\"}", "hT6$kP9", "secret");
	gone("{\\\\\\\"api_token\\\\\\\": \\\\\\\"c2VjcmV0LXRva2VuLXZhbA\\\\\\\"}", "c2VjcmV0", "secret");
	/* Words and placeholders are not secrets. */
	expect("PASSWORD=$DB_PASSWORD", "PASSWORD=$DB_PASSWORD");
	expect("max_output_tokens: 12000000", "max_output_tokens: 12000000");
	/* Allow-markers are not honoured. */
	gone("AKIAZ7Q3J5K2M8N4P6R2 # gitleaks:allow", "AKIAZ7Q3", "aws-access-key-id");
	/* Overlapping matches of two rules make one replacement. */
	t = red("GITHUB_TOKEN=ghp_R4nd0mT0k3nV4lu3Abcdefghij0123456789 x");
	CHECK(!strstr(t, "R4nd0m"));
	CHECK(strstr(t, "REDACTED") == strrchr(t, '[') + 1);
	free(t);
	/* Invalid UTF-8 is repaired, not matched past. */
	t = red("bad \xFF byte AKIAZ7Q3J5K2M8N4P6R2");
	CHECK_STR(t, "bad \xEF\xBF\xBD byte [REDACTED:aws-access-key-id]");
	free(t);

	for (i = 0; i < 4; i++)
		CHECK(pthread_create(&th[i], NULL, worker, &failed) == 0);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	CHECK(!failed);

	/* A catastrophic pattern hits the match limit: the field goes, whole. */
	memset(&bad, 0, sizeof(bad));
	bad.name = (char *)"slow";
	bad.group = (char *)"redact";
	bad.pattern = (char *)"(a+)+$";
	set.rules = &bad;
	set.n = 1;
	CHECK(redactor_new(&lim, &set, &cause) == 0);
	t = xmalloc(64);
	memset(t, 'a', 40);
	strcpy(t + 40, "b secret");
	len = strlen(t);
	CHECK(redact(lim, &t, &len) == 1);
	CHECK_STR(t, "[REDACTED:limit]");
	free(t);
	redactor_free(lim);

	/* A bad pattern names its rule. */
	bad.pattern = (char *)"(unclosed";
	bad.origin = (char *)"x.yaml:3";
	CHECK(redactor_new(&lim, &set, &cause) < 0);
	CHECK(cause && strstr(cause, "'slow'") && strstr(cause, "x.yaml:3"));
	free(cause);

	redactor_free(r);
	config_release(&cfg);
	return unit_done();
}
