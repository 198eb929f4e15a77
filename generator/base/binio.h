/* binio: a small binary encoding for cache files: little-endian integers
 * and length-prefixed strings written to a buf, read back with every length
 * checked against the end of the input. A reader that runs past the end or
 * meets a length it cannot hold sets bad and returns zeros and NULLs from
 * then on, so a truncated or corrupt file is simply refused by its caller.
 * Strings read are copied into the arena given. */
#ifndef FOLIO_BINIO_H
#define FOLIO_BINIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"

typedef struct {
  const unsigned char *p, *end;
  bool bad;
} binr;

void binw_u32(buf *b, uint32_t v);
void binw_u64(buf *b, uint64_t v);
/* A string, or NULL (kept apart from ""). */
void binw_str(buf *b, const char *s);
void binw_bytes(buf *b, const void *data, size_t n);

binr binr_make(const void *data, size_t len);
uint32_t binr_u32(binr *r);
uint64_t binr_u64(binr *r);
/* NULL for a NULL string, and after an error (r->bad tells them apart). */
const char *binr_str(binr *r, arena *a);
/* The same string where it is in the input, not copied and not
 * terminated: its length in *len. */
const char *binr_str_view(binr *r, size_t *len);
/* n bytes copied to out; false (out zeroed) when fewer are left. */
bool binr_bytes(binr *r, void *out, size_t n);
/* A count of items at least min_size bytes each: refused (bad, 0) when the
 * rest of the input cannot hold that many. */
size_t binr_count(binr *r, size_t min_size);

#endif
