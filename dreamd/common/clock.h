/*
 * clock.h: the clock dreamd stamps records with.
 */
#ifndef DREAMD_CLOCK_H
#define DREAMD_CLOCK_H

#include <stdint.h>

/*
 * SOURCE_DATE_EPOCH when set (for reproducible tests), else the real time.
 * Milliseconds since the epoch.
 */
int64_t now_ms(void);

#endif
