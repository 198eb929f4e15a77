/* json: strict JSON in and out, for every module that reads or writes it.
 * Reading goes through jansson: RFC 8259 only (no comments, trailing
 * commas, single quotes, NaN or bare words), valid UTF-8, no \u0000, and
 * here also no duplicate keys, a bounded nesting depth and errors at
 * line:column (column in bytes, as folio's diagnostics count). Writing is a
 * small streaming writer on a buf that escapes every string and never
 * emits bytes that are not UTF-8.
 * A json_t from json_read_strict is the caller's: release it with
 * json_decref. */
#ifndef FOLIO_JSON_H
#define FOLIO_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* ---- reading ---- */

typedef struct {
  int line, col;     /* 1-based; where the problem is */
  char message[256]; /* "duplicate key \"id\" (...)", "'}' expected ..." */
} json_read_error;

/* Parse text[0..len) as one JSON document whose top level is an object or
 * an array, nested at most max_depth deep. Returns NULL with err filled in
 * when it is not strict JSON, has a key twice in one object (readers differ
 * on which value counts), or nests deeper. */
json_t *json_read_strict(const char *text, size_t len, int max_depth, json_read_error *err);

/* ---- writing ---- */

/* Where a container puts its members: each on its own indented line, or
 * all on one line separated by ", ". */
typedef enum { JSON_LAYOUT_BLOCK, JSON_LAYOUT_LINE } json_layout;

#define JSON_WRITER_MAX_DEPTH 32

typedef struct {
  bool inline_, has_items;
  char close;
} json_writer_level;

typedef struct {
  buf *out;
  int indent; /* spaces per level in JSON_LAYOUT_BLOCK containers */
  int depth;
  bool after_key;
  bool failed; /* a string was not UTF-8 (written with U+FFFD), or misuse */
  json_writer_level level[JSON_WRITER_MAX_DEPTH];
} json_writer;

void json_writer_init(json_writer *w, buf *out, int indent);
void json_write_object(json_writer *w, json_layout layout); /* { */
void json_write_array(json_writer *w, json_layout layout);  /* [ */
void json_write_end(json_writer *w);                        /* } or ] */
void json_write_key(json_writer *w, const char *key);
void json_write_string(json_writer *w, const char *s); /* NULL writes null */
void json_write_int(json_writer *w, long long v);
/* A number with a fixed count of decimals ("1.250"); a value that is not
 * finite is written as null (JSON has no NaN). */
void json_write_fixed(json_writer *w, double v, int decimals);
void json_write_bool(json_writer *w, bool v);
void json_write_null(json_writer *w);
/* True when everything written was valid and every container is closed. */
bool json_writer_ok(const json_writer *w);

/* One string, quoted and escaped, for code that lays out JSON by hand.
 * Returns false when s[0..n) was not UTF-8 (each bad byte is written as
 * U+FFFD, so the output stays JSON). */
bool json_put_string(buf *out, const char *s, size_t n);

#endif
