#include "junit.h"

#include <libxml/xmlwriter.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"

typedef struct {
  xmlTextWriterPtr w;
  int rc;
} writer;

/* Each call checks libxml2's result; the first failure sticks. */
static void start(writer *w, const char *name) {
  if (w->rc >= 0 && xmlTextWriterStartElement(w->w, BAD_CAST name) < 0)
    w->rc = -1;
}
static void end(writer *w) {
  if (w->rc >= 0 && xmlTextWriterEndElement(w->w) < 0)
    w->rc = -1;
}
static void attr(writer *w, const char *name, const char *value) {
  if (w->rc >= 0 && xmlTextWriterWriteAttribute(w->w, BAD_CAST name, BAD_CAST value) < 0)
    w->rc = -1;
}
static void attrf(writer *w, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void attrf(writer *w, const char *name, const char *fmt, ...) {
  char tmp[64];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  attr(w, name, tmp);
}
static void text(writer *w, const char *s) {
  if (w->rc >= 0 && xmlTextWriterWriteString(w->w, BAD_CAST s) < 0)
    w->rc = -1;
}

static bool fails(const diag *d, const report_summary *s) {
  return d->sev == SEV_ERROR || (d->sev == SEV_WARNING && s->warnings_fail);
}

static const char *suite_name(const char *file) { return file[0] ? file : "folio"; }

/* One line as the text format has it, for the body of a testcase. */
static void line_of(buf *b, const diag *d) {
  b->len = 0;
  buf_puts(b, suite_name(d->file));
  if (d->line > 0)
    buf_printf(b, ":%d", d->line);
  if (d->line > 0 && d->col > 0)
    buf_printf(b, ":%d", d->col);
  buf_printf(b, ": %s: %s [%s]", severity_name(d->sev), d->message, d->code);
}

/* The testsuite of file: the diagnostics l->items[from, to) belong to it. */
static void suite(writer *w, const char *file, const diag_list *l, size_t from, size_t to,
                  const report_summary *s) {
  size_t nfail = 0;
  for (size_t i = from; i < to; i++)
    nfail += fails(&l->items[i], s);
  start(w, "testsuite");
  attr(w, "name", suite_name(file));
  attrf(w, "tests", "%zu", to > from ? to - from : 1);
  attrf(w, "failures", "%zu", nfail);
  attr(w, "errors", "0");
  attr(w, "skipped", "0");
  if (to == from) {
    start(w, "testcase");
    attr(w, "classname", suite_name(file));
    attr(w, "name", "links and content");
    end(w);
  }
  buf b = {0};
  for (size_t i = from; i < to; i++) {
    const diag *d = &l->items[i];
    start(w, "testcase");
    attr(w, "classname", suite_name(file));
    buf_printf(&b, "%s at %d:%d", d->code, d->line, d->col);
    attr(w, "name", buf_cstr(&b));
    line_of(&b, d);
    if (fails(d, s)) {
      start(w, "failure");
      attr(w, "type", d->code);
      attr(w, "message", d->message);
      text(w, buf_cstr(&b));
      end(w);
    } else {
      start(w, "system-out");
      text(w, buf_cstr(&b));
      end(w);
    }
    end(w);
    b.len = 0;
  }
  buf_free(&b);
  end(w);
}

/* Files with diagnostics and files without, merged in path order (both
 * lists are sorted by path): the next file is *file, its diagnostics are
 * l->items[*i .. *j). False when both lists are done. */
static bool next_file(const diag_list *l, const report_summary *s, size_t *i, size_t *f,
                      const char **file, size_t *j) {
  if (*i >= l->count && *f >= s->nfiles)
    return false;
  if (*i < l->count && (*f >= s->nfiles || strcmp(l->items[*i].file, s->files[*f]) <= 0))
    *file = l->items[*i].file;
  else
    *file = s->files[*f];
  *j = *i;
  while (*j < l->count && !strcmp(l->items[*j].file, *file))
    (*j)++;
  while (*f < s->nfiles && !strcmp(s->files[*f], *file))
    (*f)++;
  return true;
}

int junit_write(FILE *out, const diag_list *l, const report_summary *s) {
  xmlBufferPtr xb = xmlBufferCreate();
  if (!xb)
    return -1;
  writer w = {xmlNewTextWriterMemory(xb, 0), 0};
  if (!w.w) {
    xmlBufferFree(xb);
    return -1;
  }
  xmlTextWriterSetIndent(w.w, 1);
  xmlTextWriterSetIndentString(w.w, BAD_CAST "  ");
  if (xmlTextWriterStartDocument(w.w, NULL, "UTF-8", NULL) < 0)
    w.rc = -1;

  size_t tests = 0, failures = 0;
  size_t i = 0, f = 0, j;
  const char *file;
  while (next_file(l, s, &i, &f, &file, &j)) {
    tests += j > i ? j - i : 1;
    for (size_t k = i; k < j; k++)
      failures += fails(&l->items[k], s);
    i = j;
  }
  start(&w, "testsuites");
  attrf(&w, "name", "folio %s", s->command);
  attrf(&w, "tests", "%zu", tests);
  attrf(&w, "failures", "%zu", failures);
  attr(&w, "errors", "0");
  attrf(&w, "time", "%.3f", s->seconds);
  i = f = 0;
  while (next_file(l, s, &i, &f, &file, &j)) {
    suite(&w, file, l, i, j, s);
    i = j;
  }
  end(&w);
  if (w.rc >= 0 && xmlTextWriterEndDocument(w.w) < 0)
    w.rc = -1;
  xmlFreeTextWriter(w.w);
  int rc = w.rc;
  if (rc >= 0) {
    size_t n = (size_t)xmlBufferLength(xb);
    if (fwrite(xmlBufferContent(xb), 1, n, out) != n)
      rc = -1;
  }
  xmlBufferFree(xb);
  return rc < 0 ? -1 : 0;
}
