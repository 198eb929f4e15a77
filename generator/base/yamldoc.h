/* yamldoc: a YAML document (libyaml) as a small tree with source positions,
 * so that folio.yml, front matter, toc.yml and locale files can all report
 * problems at file:line:col. Nodes live in the arena given to yamldoc_load. */
#ifndef FOLIO_YAMLDOC_H
#define FOLIO_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "binio.h"
#include "buf.h"
#include "diag.h"

typedef enum { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP } ynode_kind;

typedef struct ynode ynode;
struct ynode {
  ynode_kind kind;
  int line, col;      /* 1-based, in the file (line_offset applied) */
  char *scalar;       /* YNODE_SCALAR: the text */
  bool plain;         /* scalar was unquoted (so "null", "~" mean nothing) */
  char style;         /* scalar style: 0 plain, '\'' or '"' quoted, '|' literal, '>' folded */
  ynode **items;      /* YNODE_SEQ: items; YNODE_MAP: key0, val0, key1, ... */
  size_t count, cap;  /* number of pointers in items */
};

/* Parse text as one YAML document. line_offset is added to every line
 * (front matter starts after the opening ---). Returns the root, or NULL
 * after adding an error to diags. An empty document gives an empty map. */
ynode *yamldoc_load(arena *a, const char *text, size_t len, const char *path,
                    int line_offset, diag_list *diags);

/* A tree written with binio (the build cache keeps parsed front matter),
 * and read back into a; NULL, with r->bad set, on any doubt: a tree deeper
 * than yamldoc_load makes, a kind or count out of range. */
void ynode_write(const ynode *n, buf *b);
ynode *ynode_read(arena *a, binr *r);

/* Map lookup by key; NULL when absent or when m is not a map. */
ynode *ynode_get(const ynode *m, const char *key);
size_t ynode_map_size(const ynode *m);
/* "mapping", "sequence" or "scalar", for messages. */
const char *ynode_kind_name(const ynode *n);
/* Scalar that is a YAML null (~, null, empty unquoted). */
bool ynode_is_null(const ynode *n);

#endif
