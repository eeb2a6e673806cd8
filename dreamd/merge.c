/*
 * merge.c: one session read twice (from two files, as Claude Code writes a
 * session again as it grows), merged by event identity.
 *
 * An event's identity is everything the transcript said about it: kind,
 * time, tool, call id, error flag, exit code, subagent flag and text (not
 * its position). The stored reading and the new one are compared as
 * multisets of identities: the superset wins; when each holds events the
 * other lacks, the new ones join the stored ones in time order. Nothing
 * read before is dropped, but for a session's limits: a union over
 * ingest.max_events or max_session_bytes keeps its earliest events, as a
 * file over them keeps its first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/common/spill.h"
#include "dreamd/ingest.h"
#include "dreamd/parse.h"
#include "dreamd/util.h"

static uint64_t event_identity(const struct event *e, struct strbuf *tb)
{
	const char *text = event_text(e, tb);
	struct hasher h;
	int32_t head[4];
	int64_t ts = e->ts;

	head[0] = (int32_t)e->kind;
	head[1] = (int32_t)e->subagent;
	head[2] = (int32_t)e->is_error;
	head[3] = (int32_t)e->exit_code;
	hasher_init(&h, HASH64_SEED);
	hasher_add(&h, head, sizeof(head));
	hasher_add(&h, &ts, sizeof(ts));
	hasher_add(&h, e->tool ? e->tool : "", e->tool ? strlen(e->tool) + 1 : 1);
	hasher_add(&h, e->call_id ? e->call_id : "", e->call_id ? strlen(e->call_id) + 1 : 1);
	if (!text)
		die(EX_IOERR, "cannot read back a spilled text: %s", strerror(errno));
	hasher_add(&h, text, event_has_text(e) ? e->text_len : 0);
	return hasher_final(&h);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Marks in fresh[] the events of add that old does not hold (as a
 * multiset: an event twice in add and once in old is new once); returns
 * how many there are.
 */
static size_t find_fresh(const struct session *old, const struct session *add, char *fresh)
{
	uint64_t *ids = xcalloc(old->nevents + 1, sizeof(*ids));
	char *used = xcalloc(old->nevents + 1, 1);
	struct strbuf tb;
	size_t i, n = 0;

	strbuf_init(&tb, STRBUF_NOLIMIT);
	for (i = 0; i < old->nevents; i++)
		ids[i] = event_identity(&old->events[i], &tb);
	if (old->nevents)
		qsort(ids, old->nevents, sizeof(*ids), cmp_u64);
	for (i = 0; i < add->nevents; i++) {
		uint64_t id = event_identity(&add->events[i], &tb);
		size_t lo = 0, hi = old->nevents;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (ids[mid] < id)
				lo = mid + 1;
			else
				hi = mid;
		}
		while (lo < old->nevents && ids[lo] == id && used[lo])
			lo++;
		if (lo < old->nevents && ids[lo] == id) {
			used[lo] = 1;
			fresh[i] = 0;
		} else {
			fresh[i] = 1;
			n++;
		}
	}
	strbuf_release(&tb);
	free(ids);
	free(used);
	return n;
}

/* The time an event sorts by: its own, else the last one before it. */
static int64_t sort_time(const struct event *e, int64_t *last)
{
	if (e->ts > 0)
		*last = e->ts;
	return *last;
}

/*
 * Moves the fresh events of add into old, in time order (old first on a
 * tie); from[k] says whether old's event k came from add.
 */
static void weave(struct session *old, struct session *add, const char *fresh, size_t nfresh,
		  char *from)
{
	struct event *out = xcalloc(old->nevents + nfresh + 1, sizeof(*out));
	size_t i = 0, j = 0, n = 0;
	int64_t last_a = 0, last_b = 0, ta = 0, tb = 0;

	for (; j < add->nevents && !fresh[j]; j++)
		sort_time(&add->events[j], &last_b);
	if (i < old->nevents)
		ta = sort_time(&old->events[i], &last_a);
	if (j < add->nevents)
		tb = sort_time(&add->events[j], &last_b);
	while (i < old->nevents || j < add->nevents) {
		if (j >= add->nevents || (i < old->nevents && ta <= tb)) {
			from[n] = 0;
			out[n++] = old->events[i++];
			if (i < old->nevents)
				ta = sort_time(&old->events[i], &last_a);
		} else {
			from[n] = 1;
			out[n++] = add->events[j];
			memset(&add->events[j], 0, sizeof(add->events[j]));
			for (j++; j < add->nevents && !fresh[j]; j++)
				sort_time(&add->events[j], &last_b);
			if (j < add->nevents)
				tb = sort_time(&add->events[j], &last_b);
		}
	}
	free(old->events);
	old->events = out;
	old->nevents = old->alloc = n;
}

static void fill_meta(char **dst, char **src)
{
	if (!*dst && *src) {
		*dst = *src;
		*src = NULL;
	}
}

/*
 * Drops the events past the limits (0: none) from s, the latest first;
 * returns how many of those kept came from add.
 */
static size_t cap(struct session *s, const char *from, size_t max_events, size_t max_bytes,
		  size_t *dropped)
{
	size_t i, k = 0, added = 0;
	uint64_t bytes = 0;

	for (k = 0; k < s->nevents; k++) {
		bytes += s->events[k].text_len;
		if ((max_events && k >= max_events) || (max_bytes && bytes > max_bytes))
			break;
		added += from[k] != 0;
	}
	*dropped = s->nevents - k;
	for (i = k; i < s->nevents; i++) {
		free(s->events[i].tool);
		free(s->events[i].call_id);
		free(s->events[i].text);
	}
	s->nevents = k;
	return added;
}

enum session_merge session_merge(struct session *old, struct session *add, size_t max_events,
				 size_t max_bytes, size_t *nfresh, size_t *dropped)
{
	char *fresh = xcalloc(add->nevents + 1, 1), *from;
	size_t i, had = old->nevents, n = find_fresh(old, add, fresh);

	*nfresh = n;
	*dropped = 0;
	if (!n) {
		free(fresh);
		return MERGE_OLD;
	}
	if (add->nevents - n == old->nevents) {
		free(fresh);
		return MERGE_NEW;
	}
	from = xcalloc(old->nevents + n + 1, 1);
	weave(old, add, fresh, n, from);
	session_adopt_spills(old, add);	/* the events it moved may be spilled there */
	free(fresh);
	*nfresh = cap(old, from, max_events, max_bytes, dropped);
	free(from);
	if (!*nfresh && old->nevents == had) {
		/* All it added is past the limits: the stored reading as it was. */
		*dropped = 0;
		return MERGE_OLD;
	}
	fill_meta(&old->meta.agent_version, &add->meta.agent_version);
	fill_meta(&old->meta.model, &add->meta.model);
	fill_meta(&old->meta.project, &add->meta.project);
	old->skipped_lines += add->skipped_lines;
	old->text_bytes = old->mem_bytes = 0;
	for (i = 0; i < old->nevents; i++) {
		old->text_bytes += old->events[i].text_len;
		if (old->events[i].text)
			old->mem_bytes += old->events[i].text_len;
	}
	session_finish(old, NULL);
	return MERGE_UNION;
}
