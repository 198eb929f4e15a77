/* Runs the pipeline up to the loaded articles (as `folio check` does) and
 * reads the translation state of each from translation.c. */
#include "cmd_status.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "json.h"
#include "pipeline.h"
#include "report.h"
#include "translation.h"
#include "util.h"

static const char usage_status[] =
    "usage: folio status [-C DIR] [--format text|json]\n"
    "\n"
    "Lists, per target locale, which articles are current, stale (the source\n"
    "article changed since the translation was made), untracked (no source hash\n"
    "recorded), missing, or orphan (no source article). A translation records\n"
    "the source it was made from in its front matter:\n"
    "\n"
    "  " TRANSLATION_HASH_KEY ": sha256:<hash of the source article's Markdown body>\n"
    "\n"
    "The hash to record is printed for every article (source_hash in JSON).\n"
    "\n"
    "  -C DIR            run in project folder DIR (where folio.yml is); default .\n"
    "  --format FORMAT   text (default) or json\n"
    "\n"
    "Exit status: 0 status printed, 1 content errors (status printed from what\n"
    "loaded), 2 usage or I/O errors.\n";

static const translation_state order[] = {TRANSLATION_CURRENT, TRANSLATION_STALE,
                                          TRANSLATION_UNTRACKED, TRANSLATION_MISSING,
                                          TRANSLATION_ORPHAN};
#define NSTATES (sizeof order / sizeof *order)

typedef struct {
  const char *rel;
  translation_state state;
  const char *source_hash;   /* the source as it is now, or NULL */
  const char *recorded_hash; /* what the translation names, or NULL */
} entry;

/* Entries of one locale: every source article, then orphans. */
static size_t collect(const pipeline *b, int l, entry *out) {
  size_t n = 0;
  for (size_t i = 0; i < b->content.narticles; i++) {
    const article *a = &b->content.articles[i];
    bool source = a->locale == 0;
    if (!source && !(a->locale == l && !content_find_article(&b->content, 0, a->rel)))
      continue;
    const article *t = content_find_article(&b->content, l, a->rel);
    const article *src = source ? a : NULL;
    entry e = {a->rel, translation_state_of(&b->content, l, a->rel), src ? src->body_hash : NULL, NULL};
    if (t)
      for (size_t k = 0; k < t->fm.nmeta; k++)
        if (!strcmp(t->fm.meta[k].key, TRANSLATION_HASH_KEY) &&
            t->fm.meta[k].value->kind == YNODE_SCALAR)
          e.recorded_hash = t->fm.meta[k].value->scalar;
    out[n++] = e;
  }
  return n;
}

static void print_text(const pipeline *b, entry *es, buf *out) {
  size_t nsrc = collect(b, 0, es);
  buf_printf(out, "source locale %s: %zu articles\n", b->cfg.locales[0], nsrc);
  for (size_t l = 1; l < b->cfg.nlocales; l++) {
    size_t n = collect(b, (int)l, es);
    size_t counts[NSTATES] = {0};
    for (size_t i = 0; i < n; i++)
      for (size_t s = 0; s < NSTATES; s++)
        counts[s] += es[i].state == order[s];
    buf_printf(out, "\n%s:", b->cfg.locales[l]);
    for (size_t s = 0; s < NSTATES; s++)
      buf_printf(out, "%s %zu %s", s ? "," : "", counts[s], translation_state_name(order[s]));
    buf_putc(out, '\n');
    for (size_t s = 0; s < NSTATES; s++)
      for (size_t i = 0; i < n; i++) {
        if (es[i].state != order[s])
          continue;
        buf_printf(out, "  %-9s %s", translation_state_name(es[i].state), es[i].rel);
        if (es[i].state == TRANSLATION_STALE || es[i].state == TRANSLATION_UNTRACKED)
          buf_printf(out, "  (source is now %s)", es[i].source_hash ? es[i].source_hash : "?");
        buf_putc(out, '\n');
      }
  }
}

static void json_str(buf *j, const char *key, const char *v) {
  buf_printf(j, "\"%s\": ", key);
  if (!v) {
    buf_puts(j, "null");
    return;
  }
  json_put_string(j, v, strlen(v)); /* a path that is not UTF-8 gets U+FFFD */
}

