/*
 * test-redact.c: the built-in redact rules, every form of
 * tests/data/secrets.tsv gone and every line of tests/data/not-secrets.tsv
 * kept, failing closed (and saying so) on limits, time linear in the text
 * on adversarial lines, use from several threads at once, and the same
 * bytes with and without the rules' literal pre-filters.
 */
#include <ctype.h>
#include <dirent.h>
#include <pthread.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dreamd/config.h"
#include "dreamd/redact.h"
#include "dreamd/redact-view.h"
#include "dreamd/util.h"
#include "tests/gen/adversarial.h"
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

/*
 * The equivalence test: a redactor that ignores the rules' literals must
 * give the same bytes as the normal one on every text below. A literal set
 * that misses some match shows up here as a difference.
 */
static const char *const examples[] = {
	"export AWS_ACCESS_KEY_ID=AKIAZ7Q3J5K2M8N4P6R2",
	"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Hk3Lm2N",
	"AWS_SECRET_KEY: \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Hk3Lm2N\"",
	"ghp_R4nd0mT0k3nV4lu3Abcdefghij0123456789",
	"\\nghs_9aZ8bY7cX6dW5eV4fU3gT2hS1iR0jQpLmNoK\\n",
	"github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv",
	"sk-ant-api03-Xy7kP2mQ9vR4tL8nW3jH6bF1cD5gS0aZ",
	"sk-proj-Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6",
	"xoxp-2431234567-1234567890123-AbCdEfGhIj",
	"sk_live_51HqT2bKx9Yz8WvU7tS6rQ5pO rk_test_51HqT2bKx9Yz8WvU7tS6rQ5pO",
	"whsec_51HqT2bKx9Yz8WvU7tS6rQ5pOabcdefgh",
	"AIzaSyD3x4mPl3K3yF0rT3st1ngPurp0s3sAbCd",
	"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fw",
	"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----",
	"mysql://root:Xq7vB2nM9kL4pR8t@localhost/db",
	"Authorization: Basic YWRtaW46UzNjcjN0",
	"-H 'authorization: bearer 9f8e7d6c5b4a39281706f5e4'",
	"\"Authorization\": \"Token abcdef0123456789\"",
	"curl -H \"Bearer eyJ0eXAiOiJKV1QiLCJhbGc\"",
	"DB_PASSWORD=Zk8#Qw2!Lp5vRt9y ./run",
	"{\\\"password\\\": \\\"hT6$kP9@wQ2#zL5m\\\"}",
	"{\\\\\\\"api_token\\\\\\\": \\\\\\\"c2VjcmV0LXRva2VuLXZhbA\\\\\\\"}",
	"PASSWORD=$DB_PASSWORD",
	"max_output_tokens: 12000000",
	"AKIAZ7Q3J5K2M8N4P6R2 # gitleaks:allow",
	"GITHUB_TOKEN=ghp_R4nd0mT0k3nV4lu3Abcdefghij0123456789 x",
	"X_KEY=Zk8#Qw2!Lp5vR my_secret => 'Zk8#Qw2!Lp5vR' _pwd: Zk8#Qw2!Lp5vR",
	"passwd=Zk8#Qw2!Lp5vR apikey=Zk8#Qw2!Lp5vR api_key=Zk8#Qw2!Lp5vR",
	"accesskey=Zk8#Qw2!Lp5vR ACCESS_KEY=Zk8#Qw2!Lp5vR privatekey=Zk8#Qw2!Lp5vR",
	"PRIVATE_KEY=Zk8#Qw2!Lp5vR credentials: Zk8#Qw2!Lp5vR Credential=Zk8#Qw2!Lp5vR",
	"secret_token_key=Zk8#Qw2!Lp5vR tokentoken=Zk8#Qw2!Lp5vR",
	"AccountKey=Zk8Qw2Lp5vRt9yAbCdEfGhIj== SharedAccessKey=Zk8Qw2Lp5vRt9yAbCdEfGhIj",
	"glpat-Zk8Qw2Lp5vRt9yAbCdEfGhIj npm_Zk8Qw2Lp5vRt9yAbCdEfGhIjZk8Qw2Lp5vRt",
	"hf_Zk8Qw2Lp5vRt9yAbCdEfGhIjZk8Qw2Lp5vRt SG.Zk8Qw2Lp5vRt9yAbCdEfG.Zk8Qw2Lp5vRt9yAbCdEfGhIjZk8Qw2Lp5vRt9yAbCdEf",
	"https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX",
	NULL
};

