#include "sarif.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "codes.h"
#include "json.h"
#include "util.h"
#include "version.h"

static const char *level(severity s) {
  return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

static void str(buf *b, const char *s) { json_put_string(b, s, strlen(s)); }

/* A URI for a path, relative (or file:// when the path is absolute): "./"
 * dropped, and every byte outside
 * RFC 3986's unreserved set and '/' percent-encoded (spaces, '#', '%', and
 * UTF-8 bytes alike), as SARIF's artifactLocation.uri requires. */
static void uri(buf *b, const char *path) {
  while (path[0] == '.' && path[1] == '/')
    path += 2;
  buf_putc(b, '"');
  if (path[0] == '/')
    buf_puts(b, "file://"); /* an absolute path (-C /abs/dir) */
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~/", *p))
      buf_putc(b, (char)*p);
    else
      buf_printf(b, "%%%02X", *p);
  }
  buf_putc(b, '"');
}

/* folio counts columns in bytes; SARIF counts characters (we declare
 * columnKind unicodeCodePoints). Convert by reading the line back from the
 * file; diagnostics come sorted by file, so one cached file suffices. */
typedef struct {
  const char *path;
  char *text;
  size_t len;
  size_t *starts; /* offset of each line (index 0 = line 1), so a lookup
                     is O(1): 40,000 results in one file were quadratic */
  size_t nlines;
} file_cache;

static void cache_file(file_cache *fc, const char *path) {
  free(fc->text);
  free(fc->starts);
  *fc = (file_cache){.path = path};
  if (read_file(path, &fc->text, &fc->len) < 0) {
    fc->text = NULL;
    return;
  }
  size_t n = 1;
  for (size_t i = 0; i < fc->len; i++)
    n += fc->text[i] == '\n';
  fc->starts = xmalloc(n * sizeof *fc->starts);
  fc->starts[fc->nlines++] = 0;
  for (size_t i = 0; i < fc->len; i++)
    if (fc->text[i] == '\n')
      fc->starts[fc->nlines++] = i + 1;
}

static int char_column(file_cache *fc, const char *path, int line, int col) {
  if (!fc->path || strcmp(fc->path, path))
    cache_file(fc, path);
  if (!fc->text || line < 1 || (size_t)line > fc->nlines)
    return col;
  const char *p = fc->text + fc->starts[line - 1], *end = fc->text + fc->len;
  int chars = 1;
  for (int i = 0; i < col - 1 && p + i < end && p[i] != '\n'; i++)
    if (((unsigned char)p[i] & 0xC0) != 0x80)
      chars++;
  return chars;
}

/* The index of code in the sorted, distinct codes. */
static size_t rule_of(const char *const *codes, size_t ncodes, const char *code) {
  const char *const *hit = bsearch(&code, codes, ncodes, sizeof *codes, str_cmp_ptrs);
  return hit ? (size_t)(hit - codes) : 0;
}

int sarif_write(FILE *out, const diag_list *l, const report_summary *s) {
  /* The rules: every code that occurs, sorted, so output is stable. */
  const char **codes = malloc((l->count ? l->count : 1) * sizeof *codes);
  size_t ncodes = 0;
  for (size_t i = 0; i < l->count; i++)
    codes[ncodes++] = l->items[i].code;
  if (ncodes)
    qsort(codes, ncodes, sizeof *codes, str_cmp_ptrs);
  size_t u = 0;
  for (size_t i = 0; i < ncodes; i++)
    if (!u || strcmp(codes[u - 1], codes[i]))
      codes[u++] = codes[i];
  ncodes = u;

  buf b = {0};
  buf_puts(&b, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
               "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n");
  buf_printf(&b,
             "      \"tool\": {\n        \"driver\": {\n          \"name\": \"folio\",\n"
             "          \"version\": \"%s\",\n          \"semanticVersion\": \"%s\",\n"
             "          \"rules\": [",
             FOLIO_VERSION, FOLIO_VERSION);
  /* The default level is the most severe one the code has in this run. */
  severity *worst = xcalloc(ncodes + 1, sizeof *worst);
  for (size_t k = 0; k < l->count; k++) {
    size_t r = rule_of(codes, ncodes, l->items[k].code);
    if (l->items[k].sev > worst[r])
      worst[r] = l->items[k].sev;
  }
  for (size_t i = 0; i < ncodes; i++) {
    const char *help = codes_help(codes[i]);
    buf_puts(&b, i ? ",\n            {\"id\": " : "\n            {\"id\": ");
    str(&b, codes[i]);
    buf_puts(&b, ", \"shortDescription\": {\"text\": ");
    str(&b, help ? help : codes[i]);
    buf_printf(&b, "}, \"defaultConfiguration\": {\"level\": \"%s\"}}", level(worst[i]));
  }
  buf_puts(&b, ncodes ? "\n          ]\n" : "]\n");
  buf_puts(&b, "        }\n      },\n");
  buf_printf(&b,
             "      \"invocations\": [{\"executionSuccessful\": true, \"exitCode\": %d}],\n",
             s->failed ? 1 : 0);
  buf_puts(&b, "      \"columnKind\": \"unicodeCodePoints\",\n");
  buf_puts(&b, "      \"results\": [");
  file_cache fc = {0};
  for (size_t i = 0; i < l->count; i++) {
    const diag *d = &l->items[i];
    size_t rule = rule_of(codes, ncodes, d->code);
    buf_puts(&b, i ? ",\n        {" : "\n        {");
    buf_puts(&b, "\"ruleId\": ");
    str(&b, d->code);
    buf_printf(&b, ", \"ruleIndex\": %zu, \"level\": \"%s\", \"message\": {\"text\": ", rule,
               level(d->sev));
    str(&b, d->message);
    buf_putc(&b, '}');
    if (d->file[0]) {
      /* Code scanning needs a line for every result; file-wide problems
       * (line 0) are shown on line 1. */
      buf_puts(&b, ", \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
      uri(&b, d->file);
      buf_printf(&b, "}, \"region\": {\"startLine\": %d", d->line > 0 ? d->line : 1);
      if (d->line > 0 && d->col > 0)
        buf_printf(&b, ", \"startColumn\": %d", char_column(&fc, d->file, d->line, d->col));
      buf_puts(&b, "}}}]");
    }
    buf_putc(&b, '}');
  }
  buf_puts(&b, l->count ? "\n      ]\n" : "]\n");
  buf_puts(&b, "    }\n  ]\n}\n");
  free(codes);
  free(fc.text);
  free(fc.starts);
  free(worst);
  size_t w = fwrite(b.data, 1, b.len, out);
  int rc = w == b.len ? 0 : -1;
  buf_free(&b);
  return rc;
}
