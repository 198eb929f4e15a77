#include "summary_md.h"

#include <string.h>

#include "buf.h"

/* Longer reports are cut: GitHub takes at most 1 MiB of job summary. */
#define MAX_ROWS 1000

/* Text from content, made inert: ASCII punctuation that Markdown or HTML
 * could read (and '|', which ends a table cell) becomes a numeric character
 * reference, and a line break a space. */
static void put_text(buf *b, const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '\n' || c == '\r' || c == '\t')
      buf_putc(b, ' ');
    else if (c < 0x20)
      continue;
    else if (strchr("&<>\"'|`*_[]()\\#!~+-=:{}.$@^", c))
      buf_printf(b, "&#%d;", c);
    else
      buf_putc(b, (char)c);
  }
}

static const char *mark(severity s) {
  return s == SEV_ERROR ? "\xe2\x9d\x8c error" : s == SEV_WARNING ? "\xe2\x9a\xa0\xef\xb8\x8f warning" : "\xe2\x84\xb9\xef\xb8\x8f info";
}

static const char *plural(size_t n, const char *one, const char *many) { return n == 1 ? one : many; }

int summary_md_write(FILE *out, const diag_list *l, const report_summary *s) {
  buf b = {0};
  buf_printf(&b, "## folio %s: %s\n\n", s->command, s->failed ? "failed" : "passed");
  buf_printf(&b, "Checked %zu %s and %zu %s in %.2f s: %zu %s, %zu %s, %zu %s.\n\n", s->articles,
             plural(s->articles, "article", "articles"), s->links, plural(s->links, "link", "links"),
             s->seconds, s->errors, plural(s->errors, "error", "errors"), s->warnings,
             plural(s->warnings, "warning", "warnings"), s->infos, plural(s->infos, "info", "infos"));
  if (l->count) {
    buf_puts(&b, "| Severity | Location | Code | Message |\n|---|---|---|---|\n");
    for (size_t i = 0; i < l->count && i < MAX_ROWS; i++) {
      const diag *d = &l->items[i];
      buf_printf(&b, "| %s | <code>", mark(d->sev));
      put_text(&b, d->file[0] ? d->file : "folio");
      if (d->line > 0)
        buf_printf(&b, "&#58;%d", d->line);
      if (d->line > 0 && d->col > 0)
        buf_printf(&b, "&#58;%d", d->col);
      buf_puts(&b, "</code> | <code>");
      put_text(&b, d->code);
      buf_puts(&b, "</code> | ");
      put_text(&b, d->message);
      buf_puts(&b, " |\n");
    }
    if (l->count > MAX_ROWS)
      buf_printf(&b, "\n%zu more not shown; run `folio %s` for all of them.\n",
                 l->count - MAX_ROWS, s->command);
  } else {
    buf_puts(&b, "No problems found.\n");
  }
  size_t w = fwrite(b.data, 1, b.len, out);
  int rc = w == b.len ? 0 : -1;
  buf_free(&b);
  return rc;
}
