/* `folio build` and `folio check`: options, the pipeline, the report once,
 * the summary line and the exit code. */
#include "cmd_build.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "codes.h"
#include "buildcache.h"
#include "pipeline.h"
#include "report.h"
#include "util.h"

static const char usage_build[] =
    "usage: folio build [options]\n"
    "       folio check [options]\n"
    "\n"
    "  -C DIR            run in project folder DIR (where folio.yml is); default .\n"
    "  -o DIR            write the site to DIR instead of folio.yml's paths.output\n"
    "  -j N              use N threads (default: number of cores); output is the same\n"
    "  --format FORMAT   diagnostics as text (default, on stderr), json, sarif, junit,\n"
    "                    github (workflow annotations) or markdown (a job summary)\n"
    "  --strict          fail on any warning too (exit 1)\n"
    "  --max-warnings N  fail when there are more than N warnings\n"
    "  --ignore CODE     drop diagnostics with this code (repeatable, or CODE,CODE)\n"
    "  --keep-going      build: write the site even with content errors (still exit 1)\n"
    "  -q, --quiet       print only diagnostics, no summary line\n"
    "  -v, --verbose     also print notes (info diagnostics) in the text and github formats\n"
    "  --no-cache        parse and render everything again, without reading or writing\n"
    "                    the build cache (.folio/cache/build; safe to delete)\n"
    "  --external        also check http(s) links over the network (folio.yml external:);\n"
    "                    results are cached in .folio/cache/external-links.tsv\n"
    "  --external-max-age DURATION\n"
    "                    reuse cached results younger than this (3600, 30m, 12h, 1d;\n"
    "                    0 asks every URL again); default folio.yml's external.max_age\n"
    "\n"
    "An article silences codes for itself with front matter: folio.ignore: [CODE, ...]\n"
    "Exit status: 0 clean, 1 content errors (or too many warnings), 2 usage or I/O errors.\n";

/* A progress line on a terminal, at most ten times a second; nothing when
 * stderr is not a terminal (CI logs stay clean). */
static _Atomic long progress_last_ms;
static _Atomic bool progress_shown;

static double now(void);

static void show_progress(const char *stage, size_t done, size_t total) {
  long ms = (long)(now() * 1000);
  long last = atomic_load(&progress_last_ms);
  if ((ms - last < 100 && done != total) ||
      !atomic_compare_exchange_strong(&progress_last_ms, &last, ms))
    return;
  atomic_store(&progress_shown, true);
  fprintf(stderr, "\r\033[Kfolio: %s %zu/%zu articles", stage, done, total);
}

