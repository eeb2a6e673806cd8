/*
 * ingest.h: spool -> decode -> parse -> redact, for one session at a time.
 *
 * spool_scan() lists what is in a spool as session units (a transcript and
 * its subagent transcripts); ingest_unit() reads one unit through streaming
 * zstd, detects its format from the content, turns every line into events
 * and redacts them. Nothing here touches the store: the caller (cmd-run.c)
 * decides what is new from the ledger and writes the result, so units can be
 * ingested on several threads at once.
 */
#ifndef DREAMD_INGEST_H
#define DREAMD_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "schemas/event.h"

struct redactor;

/* One spool file. */
struct spool_file {
	char *path;		/* as found: ROOT/user/.../name.jsonl[.zst] */
	int64_t size;
	int64_t mtime;		/* ns since the epoch */
	/*
	 * Set for a symlink that leads out of the spool (or nowhere): its
	 * unit is quarantined with this kind and message, and never read.
	 */
	const char *bad_kind;
	char *bad_why;
};

/*
 * The files of one session: the transcript first, then its subagent
 * transcripts (<session>/subagents/agent-*.jsonl and the older
 * agent-<hex>.jsonl beside it) sorted by path.
 */
struct spool_unit {
	char *user;		/* the first directory under the spool root */
	char *root;		/* the spool root it was found under; NULL: named by hand */
	struct spool_file *files;
	size_t nfiles;
};

struct spool_opts {
	int64_t now_ns;		/* files modified after now - idle are left */
	int64_t idle_ns;
	const char *user;	/* when set, every session's user */
	size_t *nfresh;		/* when set, counts the files left as too new */
	size_t *nskipped;	/* when set, counts what is not a transcript (-v names it) */
};

/*
 * Lists the units under root, sorted by their first file's path. The caller
 * frees them with spool_units_free(). Returns -1 (reported) when root cannot
 * be read.
 *
 * Nothing outside root is read. The walk never follows a symlink: one that
 * points inside root is passed over (what it points at is listed where it
 * is), one that points outside it or nowhere, to a directory or from a
 * transcript's name, is listed as a unit of its own to quarantine, its
 * target named.
 */
int spool_scan(const char *root, const struct spool_opts *opts,
	       struct spool_unit **units, size_t *n);
void spool_units_free(struct spool_unit *units, size_t n);
/*
 * The shard (0 to nshards - 1) a unit belongs to: a stable hash of its
 * user and its session's name, the same on every machine and every run.
 * spool_units_shard() keeps shard k's units (in order), releases the
 * others and returns how many are kept.
 */
unsigned spool_unit_shard(const struct spool_unit *u, unsigned nshards);
size_t spool_units_shard(struct spool_unit *units, size_t n, unsigned k, unsigned nshards);
/*
 * Opens a file of the unit for reading. Below the unit's root no symlink is
 * followed, whatever was there when the spool was listed: every directory
 * is opened with O_NOFOLLOW from the one before it (openat), so a file or a
 * directory swapped for a link since fails with ELOOP or ENOTDIR. -1 with
 * errno set.
 */
int spool_open(const struct spool_unit *u, const char *path);
/*
 * Units from files named on a command line, in the order given: a subagent
 * transcript given after its parent joins the parent's unit. user (may be
 * NULL) is every unit's user. Free with spool_units_free().
 */
void spool_units_from_paths(char *const *paths, size_t n, const char *user,
			    struct spool_unit **units, size_t *nunits);

/*
 * For a subagent transcript (.../<session>/subagents/agent-*.jsonl[.zst]),
 * the parent's path less its ".jsonl[.zst]" (malloc'd); NULL for any other
 * path. spool_is_subagent() also says yes to the older agent-<hex>.jsonl
 * that lies beside its session file.
 */
char *spool_parent_stem(const char *path);
int spool_is_subagent(const char *path);
/* path without ".jsonl" / ".jsonl.zst", malloc'd. */
char *spool_stem(const char *path);

/* A reason an input was quarantined. */
struct bad_input {
	char *path;
	long line;		/* 0 when the file as a whole is bad */
	char *kind;		/* "truncated-zstd", "invalid-utf8", "unknown-format" ... */
	char *reason;		/* the one-line message, as printed */
};

struct ingest_opts {
	size_t max_line;	/* longest line kept; longer ones are dropped */
	uint64_t max_bytes;	/* decompressed bytes per file before it is a bomb */
	int window_log_max;	/* ZSTD_d_windowLogMax */
	int max_depth;		/* JSON nesting beyond this is bad input */
	size_t max_text;	/* an event's text is cut to this (head and tail kept) */
	size_t max_events;	/* a session's events (and blank lines) beyond this are dropped */
	size_t max_session_bytes; /* and so is its text (and dropped lines) beyond this */
	size_t session_memory;	/* text a session keeps in memory; the rest is spilled (0: all) */
	const struct redactor *redact;	/* NULL: no redaction (tests only) */
};

/* A session as read from its unit, redacted. */
struct session {
	struct session_meta meta;
	struct event *events;
	size_t nevents, alloc;
	uint64_t content_hash;	/* of the decompressed content of its files, in order */
	uint64_t *file_hashes;	/* one per file of the unit */
	int user_turns, tool_calls, tool_errors;
	int skipped_lines;	/* unknown line types and dropped lines */
	size_t text_bytes;	/* of all its events' texts */
	/*
	 * What reading cost without giving events: blank lines, and the bytes
	 * of lines dropped as too long. They count against max_events and
	 * max_session_bytes as they stream, so a file of nothing but newlines
	 * stops at the first bound instead of at max_bytes.
	 */
	size_t idle_lines, dropped_bytes;
	/*
	 * Texts in memory; past session_memory the older ones go to a spill
	 * (dreamd/common/spill.h), and more when a merge adopts another
	 * session's. A spill that cannot be written (the disk is full) is
	 * tried no more: then the texts stay in memory under a budget token.
	 */
	size_t mem_bytes;
	struct spill **spills;
	size_t nspills;
	int spill_failed;
	int big;		/* over BUDGET_BIG_SESSION in memory: holds a budget token */
	int truncated;		/* over max_events or max_session_bytes */
	int skippable_frames;	/* zstd skippable frames passed over */
	struct bad_input *bad;	/* what was wrong; each already printed */
	size_t nbad;
	int unusable;		/* nothing could be read: quarantine the unit */
};

