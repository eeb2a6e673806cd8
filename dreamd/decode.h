/*
 * decode.h: a streaming line reader over a zstd-compressed or plain file.
 *
 * Memory stays bounded whatever the file holds: the input and output
 * buffers are fixed, and a line longer than max_line is passed over, not
 * kept. The reader hashes the raw bytes as it goes (hash64), counts zstd
 * skippable frames, and stops at max_bytes of decompressed data.
 */
#ifndef DREAMD_DECODE_H
#define DREAMD_DECODE_H

#include <stddef.h>
#include <stdint.h>

struct decode_limits {
	size_t max_line;
	uint64_t max_bytes;
	int window_log_max;
};

struct decoder;

enum decode_status {
	DECODE_EOF = 0,
	DECODE_LINE = 1,	/* *line, *len: valid until the next call */
	DECODE_LONG = 2,	/* a line over max_line was dropped */
	DECODE_ERROR = -1,	/* see decoder_error(); no more lines */
};

/*
 * Opens path; chain seeds decoder_chain_hash(). Returns NULL and sets *kind
 * and *why (static strings) when the file cannot be opened or read at all;
 * errno is then the system's reason, or 0 when there is none (a file that
 * is not a regular one).
 */
struct decoder *decoder_open(const char *path, const struct decode_limits *lim,
			     uint64_t chain, const char **kind, const char **why);
/* The same over an open descriptor, which the decoder owns (closes) from now on. */
struct decoder *decoder_open_fd(int fd, const char *path, const struct decode_limits *lim,
				uint64_t chain, const char **kind, const char **why);
/*
 * The next line, without its newline; it is NUL-terminated in place.
 * decoder_lineno() is the number of the line returned (from 1).
 */
enum decode_status decoder_next(struct decoder *d, char **line, size_t *len);
long decoder_lineno(const struct decoder *d);
/* After DECODE_ERROR: a short kind ("truncated-zstd") and a message. */
void decoder_error(const struct decoder *d, const char **kind, const char **why);
/* After DECODE_ERROR: the system's reason for a failed read, or 0. */
int decoder_errno(const struct decoder *d);
/*
 * decoder_file_hash(): the hash (struct hasher) of the file's raw bytes, for
 * the ledger; it reads whatever was left unread, to the end of the file.
 * decoder_chain_hash(): the hash of the decompressed content read so far,
 * carried on from the chain value given to decoder_open() (for a hash over
 * several files), so the same transcript compressed or not hashes alike.
 */
uint64_t decoder_file_hash(struct decoder *d);
uint64_t decoder_chain_hash(struct decoder *d);
int decoder_skippable_frames(const struct decoder *d);
/* The zstd frames of data (not skippable) begun so far; 0 for a plain file. */
int decoder_data_frames(const struct decoder *d);
int decoder_is_zstd(const struct decoder *d);
void decoder_close(struct decoder *d);

#endif
