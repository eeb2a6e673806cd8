/*
 * test-memory.c: the memory record's one JSON form (store/memory.c): the
 * serializer gives what the parser reads back byte for byte, names and
 * enums map both ways, and memory_differs names the part that changed.
 */
#include <stdlib.h>

#include "store/memory.h"
#include "tests/unit/unit.h"

/* A record as the serializer writes it: every key, in order. */
static const char full[] =
	"{\"id\":\"m-3f2a9c01\",\"kind\":\"mistake\",\"scope\":\"project:/srv/webapp\","
	"\"status\":\"active\",\"title\":\"`npm test` fails\",\"body\":\"Run \\\"npm install\\\"\\n"
	"first \\u0001.\",\"score\":0.82,\"version\":3,\"first_seen\":\"2026-11-01T10:00:00Z\","
	"\"last_seen\":\"2026-11-20T09:12:44Z\",\"support\":{\"sessions\":5,\"users\":3,"
	"\"agents\":1,\"projects\":1,\"occurrences\":7},\"evidence\":[{\"session\":\"s1\","
	"\"user\":\"alice\",\"agent\":\"claude-code\",\"at\":\"2026-11-01T10:00:00Z\",\"event\":12,"
	"\"excerpt\":\"Error: \xc3\xa9\"},{\"session\":\"s2\",\"user\":\"bob\",\"agent\":\"codex\","
	"\"at\":\"2026-11-02T10:00:00Z\",\"event\":4,\"excerpt\":null}],\"extractor\":"
	"\"failing-calls\",\"slot\":null,\"fix\":{\"command\":\"npm install\",\"worked\":5,"
	"\"of\":5},\"reason\":\"5 sessions, 3 users: above the gates\",\"superseded_by\":null,"
	"\"conflict_with\":\"m-00000001\",\"effectiveness\":{\"before\":{\"hits\":12,"
	"\"sessions\":30},\"after\":{\"hits\":0,\"sessions\":25},\"recurring\":false},"
	"\"reviewed\":{\"action\":\"pin\",\"by\":\"alice\",\"at\":\"2026-11-21T08:00:00Z\"}}";

static const char bare[] =
	"{\"id\":\"m-1\",\"kind\":\"preference\",\"scope\":\"team\",\"status\":\"retired\","
	"\"title\":null,\"body\":null,\"score\":0,\"version\":1,\"first_seen\":null,"
	"\"last_seen\":null,\"support\":{\"sessions\":0,\"users\":0,\"agents\":0,\"projects\":0,"
	"\"occurrences\":0},\"evidence\":[],\"extractor\":null,\"slot\":\"indent\",\"fix\":null,"
	"\"reason\":null,\"superseded_by\":\"m-2\",\"conflict_with\":null,\"effectiveness\":null,"
	"\"reviewed\":null}";

static void test_round_trip(void)
{
	const char *const recs[] = { full, bare };
	size_t i;

	for (i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		struct memory m;
		char *out;

		CHECK(memory_parse(&m, recs[i]) == 0);
		CHECK_STR(m.json, recs[i]);
		out = memory_to_json(&m);
		CHECK_STR(out, recs[i]);
		free(out);
		memory_release(&m);
	}
}

static void test_fields(void)
{
	struct memory m;

	CHECK(memory_parse(&m, full) == 0);
	CHECK(m.kind == MEMORY_MISTAKE && m.status == MEMORY_ACTIVE);
	CHECK(m.version == 3 && m.sessions == 5 && m.occurrences == 7);
	CHECK(m.nev == 2 && m.ev[0].event == 12 && m.ev[1].excerpt == NULL);
	CHECK_STR(m.fix_command, "npm install");
	CHECK(m.has_eff && m.eff_before_hits == 12 && !m.eff_recurring);
	CHECK_STR(m.reviewed_action, "pin");
	memory_release(&m);
	CHECK(memory_parse(&m, "[1]") < 0);
	CHECK(memory_parse(&m, "{\"id\": 3}") < 0);
	CHECK(memory_parse(&m, "{\"id\": \"m-2\"") < 0);
}

static void test_names(void)
{
	static const struct { const char *name; enum memory_status s; int live; } st[] = {
		{ "active", MEMORY_ACTIVE, 1 }, { "pinned", MEMORY_PINNED, 1 },
		{ "candidate", MEMORY_CANDIDATE, 0 }, { "quarantined", MEMORY_QUARANTINED, 0 },
		{ "rejected", MEMORY_REJECTED, 0 }, { "retired", MEMORY_RETIRED, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		CHECK(memory_status_of(st[i].name) == st[i].s);
		CHECK_STR(memory_status_name(st[i].s), st[i].name);
		CHECK(memory_status_live(st[i].s) == st[i].live);
	}
	CHECK(memory_status_of("frozen") == MEMORY_STATUS_NONE);
	CHECK(memory_status_of(NULL) == MEMORY_STATUS_NONE);
	CHECK(memory_status_name(MEMORY_STATUS_NONE) == NULL);
	CHECK(memory_kind_of("workflow") == MEMORY_WORKFLOW);
	CHECK_STR(memory_kind_name(MEMORY_PREFERENCE), "preference");
	CHECK(memory_kind_of("idea") == MEMORY_KIND_NONE);
}

/* Each part, changed alone, is named alone; churn is no change. */
static void test_differs(void)
{
	struct memory a, b;

	CHECK(memory_parse(&a, full) == 0);
	CHECK(memory_parse(&b, full) == 0);
	CHECK(memory_differs(&a, &b) == 0);
	b.version = 9;
	memory_set(&b.last_seen, "2027-01-01T00:00:00Z");
	memory_set(&b.ev[0].excerpt, "other");
	CHECK(memory_differs(&a, &b) == 0);
	memory_set(&b.body, "new");
	CHECK(memory_differs(&a, &b) == MEMORY_F_TEXT);
	memory_set(&b.body, a.body);
	b.score = 0.5;
	CHECK(memory_differs(&a, &b) == MEMORY_F_SCORE);
	b.score = a.score;
	b.status = MEMORY_RETIRED;
	CHECK(memory_differs(&a, &b) == MEMORY_F_STATUS);
	b.status = a.status;
	b.users = 4;
	CHECK(memory_differs(&a, &b) == MEMORY_F_SUPPORT);
	b.users = a.users;
	b.fix_worked = 4;
	CHECK(memory_differs(&a, &b) == MEMORY_F_FIX);
	b.fix_worked = a.fix_worked;
	b.eff_recurring = 1;
	CHECK(memory_differs(&a, &b) == MEMORY_F_EFFECTIVENESS);
	b.eff_recurring = 0;
	memory_set(&b.scope, "team");
	CHECK(memory_differs(&a, &b) == MEMORY_F_SCOPE);
	memory_set(&b.scope, a.scope);
	memory_set(&b.reason, "other");
	CHECK(memory_differs(&a, &b) == MEMORY_F_OTHER);
	memory_release(&a);
	memory_release(&b);
}

int main(void)
{
	test_round_trip();
	test_fields();
	test_names();
	test_differs();
	return unit_done();
}
