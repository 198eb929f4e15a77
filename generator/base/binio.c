/* Every read checks the bytes left first; see binio.h. */
#include "binio.h"

#include <string.h>

#define NULL_STRING 0xFFFFFFFFu

void binw_u32(buf *b, uint32_t v) {
  char s[4] = {(char)(v & 0xFF), (char)((v >> 8) & 0xFF), (char)((v >> 16) & 0xFF),
               (char)((v >> 24) & 0xFF)};
  buf_put(b, s, 4);
}

void binw_u64(buf *b, uint64_t v) {
  binw_u32(b, (uint32_t)(v & 0xFFFFFFFFu));
  binw_u32(b, (uint32_t)(v >> 32));
}

void binw_str(buf *b, const char *s) {
  if (!s) {
    binw_u32(b, NULL_STRING);
    return;
  }
  size_t n = strlen(s);
  binw_u32(b, (uint32_t)n);
  buf_put(b, s, n);
}

void binw_bytes(buf *b, const void *data, size_t n) { buf_put(b, data, n); }

binr binr_make(const void *data, size_t len) {
  const unsigned char *p = data;
  return (binr){p, p + len, false};
}

static bool have(binr *r, size_t n) {
  if (r->bad || (size_t)(r->end - r->p) < n) {
    r->bad = true;
    return false;
  }
  return true;
}

uint32_t binr_u32(binr *r) {
  if (!have(r, 4))
    return 0;
  uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
               (uint32_t)r->p[3] << 24;
  r->p += 4;
  return v;
}

uint64_t binr_u64(binr *r) {
  uint64_t lo = binr_u32(r);
  uint64_t hi = binr_u32(r);
  return lo | hi << 32;
}

const char *binr_str_view(binr *r, size_t *len) {
  uint32_t n = binr_u32(r);
  if (r->bad || n == NULL_STRING)
    return NULL;
  if (!have(r, n))
    return NULL;
  const char *s = (const char *)r->p;
  if (memchr(s, '\0', n)) { /* never written: the file is not ours */
    r->bad = true;
    return NULL;
  }
  r->p += n;
  *len = n;
  return s;
}

const char *binr_str(binr *r, arena *a) {
  size_t n;
  const char *s = binr_str_view(r, &n);
  return s ? arena_strndup(a, s, n) : NULL;
}

bool binr_bytes(binr *r, void *out, size_t n) {
  if (!have(r, n)) {
    memset(out, 0, n);
    return false;
  }
  memcpy(out, r->p, n);
  r->p += n;
  return true;
}

size_t binr_count(binr *r, size_t min_size) {
  uint32_t n = binr_u32(r);
  if (r->bad)
    return 0;
  if (min_size && n > (size_t)(r->end - r->p) / min_size) {
    r->bad = true;
    return 0;
  }
  return n;
}