struct corpus {
	char **s;
	size_t n, alloc;
};

static void add(struct corpus *c, char *s)
{
	ALLOC_GROW(c->s, c->n + 1, c->alloc);
	c->s[c->n++] = s;
}

static char *json_escaped(const char *s)
{
	struct strbuf sb;

	strbuf_init(&sb, STRBUF_NOLIMIT);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addch(&sb, '\\');
		if (*s == '\n')
			strbuf_addstr(&sb, "\\n");
		else
			strbuf_addch(&sb, *s);
	}
	return strbuf_detach(&sb, NULL);
}

/* s with its first letter of either case c spelled as with (UTF-8). */
static char *folded(const char *s, char c, const char *with)
{
	const char *at = strchr(s, c), *up = strchr(s, c - 'a' + 'A');

	if (!at || (up && up < at))
		at = up;
	if (!at)
		return xstrdup(s);
	return xasprintf("%.*s%s%s", (int)(at - s), s, with, at + 1);
}

/* The variants of one example: cases, escapes, glued to words, folds. */
static void add_variants(struct corpus *c, const char *s)
{
	char *t, *e;
	size_t i;

	add(c, xstrdup(s));
	t = xstrdup(s);
	for (i = 0; t[i]; i++)
		t[i] = (char)toupper((unsigned char)t[i]);
	add(c, t);
	t = xstrdup(s);
	for (i = 0; t[i]; i++)
		t[i] = (char)tolower((unsigned char)t[i]);
	add(c, t);
	e = json_escaped(s);
	add(c, json_escaped(e));
	add(c, e);
	add(c, xasprintf("x%sy", s));
	add(c, xasprintf("_%s_", s));
	add(c, xasprintf("A1%sZ9", s));
	add(c, xasprintf("\\n%s\\n%s", s, s));
	add(c, folded(s, 'k', "\xE2\x84\xAA"));
	add(c, folded(s, 's', "\xC5\xBF"));
}

/* Each line of a file, or what's between tabs with tabs. */
static void add_lines(struct corpus *c, const char *path, int variants)
{
	char *text, *line, *next;
	size_t len;

	if (read_file(path, 64 << 20, &text, &len) < 0)
		return;
	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line == '#' || !*line)
			continue;
		if (variants) {
			char *tab;

			add_variants(c, line);
			while ((tab = strchr(line, '\t'))) {
				*tab = '\0';
				add_variants(c, line);
				line = tab + 1;
			}
			add_variants(c, line);
		} else {
			add(c, xstrdup(line));
		}
	}
	free(text);
}

static void add_transcripts(struct corpus *c, const char *dir)
{
	struct dirent **names;
	int n, i;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return;	/* no such folder: names is not set */
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t l = strlen(name);

		if (l > 6 && !strcmp(name + l - 6, ".jsonl")) {
			char *path = xasprintf("%s/%s", dir, name);

			add_lines(c, path, 0);
			free(path);
		}
		free(names[i]);
	}
	free(names);
}

static void add_many_starts(struct corpus *c)
{
	struct strbuf sb;
	int i;

	strbuf_init(&sb, STRBUF_NOLIMIT);
	for (i = 0; i < 700; i++)
		strbuf_addf(&sb, "token%d _key: %s ", i, i % 100 ? "x" : "Zk8#Qw2!Lp5vR");
	strbuf_addstr(&sb, "bearer Zk8Qw2Lp5vRt9yAbCdEfGhIj");
	add(c, strbuf_detach(&sb, NULL));
}

