/*
 * curate-slots.c: preferences of one slot: the newer supersedes, or both
 * stay and are flagged; see curate-policy.h.
 */
#include "dreamd/curate-policy.h"

#include <stdlib.h>
#include <string.h>

static int same_slot(const struct cand *a, const struct cand *b)
{
	return a->slot && b->slot && !strcmp(a->slot, b->slot) &&
		a->kind == b->kind && !strcmp(a->scope, b->scope) &&
		strcmp(a->value ? a->value : "", b->value ? b->value : "");
}

/*
 * Of two active memories for one slot with different values, the newer
 * supersedes the older when the team clearly moved on: all of the newer's
 * evidence comes after the older's last, or it has at least twice the
 * sessions. Otherwise the evidence is balanced: both stay, flagged.
 */
void settle_slots(struct cand *c, size_t nc)
{
	size_t i, j, n = 0, *slotted = xcalloc(nc + 1, sizeof(*slotted));

	/* Only candidates with a slot meet; the pairs keep their order. */
	for (i = 0; i < nc; i++)
		if (c[i].slot)
			slotted[n++] = i;
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			struct cand *a = &c[slotted[i]], *b = &c[slotted[j]], *old, *new;

			if (a->dropped || b->dropped || !a->passes || !b->passes ||
			    !same_slot(a, b))
				continue;
			if (a->last_seen < b->last_seen ||
			    (a->last_seen == b->last_seen && strcmp(a->id, b->id) < 0)) {
				old = a;
				new = b;
			} else {
				old = b;
				new = a;
			}
			if (new->first_seen > old->last_seen || new->nsess >= 2 * old->nsess) {
				old->status = MEMORY_RETIRED;
				set_str(&old->superseded_by, new->id);
				free(old->reason);
				old->reason = xasprintf("superseded by %s (%s)", new->id,
							new->value ? new->value : "newer");
				old->passes = 0;
			} else if (old->nsess >= 2 * new->nsess) {
				new->status = MEMORY_RETIRED;
				set_str(&new->superseded_by, old->id);
				free(new->reason);
				new->reason = xasprintf("outweighed by %s (%s)", old->id,
							old->value ? old->value : "older");
				new->passes = 0;
			} else {
				if (!old->conflict_with)
					set_str(&old->conflict_with, new->id);
				if (!new->conflict_with)
					set_str(&new->conflict_with, old->id);
			}
		}
	}
	free(slotted);
}

