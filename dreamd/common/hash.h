/*
 * hash.h: the hashes every folder uses; stable across machines, never
 * cryptographic.
 */
#ifndef DREAMD_HASH_H
#define DREAMD_HASH_H

#include <stddef.h>
#include <stdint.h>

/* 64-bit FNV-1a, from h (HASH64_SEED to start); used for ids and small keys. */
uint64_t hash64(const void *data, size_t len, uint64_t h);
#define HASH64_SEED 0xcbf29ce484222325ULL

/*
 * A streaming 64-bit hash for content, eight bytes at a time: the result
 * depends only on the bytes, never on how they were split between calls,
 * and is the same on every machine.
 */
struct hasher {
	uint64_t h, len;
	unsigned char tail[8];
	size_t ntail;
};

void hasher_init(struct hasher *hs, uint64_t seed);
void hasher_add(struct hasher *hs, const void *data, size_t len);
uint64_t hasher_final(const struct hasher *hs);
/* The same hash of len bytes in one call: for hash tables, not for ids. */
uint64_t hash_fast(const void *data, size_t len, uint64_t seed);

#endif
