/*
 * hash.c: FNV-1a and the streaming content hash (see hash.h).
 */
#include "dreamd/common/hash.h"

#include <string.h>

uint64_t hash64(const void *data, size_t len, uint64_t h)
{
	const unsigned char *p = data;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define HASHER_K1 0x9e3779b97f4a7c15ULL
#define HASHER_K2 0xc2b2ae3d27d4eb4fULL

static uint64_t load_le64(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
		(uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
		(uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static uint64_t hasher_round(uint64_t h, uint64_t w)
{
	h ^= w * HASHER_K2;
	h = (h << 31) | (h >> 33);
	return h * HASHER_K1;
}

void hasher_init(struct hasher *hs, uint64_t seed)
{
	memset(hs, 0, sizeof(*hs));
	hs->h = seed;
}

void hasher_add(struct hasher *hs, const void *data, size_t len)
{
	const unsigned char *p = data;

	hs->len += len;
	if (hs->ntail) {
		size_t take = 8 - hs->ntail < len ? 8 - hs->ntail : len;

		memcpy(hs->tail + hs->ntail, p, take);
		hs->ntail += take;
		p += take;
		len -= take;
		if (hs->ntail < 8)
			return;
		hs->h = hasher_round(hs->h, load_le64(hs->tail));
		hs->ntail = 0;
	}
	for (; len >= 8; p += 8, len -= 8)
		hs->h = hasher_round(hs->h, load_le64(p));
	memcpy(hs->tail, p, len);
	hs->ntail = len;
}

uint64_t hasher_final(const struct hasher *hs)
{
	unsigned char last[8] = { 0 };
	uint64_t h;

	memcpy(last, hs->tail, hs->ntail);
	h = hasher_round(hs->h, load_le64(last)) ^ hs->len;
	/* MurmurHash3's finaliser, so every input bit reaches every output bit. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

uint64_t hash_fast(const void *data, size_t len, uint64_t seed)
{
	struct hasher hs;

	hasher_init(&hs, seed);
	hasher_add(&hs, data, len);
	return hasher_final(&hs);
}
