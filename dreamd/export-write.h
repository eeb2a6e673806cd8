/*
 * export-write.h: writing an export into a user's file without losing a
 * byte of theirs.
 *
 * The dreamd block of a CLAUDE.md or AGENTS.md is the text from a line that
 * starts with EXPORT_BEGIN to the next line that starts with EXPORT_END. A
 * marker counts only at the very start of a line and outside a code fence
 * (``` or ~~~, CommonMark's rules): an indented marker, or one shown as an
 * example inside a fence, is the user's text. Exactly one begin followed by
 * exactly one end is a block; no marker at all means none; every other
 * layout is ambiguous and refused, the file left as it was.
 *
 * Writes go to the file a symlink points to, keep its mode and owner, are
 * refused when the user may not write the file, and are atomic: a temp file
 * in the target's directory, fsync, rename.
 */
#ifndef DREAMD_EXPORT_WRITE_H
#define DREAMD_EXPORT_WRITE_H

#include <stddef.h>

#include "dreamd/util.h"

#define EXPORT_BEGIN "<!-- dreamd:begin -->"
#define EXPORT_END "<!-- dreamd:end -->"

/*
 * Writes into out the file text old (len bytes) with its dreamd block
 * replaced by block (which carries its own markers), or block appended after
 * a blank line when old has none; everything else is kept byte for byte.
 * -1 reported, naming path and the lines, when the layout is ambiguous or
 * old ends inside an open code fence (an appended block would be taken as
 * the fence's content).
 */
int export_replace_block(struct strbuf *out, const char *old, size_t len,
			 const char *block, const char *path);

/*
 * Replaces the dreamd block of the file at path (created when missing) with
 * block, as export_replace_block does; an unchanged file is not touched.
 * -1 reported; the file is then byte for byte as it was.
 */
int export_write_block(const char *path, const char *block);

/* Writes data as the whole file at path, with the same rules. -1 reported. */
int export_write_file(const char *path, const char *data, size_t len);

#endif
