/*
 * clock.c: the clock dreamd stamps records with (clock.h).
 */
#include "dreamd/common/clock.h"

#include <stdlib.h>
#include <time.h>

int64_t now_ms(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	struct timespec ts;

	if (sde && *sde)
		return strtoll(sde, NULL, 10) * 1000;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
