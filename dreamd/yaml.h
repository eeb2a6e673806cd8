/*
 * yaml.h: a safe YAML reader for settings and rule files.
 *
 * ynode_load() reads a whole document with libyaml into a small tree. It
 * refuses what a settings file never needs and an attacker loves: aliases and
 * anchors (the "billion laughs" bomb), nesting deeper than YAML_MAX_DEPTH,
 * more than YAML_MAX_NODES nodes, files over YAML_MAX_BYTES; and what is
 * surely a mistake: a key given twice in one map, a second document. Every node
 * remembers its line and column, so errors can say file:line:column.
 */
#ifndef DREAMD_YAML_H
#define DREAMD_YAML_H

#include <stddef.h>

#define YAML_MAX_DEPTH 32
#define YAML_MAX_NODES 100000
#define YAML_MAX_BYTES (4 << 20)

enum ynode_type { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
	enum ynode_type type;
	char *value;		/* SCALAR: the text; MAP children: their key */
	char *key;		/* set on the children of a map */
	int plain;		/* SCALAR: unquoted (so "null", "~" mean nothing) */
	int line, col;		/* 1-based */
	int key_line, key_col;	/* children of a map: where their key is */
	struct ynode *child;	/* SEQ and MAP: the first child */
	struct ynode *next;	/* the next sibling */
};

/*
 * Loads the one document of path. An empty file gives *root == NULL.
 * Returns -1 after printing "dreamd: error: ... 'file:line:column'".
 */
int ynode_load(const char *path, const char *text, size_t len, struct ynode **root);
void ynode_free(struct ynode *n);
/* Prints "dreamd: error: MSG 'file:line:column'" and returns -1. */
int ynode_error(const char *file, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same, pointing at a map child's key rather than its value. */
int ynode_key_error(const char *file, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
