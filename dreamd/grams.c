/*
 * grams.c: workflow observations, one row a session; see grams.h.
 *
 * A row's grams column holds one record per observation, each ended by RS
 * (0x1e), its fields split by US (0x1f): key, seq, ts, count, succeeded.
 * Keys holding either separator stay observation rows (grams_kind()).
 * The rows go in and come back through store/workflows.h.
 */
#include "dreamd/grams.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/util.h"
#include "store/workflows.h"

#define RS '\x1e'
#define US '\x1f'

/*
 * The sketch: SKETCH_ROWS rows of 2^SKETCH_LOG saturating counters, 1 MiB.
 * With 100,000 distinct n-grams seen once, about 1% of them get through
 * to the exact count.
 */
#define SKETCH_ROWS 4
#define SKETCH_LOG 18
#define SKETCH_WIDTH ((size_t)1 << SKETCH_LOG)

/*
 * Past this many parts, a part too big is one n-gram seen in that many
 * sessions, and is read whole.
 */
#define PARTS_MAX ((uint64_t)1 << 16)

/*
 * The most bytes of a session's packed row; the workflows extractor gives
 * at most 2048 n-grams of at most 600 bytes, about 1.3 MB.
 */
#define ROW_BYTES_MAX (64u << 20)

int grams_kind(const struct observation *o)
{
	return !strcmp(o->kind, "workflow") && o->subject && o->excerpt &&
		!strcmp(o->subject, o->key) && !strcmp(o->excerpt, o->key) &&
		!o->slot && !o->detail && !o->fix && !o->value && !o->fixed &&
		!o->user_authored && o->behaviour && !strchr(o->key, RS) &&
		!strchr(o->key, US);
}

static int put_row(struct db *db, const char *session_id, const char *extractor,
		   const struct strbuf *sb)
{
	return workflows_put(db, session_id, extractor, sb->buf, sb->len);
}

int grams_store(struct db *db, const char *session_id, const struct obs_list *l,
		int replace)
{
	struct strbuf sb;
	const char *ex = NULL;
	size_t i;
	int ret = -1;

	if (replace && workflows_delete(db, session_id) < 0)
		return -1;
	strbuf_init(&sb, ROW_BYTES_MAX);
	/* l is sorted by extractor, key, seq: one row an extractor. */
	for (i = 0; i < l->n; i++) {
		const struct observation *o = &l->v[i];

		if (!grams_kind(o))
			continue;
		if (ex && strcmp(ex, o->extractor)) {
			if (put_row(db, session_id, ex, &sb) < 0)
				goto cleanup;
			strbuf_reset(&sb);
		}
		ex = o->extractor;
		if (strbuf_addf(&sb, "%s%c%" PRIu32 "%c%" PRId64 "%c%u%c%d%c", o->key, US,
				o->seq, US, o->ts, US, o->count ? o->count : 1, US,
				o->succeeded, RS) < 0) {
			/* The extractor keeps far fewer; should one not, keep what fits. */
			warning("workflow n-grams of session '%s' cut at %u MiB", session_id,
				ROW_BYTES_MAX >> 20);
			while (i + 1 < l->n && !strcmp(l->v[i + 1].extractor, ex))
				i++;
		}
	}
	if (ex && put_row(db, session_id, ex, &sb) < 0)
		goto cleanup;
	ret = 0;
cleanup:
	strbuf_release(&sb);
	return ret;
}

/* Reading back --------------------------------------------------------------- */

/* One record, split in place. */
struct gram {
	const char *key;
	size_t len;
	uint32_t seq;
	int64_t ts;
	unsigned count;
	int succeeded;
};

/* One session's row: what its n-grams share (strings in the walk's pool). */
struct wsess {
	const char *id, *extractor, *user, *agent, *project;
};

/* One n-gram of one session the sketch let through. */
struct wrow {
	uint32_t key, sess;	/* indexes into the pool and sess */
	uint32_t seq, count;
	int64_t ts;
	int succeeded;
};

struct walk {
	unsigned char *sketch;	/* SKETCH_ROWS * SKETCH_WIDTH */
	int min;
	uint64_t mod, rem;	/* pass 2 keeps the n-grams with hash % mod == rem */
	size_t rows_max;	/* more rows than this: split the part in two */
	struct strpool pool;	/* keys and the sessions' strings */
	struct wsess *sess;
	size_t nsess, asess;
	struct wrow *rows;
	size_t nrows, arows;
};