static void end_progress(void) {
  if (atomic_load(&progress_shown))
    fputs("\r\033[K", stderr);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define MAX_IGNORE 256

static const char *const options[] = {"--external", "--external-max-age", "--format", "--help",
                                      "--ignore", "--keep-going", "--max-warnings", "--no-cache", "--quiet",
                                      "--strict", "--verbose"};

/* What an option that needs a value says when it has none (NULL for an
 * option without a value). */
static const char *takes_value(const char *a) {
  if (!strcmp(a, "-C"))
    return "needs the project folder";
  if (!strcmp(a, "-o"))
    return "needs the output folder";
  if (!strcmp(a, "-j"))
    return "needs a number of threads (1 to 256)";
  if (!strcmp(a, "--format"))
    return "needs a format: text, json, sarif, junit, github or markdown";
  if (!strcmp(a, "--max-warnings"))
    return "needs a number of warnings";
  if (!strcmp(a, "--ignore"))
    return "needs a diagnostic code (folio codes lists them)";
  if (!strcmp(a, "--external-max-age"))
    return "needs a duration (3600, 30m, 12h, 1d)";
  return NULL;
}

int cmd_build(int argc, char **argv, bool write_site) {
  pipeline_options opt = {.root = "."};
  report_format fmt = REPORT_TEXT;
  bool verbose = false;
  const char *ignore[MAX_IGNORE];
  size_t nignore = 0;
  const char *see = write_site ? "folio build --help" : "folio check --help";
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool has_next = i + 1 < argc;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage_build, stdout);
      return 0;
    } else if (!strcmp(a, "-C") && has_next) {
      opt.root = argv[++i];
    } else if (!strcmp(a, "-o") && has_next) {
      opt.output = argv[++i];
    } else if ((!strcmp(a, "-j") && has_next) || (!strncmp(a, "-j", 2) && a[2])) {
      /* -j N or -jN, as make takes it. */
      const char *v = a[2] ? a + 2 : argv[++i];
      char *end;
      long n = strtol(v, &end, 10);
      if (*end || n < 1 || n > 256)
        return cli_usage_error("-j takes a number of threads from 1 to 256, not", v, see);
      opt.jobs = (int)n;
    } else if (!strcmp(a, "--format") && has_next) {
      if (!report_format_parse(argv[++i], &fmt))
        return cli_usage_error("unknown format", argv[i], see);
    } else if (!strcmp(a, "--strict")) {
      opt.strict = true;
    } else if (!strcmp(a, "--max-warnings") && has_next) {
      char *end;
      long n = strtol(argv[++i], &end, 10);
      if (*end || end == argv[i] || n < 0)
        return cli_usage_error("--max-warnings takes a number from 0 up, not", argv[i], see);
      opt.limit_warnings = true;
      opt.max_warnings = (size_t)n;
    } else if (!strcmp(a, "--ignore") && has_next) {
      /* CODE or CODE,CODE: the argument is cut at its commas in place. */
      for (char *c = strtok(argv[++i], ","); c; c = strtok(NULL, ",")) {
        if (nignore == MAX_IGNORE)
          return cli_usage_error("too many --ignore codes at", c, see);
        if (!codes_find(c)) {
          /* A typo here would silence nothing and go unnoticed. */
          return cli_usage_suggest("--ignore: no diagnostic code is called", c, codes_nearest(c),
                                   "folio codes");
        }
        ignore[nignore++] = c;
      }
    } else if (!strcmp(a, "--keep-going")) {
      opt.keep_going = true;
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      opt.quiet = true;
    } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
      verbose = true;
    } else if (!strcmp(a, "--no-cache")) {
      opt.no_cache = true;
    } else if (!strcmp(a, "--external")) {
      opt.external = true;
    } else if (!strcmp(a, "--external-max-age") && has_next) {
      if (!config_parse_duration(argv[++i], &opt.external_max_age_s))
        return cli_usage_error("--external-max-age takes a duration (3600, 30m, 12h, 1d), not",
                               argv[i], see);
      opt.external_max_age_set = true;
    } else if (!has_next && takes_value(a)) {
      return cli_usage_error(a, takes_value(a), see);
    } else if (a[0] == '-') {
      const char *near = cli_nearest(a, options, sizeof options / sizeof *options);
      return cli_usage_suggest("unknown option", a, near, see);
    } else {
      return cli_usage_error("unexpected argument", a, see);
    }
  }
  if (opt.external_max_age_set && !opt.external)
    return cli_usage_error("--external-max-age needs", "--external", see);
  opt.ignore = ignore;
  opt.nignore = nignore;
  double t0 = now();
  if (!opt.quiet && isatty(2))
    opt.progress = show_progress;
  pipeline b;
  pipeline_status st = pipeline_run(&b, &opt, write_site ? PIPELINE_PUBLISH : PIPELINE_CHECK);
  end_progress();
  double seconds = now() - t0;

  report_summary sum = {
      .command = write_site ? "build" : "check",
      .articles = b.content.narticles,
      .errors = diag_count(&b.diags, SEV_ERROR),
      .warnings = diag_count(&b.diags, SEV_WARNING),
      .infos = diag_count(&b.diags, SEV_INFO),
      .seconds = seconds,
      .failed = st != PIPELINE_OK,
      .warnings_fail = opt.strict || opt.limit_warnings,
  };
  const char **files = xcalloc(b.content.narticles + 1, sizeof *files);
  for (size_t i = 0; i < b.content.narticles; i++) {
    sum.links += b.content.articles[i].nlinks;
    files[i] = b.content.articles[i].path;
  }
  if (b.content.narticles)
    qsort(files, b.content.narticles, sizeof *files, str_cmp_ptrs);
  sum.files = files;
  sum.nfiles = b.content.narticles;

  bool color = fmt == REPORT_TEXT && isatty(2) && !getenv("NO_COLOR");
  FILE *report = fmt == REPORT_TEXT ? stderr : stdout;
  /* Notes (such as a link to an untranslated article) are for reports and
   * for -v; on a terminal or in CI annotations they would bury what fails. */
  bool hide_notes = !verbose && (fmt == REPORT_TEXT || fmt == REPORT_GITHUB);
  diag_list shown = b.diags;
  if (hide_notes) {
    shown.items = xcalloc(b.diags.count + 1, sizeof *shown.items);
    shown.count = 0;
    for (size_t i = 0; i < b.diags.count; i++)
      if (b.diags.items[i].sev != SEV_INFO)
        shown.items[shown.count++] = b.diags.items[i];
  }
  int report_rc = report_write(report, &shown, fmt, &sum, color);
  if (hide_notes)
    free(shown.items); /* a view: the strings still belong to b.diags */
  if (report_rc < 0 || fflush(report) == EOF) {
    fprintf(stderr, "folio: cannot write the report\n");
    st = PIPELINE_IO_ERROR;
  }
  if (!opt.quiet) {
    const char *out = opt.output ? opt.output : b.cfg.output_dir;
    char notes[96] = "";
    if (hide_notes && sum.infos)
      snprintf(notes, sizeof notes, ", %s (-v shows them)", cli_count(sum.infos, "note", "notes").s);
    /* With --external: how many distinct URLs went to the network check. */
    char ext[96] = "";
    if (opt.external)
      snprintf(ext, sizeof ext, " (%s, %zu from the cache)",
               cli_count(b.external_urls, "external URL", "external URLs").s,
               b.external_from_cache);
    const char *why = sum.errors || !(opt.strict || opt.limit_warnings) ? ""
                      : opt.strict ? " (--strict: warnings fail)"
                                   : " (more than --max-warnings)";
    if (write_site && st == PIPELINE_OK)
      fprintf(stderr, "folio: built %s in %s into %s/; checked %s and %s%s: %s, %s%s, %.2f s\n",
              cli_count(b.pages_written, "page", "pages").s, cli_count(b.cfg.nlocales, "locale", "locales").s,
              out, cli_count(sum.articles, "article", "articles").s, cli_count(sum.links, "link", "links").s,
              ext, cli_count(sum.errors, "error", "errors").s,
              cli_count(sum.warnings, "warning", "warnings").s, notes, seconds);
    else if (write_site && b.published)
      fprintf(stderr,
              "folio: built %s in %s into %s/ with %s and %s%s (--keep-going: pages with errors "
              "are incomplete); checked %s and %s%s, %.2f s\n",
              cli_count(b.pages_written, "page", "pages").s, cli_count(b.cfg.nlocales, "locale", "locales").s,
              out, cli_count(sum.errors, "error", "errors").s,
              cli_count(sum.warnings, "warning", "warnings").s, why,
              cli_count(sum.articles, "article", "articles").s, cli_count(sum.links, "link", "links").s, ext,
              seconds);
    else if (write_site)
      fprintf(stderr, "folio: build failed with %s and %s%s; %s/ was left as it was\n",
              cli_count(sum.errors, "error", "errors").s, cli_count(sum.warnings, "warning", "warnings").s,
              why, out ? out : "site");
    else
      fprintf(stderr, "folio: checked %s and %s%s: %s, %s%s, %.2f s%s\n",
              cli_count(sum.articles, "article", "articles").s, cli_count(sum.links, "link", "links").s,
              ext, cli_count(sum.errors, "error", "errors").s,
              cli_count(sum.warnings, "warning", "warnings").s, notes, seconds, why);
  }

  /* FOLIO_CACHE_STATS=1: what the build cache saved (tests, benchmarks). */
  const char *stats = getenv("FOLIO_CACHE_STATS");
  if (stats && *stats && strcmp(stats, "0")) {
    buildcache_stats cs = buildcache_get_stats(b.cache);
    fprintf(stderr,
            "folio: cache: parsed %zu of %zu articles (%zu files read), kept %zu of %zu pages, "
            "%zu of %zu search indexes\n",
            cs.articles - cs.articles_hit, cs.articles, cs.files_read, cs.pages_kept, cs.pages,
            cs.search_kept, cs.searches);
    fprintf(stderr, "folio: cache: indexed %zu search pages, %zu from their digests\n",
            b.search_pages, atomic_load(&b.search_digested));
  }
  free(files);
  pipeline_free(&b);
  return (int)st;
}

