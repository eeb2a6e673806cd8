/*
 * yaml.c: a safe YAML reader; see yaml.h.
 */
#include "dreamd/yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "dreamd/util.h"

struct loader {
	yaml_parser_t parser;
	const char *file;
	int nodes;
};

int ynode_error(const char *file, const struct ynode *n, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n)
		return error("%s '%s:%d:%d'", msg, file, n->line, n->col);
	return error("%s '%s'", msg, file);
}

int ynode_key_error(const char *file, const struct ynode *n, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return error("%s '%s:%d:%d'", msg, file, n->key_line, n->key_col);
}

void ynode_free(struct ynode *n)
{
	while (n) {
		struct ynode *next = n->next;

		ynode_free(n->child);
		free(n->value);
		free(n->key);
		free(n);
		n = next;
	}
}

static int next_event(struct loader *l, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&l->parser, ev))
		return error("bad YAML: %s '%s:%zu:%zu'",
			      l->parser.problem ? l->parser.problem : "parse error",
			      l->file, l->parser.problem_mark.line + 1,
			      l->parser.problem_mark.column + 1);
	return 0;
}

static int refuse_anchor(struct loader *l, const yaml_event_t *ev,
			 const yaml_char_t *anchor)
{
	if (!anchor)
		return 0;
	return error("YAML anchors and aliases are not allowed '%s:%zu:%zu'", l->file,
		     ev->start_mark.line + 1, ev->start_mark.column + 1);
}

/* A key given twice in one map is a mistake, not "the last one wins". */
static int refuse_duplicate_keys(struct loader *l, const struct ynode *map)
{
	struct strpool seen = { 0 };
	const struct ynode *c;
	int ret = 0;

	for (c = map->child; c && !ret; c = c->next) {
		if (strpool_find(&seen, c->key, strlen(c->key)) != (size_t)-1)
			ret = ynode_key_error(l->file, c, "duplicate key '%s'", c->key);
		else
			strpool_add(&seen, c->key, strlen(c->key));
	}
	strpool_release(&seen);
	return ret;
}

/* Parses the node that starts with ev (consumed). */
static int load_node(struct loader *l, yaml_event_t *ev, int depth, struct ynode **out);

/* The children of sequence or map n, up to its end event, as n->child's list. */
static int load_children(struct loader *l, struct ynode *n, int depth)
{
	struct ynode **tail;
	int ret;

	tail = &n->child;
	for (;;) {
		yaml_event_t e;
		struct ynode *key = NULL, *child;

		if (next_event(l, &e) < 0)
			return -1;
		if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&e);
			break;
		}
		if (n->type == YNODE_MAP) {
			ret = load_node(l, &e, depth + 1, &key);
			yaml_event_delete(&e);
			if (ret < 0 || key->type != YNODE_SCALAR) {
				if (ret == 0)
					ynode_error(l->file, key, "map key is not a scalar");
				ynode_free(key);
				return -1;
			}
			if (next_event(l, &e) < 0) {
				ynode_free(key);
				return -1;
			}
		}
		ret = load_node(l, &e, depth + 1, &child);
		yaml_event_delete(&e);
		*tail = child;
		if (child)
			tail = &child->next;
		if (key) {
			if (child) {
				child->key = key->value;
				child->key_line = key->line;
				child->key_col = key->col;
			} else {
				free(key->value);
			}
			key->value = NULL;
			ynode_free(key);
		}
		if (ret < 0)
			return -1;
	}
	return 0;
}

static int load_node(struct loader *l, yaml_event_t *ev, int depth, struct ynode **out)
{
	struct ynode *n;

	*out = NULL;
	if (depth > YAML_MAX_DEPTH)
		return error("YAML nested deeper than %d levels '%s:%zu:%zu'",
			     YAML_MAX_DEPTH, l->file, ev->start_mark.line + 1,
			     ev->start_mark.column + 1);
	if (++l->nodes > YAML_MAX_NODES)
		return error("YAML has more than %d nodes '%s'", YAML_MAX_NODES, l->file);
	n = xcalloc(1, sizeof(*n));
	n->line = (int)ev->start_mark.line + 1;
	n->col = (int)ev->start_mark.column + 1;
	*out = n;
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return refuse_anchor(l, ev, ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		if (refuse_anchor(l, ev, ev->data.scalar.anchor) < 0)
			return -1;
		n->type = YNODE_SCALAR;
		n->value = xstrndup((const char *)ev->data.scalar.value,
				    ev->data.scalar.length);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		return 0;
	case YAML_SEQUENCE_START_EVENT:
		if (refuse_anchor(l, ev, ev->data.sequence_start.anchor) < 0)
			return -1;
		n->type = YNODE_SEQ;
		break;
	case YAML_MAPPING_START_EVENT:
		if (refuse_anchor(l, ev, ev->data.mapping_start.anchor) < 0)
			return -1;
		n->type = YNODE_MAP;
		break;
	default:
		return error("unexpected YAML event '%s:%d:%d'", l->file, n->line, n->col);
	}
	if (load_children(l, n, depth) < 0)
		return -1;
	return n->type == YNODE_MAP ? refuse_duplicate_keys(l, n) : 0;
}

int ynode_load(const char *path, const char *text, size_t len, struct ynode **root)
{
	struct loader l = { .file = path };
	yaml_event_t ev;
	int ret = -1, docs = 0;

	*root = NULL;
	if (len > YAML_MAX_BYTES)
		return error("YAML file larger than %d bytes '%s'", YAML_MAX_BYTES, path);
	if (!yaml_parser_initialize(&l.parser))
		die(EX_UNAVAILABLE, "out of memory");
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
	for (;;) {
		if (next_event(&l, &ev) < 0)
			goto cleanup;
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			ret = 0;
			break;
		}
		/* A second document would be read by nobody: say so. */
		if (ev.type == YAML_DOCUMENT_START_EVENT && docs++) {
			error("more than one YAML document '%s:%zu:%zu'", path,
			      ev.start_mark.line + 1, ev.start_mark.column + 1);
			yaml_event_delete(&ev);
			ret = -1;
			goto cleanup;
		}
		if (ev.type == YAML_STREAM_START_EVENT || ev.type == YAML_DOCUMENT_START_EVENT ||
		    ev.type == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		ret = load_node(&l, &ev, 0, root);
		yaml_event_delete(&ev);
		if (ret < 0)
			goto cleanup;
	}
cleanup:
	if (ret < 0) {
		ynode_free(*root);
		*root = NULL;
	}
	yaml_parser_delete(&l.parser);
	return ret;
}
