#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "version.h"
#include "test.h"

/* Write folio.yml into a fresh folder and load it. *dir is the folder (the
 * caller removes it with test_rmdir). */
static int load(arena *a, const char *yml, char **dir, site_config *cfg, diag_list *d) {
  *dir = test_mkdtemp();
  test_write(*dir, "folio.yml", yml);
  return config_load(a, *dir, cfg, d);
}

static char *joined(const char *dir, const char *rel) { return path_join(dir, rel); }

#define CHECK_PATH(got, dir, rel)                                                              \
  do {                                                                                         \
    char *want_ = joined((dir), (rel));                                                        \
    CHECK_STR((got), want_);                                                                   \
    free(want_);                                                                               \
  } while (0)

static void test_minimal_defaults(void) {
  arena *a = arena_new();
  diag_list d = {0};
  site_config cfg;
  char *dir;
  CHECK_INT(load(a, "title: Docs\nlocales: [en-us]\n", &dir, &cfg, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK_STR(cfg.root, dir);
  CHECK_PATH(cfg.file, dir, "folio.yml");
  CHECK_STR(cfg.title, "Docs");
  CHECK_STR(cfg.base_url, "/");
  CHECK_STR(cfg.source_locale, "en-us");
  CHECK_INT(cfg.nlocales, 1);
  CHECK_STR(cfg.locales[0], "en-us");
  CHECK_PATH(cfg.content_dir, dir, "content");
  CHECK_PATH(cfg.locales_dir, dir, "locales");
  CHECK_PATH(cfg.templates_dir, dir, "templates");
  CHECK_PATH(cfg.output_dir, dir, "site");
  CHECK_INT(cfg.nexternal, 0);
  CHECK_STR(cfg.untranslated, "fallback");
  /* The default video hosts. */
  CHECK_INT(cfg.nvideo_hosts, 6);
  CHECK_STR(cfg.video_hosts[0], "www.youtube.com");
  CHECK_STR(cfg.video_hosts[5], "www.microsoft.com");
  CHECK(cfg.video_hosts[6] == NULL);
  CHECK_INT(config_locale_index(&cfg, "en-us"), 0);
  CHECK_INT(config_locale_index(&cfg, "de-de"), -1);
  test_rmdir(dir);
  diag_list_free(&d);
  arena_free(a);
}

static void test_full(void) {
  arena *a = arena_new();
  diag_list d = {0};
  site_config cfg;
  char *dir;
  const char *yml = "title: Product docs\n"
                    "base_url: https://docs.example.com/product\n"
                    "source_locale: de-de\n"
                    "locales:\n"
                    "  - en-us\n"
                    "  - fr-fr\n"
                    "  - de-de\n"
                    "  - ja-jp\n"
                    "paths:\n"
                    "  content: src/articles\n"
                    "  output: build/../out/site\n"
                    "external_links:\n"
                    "  \"/azure/\": \"https://learn.microsoft.com/{locale}/azure/\"\n"
                    "  /dotnet/: http://example.org/dotnet/\n"
                    "untranslated: none\n";
  CHECK_INT(load(a, yml, &dir, &cfg, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK_STR(cfg.base_url, "https://docs.example.com/product/");
  CHECK_STR(cfg.source_locale, "de-de");
  /* The source locale moves first; the others keep their order. */
  if (CHECK_INT(cfg.nlocales, 4)) {
    CHECK_STR(cfg.locales[0], "de-de");
    CHECK_STR(cfg.locales[1], "en-us");
    CHECK_STR(cfg.locales[2], "fr-fr");
    CHECK_STR(cfg.locales[3], "ja-jp");
  }
  CHECK_INT(config_locale_index(&cfg, "ja-jp"), 3);
  CHECK_PATH(cfg.content_dir, dir, "src/articles");
  CHECK_PATH(cfg.output_dir, dir, "build/../out/site"); /* inside: kept as written */
  CHECK_PATH(cfg.locales_dir, dir, "locales");
  if (CHECK_INT(cfg.nexternal, 2)) {
    CHECK_STR(cfg.external[0].prefix, "/azure/");
    CHECK_STR(cfg.external[0].target, "https://learn.microsoft.com/{locale}/azure/");
    CHECK_STR(cfg.external[1].prefix, "/dotnet/");
  }
  CHECK_STR(cfg.untranslated, "none");
  test_rmdir(dir);

  /* A base_url that already ends with '/' is kept as is. */
  CHECK_INT(load(a, "title: T\nbase_url: http://x.org/\nlocales: [en-us]\n", &dir, &cfg, &d), 0);
  CHECK_STR(cfg.base_url, "http://x.org/");
  test_rmdir(dir);
  CHECK_NO_DIAGS(&d);
  diag_list_free(&d);
  arena_free(a);
}

static void test_relative_root(void) {
  arena *a = arena_new();
  diag_list d = {0};
  site_config cfg;
  char *dir = test_mkdtemp();
  test_write(dir, "folio.yml", "title: T\nlocales: [en-us]\n");
  char *cwd = getcwd(NULL, 0);
  if (CHECK(cwd && chdir(dir) == 0)) {
    CHECK_INT(config_load(a, ".", &cfg, &d), 0);
    CHECK_NO_DIAGS(&d);
    CHECK_STR(cfg.content_dir, "content");
    CHECK_STR(cfg.output_dir, "site");
    CHECK_STR(cfg.file, "folio.yml");
    CHECK(chdir(cwd) == 0);
  }
  free(cwd);
  test_rmdir(dir);
  diag_list_free(&d);
  arena_free(a);
}

/* Load yml, expect failure with code at line:col. */
static void expect_error(const char *yml, const char *code, int line, int col, int src_line) {
  arena *a = arena_new();
  diag_list d = {0};
  site_config cfg;
  char *dir;
  int rc = load(a, yml, &dir, &cfg, &d);
  bool rc_ok = test_check_int_(rc, -1, __FILE__, src_line, "config_load(...)", "-1");
  bool diag_ok = test_check_diag_(&d, code, line, col, __FILE__, src_line);
  if (!rc_ok || !diag_ok)
    fprintf(stderr, "    (folio.yml: %s)\n", yml);
  test_rmdir(dir);
  diag_list_free(&d);
  arena_free(a);
}
#define EXPECT_ERROR(yml, code, line, col) expect_error((yml), (code), (line), (col), __LINE__)

static void test_errors(void) {
  /* Unknown keys, at the key. */
  EXPECT_ERROR("title: T\nlocales: [en-us]\n  \ntheme: dark\n", "config-unknown-key", 4, 1);
  EXPECT_ERROR("title: T\nlocales: [en-us]\npaths:\n  content: c\n  assets: a\n",
               "config-unknown-key", 5, 3);
  /* Locale ids: lower-case language[-region], at the item. */
  EXPECT_ERROR("title: T\nlocales: [en-us, en-US]\n", "config-invalid", 2, 18);
  EXPECT_ERROR("title: T\nlocales:\n  - en-us\n  - de_de\n", "config-invalid", 4, 5);
  EXPECT_ERROR("title: T\nlocales: [e]\n", "config-invalid", 2, 11);
  EXPECT_ERROR("title: T\nlocales: [-en]\n", "config-invalid", 2, 11);
  EXPECT_ERROR("title: T\nlocales: [en-]\n", "config-invalid", 2, 11);
  EXPECT_ERROR("title: T\nlocales: [\"en us\"]\n", "config-invalid", 2, 11);
  /* Duplicate locale: at the second one. */
  EXPECT_ERROR("title: T\nlocales: [en-us, de-de, en-us]\n", "config-invalid", 2, 25);
  EXPECT_ERROR("title: T\nlocales: []\n", "config-invalid", 2, 10);
  EXPECT_ERROR("title: T\nlocales: en-us\n", "config-invalid", 2, 10);
  /* Required keys. */
  EXPECT_ERROR("locales: [en-us]\n", "config-missing-key", 1, 1);
  EXPECT_ERROR("title: T\n", "config-missing-key", 1, 1);
  EXPECT_ERROR("title: \"\"\nlocales: [en-us]\n", "config-invalid", 1, 8);
  EXPECT_ERROR("title: [a]\nlocales: [en-us]\n", "config-invalid", 1, 8);
  /* source_locale must be listed. */
  EXPECT_ERROR("title: T\nlocales: [en-us]\nsource_locale: de-de\n", "config-invalid", 3, 16);
  /* base_url */
  EXPECT_ERROR("title: T\nlocales: [en-us]\nbase_url: ftp://x/\n", "config-invalid", 3, 11);
  EXPECT_ERROR("title: T\nlocales: [en-us]\nbase_url: example.com\n", "config-invalid", 3, 11);
  /* external_links: prefixes start and end with '/', targets are http(s). */
  EXPECT_ERROR("title: T\nlocales: [en-us]\nexternal_links:\n  azure/: https://x/\n",
               "config-invalid", 4, 3);
  EXPECT_ERROR("title: T\nlocales: [en-us]\nexternal_links:\n  /azure: https://x/\n",
               "config-invalid", 4, 3);
  EXPECT_ERROR("title: T\nlocales: [en-us]\nexternal_links:\n  /azure/: ftp://x/\n",
               "config-invalid", 4, 12);
  EXPECT_ERROR("title: T\nlocales: [en-us]\nexternal_links: [a]\n", "config-invalid", 3, 17);
  EXPECT_ERROR("title: T\nlocales: [en-us]\nuntranslated: maybe\n", "config-invalid", 3, 15);
  EXPECT_ERROR("title: T\nlocales: [en-us]\npaths: content\n", "config-invalid", 3, 8);
  EXPECT_ERROR("title: T\nlocales: [en-us]\npaths:\n  content: ~\n", "config-invalid", 4, 12);
  /* content and output stay inside the project (folio.yml comes with the
   * content); the output folder is not the project itself. */
  EXPECT_ERROR("title: T\nlocales: [en-us]\npaths:\n  output: /var/www\n", "config-invalid", 4, 11);
  EXPECT_ERROR("title: T\nlocales: [en-us]\npaths:\n  output: ../site\n", "config-invalid", 4, 11);
  EXPECT_ERROR("title: T\nlocales: [en-us]\npaths:\n  output: a/../..\n", "config-invalid", 4, 11);
  EXPECT_ERROR("title: T\nlocales: [en-us]\npaths:\n  output: .\n", "config-invalid", 4, 11);
  EXPECT_ERROR("title: T\nlocales: [en-us]\npaths:\n  content: /etc\n", "config-invalid", 4, 12);
  /* limits: byte counts from 1 up, KiB/MiB/GiB; unknown keys. */
  EXPECT_ERROR("title: T\nlocales: [en-us]\nlimits: [1]\n", "config-invalid", 3, 9);
  EXPECT_ERROR("title: T\nlocales: [en-us]\nlimits: {file_bytes: 0}\n", "config-invalid", 3, 22);
  EXPECT_ERROR("title: T\nlocales: [en-us]\nlimits: {file_bytes: 1 KB}\n", "config-invalid", 3, 22);
  EXPECT_ERROR("title: T\nlocales: [en-us]\nlimits: {media_bytes: 99999999999 GiB}\n",
               "config-invalid", 3, 23);
  EXPECT_ERROR("title: T\nlocales: [en-us]\nlimits: {pages: 3}\n", "config-unknown-key", 3, 10);
  /* Not a mapping; bad YAML. */
  EXPECT_ERROR("- a\n", "config-invalid", 1, 1);
  EXPECT_ERROR("title: T\nlocales: [en-us\n", "yaml-syntax", -1, -1);
}

static void test_limits(void) {
  arena *a = arena_new();
  diag_list d = {0};
  site_config cfg;
  char *dir;
  CHECK_INT(load(a, "title: T\nlocales: [en-us]\n", &dir, &cfg, &d), 0);
  CHECK(cfg.file_bytes == CONFIG_FILE_BYTES && cfg.media_bytes == CONFIG_MEDIA_BYTES);
  test_rmdir(dir);
  CHECK_INT(load(a, "title: T\nlocales: [en-us]\nlimits: {file_bytes: 32 MiB, media_bytes: 1000}\n",
                 &dir, &cfg, &d),
            0);
  CHECK_NO_DIAGS(&d);
  CHECK(cfg.file_bytes == 32ULL << 20 && cfg.media_bytes == 1000);
  test_rmdir(dir);
  CHECK_INT(load(a, "title: T\nlocales: [en-us]\nlimits: {media_bytes: 2GiB}\n", &dir, &cfg, &d), 0);
  CHECK(cfg.media_bytes == 2ULL << 30);
  test_rmdir(dir);
  diag_list_free(&d);
  arena_free(a);
}

static void test_external_valid_kept(void) {
  /* One bad entry does not drop the good ones. */
  arena *a = arena_new();
  diag_list d = {0};
  site_config cfg;
  char *dir;
  CHECK_INT(load(a,
                 "title: T\nlocales: [en-us]\nexternal_links:\n  bad: https://x/\n"
                 "  /good/: https://y/\n",
                 &dir, &cfg, &d),
            -1);
  CHECK_INT(d.count, 1);
  if (CHECK_INT(cfg.nexternal, 1))
    CHECK_STR(cfg.external[0].prefix, "/good/");
  test_rmdir(dir);
  diag_list_free(&d);
  arena_free(a);
}

static void test_external_check(void) {
  arena *a = arena_new();
  diag_list d = {0};
  site_config cfg;
  char *dir;
  /* Defaults, without an external: key. */
  CHECK_INT(load(a, "title: T\nlocales: [en-us]\n", &dir, &cfg, &d), 0);
  CHECK_INT(cfg.extcheck.nexclude, 0);
  CHECK_INT(cfg.extcheck.concurrency, 32);
  CHECK_INT(cfg.extcheck.per_host, 4);
  CHECK_INT(cfg.extcheck.timeout_ms, 20000);
  CHECK_INT(cfg.extcheck.retries, 3);
  CHECK_INT(cfg.extcheck.max_age_s, 86400);
  CHECK(!cfg.extcheck.check_fragments);
  CHECK_STR(cfg.extcheck.user_agent, "folio/" FOLIO_VERSION " (+link checker)");
  test_rmdir(dir);
  /* Every key. */
  CHECK_INT(load(a,
                 "title: T\nlocales: [en-us]\nexternal:\n"
                 "  exclude: ['^https://example\\.com/', 'localhost:[0-9]+']\n"
                 "  concurrency: 8\n  per_host: 2\n  timeout: 2.5\n  retries: 0\n"
                 "  max_age: 12h\n  check_fragments: true\n  user_agent: docs-bot/1\n",
                 &dir, &cfg, &d),
            0);
  CHECK_NO_DIAGS(&d);
  if (CHECK_INT(cfg.extcheck.nexclude, 2)) {
    CHECK_STR(cfg.extcheck.exclude[0], "^https://example\\.com/");
    CHECK_STR(cfg.extcheck.exclude[1], "localhost:[0-9]+");
  }
  CHECK_INT(cfg.extcheck.concurrency, 8);
  CHECK_INT(cfg.extcheck.per_host, 2);
  CHECK_INT(cfg.extcheck.timeout_ms, 2500);
  CHECK_INT(cfg.extcheck.retries, 0);
  CHECK_INT(cfg.extcheck.max_age_s, 12 * 3600);
  CHECK(cfg.extcheck.check_fragments);
  CHECK_STR(cfg.extcheck.user_agent, "docs-bot/1");
  test_rmdir(dir);
  diag_list_free(&d);
  arena_free(a);

  /* Errors, at the key or the value. */
  const char *head = "title: T\nlocales: [en-us]\nexternal:\n";
  struct {
    const char *body, *code;
    int line, col;
  } bad[] = {
      {"  colour: blue\n", "config-unknown-key", 4, 3},
      {"  exclude: ['(unclosed']\n", "config-invalid", 4, 13},
      {"  exclude: ['ok', '[z-a]']\n", "config-invalid", 4, 19},
      {"  exclude: '^x'\n", "config-invalid", 4, 12},
      {"  concurrency: 0\n", "config-invalid", 4, 16},
      {"  concurrency: 2000\n", "config-invalid", 4, 16},
      {"  per_host: many\n", "config-invalid", 4, 13},
      {"  retries: -1\n", "config-invalid", 4, 12},
      {"  timeout: 0\n", "config-invalid", 4, 12},
      {"  timeout: 1s\n", "config-invalid", 4, 12},
      {"  timeout: nan\n", "config-invalid", 4, 12},
      {"  max_age: 1y\n", "config-invalid", 4, 12},
      {"  max_age: -5\n", "config-invalid", 4, 12},
      {"  check_fragments: yes\n", "config-invalid", 4, 20},
      {"  user_agent: \"a\\nb\"\n", "config-invalid", 4, 15},
      {"  retries: 1\n  retries: 2\n", "config-invalid", 5, 3},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char yml[512];
    snprintf(yml, sizeof yml, "%s%s", head, bad[i].body);
    expect_error(yml, bad[i].code, bad[i].line, bad[i].col, __LINE__);
  }
  EXPECT_ERROR("title: T\nlocales: [en-us]\nexternal: [a]\n", "config-invalid", 3, 11);
}

static void test_durations(void) {
  long s = -1;
  CHECK(config_parse_duration("3600", &s) && s == 3600);
  CHECK(config_parse_duration("0", &s) && s == 0);
  CHECK(config_parse_duration("90s", &s) && s == 90);
  CHECK(config_parse_duration("30m", &s) && s == 1800);
  CHECK(config_parse_duration("12h", &s) && s == 43200);
  CHECK(config_parse_duration("1d", &s) && s == 86400);
  CHECK(config_parse_duration("3650d", &s) && s == 3650L * 86400);
  s = -1;
  CHECK(!config_parse_duration("", &s));
  CHECK(!config_parse_duration("d", &s));
  CHECK(!config_parse_duration("1 d", &s));
  CHECK(!config_parse_duration("1w", &s));
  CHECK(!config_parse_duration("1dd", &s));
  CHECK(!config_parse_duration("-1", &s));
  CHECK(!config_parse_duration("3651d", &s));
  CHECK(!config_parse_duration("9999999999", &s));
  CHECK_INT(s, -1);
}

static void test_unreadable(void) {
  arena *a = arena_new();
  diag_list d = {0};
  site_config cfg;
  char *dir = test_mkdtemp();
  CHECK_INT(config_load(a, dir, &cfg, &d), -1);
  CHECK_DIAG(&d, "config-unreadable", 0, 0);
  char *file = path_join(dir, "folio.yml");
  CHECK_STR(d.count ? d.items[0].file : NULL, file);
  free(file);
  test_rmdir(dir);
  diag_list_free(&d);
  arena_free(a);
}

/* A key given twice must not crash config_load: YAML (libyaml) does not
 * reject duplicate keys, so config.c sees both. config_load runs in a child
 * process, so that a crash is reported as a failed check instead of ending
 * the whole test program. Returns 0 when the child found either an error
 * or the last value winning; 1 for a wrong result; 128+signal for a crash. */
static int load_in_child(const char *yml, size_t expect_locales, size_t expect_external) {
  char *dir = test_mkdtemp();
  test_write(dir, "folio.yml", yml);
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    exit(2);
  }
  if (pid == 0) {
    arena *a = arena_new();
    diag_list d = {0};
    site_config cfg;
    int rc = config_load(a, dir, &cfg, &d);
    _exit(rc < 0 || (cfg.nlocales == expect_locales && cfg.nexternal == expect_external) ? 0 : 1);
  }
  int status = 0, result = -1;
  if (waitpid(pid, &status, 0) == pid)
    result = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  test_rmdir(dir);
  return result;
}

static void test_video_hosts(void) {
  arena *a = arena_new();
  diag_list d = {0};
  site_config cfg;
  char *dir;
  /* The list replaces the default one. */
  CHECK_INT(load(a, "title: T\nlocales: [en-us]\nvideo_hosts: [player.vimeo.com, videos.example.org]\n",
                 &dir, &cfg, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK_INT(cfg.nvideo_hosts, 2);
  CHECK_STR(cfg.video_hosts[1], "videos.example.org");
  test_rmdir(dir);
  /* An empty list allows no host. */
  CHECK_INT(load(a, "title: T\nlocales: [en-us]\nvideo_hosts: []\n", &dir, &cfg, &d), 0);
  CHECK_INT(cfg.nvideo_hosts, 0);
  test_rmdir(dir);
  diag_list_free(&d);
  arena_free(a);
  /* Not a list, or not host names (upper case, a scheme, a path), at the item. */
  EXPECT_ERROR("title: T\nlocales: [en-us]\nvideo_hosts: www.youtube.com\n", "config-invalid", 3, 14);
  EXPECT_ERROR("title: T\nlocales: [en-us]\nvideo_hosts: [Player.Vimeo.com]\n", "config-invalid", 3,
               15);
  EXPECT_ERROR("title: T\nlocales: [en-us]\nvideo_hosts: [ok.example, https://x.example]\n",
               "config-invalid", 3, 27);
  EXPECT_ERROR("title: T\nlocales: [en-us]\nvideo_hosts:\n  - x.example/path\n", "config-invalid", 4,
               5);
}

static void test_duplicate_keys(void) {
  /* A second, shorter 'locales' list. */
  CHECK_INT(load_in_child("title: T\nlocales: [en-us, de-de, fr-fr]\nlocales: [en-us]\n", 1, 0),
            0);
  /* A second, shorter 'external_links' mapping. */
  CHECK_INT(load_in_child("title: T\nlocales: [en-us]\n"
                          "external_links:\n  /a/: https://a/\n  /b/: https://b/\n"
                          "  /c/: https://c/\n"
                          "external_links:\n  /d/: https://d/\n",
                          1, 1),
            0);
  /* The same with one 'locales' key is fine (the control). */
  CHECK_INT(load_in_child("title: T\nlocales: [en-us]\n", 1, 0), 0);
}

/* redirects: where Learn's redirection file is and which folder of the
 * repository its source paths name. */
static void test_redirects(void) {
  arena *a = arena_new();
  diag_list d = {0};
  site_config cfg;
  char *dir;
  /* Defaults: the file at the project root (optional), and the source
   * locale's content folder as the root of source paths. */
  CHECK_INT(load(a, "title: T\nlocales: [en-us]\npaths:\n  content: ./docs/\n", &dir, &cfg, &d), 0);
  CHECK_NO_DIAGS(&d);
  CHECK(!cfg.redirect_files_given);
  if (CHECK_INT(cfg.nredirect_files, 1))
    CHECK_PATH(cfg.redirect_files[0], dir, ".openpublishing.redirection.json");
  CHECK_STR(cfg.redirect_root, "docs/en-us");
  test_rmdir(dir);
  /* Given: one file or a list, and a source_root. */
  CHECK_INT(load(a,
                 "title: T\nlocales: [en-us]\nredirects:\n  file: [a.json, sub/b.json]\n"
                 "  source_root: ./articles/\n",
                 &dir, &cfg, &d),
            0);
  CHECK_NO_DIAGS(&d);
  CHECK(cfg.redirect_files_given);
  if (CHECK_INT(cfg.nredirect_files, 2))
    CHECK_PATH(cfg.redirect_files[1], dir, "sub/b.json");
  CHECK_STR(cfg.redirect_root, "articles");
  test_rmdir(dir);
  CHECK_INT(load(a, "title: T\nlocales: [en-us]\nredirects:\n  source_root: ~\n", &dir, &cfg, &d), 0);
  CHECK_STR(cfg.redirect_root, "");
  test_rmdir(dir);
  diag_list_free(&d);
  arena_free(a);
  EXPECT_ERROR("title: T\nlocales: [en-us]\nredirects: a.json\n", "config-invalid", 3, 12);
  EXPECT_ERROR("title: T\nlocales: [en-us]\nredirects:\n  files: a.json\n", "config-unknown-key",
               4, 3);
  EXPECT_ERROR("title: T\nlocales: [en-us]\nredirects:\n  source_root: [a]\n", "config-invalid",
               4, 16);
}

/* external_links: "/" is a prefix too (the catch-all). */
static void test_external_catch_all(void) {
  arena *a = arena_new();
  diag_list d = {0};
  site_config cfg;
  char *dir;
  CHECK_INT(load(a,
                 "title: T\nlocales: [en-us]\nexternal_links:\n"
                 "  /: https://learn.microsoft.com/{locale}/\n",
                 &dir, &cfg, &d),
            0);
  CHECK_NO_DIAGS(&d);
  if (CHECK_INT(cfg.nexternal, 1))
    CHECK_STR(cfg.external[0].prefix, "/");
  test_rmdir(dir);
  diag_list_free(&d);
  arena_free(a);
}

int main(void) {
  RUN(test_minimal_defaults);
  RUN(test_full);
  RUN(test_relative_root);
  RUN(test_errors);
  RUN(test_external_valid_kept);
  RUN(test_external_check);
  RUN(test_durations);
  RUN(test_limits);
  RUN(test_unreadable);
  RUN(test_duplicate_keys);
  RUN(test_redirects);
  RUN(test_external_catch_all);
  RUN(test_video_hosts);
  return test_done();
}
