#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "out_junit.h"
#include "out_markdown.h"
#include "out_sarif.h"
#include "util.h"
#include "version.h"

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

/* The codes of the link checker, whose meaning reports spell out. */
static const struct {
  const char *code, *help;
} code_help[] = {
    {"bookmark-not-found", "A link's #fragment names no anchor (heading id or <a name>) in its target page."},
    {"case-mismatch", "A link names a file or anchor in the wrong letter case; the published site is case-sensitive."},
    {"duplicate-anchor", "Two anchors of a page share an id, so links reach only the first."},
    {"empty-link", "A link or image has no target."},
    {"file-not-found", "A link names an article or file that the site does not have."},
    {"image-not-found", "An image names a file that the site does not have."},
    {"insecure-link", "A link uses http:// rather than https://."},
    {"link-out-of-scope", "A relative link climbs out of its locale's content folder."},
    {"missing-alt-text", "An image has no alt text for readers who cannot see it."},
    {"orphan-article", "No toc.yml lists the article, so readers reach it only through links."},
    {"toc-entry-not-found", "A toc.yml entry names an article that does not exist."},
    {"untranslated-link", "A translation links to an article that is not translated; the link goes to the source locale's page."},
};

const char *diag_code_help(const char *code) {
  for (size_t i = 0; i < sizeof code_help / sizeof *code_help; i++)
    if (!strcmp(code_help[i].code, code))
      return code_help[i].help;
  return NULL;
}

bool diag_format_parse(const char *name, diag_format *out) {
  static const struct {
    const char *name;
    diag_format fmt;
  } names[] = {{"text", DIAG_TEXT},   {"json", DIAG_JSON},   {"github", DIAG_GITHUB},
               {"sarif", DIAG_SARIF}, {"junit", DIAG_JUNIT}, {"markdown", DIAG_MARKDOWN}};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (!strcmp(names[i].name, name)) {
      *out = names[i].fmt;
      return true;
    }
  return false;
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
    case DIAG_SARIF:
    case DIAG_JUNIT:
    case DIAG_MARKDOWN:
      break; /* whole documents, written by diag_report */
    }
  }
  if (fmt == DIAG_JSON)
    buf_puts(&b, l->count ? "\n]\n" : "]\n");
  if (b.len)
    fwrite(b.data, 1, b.len, out);
  buf_free(&b);
}

/* The JSON report: an object with the tool, the summary and the
 * diagnostics (schemas/diagnostics.schema.json; the README documents it). */
static void json_report(buf *b, const diag_list *l, const diag_summary *s) {
  buf_printf(b, "{\n  \"version\": 1,\n  \"tool\": {\"name\": \"folio\", \"version\": \"%s\"},\n",
             FOLIO_VERSION);
  buf_puts(b, "  \"command\": \"");
  buf_puts_json(b, s->command);
  buf_printf(b,
             "\",\n  \"summary\": {\"articles\": %zu, \"links\": %zu, \"errors\": %zu, "
             "\"warnings\": %zu, \"infos\": %zu, \"seconds\": %.3f, \"passed\": %s},\n",
             s->articles, s->links, s->errors, s->warnings, s->infos, s->seconds,
             s->failed ? "false" : "true");
  buf_puts(b, "  \"diagnostics\": [");
  for (size_t i = 0; i < l->count; i++) {
    const diag *d = &l->items[i];
    buf_puts(b, i ? ",\n    {" : "\n    {");
    buf_puts(b, "\"file\": \"");
    buf_puts_json(b, d->file);
    buf_printf(b, "\", \"line\": %d, \"column\": %d, \"severity\": \"%s\", \"code\": \"",
               d->line, d->col, severity_name(d->sev));
    buf_puts_json(b, d->code);
    buf_puts(b, "\", \"message\": \"");
    buf_puts_json(b, d->message);
    buf_puts(b, "\"}");
  }
  buf_puts(b, l->count ? "\n  ]\n}\n" : "]\n}\n");
}

int diag_report(FILE *out, const diag_list *l, diag_format fmt, const diag_summary *s,
                bool color) {
  switch (fmt) {
  case DIAG_SARIF:
    return out_sarif_write(out, l, s);
  case DIAG_JUNIT:
    return out_junit_write(out, l, s);
  case DIAG_MARKDOWN:
    return out_markdown_write(out, l, s);
  case DIAG_JSON: {
    buf b = {0};
    json_report(&b, l, s);
    size_t w = fwrite(b.data, 1, b.len, out);
    int rc = w == b.len ? 0 : -1;
    buf_free(&b);
    return rc;
  }
  default:
    diag_print(out, l, fmt, color);
    return ferror(out) ? -1 : 0;
  }
}
