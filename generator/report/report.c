/* Printing the diagnostics of a run, once, in the format asked for. */
#include "report.h"

#include <string.h>

#include "buf.h"
#include "json.h"
#include "junit.h"
#include "sarif.h"
#include "summary_md.h"
#include "version.h"

bool report_format_parse(const char *name, report_format *out) {
  static const struct {
    const char *name;
    report_format fmt;
  } names[] = {{"text", REPORT_TEXT},   {"json", REPORT_JSON},   {"github", REPORT_GITHUB},
               {"sarif", REPORT_SARIF}, {"junit", REPORT_JUNIT}, {"markdown", REPORT_MARKDOWN}};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (!strcmp(names[i].name, name)) {
      *out = names[i].fmt;
      return true;
    }
  return false;
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

/* One diagnostic as a JSON object on one line (both JSON forms). */
static void json_diag(json_writer *w, const diag *d) {
  json_write_object(w, JSON_LAYOUT_LINE);
  json_write_key(w, "file");
  json_write_string(w, d->file);
  json_write_key(w, "line");
  json_write_int(w, d->line);
  json_write_key(w, "column");
  json_write_int(w, d->col);
  json_write_key(w, "severity");
  json_write_string(w, severity_name(d->sev));
  json_write_key(w, "code");
  json_write_string(w, d->code);
  json_write_key(w, "message");
  json_write_string(w, d->message);
  json_write_end(w);
}

void report_print(FILE *out, const diag_list *l, report_format fmt, bool color) {
  buf b = {0};
  json_writer w;
  json_writer_init(&w, &b, 2);
  if (fmt == REPORT_JSON)
    json_write_array(&w, JSON_LAYOUT_BLOCK);
  for (size_t i = 0; i < l->count; i++) {
    const diag *d = &l->items[i];
    switch (fmt) {
    case REPORT_TEXT: {
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
    case REPORT_JSON:
      json_diag(&w, d);
      break;
    case REPORT_GITHUB: {
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
    case REPORT_SARIF:
    case REPORT_JUNIT:
    case REPORT_MARKDOWN:
      break; /* whole documents, written by report_write */
    }
  }
  if (fmt == REPORT_JSON) {
    json_write_end(&w);
    buf_putc(&b, '\n');
  }
  if (b.len)
    fwrite(b.data, 1, b.len, out);
  buf_free(&b);
}

/* The JSON report: an object with the tool, the summary and the
 * diagnostics (schemas/diagnostics.schema.json; the README documents it). */
static void json_report(buf *b, const diag_list *l, const report_summary *s) {
  json_writer w;
  json_writer_init(&w, b, 2);
  json_write_object(&w, JSON_LAYOUT_BLOCK);
  json_write_key(&w, "version");
  json_write_int(&w, 1);
  json_write_key(&w, "tool");
  json_write_object(&w, JSON_LAYOUT_LINE);
  json_write_key(&w, "name");
  json_write_string(&w, "folio");
  json_write_key(&w, "version");
  json_write_string(&w, FOLIO_VERSION);
  json_write_end(&w);
  json_write_key(&w, "command");
  json_write_string(&w, s->command);
  json_write_key(&w, "summary");
  json_write_object(&w, JSON_LAYOUT_LINE);
  const struct {
    const char *key;
    size_t n;
  } counts[] = {{"articles", s->articles}, {"links", s->links},     {"errors", s->errors},
                {"warnings", s->warnings}, {"infos", s->infos}};
  for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
    json_write_key(&w, counts[i].key);
    json_write_int(&w, (long long)counts[i].n);
  }
  json_write_key(&w, "seconds");
  json_write_fixed(&w, s->seconds, 3);
  json_write_key(&w, "passed");
  json_write_bool(&w, !s->failed);
  json_write_end(&w);
  json_write_key(&w, "diagnostics");
  json_write_array(&w, JSON_LAYOUT_BLOCK);
  for (size_t i = 0; i < l->count; i++)
    json_diag(&w, &l->items[i]);
  json_write_end(&w);
  json_write_end(&w);
  buf_putc(b, '\n');
}

int report_write(FILE *out, const diag_list *l, report_format fmt, const report_summary *s,
                bool color) {
  switch (fmt) {
  case REPORT_SARIF:
    return sarif_write(out, l, s);
  case REPORT_JUNIT:
    return junit_write(out, l, s);
  case REPORT_MARKDOWN:
    return summary_md_write(out, l, s);
  case REPORT_JSON: {
    buf b = {0};
    json_report(&b, l, s);
    size_t w = fwrite(b.data, 1, b.len, out);
    int rc = w == b.len ? 0 : -1;
    buf_free(&b);
    return rc;
  }
  default:
    report_print(out, l, fmt, color);
    return ferror(out) ? -1 : 0;
  }
}