static uint64_t gram_hash(const char *extractor, const char *key, size_t len)
{
	return hash_fast(key, len, hash_fast(extractor, strlen(extractor), HASH64_SEED));
}

/* The counter of row r for hash h (double hashing, splitmix64's finaliser). */
static size_t slot_of(uint64_t h, int r)
{
	uint64_t h2 = h;

	h2 = (h2 ^ (h2 >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h2 = (h2 ^ (h2 >> 27)) * 0x94d049bb133111ebULL;
	h2 = (h2 ^ (h2 >> 31)) | 1;
	return (size_t)r * SKETCH_WIDTH + ((h + (uint64_t)r * h2) & (SKETCH_WIDTH - 1));
}

static void sketch_add(unsigned char *sk, uint64_t h)
{
	int r;

	for (r = 0; r < SKETCH_ROWS; r++) {
		unsigned char *c = &sk[slot_of(h, r)];

		if (*c < 255)
			(*c)++;
	}
}

static int sketch_count(const unsigned char *sk, uint64_t h)
{
	int r, min = 255;

	for (r = 0; r < SKETCH_ROWS; r++)
		if (sk[slot_of(h, r)] < min)
			min = sk[slot_of(h, r)];
	return min;
}

/* The decimal integer at p, up to the separator that ends it. */
static int64_t number(const char *p)
{
	int neg = *p == '-';
	uint64_t v = 0;

	for (p += neg; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return (int64_t)(neg ? 0 - v : v);
}

/* Reads the record at *p (up to end) into g; 0, or -1 when malformed. */
static int next_gram(const char **p, const char *end, struct gram *g)
{
	const char *f[5], *q = *p;
	int i;

	for (i = 0; i < 5; i++) {
		const char *sep = memchr(q, i < 4 ? US : RS, (size_t)(end - q));

		if (!sep)
			return -1;
		f[i] = q;
		q = sep + 1;
	}
	g->key = f[0];
	g->len = (size_t)(f[1] - f[0] - 1);
	g->seq = (uint32_t)number(f[1]);
	g->ts = number(f[2]);
	g->count = (unsigned)number(f[3]);
	g->succeeded = f[4][0] == '1';
	*p = q;
	return 0;
}

static int bad_grams(const char *session_id)
{
	return error("unreadable workflow observations of session '%s'", session_id);
}

/*
 * Pass 1 (keep == 0): counts every n-gram of the row in the sketch.
 * Pass 2: keeps those the sketch counts min times or more.
 */
static int take_row(struct walk *w, const struct workflows_row *row, int keep)
{
	const char *sid = row->session_id, *ex = row->extractor;
	const char *p = row->grams, *end;
	size_t s = (size_t)-1;

	if (!sid || !ex || !p)
		return bad_grams(sid ? sid : "?");
	for (end = p + strlen(p); p < end;) {
		struct gram g;
		struct wrow *r;
		uint64_t h;

		if (next_gram(&p, end, &g) < 0)
			return bad_grams(sid);
		h = gram_hash(ex, g.key, g.len);
		if (!keep) {
			sketch_add(w->sketch, h);
			continue;
		}
		if (sketch_count(w->sketch, h) < w->min || h % w->mod != w->rem)
			continue;
		if (w->nrows == w->rows_max)
			return 1;
		if (s == (size_t)-1) {
			struct wsess *n;

			ALLOC_GROW(w->sess, w->nsess + 1, w->asess);
			s = w->nsess++;
			n = &w->sess[s];
			n->id = strpool_str(&w->pool, sid);
			n->extractor = strpool_str(&w->pool, ex);
			n->user = strpool_str(&w->pool, row->user ? row->user : "unknown");
			n->agent = strpool_str(&w->pool, row->agent ? row->agent : "unknown");
			n->project = strpool_str(&w->pool, row->project);
		}
		ALLOC_GROW(w->rows, w->nrows + 1, w->arows);
		r = &w->rows[w->nrows++];
		r->key = (uint32_t)strpool_add(&w->pool, g.key, g.len);
		r->sess = (uint32_t)s;
		r->seq = g.seq;
		r->ts = g.ts;
		r->count = g.count;
		r->succeeded = g.succeeded;
	}
	return 0;
}

struct scanning {
	struct walk *w;
	int keep;
};

static int scan_row(void *arg, const struct workflows_row *row)
{
	struct scanning *sc = arg;

	return take_row(sc->w, row, sc->keep);
}

/* 0, -1 reported, or 1 when the part has more than rows_max rows. */
static int scan(struct db *db, struct walk *w, int keep)
{
	struct scanning sc = { w, keep };

	return workflows_each(db, scan_row, &sc);
}

/*
 * Groups the rows of an (extractor, key) together, sessions in order; the
 * order of the groups does not matter.
 */
static int cmp_wrow(const void *a, const void *b, void *arg)
{
	const struct wrow *x = a, *y = b;
	const struct walk *w = arg;
	const char *ex = w->sess[x->sess].extractor, *ey = w->sess[y->sess].extractor;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (ex != ey)
		return strcmp(ex, ey);
	if (x->sess != y->sess)
		return x->sess < y->sess ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int same_gram(const struct walk *w, const struct wrow *a, const struct wrow *b)
{
	return a->key == b->key && w->sess[a->sess].extractor == w->sess[b->sess].extractor;
}

static int emit_group(const struct walk *w, const struct wrow *r, size_t n, grams_fn fn,
		      void *arg)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		const struct wsess *s = &w->sess[r[i].sess];
		struct observation o = { 0 };

		o.extractor = s->extractor;
		o.kind = "workflow";
		o.key = o.subject = o.excerpt = w->pool.v[r[i].key];
		o.session = s->id;
		o.user = s->user;
		o.agent = s->agent;
		o.project = s->project;
		o.seq = r[i].seq;
		o.ts = r[i].ts;
		o.count = r[i].count;
		o.succeeded = (unsigned)r[i].succeeded;
		o.behaviour = 1;
		ret = fn(arg, &o);
	}
	return ret;
}

static void walk_reset(struct walk *w)
{
	free(w->rows);
	free(w->sess);
	strpool_release(&w->pool);
	w->rows = NULL;
	w->sess = NULL;
	w->nrows = w->arows = w->nsess = w->asess = 0;
}

/*
 * The n-grams with hash % mod == rem, grouped and handed to fn; a part with
 * too many rows is done as two, mod doubled. Each n-gram is in exactly one
 * part, so the result does not depend on how often parts were split.
 */
static int load_part(struct db *db, struct walk *w, uint64_t mod, uint64_t rem,
		     grams_fn fn, void *arg)
{
	size_t i, j;
	int r;

	w->mod = mod;
	w->rem = rem;
	r = scan(db, w, 1);
	if (r == 1) {
		size_t max = w->rows_max;

		walk_reset(w);
		if (mod < PARTS_MAX) {
			r = load_part(db, w, 2 * mod, rem, fn, arg);
			return r ? r : load_part(db, w, 2 * mod, rem + mod, fn, arg);
		}
		/* Splitting does not help: one n-gram has that many sessions. */
		w->rows_max = (size_t)-1;
		r = scan(db, w, 1);
		w->rows_max = max;
	}
	if (r) {
		walk_reset(w);
		return -1;
	}
	if (w->nrows)
		qsort_r(w->rows, w->nrows, sizeof(*w->rows), cmp_wrow, w);
	for (i = 0; i < w->nrows && !r; i = j) {
		int sessions = 1;

		for (j = i + 1; j < w->nrows && same_gram(w, &w->rows[i], &w->rows[j]); j++)
			if (w->rows[j].sess != w->rows[j - 1].sess)
				sessions++;
		if (sessions >= w->min)
			r = emit_group(w, w->rows + i, j - i, fn, arg);
	}
	walk_reset(w);
	return r;
}

int grams_load_parts(struct db *db, int min_sessions, size_t rows_max, grams_fn fn,
		     void *arg)
{
	struct walk w = { 0 };
	int ret = -1;

	w.min = min_sessions < 1 ? 1 : min_sessions > 255 ? 255 : min_sessions;
	w.rows_max = rows_max ? rows_max : 1;
	w.sketch = xcalloc(SKETCH_ROWS * SKETCH_WIDTH, 1);
	w.mod = 1;
	if (scan(db, &w, 0) == 0)
		ret = load_part(db, &w, 1, 0, fn, arg);
	free(w.sketch);
	walk_reset(&w);
	return ret;
}

int grams_load(struct db *db, int min_sessions, grams_fn fn, void *arg)
{
	return grams_load_parts(db, min_sessions, GRAMS_ROWS_MAX, fn, arg);
}
