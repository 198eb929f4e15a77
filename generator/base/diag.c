#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "alloc.h"
#include "strutil.h"

static char *valid_utf8(const char *s, size_t n) {
  buf b = {0};
  buf_reserve(&b, n);
  buf_put_valid_utf8(&b, s, n);
  return buf_detach(&b);
}

void diag_add(diag_list *l, const char *file, int line, int col, severity sev,
              const char *code, const char *fmt, ...) {
  if (l->count == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 8;
    l->items = xrealloc(l->items, l->cap * sizeof *l->items);
  }
  va_list ap;
  va_start(ap, fmt);
  buf msg = {0};
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  buf_reserve(&msg, n > 0 ? (size_t)n : 0);
  vsnprintf(msg.data, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
  msg.len = n > 0 ? (size_t)n : 0;
  va_end(ap);
  diag *d = &l->items[l->count++];
  /* Messages quote content, and content may hold any bytes (a Latin-1
   * file, a cut multi-byte character): every report must stay valid
   * UTF-8, so JSON, SARIF and XML readers accept it. */
  d->file = valid_utf8(file ? file : "", strlen(file ? file : ""));
  d->line = line;
  d->col = col;
  d->sev = sev;
  d->code = xstrdup(code);
  d->message = valid_utf8(msg.data ? msg.data : "", msg.len);
  buf_free(&msg);
}

void diag_move(diag_list *dst, diag_list *src) {
  for (size_t i = 0; i < src->count; i++) {
    if (dst->count == dst->cap) {
      dst->cap = dst->cap ? dst->cap * 2 : 8;
      dst->items = xrealloc(dst->items, dst->cap * sizeof *dst->items);
    }
    dst->items[dst->count++] = src->items[i];
  }
  free(src->items);
  src->items = NULL;
  src->count = src->cap = 0;
}

static void diag_clear(diag *d) {
  free(d->file);
  free(d->code);
  free(d->message);
}

void diag_list_free(diag_list *l) {
  for (size_t i = 0; i < l->count; i++)
    diag_clear(&l->items[i]);
  free(l->items);
  l->items = NULL;
  l->count = l->cap = 0;
}

static int cmp(const void *pa, const void *pb) {
  const diag *a = pa, *b = pb;
  int c = strcmp(a->file, b->file);
  if (c)
    return c;
  if (a->line != b->line)
    return a->line < b->line ? -1 : 1;
  if (a->col != b->col)
    return a->col < b->col ? -1 : 1;
  if ((c = strcmp(a->code, b->code)))
    return c;
  if ((c = strcmp(a->message, b->message)))
    return c;
  return a->sev == b->sev ? 0 : a->sev > b->sev ? -1 : 1;
}

void diag_sort(diag_list *l) {
  if (l->count < 2)
    return;
  qsort(l->items, l->count, sizeof *l->items, cmp);
  size_t out = 1;
  for (size_t i = 1; i < l->count; i++) {
    if (cmp(&l->items[out - 1], &l->items[i]) == 0)
      diag_clear(&l->items[i]);
    else
      l->items[out++] = l->items[i];
  }
  l->count = out;
}

bool diag_is_io(const diag *d) {
  return str_ends_with(d->code, "-unreadable") || str_ends_with(d->code, "-unwritable");
}

size_t diag_count(const diag_list *l, severity sev) {
  size_t n = 0;
  for (size_t i = 0; i < l->count; i++)
    n += l->items[i].sev == sev;
  return n;
}

void diag_drop_codes(diag_list *l, const char *const *codes, size_t n) {
  if (!n)
    return;
  size_t out = 0;
  for (size_t i = 0; i < l->count; i++) {
    bool drop = false;
    for (size_t k = 0; k < n && !drop; k++)
      drop = !strcmp(l->items[i].code, codes[k]);
    if (drop)
      diag_clear(&l->items[i]);
    else
      l->items[out++] = l->items[i];
  }
  l->count = out;
}

const char *severity_name(severity s) {
  switch (s) {
  case SEV_INFO: return "info";
  case SEV_WARNING: return "warning";
  default: return "error";
  }
}

