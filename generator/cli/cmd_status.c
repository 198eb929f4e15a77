/* Runs the pipeline up to the loaded articles (as `folio check` does) and
 * reads the translation state of each from translation.c. */
#include "cmd_status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "json.h"
#include "pipeline.h"
#include "report.h"
#include "translation.h"
#include "util.h"

static const char usage_status[] =
    "usage: folio status [-C DIR] [--locale L] [--format text|json]\n"
    "                    [--strict | --fail-on STATES]\n"
    "       folio status [-C DIR] --record PATH...\n"
    "       folio status [-C DIR] [--locale L] --record --all-stale\n"
    "\n"
    "Lists, per target locale, which articles are current, stale (the source\n"
    "article changed since the translation was made), untracked (no source hash\n"
    "recorded), missing, or orphan (no source article). A translation records\n"
    "the source it was made from in its front matter:\n"
    "\n"
    "  " TRANSLATION_HASH_KEY ": sha256:<hash of the source article's Markdown body>\n"
    "\n"
    "or, for a source article that expands includes, sha256+includes:<hash of\n"
    "its body and of each include file>. The hash to record is printed for\n"
    "every stale or untracked article (source_hash in JSON).\n"
    "\n"
    "  -C DIR            run in project folder DIR (where folio.yml is); default .\n"
    "  --format FORMAT   text (default) or json\n"
    "  --locale L        only target locale L (listing, --fail-on, --all-stale)\n"
    "  --fail-on STATES  exit 1 when a translation is in one of STATES, a comma-\n"
    "                    separated list of current, stale, untracked, missing,\n"
    "                    orphan (e.g. stale,missing); the last line says why\n"
    "  --strict          --fail-on stale,untracked,missing,orphan\n"
    "  --record PATH...  write the source's current hash into each translation\n"
    "                    named (paths relative to DIR), replacing the value or\n"
    "                    adding the key as the front matter's last line\n"
    "  --all-stale       with --record: every stale translation\n"
    "\n"
    "Exit status: 0 status printed (or everything recorded), 1 content errors\n"
    "(status printed from what loaded), a translation in a --fail-on state, or a\n"
    "path --record refused (then nothing is written), 2 usage or I/O errors.\n";

static const char see[] = "folio status --help";

static const translation_state order[] = {TRANSLATION_CURRENT, TRANSLATION_STALE,
                                          TRANSLATION_UNTRACKED, TRANSLATION_MISSING,
                                          TRANSLATION_ORPHAN};
#define NSTATES (sizeof order / sizeof *order)
static const char *const state_names[NSTATES] = {"current", "stale", "untracked", "missing",
                                                 "orphan"};

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

/* Whether target locale l is listed: every one, or only (--locale). */
static bool listed(size_t l, int only) { return !only || (int)l == only; }