/* How many texts of c the two redactors disagree on. */
static size_t differences(const struct redactor *a, const struct redactor *b,
			  const struct corpus *c, size_t *changed, int quiet)
{
	size_t i, bad = 0;

	*changed = 0;
	for (i = 0; i < c->n; i++) {
		char *x = xstrdup(c->s[i]), *y = xstrdup(c->s[i]);
		size_t xl = strlen(x), yl = xl;
		int nx = redact(a, &x, &xl), ny = redact(b, &y, &yl);

		if (nx != ny || xl != yl || memcmp(x, y, xl)) {
			if (!quiet && bad < 3)
				fprintf(stderr, "differ on '%.200s':\n  '%.200s'\n  '%.200s'\n",
					c->s[i], x, y);
			bad++;
		}
		*changed += nx > 0;
		free(x);
		free(y);
	}
	return bad;
}

static void check_equivalence(struct rule_set set)
{
	const char *top = getenv("TOP"), *real = getenv("DREAMD_REAL_TRANSCRIPTS");
	static char *fewer[] = { (char *)"password", (char *)"secret" };
	struct corpus c = { 0 };
	struct redactor *plain, *broken;
	char *path, *cause = NULL;
	const char *const *e;
	size_t i, changed, before;

	for (e = examples; *e; e++)
		add_variants(&c, *e);
	if (!top)
		top = ".";
	path = xasprintf("%s/tests/data/secrets.tsv", top);
	add_lines(&c, path, 1);
	free(path);
	/* More places to start at than the first pass keeps. */
	add_many_starts(&c);
	before = c.n;
	path = xasprintf("%s/tests/data/not-secrets.tsv", top);
	add_lines(&c, path, 1);
	free(path);
	CHECK(before > 500);
	path = real ? xasprintf("%s/claude-code", real) :
		xasprintf("%s/../shared/transcripts/claude-code", top);
	add_transcripts(&c, path);
	free(path);
	path = real ? xasprintf("%s/codex", real) :
		xasprintf("%s/../shared/transcripts/codex", top);
	add_transcripts(&c, path);
	free(path);
	if (c.n == before) {
		const char *req = getenv("DREAMD_REAL_REQUIRED");

		fprintf(stderr, "note: real transcripts not found, examples only\n");
		/* tests/run.sh: where the real tier must run, this part must too. */
		CHECK(!req || strcmp(req, "1"));
	}

	CHECK(redactor_new_flags(&plain, &set, REDACT_NO_FILTER, &cause) == 0);
	CHECK(differences(r, plain, &c, &changed, 0) == 0);
	printf("%zu texts (%zu examples), %zu redacted\n", c.n, before, changed);
	/* The corpus is full of secrets: most of the examples were redacted. */
	CHECK(changed > before / 2);

	/* A literal set that misses "token" is caught. */
	for (i = 0; i < set.n && strcmp(set.rules[i].name, "secret-assignment"); i++)
		;
	CHECK(i < set.n);
	if (i < set.n) {
		char **had = set.rules[i].literals;
		size_t nhad = set.rules[i].nliterals;

		set.rules[i].literals = fewer;
		set.rules[i].nliterals = 2;
		CHECK(redactor_new(&broken, &set, &cause) == 0);
		set.rules[i].literals = had;
		set.rules[i].nliterals = nhad;
		CHECK(differences(broken, plain, &c, &changed, 1) > 0);
		redactor_free(broken);
	}
	redactor_free(plain);
	for (i = 0; i < c.n; i++)
		free(c.s[i]);
	free(c.s);
}

/* s with each \n (backslash, n) made a newline, as the fixtures spell one; malloc'd. */
static char *unfold(const char *s)
{
	struct strbuf sb;

	strbuf_init(&sb, STRBUF_NOLIMIT);
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 'n') {
			strbuf_addch(&sb, '\n');
			s++;
		} else {
			strbuf_addch(&sb, *s);
		}
	}
	return strbuf_detach(&sb, NULL);
}

/*
 * Every line of tests/data/secrets.tsv (form, text, secrets) loses every
 * 12-character piece of each secret; every line of not-secrets.tsv (form,
 * text) comes out as it went in.
 */
