#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

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
  d->file = xstrdup(file ? file : "");
  d->line = line;
  d->col = col;
  d->sev = sev;
  d->code = xstrdup(code);
  d->message = buf_detach(&msg);
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

size_t diag_count(const diag_list *l, severity sev) {
  size_t n = 0;
  for (size_t i = 0; i < l->count; i++)
    n += l->items[i].sev == sev;
  return n;
}

const char *severity_name(severity s) {
  switch (s) {
  case SEV_INFO: return "info";
  case SEV_WARNING: return "warning";
  default: return "error";
  }
}

static void print_location(buf *b, const diag *d) {
  buf_puts(b, d->file[0] ? d->file : "folio");
  if (d->line > 0) {
    buf_printf(b, ":%d", d->line);
    if (d->col > 0)
      buf_printf(b, ":%d", d->col);
  }
}

/* GitHub workflow commands need %, CR and LF escaped in the message and also
 * ':' and ',' in properties. */
static void put_github(buf *b, const char *s, bool property) {
  for (; *s; s++) {
    switch (*s) {
    case '%': buf_puts(b, "%25"); break;
    case '\r': buf_puts(b, "%0D"); break;
    case '\n': buf_puts(b, "%0A"); break;
    case ':': property ? buf_puts(b, "%3A") : buf_putc(b, ':'); break;
    case ',': property ? buf_puts(b, "%2C") : buf_putc(b, ','); break;
    default: buf_putc(b, *s);
    }
  }
}

void diag_print(FILE *out, const diag_list *l, diag_format fmt, bool color) {
  buf b = {0};
  if (fmt == DIAG_JSON)
    buf_puts(&b, "[");
  for (size_t i = 0; i < l->count; i++) {
    const diag *d = &l->items[i];
    switch (fmt) {
    case DIAG_TEXT: {
      const char *on = "", *off = "";
      if (color) {
        on = d->sev == SEV_ERROR ? "\033[1;31m" : d->sev == SEV_WARNING ? "\033[1;35m" : "\033[1;36m";
        off = "\033[0m";
      }
      if (color)
        buf_puts(&b, "\033[1m");
      print_location(&b, d);
      if (color)
        buf_puts(&b, off);
      buf_printf(&b, ": %s%s%s: %s [%s]\n", on, severity_name(d->sev), off, d->message, d->code);
      break;
    }
    case DIAG_JSON:
      buf_puts(&b, i ? ",\n  {" : "\n  {");
      buf_puts(&b, "\"file\": \"");
      buf_puts_json(&b, d->file);
      buf_printf(&b, "\", \"line\": %d, \"column\": %d, \"severity\": \"%s\", \"code\": \"",
                 d->line, d->col, severity_name(d->sev));
      buf_puts_json(&b, d->code);
      buf_puts(&b, "\", \"message\": \"");
      buf_puts_json(&b, d->message);
      buf_puts(&b, "\"}");
      break;
    case DIAG_GITHUB: {
      const char *kind = d->sev == SEV_ERROR ? "error" : d->sev == SEV_WARNING ? "warning" : "notice";
      buf_printf(&b, "::%s file=", kind);
      put_github(&b, d->file, true);
      if (d->line > 0)
        buf_printf(&b, ",line=%d", d->line);
      if (d->col > 0)
        buf_printf(&b, ",col=%d", d->col);
      buf_puts(&b, ",title=");
      put_github(&b, d->code, true);
      buf_puts(&b, "::");
      put_github(&b, d->message, false);
      buf_putc(&b, '\n');
      break;
    }
    }
  }
  if (fmt == DIAG_JSON)
    buf_puts(&b, l->count ? "\n]\n" : "]\n");
  if (b.len)
    fwrite(b.data, 1, b.len, out);
  buf_free(&b);
}