static void print_text(const pipeline *b, int only, entry *es, buf *out) {
  size_t nsrc = collect(b, 0, es);
  buf_printf(out, "source locale %s: %s\n", b->cfg.locales[0],
             cli_count(nsrc, "article", "articles").s);
  for (size_t l = 1; l < b->cfg.nlocales; l++) {
    if (!listed(l, only))
      continue;
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

static void print_json(const pipeline *b, int only, entry *es, buf *out) {
  buf j = {0};
  buf_puts(&j, "{\n  ");
  json_str(&j, "source_locale", b->cfg.locales[0]);
  buf_puts(&j, ",\n  ");
  json_str(&j, "hash_key", TRANSLATION_HASH_KEY);
  buf_puts(&j, ",\n  \"locales\": [");
  bool any = false;
  for (size_t l = 1; l < b->cfg.nlocales; l++) {
    if (!listed(l, only))
      continue;
    size_t n = collect(b, (int)l, es);
    buf_puts(&j, any ? ",\n    {" : "\n    {");
    any = true;
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
  buf_puts(&j, any ? "\n  ]\n}\n" : "]\n}\n");
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

/* --fail-on LIST into fail (indexed like order); 0, or 2 after a usage error. */
static int parse_states(const char *list, bool fail[NSTATES]) {
  bool any = false;
  char *copy = xstrdup(list);
  int rc = 0;
  for (char *save = NULL, *w = strtok_r(copy, ",", &save); w && !rc; w = strtok_r(NULL, ",", &save)) {
    while (*w == ' ')
      w++;
    size_t n = strlen(w);
    while (n && w[n - 1] == ' ')
      w[--n] = '\0';
    if (!n)
      continue;
    size_t s = 0;
    while (s < NSTATES && strcmp(w, state_names[s]))
      s++;
    if (s == NSTATES)
      rc = cli_usage_suggest("unknown translation state", w,
                             cli_nearest(w, state_names, NSTATES), see);
    else
      fail[s] = any = true;
  }
  free(copy);
  if (!rc && !any)
    rc = cli_usage_error("--fail-on needs a list of states (current, stale, untracked, missing, "
                         "orphan), comma-separated, not",
                         *list ? list : "''", see);
  return rc;
}

/* The last line of a --fail-on or --strict run; whether it failed. */
static bool fail_summary(const pipeline *b, int only, entry *es, const bool fail[NSTATES],
                         bool strict, const char *list, buf *out) {
  size_t counts[NSTATES] = {0}, total = 0;
  for (size_t l = 1; l < b->cfg.nlocales; l++) {
    if (!listed(l, only))
      continue;
    size_t n = collect(b, (int)l, es);
    for (size_t i = 0; i < n; i++)
      for (size_t s = 0; s < NSTATES; s++)
        if (es[i].state == order[s] && fail[s]) {
          counts[s]++;
          total++;
        }
  }
  const char *why = strict ? "--strict" : list;
  if (!total) {
    if (strict) {
      buf_puts(out, "every translation is current (--strict)\n");
      return false;
    }
    buf_puts(out, "no translation is ");
    size_t k = 0, nlisted = 0;
    for (size_t s = 0; s < NSTATES; s++)
      nlisted += fail[s];
    for (size_t s = 0; s < NSTATES; s++)
      if (fail[s]) {
        k++;
        buf_printf(out, "%s%s", k == 1 ? "" : k == nlisted ? " or " : ", ", state_names[s]);
      }
    buf_printf(out, " (--fail-on %s)\n", why);
    return false;
  }
  bool first = true;
  if (strict)
    buf_printf(out, "%zu translation%s %s not current: ", total, total == 1 ? "" : "s",
               total == 1 ? "is" : "are");
  for (size_t s = 0; s < NSTATES; s++) {
    if (!counts[s])
      continue;
    if (first && !strict)
      buf_printf(out, "%zu translation%s %s %s", counts[s], counts[s] == 1 ? "" : "s",
                 counts[s] == 1 ? "is" : "are", state_names[s]);
    else
      buf_printf(out, "%s%zu %s", first ? "" : ", ", counts[s], state_names[s]);
    first = false;
  }
  buf_printf(out, " (%s%s)\n", strict ? "" : "--fail-on ", why);
  return true;
}

/* A translation --record will write: its new text, until every path is
 * checked (one refusal and nothing is written). */
typedef struct {
  const char *shown; /* as the user gave it */
  char *real;        /* the file, symbolic links resolved */
  const char *hash;
  buf text;
  bool current; /* already records hash */
} record_item;

static bool under(const char *path, const char *dir) {
  size_t n = strlen(dir);
  return !strncmp(path, dir, n) && path[n] == '/';
}

/* Check one path (relative to from) and prepare its new text; false after
 * saying why not. shown NULL: the path inside the project. */
static bool record_prepare(const pipeline *b, const char *root, const char *from, const char *path,
                           const char *shown, record_item *it) {
  char *full = path[0] == '/' ? xstrdup(path) : path_join(from, path);
  char *real = realpath(full, NULL);
  int err = errno;
  free(full);
  if (!real) {
    fprintf(stderr, "folio: %s: cannot read: %s\n", shown, strerror(err));
    return false;
  }
  char *proot = realpath(root, NULL);
  char *croot = realpath(b->cfg.content_dir, NULL);
  const char *why = NULL;
  const article *t = NULL, *src = NULL;
  int l = -1;
  if (!proot || !croot || !under(real, proot)) {
    why = "is outside the project";
  } else if (!under(real, croot)) {
    why = "is not in the content folder";
  } else {
    const char *loc = real + strlen(croot) + 1;
    const char *slash = strchr(loc, '/');
    for (size_t i = 0; slash && i < b->cfg.nlocales; i++)
      if (strlen(b->cfg.locales[i]) == (size_t)(slash - loc) &&
          !strncmp(loc, b->cfg.locales[i], (size_t)(slash - loc)))
        l = (int)i;
    if (l < 0)
      why = "is not in a locale folder of folio.yml";
    else if (l == 0)
      why = NULL; /* said below, with the locale's name */
    else if (!(t = content_find_article(&b->content, l, slash + 1)))
      why = "is not an article (only Markdown articles folio builds record a source)";
    else if (t->kind != PAGE_MARKDOWN)
      why = "is a YAML page: record its source hash in its metadata by hand";
    else if (!(src = content_find_article(&b->content, 0, slash + 1)))
      why = "has no source article";
    else if (!src->body_hash)
      why = "has a source article that does not load; fix it first";
  }
  if (!shown)
    shown = proot && under(real, proot) ? real + strlen(proot) + 1 : real;
  it->shown = xstrdup(shown);
  free(proot);
  free(croot);
  if (l == 0) {
    fprintf(stderr, "folio: %s: is in the source locale (%s); record in its translations\n",
            shown, b->cfg.locales[0]);
    free(real);
    return false;
  }
  if (why) {
    fprintf(stderr, "folio: %s: %s\n", shown, why);
    free(real);
    return false;
  }
  char *data;
  size_t len;
  if (read_file(real, &data, &len) < 0) {
    fprintf(stderr, "folio: %s: cannot read: %s\n", shown, strerror(errno));
    free(real);
    return false;
  }
  arena *mem = arena_new();
  diag_list diags = {0};
  int rc = translation_record(mem, it->shown, data, len, src->body_hash, &it->text, &diags);
  report_print(stderr, &diags, REPORT_TEXT, isatty(2) && !getenv("NO_COLOR"));
  diag_list_free(&diags);
  arena_free(mem);
  free(data);
  if (rc < 0) {
    free(real);
    return false;
  }
  it->real = real;
  it->hash = src->body_hash;
  it->current = rc == 1;
  return true;
}

/* data into path through a temporary file in the same folder, renamed over
 * it: a reader sees the old file or the new, never half of one. */
static int write_atomic(const char *path, const char *data, size_t len) {
  struct stat st;
  if (stat(path, &st) < 0)
    return -1;
  const char *slash = strrchr(path, '/');
  buf tmp = {0};
  buf_printf(&tmp, "%.*s.%s.folio-XXXXXX", slash ? (int)(slash + 1 - path) : 0, path,
             slash ? slash + 1 : path);
  char *name = buf_detach(&tmp);
  int fd = mkstemp(name);
  if (fd < 0) {
    free(name);
    return -1;
  }
  size_t done = 0;
  while (done < len) {
    ssize_t w = write(fd, data + done, len - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      break;
    done += (size_t)w;
  }
  int err = done == len && fchmod(fd, st.st_mode & 07777) == 0 && fsync(fd) == 0 ? 0 : errno;
  if (close(fd) < 0 && !err)
    err = errno;
  if (!err && rename(name, path) < 0)
    err = errno;
  if (err)
    unlink(name);
  free(name);
  errno = err;
  return err ? -1 : 0;
}

static int record(const pipeline *b, int only, const char *root, char **paths, size_t npaths,
                  bool all_stale) {
  size_t cap = npaths;
  if (all_stale)
    cap += b->content.narticles;
  record_item *items = xcalloc(cap + 1, sizeof *items);
  size_t n = 0;
  bool refused = false;
  for (size_t i = 0; i < npaths; i++)
    refused |= !record_prepare(b, root, root, paths[i], paths[i], &items[n++]);
  for (size_t i = 0; all_stale && i < b->content.narticles; i++) {
    const article *t = &b->content.articles[i];
    if (t->locale != 0 && listed((size_t)t->locale, only) && translation_state_of(&b->content, t->locale, t->rel) == TRANSLATION_STALE)
      refused |= !record_prepare(b, root, ".", t->abspath, NULL, &items[n++]);
  }
  int rc = 0;
  if (refused) {
    fprintf(stderr, "folio: nothing recorded\n");
    rc = 1;
  }
  buf out = {0};
  for (size_t i = 0; i < n && !rc; i++) {
    record_item *it = &items[i];
    if (it->current) {
      buf_printf(&out, "already current %s (%s)\n", it->shown, it->hash);
    } else if (write_atomic(it->real, it->text.data, it->text.len) < 0) {
      fprintf(stderr, "folio: %s: cannot write: %s\n", it->shown, strerror(errno));
      rc = 2;
    } else {
      buf_printf(&out, "recorded %s (%s)\n", it->shown, it->hash);
    }
  }
  if (!n && !rc)
    buf_puts(&out, "no stale translation to record\n");
  if (write_stdout(&out))
    rc = 2;
  buf_free(&out);
  for (size_t i = 0; i < n; i++) {
    free((char *)items[i].shown);
    free(items[i].real);
    buf_free(&items[i].text);
  }
  free(items);
  return rc;
}

static const char *const options[] = {"--all-stale", "--fail-on", "--format", "--help",
                                      "--locale", "--record", "--strict"};

int cmd_status(int argc, char **argv) {
  pipeline_options opt = {.root = ".", .quiet = true};
  bool json = false, strict = false, recording = false, all_stale = false;
  bool fail[NSTATES] = {false};
  const char *fail_list = NULL, *locale = NULL;
  char **paths = xcalloc((size_t)argc + 1, sizeof *paths);
  size_t npaths = 0;
  int rc = -1;
  for (int i = 1; i < argc && rc < 0; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      buf help = {0};
      buf_puts(&help, usage_status);
      rc = write_stdout(&help);
      buf_free(&help);
    } else if (!strcmp(a, "-C")) {
      if (i + 1 == argc)
        rc = cli_usage_error("-C needs a project folder", NULL, see);
      else
        opt.root = argv[++i];
    } else if (!strcmp(a, "--format")) {
      const char *f = i + 1 < argc ? argv[++i] : "";
      if (strcmp(f, "text") && strcmp(f, "json"))
        rc = cli_usage_error("--format takes text or json, not", *f ? f : "''", see);
      json = !strcmp(f, "json");
    } else if (!strcmp(a, "--strict")) {
      strict = true;
      fail[1] = fail[2] = fail[3] = fail[4] = true; /* every state but current */
    } else if (!strcmp(a, "--fail-on")) {
      fail_list = i + 1 < argc ? argv[++i] : "";
      rc = parse_states(fail_list, fail) ? 2 : -1;
    } else if (!strcmp(a, "--locale")) {
      if (i + 1 == argc)
        rc = cli_usage_error("--locale needs a target locale", NULL, see);
      else
        locale = argv[++i];
    } else if (!strcmp(a, "--record")) {
      recording = true;
    } else if (!strcmp(a, "--all-stale")) {
      all_stale = true;
    } else if (a[0] == '-' && a[1]) {
      rc = cli_usage_suggest("unknown option", a, cli_nearest(a, options, sizeof options / sizeof *options), see);
    } else if (recording) {
      paths[npaths++] = argv[i];
    } else {
      rc = cli_usage_error("unexpected argument (paths go after --record)", a, see);
    }
  }
  if (rc < 0 && strict && fail_list)
    rc = cli_usage_error("give --strict or --fail-on, not both", NULL, see);
  if (rc < 0 && recording && (strict || fail_list || json))
    rc = cli_usage_error("--record writes translations and lists nothing: it takes no",
                         strict ? "--strict" : fail_list ? "--fail-on" : "--format", see);
  if (rc < 0 && all_stale && !recording)
    rc = cli_usage_error("--all-stale goes with", "--record", see);
  if (rc < 0 && recording && !npaths && !all_stale)
    rc = cli_usage_error("--record needs the translations to record (paths) or", "--all-stale", see);
  if (rc < 0 && recording && npaths && all_stale)
    rc = cli_usage_error("--record takes paths or --all-stale, not both", NULL, see);
  if (rc >= 0) {
    free(paths);
    return rc;
  }
  pipeline b;
  pipeline_status st = pipeline_run(&b, &opt, PIPELINE_LOAD);
  /* Only errors: warnings about links are folio check's business. --record
   * says what is wrong with the files it is given, and only that, unless
   * the project itself did not load (folio.yml). */
  bool quiet = recording && (st == PIPELINE_OK || st == PIPELINE_CONTENT_ERRORS);
  diag_list errors = {0};
  for (size_t i = 0; i < b.diags.count && !quiet; i++)
    if (b.diags.items[i].sev == SEV_ERROR) {
      const diag *d = &b.diags.items[i];
      diag_add(&errors, d->file, d->line, d->col, d->sev, d->code, "%s", d->message);
    }
  report_print(stderr, &errors, REPORT_TEXT, isatty(2) && !getenv("NO_COLOR"));
  diag_list_free(&errors);
  rc = st == PIPELINE_OK ? 0 : st == PIPELINE_CONTENT_ERRORS ? 1 : 2;
  int only = 0; /* --locale: its index; 0 = every target locale */
  if (rc != 2 && locale) {
    for (size_t l = 1; l < b.cfg.nlocales; l++)
      if (!strcmp(locale, b.cfg.locales[l]))
        only = (int)l;
    if (!only && b.cfg.nlocales && !strcmp(locale, b.cfg.locales[0]))
      rc = cli_usage_error("--locale takes a target locale; the source locale is", locale, see);
    else if (!only)
      rc = cli_usage_suggest("--locale: folio.yml has no target locale",
                             locale, cli_nearest(locale, (const char *const *)b.cfg.locales + 1,
                                                 b.cfg.nlocales ? b.cfg.nlocales - 1 : 0), see);
  }
  if (rc != 2 && recording) {
    rc = record(&b, only, opt.root, paths, npaths, all_stale);
  } else if (rc != 2 && b.cfg.nlocales) {
    entry *es = xcalloc(b.content.narticles + 1, sizeof *es);
    buf out = {0}, why = {0};
    if (json)
      print_json(&b, only, es, &out);
    else
      print_text(&b, only, es, &out);
    bool failed = (strict || fail_list) && fail_summary(&b, only, es, fail, strict, fail_list, &why);
    if (!json && why.len)
      buf_printf(&out, "\n%.*s", (int)why.len, why.data);
    free(es);
    if (write_stdout(&out))
      rc = 2;
    if (json && why.len)
      fprintf(stderr, "%.*s", (int)why.len, why.data);
    if (failed && rc == 0)
      rc = 1;
    buf_free(&out);
    buf_free(&why);
  }
  free(paths);
  pipeline_free(&b);
  return rc;
}