static void check_fixtures(void)
{
	const char *top = getenv("TOP");
	char *path, *text, *line, *next;
	size_t len, forms = 0, kept = 0;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		path = xasprintf("%s/tests/data/%s", top ? top : ".", pass ? "not-secrets.tsv" : "secrets.tsv");
		CHECK(read_file(path, 1 << 20, &text, &len) == 0);
		free(path);
		for (line = text; line && *line; line = next) {
			char *f[16], *in, *got;
			size_t nf = 0, k, i;

			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (*line == '#' || !*line)
				continue;
			for (f[nf++] = line; nf < 16 && (f[nf] = strchr(f[nf - 1], '\t')); nf++)
				*f[nf]++ = '\0';
			CHECK(nf >= (pass ? 2u : 3u));
			if (nf < 2)
				continue;
			in = unfold(f[1]);
			got = red(in);
			if (pass && strcmp(got, in))
				fprintf(stderr, "%s: '%s' became '%s'\n", f[0], in, got);
			if (pass)
				kept += !strcmp(got, in);
			for (k = 2; !pass && k < nf; k++) {
				size_t sl = strlen(f[k]), w = sl < 12 ? sl : 12;

				for (i = 0; i + w <= sl; i++) {
					char piece[13];

					memcpy(piece, f[k] + i, w);
					piece[w] = '\0';
					if (strstr(got, piece)) {
						fprintf(stderr, "%s: '%s' of '%s' kept in '%s'\n", f[0],
							piece, f[k], got);
						CHECK(0);
						break;
					}
				}
			}
			forms += !pass;
			if (pass)
				CHECK(!strcmp(got, in));
			free(in);
			free(got);
		}
		free(text);
	}
	printf("%zu forms of secret redacted, %zu texts with none kept\n", forms, kept);
	CHECK(forms >= 80);
	CHECK(kept >= 30);
}

/*
 * The work bound: every rule together over the fixtures and the
 * adversarial lines of every rule stays under a quarter of it; past it a
 * text is kept as [REDACTED:limit], counted, with one warning. It counts
 * bytes, so the same text always gives the same result.
 */
static void check_work_bound(const struct rule_set *set)
{
	struct redactor *x;
	char *cause = NULL, *line, *t;
	size_t i, k, len;

	CHECK(redactor_new(&x, set, &cause) == 0);
	redactor_set_work_bound(x, REDACT_WORK_PER_RULE_BYTE * set->n / 4, REDACT_WORK_BASE / 4);
	for (i = 0; i < set->n; i++)
		for (k = 0; (line = adv_line(set->rules[i].literals, set->rules[i].nliterals, k,
					     8 << 10)); k++) {
			len = strlen(line);
			redact(x, &line, &len);
			free(line);
		}
	CHECK(redactor_failed(x) == 0);
	redactor_free(x);

	CHECK(redactor_new(&x, set, &cause) == 0);
	redactor_set_work_bound(x, 1, 0);
	for (i = 0; i < 2; i++) {
		t = xstrdup("GH_TOKEN=ghp_R4nd0mT0k3nV4lu3Abcdefghij0123456789 and more");
		len = strlen(t);
		CHECK(redact(x, &t, &len) == 1);
		CHECK_STR(t, "[REDACTED:limit]");
		free(t);
	}
	/* What no rule looks at costs its one pass: within the bound. */
	t = xstrdup("nothing to see");
	len = strlen(t);
	CHECK(redact(x, &t, &len) == 0);
	CHECK_STR(t, "nothing to see");
	free(t);
	CHECK(redactor_failed(x) == 2);
	redactor_free(x);
}

/*
 * Every rule alone over lines built to hit its worst case (adversarial.h):
 * 128 KB each, time linear in the text. The bound is far above what the
 * rules take (`make bench` prints it) and far below the quadratic: a 128
 * KB line of eyJ took the old JWT rule 1.3 s.
 */
static void check_linear(const struct rule_set *set)
{
	size_t i, k, size = 128 << 10, bytes = 0;
	double worst = 0;
	const char *worst_rule = "";

	for (i = 0; i < set->n; i++) {
		struct rule_set one = { &set->rules[i], 1 };
		struct redactor *x;
		struct timespec t0, t1;
		char *cause = NULL, *line;
		double secs;

		CHECK(redactor_new(&x, &one, &cause) == 0);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
		for (k = 0; (line = adv_line(set->rules[i].literals, set->rules[i].nliterals, k, size)); k++) {
			size_t len = strlen(line);

			redact(x, &line, &len);
			/* Nothing adversarial makes a rule give up. */
			CHECK(strcmp(line, "[REDACTED:limit]"));
			bytes += size;
			free(line);
		}
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
		secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		secs /= (double)k;
		if (secs > worst) {
			worst = secs;
			worst_rule = set->rules[i].name;
		}
		redactor_free(x);
	}
	printf("slowest rule on 128 KB adversarial lines: %s, %.3f s a line\n", worst_rule, worst);
	CHECK(worst < 0.25);
}

