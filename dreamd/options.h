/*
 * options.h: the values of the options several commands share.
 */
#ifndef DREAMD_OPTIONS_H
#define DREAMD_OPTIONS_H

/* --jobs N: N when it is 1 to 256, else 0. */
int opt_jobs(const char *arg);
/* jobs (at most four a core), or the number of cores when it is 0 (run.jobs' default). */
int opt_jobs_or_cores(int jobs);

/* The reviewer's name: --by, else $USER, else "unknown". */
const char *opt_reviewer(const char *by);

#endif
