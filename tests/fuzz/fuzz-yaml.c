/*
 * fuzz-yaml.c: libFuzzer target for the YAML reader (dreamd/yaml.h) that
 * settings and rule files go through.
 */
#include <stddef.h>
#include <stdint.h>

#include "dreamd/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ynode *root = NULL;

	if (!ynode_load("fuzz.yaml", (const char *)data, size, &root))
		ynode_free(root);
	return 0;
}