/* Loads a config whose one rule file is rules; config_load()'s result. */
static int load_with_rules(struct config *cfg, const char *dir, const char *rules)
{
	char *conf = xasprintf("%s/c.yaml", dir), *file = xasprintf("%s/r.yaml", dir);
	FILE *fp;
	int ret;

	fp = fopen(file, "w");
	CHECK(fp != NULL);
	fputs(rules, fp);
	fclose(fp);
	fp = fopen(conf, "w");
	CHECK(fp != NULL);
	fprintf(fp, "extract:\n  rules: ['%s']\n", file);
	fclose(fp);
	ret = config_load(cfg, conf);
	free(conf);
	free(file);
	return ret;
}

/* literal as a list, literal_icase and literal_starts from a user's rule file. */
static void check_config(void)
{
	static const char *const bad[] = {
		"rules:\n  - {name: x, group: redact, pattern: a, literal: [a, [b]]}\n",
		"rules:\n  - {name: x, group: redact, pattern: a, literal: {a: b}}\n",
		"rules:\n  - {name: x, group: redact, pattern: a, literal: [a, '']}\n",
		"rules:\n  - {name: x, group: redact, pattern: a, literal: a, literal_icase: yes}\n",
		"rules:\n  - {name: x, group: redact, pattern: a, literal_starts: true}\n",
		"rules:\n  - {name: x, group: redact, pattern: a, literal: 'caf\xC3\xA9', literal_icase: true}\n",
		"rules:\n  - {name: x, group: redact, pattern: a, literal: [a, b, c, d, e, f, g, h, i, j, k, l,"
		" m, n, o, p, q, r, s, t, u, v, w, x, y, z, aa, bb, cc, dd, ee, ff, gg]}\n",
		NULL
	};
	char dir[] = "/tmp/test-redact.XXXXXX";
	struct config cfg;
	struct rule_set set;
	struct redactor *acme;
	const struct rule *rule = NULL;
	const char *const *b;
	char *cause = NULL, *t;
	size_t i;

	CHECK(mkdtemp(dir) != NULL);
	CHECK(load_with_rules(&cfg, dir,
		"rules:\n"
		"  - name: acme-token\n"
		"    group: redact\n"
		"    label: acme\n"
		"    literal: [acme_, ACME-]\n"
		"    literal_icase: true\n"
		"    literal_starts: true\n"
		"    pattern: '(?i:acme[_-])[0-9a-f]{16}'\n") == 0);
	set = config_rule_group(&cfg, "redact");
	for (i = 0; i < set.n; i++)
		if (!strcmp(set.rules[i].name, "acme-token"))
			rule = &set.rules[i];
	CHECK(rule && rule->nliterals == 2 && rule->literal_icase && rule->literal_starts);
	CHECK(rule && !strcmp(rule->literal, "acme_\nACME-"));
	CHECK(redactor_new(&acme, &set, &cause) == 0);
	t = xstrdup("use Acme_0123456789abcdef and acme-0123456789abcdef, not acme:0123456789abcdef");
	i = strlen(t);
	CHECK(redact(acme, &t, &i) == 2);
	CHECK_STR(t, "use [REDACTED:acme] and [REDACTED:acme], not acme:0123456789abcdef");
	free(t);
	redactor_free(acme);
	config_release(&cfg);

	for (b = bad; *b; b++) {
		int ret = load_with_rules(&cfg, dir, *b);

		if (ret == 0)
			fprintf(stderr, "rule file loaded: %s", *b);
		CHECK(ret < 0);
		config_release(&cfg);
	}
	t = xasprintf("%s/c.yaml", dir);
	unlink(t);
	free(t);
	t = xasprintf("%s/r.yaml", dir);
	unlink(t);
	free(t);
	rmdir(dir);
}

