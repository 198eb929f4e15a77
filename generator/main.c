/* folio's command line: parse the arguments, call the pipeline, print the
 * diagnostics once, and turn the outcome into an exit code
 * (0 clean, 1 content errors, 2 usage or I/O errors). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "cmd_policy.h"
#include "cmd_status.h"
#include "init.h"
#include "markdown.h"
#include "util.h"
#include "version.h"

#ifndef FOLIO_DATADIR
#define FOLIO_DATADIR "/usr/local/share/folio"
#endif
#ifndef FOLIO_SOURCE_DIR
#define FOLIO_SOURCE_DIR "."
#endif

static const char usage_main[] =
    "usage: folio <command> [options]\n"
    "\n"
    "Commands:\n"
    "  build    generate the multilingual site (and check every link)\n"
    "  check    everything build does except writing the site; for CI\n"
    "  init DIR create a new project in DIR that builds at once\n"
    "  policy   export the permission rules; eval, diff and audit them (policy --help)\n"
    "  status   which translations are current, stale or missing (text or JSON)\n"
    "\n"
    "  folio --help, folio --version, folio <command> --help\n";

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
    "  -q, --quiet       print only diagnostics, no summary line\n"
    "  -v, --verbose     also print notes (info diagnostics) in the text and github formats\n"
    "\n"
    "An article silences codes for itself with front matter: folio.ignore: [CODE, ...]\n"
    "Exit status: 0 clean, 1 content errors (or too many warnings), 2 usage or I/O errors.\n";

static const char usage_init[] =
    "usage: folio init DIR\n"
    "\n"
    "Creates DIR with folio.yml, the default templates, an en-us locale file and\n"
    "one article; `folio build -C DIR` then writes DIR/site.\n";

static int usage_error(const char *msg, const char *arg, const char *usage) {
  fprintf(stderr, "folio: %s%s%s\n\n%s", msg, arg ? " " : "", arg ? arg : "", usage);
  return 2;
}

static const char *datadir(void) {
  const char *env = getenv("FOLIO_DATADIR");
  if (env && *env)
    return env;
  char *t = path_join(FOLIO_DATADIR, "templates");
  bool installed = is_dir(t);
  free(t);
  return installed ? FOLIO_DATADIR : FOLIO_SOURCE_DIR;
}

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

static int cmp_path(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

#define MAX_IGNORE 256

static int cmd_build(int argc, char **argv, bool write_site) {
  build_options opt = {.root = ".", .write_site = write_site};
  diag_format fmt = DIAG_TEXT;
  bool verbose = false;
  const char *ignore[MAX_IGNORE];
  size_t nignore = 0;
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
    } else if (!strcmp(a, "-j") && has_next) {
      char *end;
      long n = strtol(argv[++i], &end, 10);
      if (*end || n < 1 || n > 256)
        return usage_error("-j takes a number of threads from 1 to 256, not", argv[i], usage_build);
      opt.jobs = (int)n;
    } else if (!strcmp(a, "--format") && has_next) {
      if (!diag_format_parse(argv[++i], &fmt))
        return usage_error("unknown format", argv[i], usage_build);
    } else if (!strcmp(a, "--strict")) {
      opt.strict = true;
    } else if (!strcmp(a, "--max-warnings") && has_next) {
      char *end;
      long n = strtol(argv[++i], &end, 10);
      if (*end || end == argv[i] || n < 0)
        return usage_error("--max-warnings takes a number from 0 up, not", argv[i], usage_build);
      opt.limit_warnings = true;
      opt.max_warnings = (size_t)n;
    } else if (!strcmp(a, "--ignore") && has_next) {
      /* CODE or CODE,CODE: the argument is cut at its commas in place. */
      for (char *c = strtok(argv[++i], ","); c; c = strtok(NULL, ",")) {
        if (nignore == MAX_IGNORE)
          return usage_error("too many --ignore codes at", c, usage_build);
        ignore[nignore++] = c;
      }
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      opt.quiet = true;
    } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
      verbose = true;
    } else if (a[0] == '-') {
      return usage_error(has_next || strcmp(a, "-C") ? "unknown option" : "option needs a value:",
                         a, usage_build);
    } else {
      return usage_error("unexpected argument", a, usage_build);
    }
  }
  opt.ignore = ignore;
  opt.nignore = nignore;
  double t0 = now();
  if (!opt.quiet && isatty(2))
    opt.progress = show_progress;
  markdown_init();
  build b;
  build_status st = build_run(&b, &opt);
  end_progress();
  double seconds = now() - t0;

  diag_summary sum = {
      .command = write_site ? "build" : "check",
      .articles = b.content.narticles,
      .errors = diag_count(&b.diags, SEV_ERROR),
      .warnings = diag_count(&b.diags, SEV_WARNING),
      .infos = diag_count(&b.diags, SEV_INFO),
      .seconds = seconds,
      .failed = st != BUILD_OK,
      .warnings_fail = opt.strict || opt.limit_warnings,
  };
  const char **files = xcalloc(b.content.narticles + 1, sizeof *files);
  for (size_t i = 0; i < b.content.narticles; i++) {
    sum.links += b.content.articles[i].nlinks;
    files[i] = b.content.articles[i].path;
  }
  if (b.content.narticles)
    qsort(files, b.content.narticles, sizeof *files, cmp_path);
  sum.files = files;
  sum.nfiles = b.content.narticles;

  bool color = fmt == DIAG_TEXT && isatty(2) && !getenv("NO_COLOR");
  FILE *report = fmt == DIAG_TEXT ? stderr : stdout;
  /* Notes (such as a link to an untranslated article) are for reports and
   * for -v; on a terminal or in CI annotations they would bury what fails. */
  bool hide_notes = !verbose && (fmt == DIAG_TEXT || fmt == DIAG_GITHUB);
  diag_list shown = b.diags;
  if (hide_notes) {
    shown.items = xcalloc(b.diags.count + 1, sizeof *shown.items);
    shown.count = 0;
    for (size_t i = 0; i < b.diags.count; i++)
      if (b.diags.items[i].sev != SEV_INFO)
        shown.items[shown.count++] = b.diags.items[i];
  }
  int report_rc = diag_report(report, &shown, fmt, &sum, color);
  if (hide_notes)
    free(shown.items); /* a view: the strings still belong to b.diags */
  if (report_rc < 0 || fflush(report) == EOF) {
    fprintf(stderr, "folio: cannot write the report\n");
    st = BUILD_IO_ERROR;
  }
  if (!opt.quiet) {
    const char *out = opt.output ? opt.output : b.cfg.output_dir;
    char notes[64] = "";
    if (hide_notes && sum.infos)
      snprintf(notes, sizeof notes, ", %zu notes (-v shows them)", sum.infos);
    const char *why = sum.errors || !(opt.strict || opt.limit_warnings) ? ""
                      : opt.strict ? " (--strict: warnings fail)"
                                   : " (more than --max-warnings)";
    if (write_site && st == BUILD_OK)
      fprintf(stderr,
              "folio: built %zu pages in %zu locales into %s/; checked %zu articles and %zu "
              "links: %zu errors, %zu warnings%s, %.2f s\n",
              b.pages_written, b.cfg.nlocales, out, sum.articles, sum.links, sum.errors,
              sum.warnings, notes, seconds);
    else if (write_site)
      fprintf(stderr,
              "folio: build failed with %zu errors and %zu warnings%s; %s/ was left as it was\n",
              sum.errors, sum.warnings, why, out ? out : "site");
    else
      fprintf(stderr,
              "folio: checked %zu articles and %zu links: %zu errors, %zu warnings%s, %.2f s%s\n",
              sum.articles, sum.links, sum.errors, sum.warnings, notes, seconds, why);
  }
  free(files);
  build_free(&b);
  markdown_thread_done();
  markdown_shutdown();
  return (int)st;
}

