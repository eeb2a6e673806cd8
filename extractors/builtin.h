/*
 * builtin.h: the built-in extractors, for registry.c and tests.
 */
#ifndef DREAMD_BUILTIN_H
#define DREAMD_BUILTIN_H

#include "extractors/extractor.h"

extern const struct extractor_ops failing_calls_ops;
extern const struct extractor_ops tool_misuse_ops;
extern const struct extractor_ops thrashing_ops;
extern const struct extractor_ops rejections_ops;
extern const struct extractor_ops workflows_ops;
extern const struct extractor_ops preferences_ops;

#endif