/*
 * Base64 runs are found 64 bytes at a time: a run of exactly min at every
 * offset around the words' edges is found where it starts, and one byte
 * shorter is not; a base64 text there decodes wherever it lies.
 */
static void test_runs(void)
{
	static const char b64[] = "c2VjcmV0LXRva2VuLXZhbHVlcw";	/* secret-token-values */
	char s[256];
	size_t at, len, min, n;

	for (min = 24; min <= 32; min += 8)
		for (len = min - 1; len <= min; len++)
			for (at = 0; at + len + 2 < sizeof(s) && at < 140; at++) {
				memset(s, ' ', sizeof(s));
				memset(s + at, 'Q', len);
				n = at + len + (at & 1);	/* ending at the text's end, or not */
				CHECK(view_next_run(s, n, 0, min) == (len == min ? at : n));
			}
	for (at = 0; at < 140; at++) {
		struct redact_view base = { s, 0, NULL, NULL, NULL, 0 }, v;
		size_t pos = 0;

		memset(s, '.', sizeof(s));
		memcpy(s + at, b64, sizeof(b64) - 1);
		base.n = at + sizeof(b64) - 1 + (at & 1);
		CHECK(view_next_base64(&v, &base, &pos) == 1);
		CHECK(v.s && !strcmp(v.s, "secret-token-values"));
		view_release(&v);
	}
}

int main(void)
{
	struct config cfg;
	struct rule_set set;
	struct rule bad;
	struct redactor *lim;
	char *cause = NULL, *t;
	struct rule_param gate = { (char *)"gate", (char *)"sometimes" };
	pthread_t th[4];
	char errbuf[1024];
	FILE *errf;
	int failed = 0, i, saved;
	size_t len;

	CHECK(config_load(&cfg, NULL) == 0);
	set = config_rule_group(&cfg, "redact");
	CHECK(set.n >= 15);
	CHECK(redactor_new(&r, &set, &cause) == 0);
	test_runs();

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
	/* A path stays a path: only the token in it goes. */
	expect("/srv/ghp_R4nd0mT0k3nV4lu3Abcdefghij0123456789", "/srv/[REDACTED:github-token]");
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

	check_fixtures();
	check_equivalence(set);
	check_linear(&set);
	check_work_bound(&set);
	check_config();

	/* A catastrophic pattern hits the match limit: the field goes, whole. */
	memset(&bad, 0, sizeof(bad));
	bad.name = (char *)"slow";
	bad.group = (char *)"redact";
	bad.pattern = (char *)"(a+)+$";
	set.rules = &bad;
	set.n = 1;
	bad.origin = (char *)"user.yaml:7";
	CHECK(redactor_new(&lim, &set, &cause) == 0);
	/* ... and says so on stderr, once, naming the rule. */
	fflush(stderr);
	saved = dup(2);
	errf = tmpfile();
	CHECK(errf && saved >= 0 && dup2(fileno(errf), 2) == 2);
	for (i = 0; i < 2; i++) {
		t = xmalloc(64);
		memset(t, 'a', 40);
		strcpy(t + 40, "b secret");
		len = strlen(t);
		CHECK(redact(lim, &t, &len) == 1);
		CHECK_STR(t, "[REDACTED:limit]");
		free(t);
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(errf);
	len = fread(errbuf, 1, sizeof(errbuf) - 1, errf);
	errbuf[len] = '\0';
	fclose(errf);
	CHECK(strstr(errbuf, "rule 'slow' (user.yaml:7) hit its limit") != NULL);
	t = strstr(errbuf, "hit its limit");
	CHECK(t && !strstr(t + 1, "hit its limit"));
	CHECK(redactor_failed(lim) == 2);
	redactor_free(lim);

	/* A gate must be one the redactor knows. */
	bad.pattern = (char *)"x";
	bad.params = &gate;
	bad.nparams = 1;
	CHECK(redactor_new(&lim, &set, &cause) < 0);
	CHECK(cause && strstr(cause, "bad gate 'sometimes'") && strstr(cause, "'slow'"));
	free(cause);
	cause = NULL;
	bad.params = NULL;
	bad.nparams = 0;

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
