/*
 * json-arena.c: cJSON's allocator for transcript lines (see json-arena.h).
 *
 * What does not fit in the arena falls back to malloc, and free() of an
 * arena block does nothing: the next parse on the thread starts it over.
 * A tree wholly in the arena is not walked to be freed at all.
 */
#include "dreamd/json-arena.h"

#include <stdlib.h>

#define ARENA_SIZE (256 << 10)

/* The one piece of per-thread state: cJSON's hooks take no context. */
static __thread struct {
	_Alignas(16) char buf[ARENA_SIZE];
	size_t used;
	int on;
	int spilled;	/* the last parse took a block from malloc */
} arena;

static void *arena_malloc(size_t n)
{
	void *p;

	if (!arena.on || n > ARENA_SIZE - arena.used) {
		arena.spilled |= arena.on;
		return malloc(n);
	}
	p = arena.buf + arena.used;
	arena.used += (n + 15) & ~(size_t)15;
	if (arena.used > ARENA_SIZE)
		arena.used = ARENA_SIZE;
	return p;
}

static void arena_free(void *p)
{
	if ((char *)p >= arena.buf && (char *)p < arena.buf + ARENA_SIZE)
		return;
	free(p);
}

void json_arena_install(void)
{
	cJSON_Hooks hooks = { arena_malloc, arena_free };

	cJSON_InitHooks(&hooks);
}

cJSON *json_arena_parse(const char *line, size_t len)
{
	cJSON *root;

	arena.on = 1;
	arena.used = 0;
	arena.spilled = 0;
	root = cJSON_ParseWithLengthOpts(line, len + 1, NULL, 1);
	arena.on = 0;
	return root;
}

void json_arena_delete(cJSON *root)
{
	if (!root)
		return;
	if (arena.spilled || (char *)root < arena.buf || (char *)root >= arena.buf + ARENA_SIZE)
		cJSON_Delete(root);
}