static void print_json(const pipeline *b, entry *es, buf *out) {
  buf j = {0};
  buf_puts(&j, "{\n  ");
  json_str(&j, "source_locale", b->cfg.locales[0]);
  buf_puts(&j, ",\n  ");
  json_str(&j, "hash_key", TRANSLATION_HASH_KEY);
  buf_puts(&j, ",\n  \"locales\": [");
  for (size_t l = 1; l < b->cfg.nlocales; l++) {
    size_t n = collect(b, (int)l, es);
    buf_puts(&j, l > 1 ? ",\n    {" : "\n    {");
    json_str(&j, "locale", b->cfg.locales[l]);
    buf_puts(&j, ", \"counts\": {");
    for (size_t s = 0; s < NSTATES; s++) {
      size_t c = 0;
      for (size_t i = 0; i < n; i++)
        c += es[i].state == order[s];
      buf_printf(&j, "%s\"%s\": %zu", s ? ", " : "", translation_state_name(order[s]), c);
    }
    buf_puts(&j, "},\n     \"articles\": [");
    for (size_t i = 0; i < n; i++) {
      buf_puts(&j, i ? ",\n       {" : "\n       {");
      json_str(&j, "path", es[i].rel);
      buf_puts(&j, ", ");
      json_str(&j, "state", translation_state_name(es[i].state));
      buf_puts(&j, ", ");
      json_str(&j, "source_hash", es[i].source_hash);
      buf_puts(&j, ", ");
      json_str(&j, "recorded_hash", es[i].recorded_hash);
      buf_putc(&j, '}');
    }
    buf_puts(&j, n ? "\n     ]}" : "]}");
  }
  buf_puts(&j, b->cfg.nlocales > 1 ? "\n  ]\n}\n" : "]\n}\n");
  buf_put(out, j.data, j.len);
  buf_free(&j);
}

/* All of out on standard output, checked: 0, or 2 after saying why not. */
static int write_stdout(buf *out) {
  errno = 0;
  if ((out->len && fwrite(out->data, 1, out->len, stdout) != out->len) || fflush(stdout) == EOF ||
      ferror(stdout)) {
    fprintf(stderr, "folio status: cannot write standard output: %s\n",
            strerror(errno ? errno : EIO));
    return 2;
  }
  return 0;
}

int cmd_status(int argc, char **argv) {
  pipeline_options opt = {.root = ".", .quiet = true};
  bool json = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      buf help = {0};
      buf_puts(&help, usage_status);
      int rc = write_stdout(&help);
      buf_free(&help);
      return rc;
    } else if (!strcmp(a, "-C") && i + 1 < argc) {
      opt.root = argv[++i];
    } else if (!strcmp(a, "--format") && i + 1 < argc) {
      const char *f = argv[++i];
      if (strcmp(f, "text") && strcmp(f, "json")) {
        fprintf(stderr, "folio: unknown format %s\n\n%s", f, usage_status);
        return 2;
      }
      json = !strcmp(f, "json");
    } else {
      fprintf(stderr, "folio: unexpected argument %s\n\n%s", a, usage_status);
      return 2;
    }
  }
  pipeline b;
  pipeline_status st = pipeline_run(&b, &opt, PIPELINE_LOAD);
  /* Only errors: warnings about links are folio check's business. */
  diag_list errors = {0};
  for (size_t i = 0; i < b.diags.count; i++)
    if (b.diags.items[i].sev == SEV_ERROR) {
      const diag *d = &b.diags.items[i];
      diag_add(&errors, d->file, d->line, d->col, d->sev, d->code, "%s", d->message);
    }
  report_print(stderr, &errors, REPORT_TEXT, isatty(2) && !getenv("NO_COLOR"));
  diag_list_free(&errors);
  int rc = st == PIPELINE_OK ? 0 : st == PIPELINE_CONTENT_ERRORS ? 1 : 2;
  if (rc != 2 && b.cfg.nlocales) {
    entry *es = xcalloc(b.content.narticles + 1, sizeof *es);
    buf out = {0};
    if (json)
      print_json(&b, es, &out);
    else
      print_text(&b, es, &out);
    free(es);
    if (write_stdout(&out))
      rc = 2;
    buf_free(&out);
  }
  pipeline_free(&b);
  return rc;
}
