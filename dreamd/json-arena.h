/*
 * json-arena.h: cJSON's allocator for transcript lines, one arena per thread.
 *
 * cJSON mallocs every node and string of a tree and frees them one by one;
 * a transcript line's tree lives only while the line is parsed, so its
 * nodes come from the parsing thread's arena instead and go at once
 * (~25% of a run's CPU time on the bench corpus). cJSON's allocator can
 * only be set for the whole process, so main() does it, once, beside the
 * store's reporter and fault hook: json_arena_install(). Until then, and
 * for every tree not parsed by json_arena_parse(), cJSON uses malloc.
 */
#ifndef DREAMD_JSON_ARENA_H
#define DREAMD_JSON_ARENA_H

#include <stddef.h>

#include <cJSON.h>

/* Sets cJSON's hooks to the arena's; before any thread parses JSON. */
void json_arena_install(void);

/*
 * Parses line[0..len) (NUL at line[len]) as one JSON value, its nodes in
 * this thread's arena as far as they fit. json_arena_delete() the tree
 * before the thread's next json_arena_parse(). NULL: not JSON.
 */
cJSON *json_arena_parse(const char *line, size_t len);

/*
 * Frees the tree json_arena_parse() gave last: nothing to do when all of
 * it is in the arena, else cJSON_Delete() (which frees only what malloc
 * gave). The tree must not have been added to since.
 */
void json_arena_delete(cJSON *root);

#endif