static int cmd_init(int argc, char **argv) {
  if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
    fputs(usage_init, stdout);
    return 0;
  }
  if (argc != 2 || argv[1][0] == '-')
    return usage_error("init takes exactly one folder", NULL, usage_init);
  diag_list diags = {0};
  int rc = init_project(argv[1], datadir(), &diags);
  diag_print(stderr, &diags, DIAG_TEXT, false);
  diag_list_free(&diags);
  if (rc == 0)
    fprintf(stderr, "folio: created %s; now run: folio build -C %s\n", argv[1], argv[1]);
  return rc == 0 ? 0 : 2;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return usage_error("no command given", NULL, usage_main);
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(usage_main, stdout);
    return 0;
  }
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
    printf("folio %s\n", FOLIO_VERSION);
    return 0;
  }
  if (!strcmp(cmd, "build"))
    return cmd_build(argc - 1, argv + 1, true);
  if (!strcmp(cmd, "check"))
    return cmd_build(argc - 1, argv + 1, false);
  if (!strcmp(cmd, "status"))
    return cmd_status(argc - 1, argv + 1);
  if (!strcmp(cmd, "policy"))
    return cmd_policy(argc - 1, argv + 1);
  if (!strcmp(cmd, "init"))
    return cmd_init(argc - 1, argv + 1);
  return usage_error("unknown command", cmd, usage_main);
}