void session_init(struct session *s);
/* Frees s; gives back its budget token, which must be this thread's. */
void session_release(struct session *s);
/*
 * Gives back the budget token a big session took (budget.h), in the thread
 * that read it, once its text is freed; nothing when it took none.
 */
void session_drop_budget(struct session *s);
/*
 * Keeps s's text in memory under limit: when mem_bytes passes it, every
 * text but the latest few events' moves to s's spill. Returns -1 (and says
 * so, once a run, as a warning) when the spill cannot be written.
 */
int session_spill(struct session *s, size_t limit);
/* Gives s the spills of from, whose events s now holds some of. */
void session_adopt_spills(struct session *s, struct session *from);
/*
 * Records a bad input in s->bad and prints it as one warning line:
 * "WHAT 'path:line'" (line 0: the file as a whole).
 */
void session_add_bad(struct session *s, const char *path, long line,
		     const char *kind, const char *what);
/* The same, naming the byte of the line too ('file:line:byte'). */
void session_add_bad_at(struct session *s, const char *path, long line, long byte,
			const char *kind, const char *what);
/* The same for a failed system call: "WHAT 'path': strerror(err)" (err 0: none). */
void session_add_bad_err(struct session *s, const char *path, const char *kind,
			 const char *what, int err);
/* 66 when a file was missing, 65 for other bad input, else 0. */
int session_exit_status(const struct session *s);

/*
 * Reads a unit into s (initialised by the caller). Bad lines are printed as
 * "dreamd: warning: <what> 'file:line'", recorded in s->bad and skipped; a
 * file that cannot be read at all sets s->unusable. Nothing stops the run
 * (out of memory is fatal), so there is no error to return.
 */
void ingest_unit(const struct spool_unit *u, const struct ingest_opts *opts,
		struct session *s);

/*
 * One session read twice, merged by event identity (merge.c): MERGE_OLD
 * when add holds nothing old lacks, MERGE_NEW when add holds all of old,
 * else MERGE_UNION: add's new events were moved into old, in time order,
 * and old's counts computed again. *nfresh: add's events old lacked (in a
 * union, those kept). A union is held to a session's limits (max_events,
 * max_bytes of text; 0: none): its latest events past them are dropped,
 * *dropped says how many; a union whose events past them are all add's is
 * MERGE_OLD.
 */
enum session_merge { MERGE_OLD, MERGE_NEW, MERGE_UNION };
enum session_merge session_merge(struct session *old, struct session *add, size_t max_events,
				 size_t max_bytes, size_t *nfresh, size_t *dropped);

struct strbuf;

/*
 * Where session_write_jsonl() sends what it wrote whenever sb holds every
 * bytes or more: flush() takes sb's content and empties it, or returns -1
 * to stop.
 */
struct jsonl_sink {
	int (*flush)(void *data, struct strbuf *sb);
	void *data;
	size_t every;
};

/*
 * Appends the session as dreamd's own JSONL (schemas/events.md): a header
 * line with the meta and counts, then one line per event, spilled texts
 * read back one at a time. With a sink (may be NULL) sb never holds much
 * more than sink->every. -1 when sb's ceiling is reached or the sink said
 * stop.
 */
int session_write_jsonl(const struct session *s, struct strbuf *sb,
			const struct jsonl_sink *sink);

/*
 * The digest: the session as dreamd's own JSONL (schemas/events.md),
 * zstd-compressed, as it is written (a big session is never held as JSONL
 * whole). digest_encode() fills *d: the bytes in memory, or for a big
 * session in a temporary file; digest_release() frees either. digest_decode()
 * fills an initialised session from either, line by line, spilling past the
 * text a session may hold in memory (digest_set_session_memory(), set from
 * the config by main.c; 8 MiB until then).
 */
struct digest {
	void *data;		/* malloc'd; NULL when the bytes are in file */
	size_t len;
	struct spill *file;	/* a big session's: its bytes, from offset 0 */
};
int digest_encode(const struct session *s, struct digest *d);	/* -1: too large */
void digest_release(struct digest *d);
/* FNV-1a (hash64()) of the digest's bytes, from seed. */
uint64_t digest_hash64(const struct digest *d, uint64_t seed);
int digest_decode(const struct digest *d, struct session *s);
void digest_set_session_memory(size_t bytes);
/*
 * A digest decoded as its bytes come (from a blob read in pieces):
 * digest_reader_feed() each piece in order, then digest_reader_end(), which
 * frees r. Both -1 reported; after a -1 from feed, end still frees.
 */
struct digest_reader;
struct digest_reader *digest_reader_new(struct session *s);
int digest_reader_feed(void *r, const void *piece, size_t len);
int digest_reader_end(struct digest_reader *r);

struct config;

/*
 * Fills io from cfg's ingest settings and compiles the redaction rules into
 * *red, which io points at (free it with redactor_free()). -1 reported.
 */
int ingest_setup(const struct config *cfg, struct ingest_opts *io, struct redactor **red);

#endif
