/* Builds the tree from libyaml's event stream with an explicit stack, so
 * deeply nested input cannot exhaust the C stack. */
#include "yamldoc.h"

#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 64

static void push_child(arena *a, ynode *parent, ynode *child) {
  ARENA_PUSH(a, parent->items, parent->count, parent->cap, child);
}

static ynode *new_node(arena *a, ynode_kind kind, const yaml_mark_t *m, int line_offset) {
  ynode *n = arena_alloc(a, sizeof *n);
  n->kind = kind;
  n->line = (int)m->line + 1 + line_offset;
  n->col = (int)m->column + 1;
  return n;
}

ynode *yamldoc_load(arena *a, const char *text, size_t len, const char *path,
                    int line_offset, diag_list *diags) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    diag_add(diags, path, 0, 0, SEV_ERROR, "yaml-error", "cannot start the YAML parser");
    return NULL;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

  ynode *stack[MAX_DEPTH];
  int depth = 0;
  ynode *root = NULL;
  bool done = false, failed = false;
  while (!done) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      const yaml_mark_t *m = parser.problem_mark.line || parser.problem_mark.column
                                 ? &parser.problem_mark
                                 : &parser.context_mark;
      diag_add(diags, path, (int)m->line + 1 + line_offset, (int)m->column + 1, SEV_ERROR,
               "yaml-syntax", "invalid YAML: %s%s%s", parser.problem ? parser.problem : "syntax error",
               parser.context ? " " : "", parser.context ? parser.context : "");
      failed = true;
      break;
    }
    ynode *n = NULL;
    switch (ev.type) {
    case YAML_SCALAR_EVENT:
      n = new_node(a, YNODE_SCALAR, &ev.start_mark, line_offset);
      n->scalar = arena_strndup(a, (const char *)ev.data.scalar.value, ev.data.scalar.length);
      n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
      switch (ev.data.scalar.style) {
      case YAML_SINGLE_QUOTED_SCALAR_STYLE: n->style = '\''; break;
      case YAML_DOUBLE_QUOTED_SCALAR_STYLE: n->style = '"'; break;
      case YAML_LITERAL_SCALAR_STYLE: n->style = '|'; break;
      case YAML_FOLDED_SCALAR_STYLE: n->style = '>'; break;
      default: n->style = 0;
      }
      break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
      if (depth == MAX_DEPTH) {
        diag_add(diags, path, (int)ev.start_mark.line + 1 + line_offset,
                 (int)ev.start_mark.column + 1, SEV_ERROR, "yaml-too-deep",
                 "YAML nested deeper than %d levels", MAX_DEPTH);
        failed = done = true;
        break;
      }
      n = new_node(a, ev.type == YAML_SEQUENCE_START_EVENT ? YNODE_SEQ : YNODE_MAP,
                   &ev.start_mark, line_offset);
      break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      depth--;
      break;
    case YAML_ALIAS_EVENT:
      diag_add(diags, path, (int)ev.start_mark.line + 1 + line_offset,
               (int)ev.start_mark.column + 1, SEV_ERROR, "yaml-alias",
               "YAML aliases (*%s) are not supported here", ev.data.alias.anchor);
      failed = done = true;
      break;
    case YAML_DOCUMENT_END_EVENT:
      done = true; /* only the first document counts */
      break;
    case YAML_STREAM_END_EVENT:
      done = true;
      break;
    default:
      break;
    }
    if (n) {
      if (depth > 0)
        push_child(a, stack[depth - 1], n);
      else if (!root)
        root = n;
      if (n->kind != YNODE_SCALAR)
        stack[depth++] = n;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  if (failed)
    return NULL;
  if (!root) {
    yaml_mark_t m = {0, 0, 0};
    root = new_node(a, YNODE_MAP, &m, line_offset);
  }
  return root;
}

static void write_node(const ynode *n, buf *b) {
  binw_u32(b, (uint32_t)n->kind);
  binw_u32(b, (uint32_t)n->line);
  binw_u32(b, (uint32_t)n->col);
  if (n->kind == YNODE_SCALAR) {
    binw_str(b, n->scalar);
    binw_u32(b, (uint32_t)n->plain | (uint32_t)(unsigned char)n->style << 8);
    return;
  }
  binw_u32(b, (uint32_t)n->count);
  for (size_t i = 0; i < n->count; i++)
    write_node(n->items[i], b);
}

void ynode_write(const ynode *n, buf *b) {
  binw_u32(b, n != NULL);
  if (n)
    write_node(n, b);
}

static ynode *read_node(arena *a, binr *r, int depth) {
  ynode *n = arena_alloc(a, sizeof *n);
  uint32_t kind = binr_u32(r);
  n->line = (int)binr_u32(r);
  n->col = (int)binr_u32(r);
  if (r->bad || kind > YNODE_MAP || depth > MAX_DEPTH) {
    r->bad = true;
    return NULL;
  }
  n->kind = (ynode_kind)kind;
  if (n->kind == YNODE_SCALAR) {
    n->scalar = (char *)binr_str(r, a);
    uint32_t flags = binr_u32(r);
    n->plain = flags & 1;
    n->style = (char)(flags >> 8 & 0xFF);
    if (!n->scalar)
      r->bad = true;
    return r->bad ? NULL : n;
  }
  /* Each item is at least a kind, a line and a column. */
  n->count = n->cap = binr_count(r, 12);
  if (n->kind == YNODE_MAP && n->count % 2)
    r->bad = true;
  n->items = n->count ? arena_alloc(a, n->count * sizeof *n->items) : NULL;
  for (size_t i = 0; i < n->count && !r->bad; i++)
    n->items[i] = read_node(a, r, depth + 1);
  return r->bad ? NULL : n;
}

ynode *ynode_read(arena *a, binr *r) {
  if (!binr_u32(r))
    return NULL;
  return read_node(a, r, 0);
}

ynode *ynode_get(const ynode *m, const char *key) {
  if (!m || m->kind != YNODE_MAP)
    return NULL;
  for (size_t i = 0; i + 1 < m->count; i += 2)
    if (m->items[i]->kind == YNODE_SCALAR && strcmp(m->items[i]->scalar, key) == 0)
      return m->items[i + 1];
  return NULL;
}

size_t ynode_map_size(const ynode *m) { return m && m->kind == YNODE_MAP ? m->count / 2 : 0; }

const char *ynode_kind_name(const ynode *n) {
  switch (n->kind) {
  case YNODE_SCALAR: return "a scalar";
  case YNODE_SEQ: return "a list";
  default: return "a mapping";
  }
}

bool ynode_is_null(const ynode *n) {
  return n->kind == YNODE_SCALAR && n->plain &&
         (!n->scalar[0] || !strcmp(n->scalar, "~") || !strcmp(n->scalar, "null") ||
          !strcmp(n->scalar, "Null") || !strcmp(n->scalar, "NULL"));
}
