/* test_extcheck: the external-link checker against the local servers of
 * run.py (never the internet): each route's outcome exactly, the cache (a
 * second run makes no request), the per-host and global limits, the anchor
 * scanner and the cache file's parser on hostile input.
 *
 * usage: test_extcheck PORT PORT2 CLOSED_PORT TMPDIR (run.py passes them)
 *
 * Links only with folio_external (and libcurl, to read the servers' counts),
 * so it has its own tiny check macros rather than tests/unit/test.h. */
#include <curl/curl.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "extanchor.h"
#include "extcache.h"
#include "extcheck.h"

static int passed, failed;
static const char *current = "";

static bool check(bool ok, int line, const char *expr) {
  if (ok) {
    passed++;
  } else {
    failed++;
    fprintf(stderr, "test_extcheck.c:%d: FAILED in %s: %s\n", line, current, expr);
  }
  return ok;
}

static bool check_int(long long a, long long b, int line, const char *expr) {
  if (!check(a == b, line, expr))
    fprintf(stderr, "    got %lld, expected %lld\n", a, b);
  return a == b;
}

static bool check_str(const char *a, const char *b, int line, const char *expr) {
  bool ok = (!a && !b) || (a && b && strcmp(a, b) == 0);
  if (!check(ok, line, expr))
    fprintf(stderr, "    got \"%s\"\n    expected \"%s\"\n", a ? a : "(null)", b ? b : "(null)");
  return ok;
}

static bool check_has(const char *s, const char *part, int line, const char *expr) {
  bool ok = s && strstr(s, part);
  if (!check(ok, line, expr))
    fprintf(stderr, "    \"%s\" does not contain \"%s\"\n", s ? s : "(null)", part);
  return ok;
}

#define CHECK(c) check((c), __LINE__, #c)
#define CHECK_INT(a, b) check_int((long long)(a), (long long)(b), __LINE__, #a " == " #b)
#define CHECK_STR(a, b) check_str((a), (b), __LINE__, #a " == " #b)
#define CHECK_HAS(s, part) check_has((s), (part), __LINE__, #s " has " #part)
#define RUN(fn)                                                                                \
  do {                                                                                         \
    current = #fn;                                                                             \
    fn();                                                                                      \
  } while (0)

static int port, port2, closed_port;
static const char *tmpdir;

/* http://127.0.0.1:PORT/path, interned: the same URL is the same pointer
 * for the whole run (results point at the links' URLs). */
static char *interned[512];
static size_t ninterned;

static const char *at(int p, const char *path) {
  char b[600];
  snprintf(b, sizeof b, "http://127.0.0.1:%d%s", p, path);
  for (size_t i = 0; i < ninterned; i++)
    if (strcmp(interned[i], b) == 0)
      return interned[i];
  if (ninterned == sizeof interned / sizeof interned[0]) {
    fputs("test_extcheck: too many URLs\n", stderr);
    exit(2);
  }
  return interned[ninterned++] = strdup(b);
}
static const char *u(const char *path) { return at(port, path); }

/* ---- the servers' counts ---- */

typedef struct {
  char text[16384];
  size_t len;
} page;

static size_t collect(char *data, size_t size, size_t n, void *p) {
  page *pg = p;
  size_t len = size * n;
  if (pg->len + len >= sizeof pg->text)
    return 0;
  memcpy(pg->text + pg->len, data, len);
  pg->len += len;
  pg->text[pg->len] = '\0';
  return len;
}

static page stats;

static void fetch(const char *path) {
  CURL *e = curl_easy_init();
  stats.len = 0;
  stats.text[0] = '\0';
  curl_easy_setopt(e, CURLOPT_URL, u(path));
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &stats);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 5000L);
  if (curl_easy_perform(e) != CURLE_OK) {
    fprintf(stderr, "test_extcheck: cannot reach the test server for %s\n", path);
    exit(2);
  }
  curl_easy_cleanup(e);
}

static void server_reset(void) { fetch("/__reset"); }

/* Read /__stats; the requests for "METHOD PATH" (and their spread in ms). */
static int requests_for(const char *method, const char *path, int *spread_ms) {
  char want[300];
  snprintf(want, sizeof want, "\n%s %s ", method, path);
  char text[sizeof stats.text + 1] = "\n";
  strcat(text, stats.text);
  const char *p = strstr(text, want);
  int n = 0, ms = 0;
  if (p)
    sscanf(p + strlen(want), "%d %d", &n, &ms);
  if (spread_ms)
    *spread_ms = ms;
  return n;
}

static int stat_value(const char *name) {
  char want[64];
  snprintf(want, sizeof want, "%s ", name);
  const char *p = strstr(stats.text, want);
  return p ? atoi(p + strlen(want)) : -1;
}

static void server_stats(void) { fetch("/__stats"); }

/* ---- running the checker ---- */

static extcheck_settings quick_settings(void) {
  extcheck_settings s;
  extcheck_settings_init(&s);
  s.user_agent = "folio/test (+link checker)";
  s.connect_timeout_ms = 2000;
  s.request_timeout_ms = 1000;
  s.url_timeout_ms = 8000;
  s.max_retries = 2;
  s.retry_base_ms = 100;
  s.retry_max_wait_ms = 3000;
  return s;
}

static extcheck_link *make_links(const char *const *urls, size_t n) {
  extcheck_link *l = calloc(n, sizeof *l);
  for (size_t i = 0; i < n; i++) {
    l[i].url = urls[i];
    l[i].data = (void *)(urls + i);
  }
  return l;
}

static const extcheck_result *find(const extcheck_report *r, const char *url) {
  for (size_t i = 0; i < r->count; i++)
    if (r->results[i].url && strcmp(r->results[i].url, url) == 0)
      return &r->results[i];
  fprintf(stderr, "no result for %s\n", url);
  exit(2);
}

/* One result, every field the caller acts on. */
static void expect(int line, const extcheck_report *r, const char *url, extcheck_status st,
                   int code, const char *final, const char *moved) {
  const extcheck_result *x = find(r, url);
  char what[400];
  snprintf(what, sizeof what, "%.300s: status", url);
  if (!check_str(extcheck_status_name(x->status), extcheck_status_name(st), line, what))
    fprintf(stderr, "    message: %s\n", x->message);
  snprintf(what, sizeof what, "%.300s: http_code", url);
  check_int(x->http_code, code, line, what);
  snprintf(what, sizeof what, "%.300s: final_url", url);
  check_str(x->final_url, final, line, what);
  snprintf(what, sizeof what, "%.300s: moved_to", url);
  check_str(x->moved_to, moved, line, what);
  snprintf(what, sizeof what, "%.300s: has a message", url);
  check(x->message != NULL, line, what);
}
#define EXPECT(...) expect(__LINE__, __VA_ARGS__)

static double seconds_since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- the outcome of every route, in one run ---- */

static void test_outcomes(void) {
  server_reset();
  char closed[64];
  snprintf(closed, sizeof closed, "http://127.0.0.1:%d/anything", closed_port);
  const char *urls[] = {
      u("/ok"), u("/nohead"), u("/headfail"), u("/ua"), u("/moved"), u("/moved308"),
      u("/found"), u("/perm-then-temp"), u("/temp-then-perm"), u("/loop"), u("/chain/3"),
      u("/chain/11"), u("/ftp-redirect"), u("/missing"), u("/gone"), u("/flaky"), u("/down"),
      u("/busy"), u("/busy-date"), u("/busy-bad"), u("/busy-long"), u("/slow"),
      u("/slowloris"), u("/bigheaders"), u("/hugeheader"), closed,
      /* Fragments: one GET of /page serves them all. */
      u("/page#setup"), u("/page#legacy"), u("/page#single"), u("/page#unquoted"),
      u("/page#caf%C3%A9"), u("/page#UPPER"), u("/page#top"), u("/page#hidden"),
      u("/page#inscript"), u("/page#instyle"), u("/page#q"), u("/page#notanid"),
      u("/page-long#late"), u("/pdf#anything"), u("/missing#setup"), u("/moved#x"),
      /* The same URL again: not requested twice. */
      u("/ok"), u("/ok#top"),
      /* Never requested. */
      "https://excluded.example/docs", "mailto:someone@example.com", "ftp://ftp.example/f",
      "javascript:alert(1)", "http://", "/relative/path", "http://bad host/",
  };
  size_t n = sizeof urls / sizeof urls[0];
  extcheck_link *links = make_links(urls, n);
  extcheck_settings s = quick_settings();
  s.check_fragments = true;
  s.max_body_bytes = 64 * 1024;
  const char *exclude[] = {"^https?://excluded\\.example/"};
  s.exclude = exclude;
  s.nexclude = 1;
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  extcheck_report r;
  CHECK_INT(extcheck_run(&s, links, n, &r), EXTCHECK_RUN_OK);
  double took = seconds_since(&t0);
  CHECK(took < 10);
  CHECK_INT(r.count, n);
  /* Input order, whatever the completion order. */
  for (size_t i = 0; i < n && i < r.count; i++) {
    CHECK(r.results[i].url == urls[i]);
    CHECK(r.results[i].data == (void *)(urls + i));
    CHECK(!r.results[i].cached);
  }

  EXPECT(&r, u("/ok"), EXTCHECK_OK, 200, u("/ok"), NULL);
  CHECK_STR(find(&r, u("/ok"))->message, "200 OK");
  EXPECT(&r, u("/nohead"), EXTCHECK_OK, 200, u("/nohead"), NULL);
  EXPECT(&r, u("/headfail"), EXTCHECK_OK, 200, u("/headfail"), NULL);
  EXPECT(&r, u("/ua"), EXTCHECK_OK, 200, u("/ua"), NULL);
  EXPECT(&r, u("/moved"), EXTCHECK_REDIRECTED, 200, u("/target/moved"), u("/target/moved"));
  CHECK_HAS(find(&r, u("/moved"))->message, "use http://");
  EXPECT(&r, u("/moved308"), EXTCHECK_REDIRECTED, 200, u("/target/moved308"),
         u("/target/moved308"));
  EXPECT(&r, u("/found"), EXTCHECK_OK, 200, u("/target/found"), NULL);
  /* Permanent then temporary: use the URL the permanent hop named. */
  EXPECT(&r, u("/perm-then-temp"), EXTCHECK_REDIRECTED, 200, u("/target/ptt"),
         u("/perm-then-temp-2"));
  /* Temporary first: the link is right as it is. */
  EXPECT(&r, u("/temp-then-perm"), EXTCHECK_OK, 200, u("/target/ttp"), NULL);
  EXPECT(&r, u("/loop"), EXTCHECK_BROKEN, 302, u("/loop-2"), NULL);
  CHECK_HAS(find(&r, u("/loop"))->message, "redirect loop");
  EXPECT(&r, u("/chain/3"), EXTCHECK_OK, 200, u("/chain/0"), NULL);
  EXPECT(&r, u("/chain/11"), EXTCHECK_BROKEN, 302, u("/chain/1"), NULL);
  CHECK_HAS(find(&r, u("/chain/11"))->message, "more than 10 redirects");
  EXPECT(&r, u("/ftp-redirect"), EXTCHECK_BROKEN, 302, u("/ftp-redirect"), NULL);
  CHECK_HAS(find(&r, u("/ftp-redirect"))->message, "not an http(s) URL");
  EXPECT(&r, u("/missing"), EXTCHECK_BROKEN, 404, u("/missing"), NULL);
  CHECK_STR(find(&r, u("/missing"))->message, "404 Not Found");
  EXPECT(&r, u("/gone"), EXTCHECK_BROKEN, 410, u("/gone"), NULL);
  EXPECT(&r, u("/flaky"), EXTCHECK_OK, 200, u("/flaky"), NULL);
  EXPECT(&r, u("/down"), EXTCHECK_BROKEN, 503, u("/down"), NULL);
  CHECK_STR(find(&r, u("/down"))->message, "503 Service Unavailable (3 attempts)");
  EXPECT(&r, u("/busy"), EXTCHECK_OK, 200, u("/busy"), NULL);
  EXPECT(&r, u("/busy-date"), EXTCHECK_OK, 200, u("/busy-date"), NULL);
  EXPECT(&r, u("/busy-bad"), EXTCHECK_OK, 200, u("/busy-bad"), NULL);
  EXPECT(&r, u("/busy-long"), EXTCHECK_BROKEN, 429, u("/busy-long"), NULL);
  CHECK_HAS(find(&r, u("/busy-long"))->message, "retry in 3600 s");
  EXPECT(&r, u("/slow"), EXTCHECK_TIMEOUT, 0, u("/slow"), NULL);
  EXPECT(&r, u("/slowloris"), EXTCHECK_TIMEOUT, 0, u("/slowloris"), NULL);
  EXPECT(&r, u("/bigheaders"), EXTCHECK_BROKEN, 200, u("/bigheaders"), NULL);
  CHECK_HAS(find(&r, u("/bigheaders"))->message, "headers larger than 65536 bytes");
  CHECK_INT(find(&r, u("/hugeheader"))->status, EXTCHECK_BROKEN); /* libcurl's own limit */
  EXPECT(&r, closed, EXTCHECK_BROKEN, 0, closed, NULL);
  CHECK_HAS(find(&r, closed)->message, "(3 attempts)");

  const char *found[] = {"/page#setup", "/page#legacy", "/page#single", "/page#unquoted",
                         "/page#caf%C3%A9", "/page#UPPER", "/page#top"};
  for (size_t i = 0; i < sizeof found / sizeof found[0]; i++) {
    EXPECT(&r, u(found[i]), EXTCHECK_OK, 200, u("/page"), NULL);
    CHECK(!find(&r, u(found[i]))->fragment_missing);
  }
  /* In a comment, in script or style text, name= on <input>, data-id=. */
  const char *missing[] = {"/page#hidden", "/page#inscript", "/page#instyle", "/page#q",
                           "/page#notanid"};
  for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
    EXPECT(&r, u(missing[i]), EXTCHECK_BROKEN, 200, u("/page"), NULL);
    CHECK(find(&r, u(missing[i]))->fragment_missing);
  }
  CHECK_STR(find(&r, u("/page#hidden"))->message, "#hidden not found on the page");
  EXPECT(&r, u("/page-long#late"), EXTCHECK_BROKEN, 200, u("/page-long"), NULL);
  CHECK_STR(find(&r, u("/page-long#late"))->message,
            "#late not found in the first 65536 bytes of the page");
  EXPECT(&r, u("/pdf#anything"), EXTCHECK_OK, 200, u("/pdf"), NULL);
  CHECK_HAS(find(&r, u("/pdf#anything"))->message, "not checked: not an HTML page");
  EXPECT(&r, u("/missing#setup"), EXTCHECK_BROKEN, 404, u("/missing"), NULL);
  CHECK(!find(&r, u("/missing#setup"))->fragment_missing);
  /* The fragment is looked for on the page the redirects end at. */
  EXPECT(&r, u("/moved#x"), EXTCHECK_BROKEN, 200, u("/target/moved"), u("/target/moved"));
  CHECK(find(&r, u("/moved#x"))->fragment_missing);

  EXPECT(&r, "https://excluded.example/docs", EXTCHECK_EXCLUDED, 0, NULL, NULL);
  EXPECT(&r, "mailto:someone@example.com", EXTCHECK_UNSUPPORTED, 0, NULL, NULL);
  EXPECT(&r, "ftp://ftp.example/f", EXTCHECK_UNSUPPORTED, 0, NULL, NULL);
  EXPECT(&r, "javascript:alert(1)", EXTCHECK_UNSUPPORTED, 0, NULL, NULL);
  EXPECT(&r, "http://", EXTCHECK_UNSUPPORTED, 0, NULL, NULL);
  EXPECT(&r, "/relative/path", EXTCHECK_UNSUPPORTED, 0, NULL, NULL);
  EXPECT(&r, "http://bad host/", EXTCHECK_UNSUPPORTED, 0, NULL, NULL);

  /* What the server saw. */
  server_stats();
  int spread;
  CHECK_INT(requests_for("HEAD", "/ok", NULL), 1); /* three links, one request */
  CHECK_INT(requests_for("GET", "/ok", NULL), 0);
  CHECK_INT(requests_for("HEAD", "/nohead", NULL), 1);
  CHECK_INT(requests_for("GET", "/nohead", NULL), 1);
  CHECK_INT(requests_for("HEAD", "/headfail", NULL), 1);
  CHECK_INT(requests_for("GET", "/headfail", NULL), 1);
  CHECK_INT(requests_for("HEAD", "/flaky", NULL), 2);
  CHECK_INT(requests_for("HEAD", "/down", NULL), 3);
  CHECK_INT(requests_for("HEAD", "/loop", NULL), 1);
  CHECK_INT(requests_for("HEAD", "/loop-2", NULL), 1);
  CHECK_INT(requests_for("HEAD", "/busy-long", NULL), 1);
  CHECK_INT(requests_for("HEAD", "/busy", &spread), 2);
  CHECK(spread >= 950 && spread < 2500); /* Retry-After: 1, not the 100 ms backoff */
  CHECK_INT(requests_for("HEAD", "/busy-date", &spread), 2);
  CHECK(spread < 2500);
  CHECK_INT(requests_for("HEAD", "/busy-bad", &spread), 2);
  CHECK(spread >= 90 && spread < 900); /* an invalid Retry-After: the backoff */
  CHECK_INT(requests_for("HEAD", "/slow", NULL), 1); /* timeouts are not retried */
  CHECK_INT(requests_for("GET", "/page", NULL), 1);  /* every fragment, one page */
  CHECK_INT(requests_for("HEAD", "/page", NULL), 0);
  /* /moved and /moved#x: one target, fetched with GET for the fragment. */
  CHECK_INT(requests_for("GET", "/target/moved", NULL), 1);
  CHECK_INT(requests_for("HEAD", "/target/moved", NULL), 0);
  CHECK_INT(stat_value("total") + 3, r.requests); /* 3 to the closed port */
  CHECK_INT(r.from_cache, 0);
  extcheck_report_free(&r);
  free(links);
}

/* ---- the cache file ---- */

static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *s = malloc(1 << 20);
  size_t n = fread(s, 1, (1 << 20) - 1, f);
  s[n] = '\0';
  fclose(f);
  return s;
}

static void write_all(const char *path, const char *text, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
    perror(path);
    exit(2);
  }
}

/* No temporary file of the atomic write is left beside the cache. */
static bool no_temp_files(void) {
  DIR *d = opendir(tmpdir);
  bool clean = d != NULL;
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL)
    if (strstr(e->d_name, ".tmp"))
      clean = false;
  if (d)
    closedir(d);
  return clean;
}

static void test_cache(void) {
  char path[512];
  snprintf(path, sizeof path, "%s/links.cache", tmpdir);
  unlink(path);
  const char *urls[] = {u("/ok"), u("/moved"), u("/found"), u("/missing"), u("/page#setup"),
                        u("/page#nope"), u("/nohead"), u("/flaky")};
  size_t n = sizeof urls / sizeof urls[0];
  extcheck_link *links = make_links(urls, n);
  extcheck_settings s = quick_settings();
  s.check_fragments = true;
  s.cache_path = path;
  s.cache_max_age_s = 3600;

  server_reset();
  extcheck_report first;
  CHECK_INT(extcheck_run(&s, links, n, &first), EXTCHECK_RUN_OK);
  CHECK(first.requests > 0);
  CHECK_INT(first.from_cache, 0);
  CHECK(no_temp_files());
  char *text = read_all(path);
  CHECK(text && strncmp(text, EXTCACHE_MAGIC "\n", strlen(EXTCACHE_MAGIC) + 1) == 0);
  free(text);

  /* Second run: every answer from the file, not one request. */
  server_reset();
  extcheck_report second;
  CHECK_INT(extcheck_run(&s, links, n, &second), EXTCHECK_RUN_OK);
  server_stats();
  CHECK_INT(stat_value("total"), 0);
  CHECK_INT(second.requests, 0);
  CHECK_INT(second.from_cache, n);
  for (size_t i = 0; i < n; i++) {
    const extcheck_result *a = &first.results[i], *b = &second.results[i];
    CHECK(b->cached);
    CHECK(b->url == urls[i] && b->data == (void *)(urls + i));
    CHECK_INT(b->status, a->status);
    CHECK_INT(b->http_code, a->http_code);
    CHECK_STR(b->final_url, a->final_url);
    CHECK_STR(b->moved_to, a->moved_to);
    CHECK_STR(b->message, a->message);
    CHECK_INT(b->fragment_missing, a->fragment_missing);
    CHECK_INT(b->checked, a->checked);
  }
  extcheck_report_free(&first);
  extcheck_report_free(&second);

  /* Passing troubles (5xx after retries) are not cached: asked again. */
  const char *down[] = {u("/down"), u("/ok")};
  extcheck_link *dl = make_links(down, 2);
  extcheck_report r;
  for (int round = 0; round < 2; round++) {
    server_reset();
    CHECK_INT(extcheck_run(&s, dl, 2, &r), EXTCHECK_RUN_OK);
    server_stats();
    CHECK_INT(requests_for("HEAD", "/down", NULL), 3);
    CHECK_INT(stat_value("total"), 3); /* /ok came from the cache */
    CHECK(!r.results[0].cached && r.results[1].cached);
    extcheck_report_free(&r);
  }
  free(dl);

  /* max_age 0: nothing is fresh. */
  s.cache_max_age_s = 0;
  server_reset();
  CHECK_INT(extcheck_run(&s, links, n, &r), EXTCHECK_RUN_OK);
  CHECK_INT(r.from_cache, 0);
  server_stats();
  CHECK(stat_value("total") >= (int)n - 1);
  extcheck_report_free(&r);
  free(links);
}

static void test_cache_hostile(void) {
  char path[512];
  snprintf(path, sizeof path, "%s/hostile.cache", tmpdir);
  char now[32], future[32];
  snprintf(now, sizeof now, "%lld", (long long)time(NULL));
  snprintf(future, sizeof future, "%lld", (long long)time(NULL) + 100000);
  char good[600];
  snprintf(good, sizeof good, "%s\t%s\tok\t200\t%s\t-\tfrom the file\n", u("/ok"), now, u("/ok"));
  char lines[8192];
  int len = snprintf(
      lines, sizeof lines,
      "%s\n"
      "garbage\n"
      "\t\t\t\t\t\t\n"
      "%s\t%s\tok\t200\t-\t-\ttoo\tmany\n"
      "%s\t%s\tok\t200\t-\t-\tin the future\n"
      "%s\t%s\tweird\t200\t-\t-\tunknown status\n"
      "%s\t%s\tok\t9999\t-\t-\tcode too long\n"
      "%s\t%s\tok\t404\t-\t-\tok with a 404\n"
      "%s\t%s\tredirected\t200\t-\t-\tredirected without moved_to\n"
      "%s\t-5\tbroken\t404\t-\t-\tnegative time\n"
      "%s\t99999999999999999999999\tbroken\t404\t-\t-\thuge time\n"
      "file:///etc/passwd\t%s\tok\t200\t-\t-\tnot http\n"
      "%s\t%s\tbroken\t404\tjavascript:x\t-\tbad final url\n"
      "%s",
      EXTCACHE_MAGIC, u("/missing"), now, u("/missing"), future, u("/missing"), now,
      u("/missing"), now, u("/missing"), now, u("/missing"), now, u("/missing"), u("/missing"),
      now, u("/missing"), now, good);
  /* Binary junk, a NUL in a line, a line of 200 KB, no final newline. */
  size_t cap = (size_t)len + 300000;
  char *file = malloc(cap);
  memcpy(file, lines, (size_t)len);
  size_t o = (size_t)len;
  const char junk[] = "\x01\x02\xff\xfe\t\x80\n" "abc\0def\t1\tok\t200\t-\t-\tx\n";
  memcpy(file + o, junk, sizeof junk - 1);
  o += sizeof junk - 1;
  memset(file + o, 'x', 200000);
  o += 200000;
  file[o++] = '\n';
  memcpy(file + o, "http://a/\t1\tok", 14);
  o += 14;
  write_all(path, file, o);
  free(file);

  const char *urls[] = {u("/ok"), u("/missing")};
  extcheck_link *links = make_links(urls, 2);
  extcheck_settings s = quick_settings();
  s.cache_path = path;
  server_reset();
  extcheck_report r;
  CHECK_INT(extcheck_run(&s, links, 2, &r), EXTCHECK_RUN_OK);
  CHECK(r.results[0].cached);
  CHECK_STR(r.results[0].message, "from the file");
  CHECK(!r.results[1].cached); /* every /missing line was refused */
  CHECK_INT(r.results[1].http_code, 404);
  server_stats();
  CHECK_INT(stat_value("total"), 1);
  extcheck_report_free(&r);

  /* What was written back loads cleanly: two entries, nothing skipped. */
  extcache c = {0};
  CHECK_INT(extcache_load(&c, path, time(NULL)), 0);
  CHECK_INT(c.count, 2);
  extcache_free(&c);

  /* Another format's file is ignored as a whole. */
  snprintf(lines, sizeof lines, "# some other cache v9\n%s", good);
  write_all(path, lines, strlen(lines));
  server_reset();
  CHECK_INT(extcheck_run(&s, links, 1, &r), EXTCHECK_RUN_OK);
  CHECK(!r.results[0].cached);
  extcheck_report_free(&r);

  /* A FIFO where the cache should be: not read (it would block), replaced. */
  char fifo[600];
  snprintf(fifo, sizeof fifo, "%s/fifo.cache", tmpdir);
  if (CHECK(mkfifo(fifo, 0600) == 0)) {
    s.cache_path = fifo;
    CHECK_INT(extcheck_run(&s, links, 1, &r), EXTCHECK_RUN_OK);
    CHECK(!r.results[0].cached);
    extcheck_report_free(&r);
    struct stat st;
    CHECK(stat(fifo, &st) == 0 && S_ISREG(st.st_mode));
  }

  /* A cache that cannot be written: the results are all there anyway. */
  char bad[600];
  snprintf(bad, sizeof bad, "%s/no/such/folder/links.cache", tmpdir);
  s.cache_path = bad;
  CHECK_INT(extcheck_run(&s, links, 2, &r), EXTCHECK_RUN_CACHE_FAILED);
  CHECK_HAS(r.error, "cannot write the link cache");
  CHECK_INT(r.count, 2);
  CHECK_INT(r.results[0].status, EXTCHECK_OK);
  CHECK_INT(r.results[1].status, EXTCHECK_BROKEN);
  extcheck_report_free(&r);
  free(links);
}

/* The file's own round trip: messages with tabs and newlines stay one line. */
static void test_cache_file(void) {
  char path[512];
  snprintf(path, sizeof path, "%s/unit.cache", tmpdir);
  extcache c = {0};
  time_t now = time(NULL);
  extcache_put(&c, &(extcache_entry){.url = "https://b.example/", .checked = now,
                                     .status = EXTCHECK_BROKEN, .http_code = 404,
                                     .message = "404\tNot\nFound"});
  extcache_put(&c, &(extcache_entry){.url = "https://a.example/", .checked = now,
                                     .status = EXTCHECK_REDIRECTED, .http_code = 200,
                                     .final_url = "https://c.example/",
                                     .moved_to = "https://c.example/", .message = "moved"});
  extcache_put(&c, &(extcache_entry){.url = "https://b.example/", .checked = now,
                                     .status = EXTCHECK_OK, .http_code = 200,
                                     .message = "the later put wins"});
  extcache_put(&c, &(extcache_entry){.url = "https://old.example/", .checked = now - 7200,
                                     .status = EXTCHECK_OK, .http_code = 200, .message = "old"});
  extcache_prune(&c, now, 3600);
  CHECK_INT(extcache_save(&c, path), 0);
  extcache_free(&c);
  CHECK_INT(extcache_load(&c, path, now), 0);
  if (CHECK_INT(c.count, 2)) {
    CHECK_STR(c.items[0].url, "https://a.example/");
    CHECK_STR(c.items[0].moved_to, "https://c.example/");
    CHECK_STR(c.items[1].message, "the later put wins");
  }
  const extcache_entry *e = extcache_find(&c, "https://a.example/");
  CHECK(e && e->status == EXTCHECK_REDIRECTED);
  extcache_free(&c);
  extcache_put(&c, &(extcache_entry){.url = "https://b.example/", .checked = now,
                                     .status = EXTCHECK_BROKEN, .http_code = 404,
                                     .message = "a\tb\nc"});
  CHECK_INT(extcache_save(&c, path), 0);
  extcache_free(&c);
  char *text = read_all(path);
  CHECK_HAS(text, "\ta b c\n");
  free(text);
}

/* ---- limits ---- */

static void test_per_host_limit(void) {
  const char *urls[8];
  char paths[8][32];
  for (int i = 0; i < 8; i++) {
    snprintf(paths[i], sizeof paths[i], "/conc/%d", i);
    urls[i] = u(paths[i]);
  }
  extcheck_link *links = make_links(urls, 8);
  extcheck_settings s = quick_settings();
  s.max_per_host = 2;
  server_reset();
  extcheck_report r;
  CHECK_INT(extcheck_run(&s, links, 8, &r), EXTCHECK_RUN_OK);
  for (size_t i = 0; i < r.count; i++)
    CHECK_INT(r.results[i].status, EXTCHECK_OK);
  server_stats();
  CHECK_INT(stat_value("maxconc"), 2); /* never more, and in parallel */
  extcheck_report_free(&r);
  free(links);
}

static void test_global_limit(void) {
  const char *urls[12];
  char paths[12][32];
  for (int i = 0; i < 12; i++) {
    snprintf(paths[i], sizeof paths[i], "/conc/%d", i);
    urls[i] = at(i % 2 ? port2 : port, paths[i]);
  }
  extcheck_link *links = make_links(urls, 12);
  extcheck_settings s = quick_settings();
  s.max_per_host = 3;
  s.max_concurrency = 4;
  server_reset();
  extcheck_report r;
  CHECK_INT(extcheck_run(&s, links, 12, &r), EXTCHECK_RUN_OK);
  for (size_t i = 0; i < r.count; i++)
    CHECK_INT(r.results[i].status, EXTCHECK_OK);
  server_stats();
  CHECK_INT(stat_value("maxconc"), 4); /* two servers, one count */
  CHECK_INT(stat_value("total"), 12);
  extcheck_report_free(&r);
  free(links);
}

static void test_settings(void) {
  extcheck_settings s = quick_settings();
  const char *bad[] = {"(unclosed"};
  s.exclude = bad;
  s.nexclude = 1;
  extcheck_link one = {u("/ok"), NULL};
  extcheck_report r;
  CHECK_INT(extcheck_run(&s, &one, 1, &r), EXTCHECK_RUN_BAD_SETTINGS);
  CHECK_HAS(r.error, "(unclosed");
  CHECK_INT(r.count, 0);
  extcheck_report_free(&r);
  s = quick_settings();
  s.max_per_host = 0;
  CHECK_INT(extcheck_run(&s, &one, 1, &r), EXTCHECK_RUN_BAD_SETTINGS);
  extcheck_report_free(&r);
  s = quick_settings();
  CHECK_INT(extcheck_run(&s, NULL, 0, &r), EXTCHECK_RUN_OK);
  CHECK_INT(r.count, 0);
  extcheck_report_free(&r);
  /* A URL budget shorter than the answer: a timeout, even with retries left. */
  s.url_timeout_ms = 300;
  extcheck_link slow = {u("/slow"), NULL};
  CHECK_INT(extcheck_run(&s, &slow, 1, &r), EXTCHECK_RUN_OK);
  CHECK_INT(r.results[0].status, EXTCHECK_TIMEOUT);
  extcheck_report_free(&r);
}

/* ---- the anchor scanner on its own ---- */

static bool has_anchor(const char *html, const char *frag) {
  return extanchor_find(html, strlen(html), frag);
}

static void test_anchor(void) {
  CHECK(has_anchor("<h2 id=\"setup\">", "setup"));
  CHECK(!has_anchor("<h2 id=\"setup\">", "Setup")); /* ids are case-sensitive */
  CHECK(has_anchor("<A NAME=legacy>", "legacy"));
  CHECK(!has_anchor("<div name=\"x\">", "x"));
  CHECK(has_anchor("<p\nclass='a'\tid = 'b c'>", "b%20c"));
  CHECK(has_anchor("<p id=\"&lt;&amp;&#x41;&#66;\">", "%3C%26AB"));
  CHECK(has_anchor("<p id=\"\xc3\xbc\">", "\xc3\xbc"));
  CHECK(has_anchor("<p id=\"\xc3\xbc\">", "%C3%BC"));
  CHECK(!has_anchor("<!-- <p id=x> -->", "x"));
  CHECK(has_anchor("<!-- a --><p id=x>", "x"));
  CHECK(!has_anchor("<script>'<p id=x>'</script>", "x"));
  CHECK(has_anchor("<script>1</SCRIPT><p id=x>", "x"));
  CHECK(!has_anchor("<p title=\"id=x\">", "x"));
  CHECK(!has_anchor("text id=x", "x"));
  CHECK(has_anchor("a < b <p id=x>", "x"));
  CHECK(has_anchor("<p id=x/>", "x/")); /* unquoted values run to space or '>' */
  CHECK(has_anchor("", "top"));
  CHECK(has_anchor("", ""));
  CHECK(has_anchor("", ":~:text=hello"));
  /* Cut short anywhere: never found, never a read past the end. */
  const char *tag = "<p class=\"a\" id=\"target\">";
  for (size_t n = 0; n < strlen(tag); n++) {
    char *copy = malloc(n ? n : 1);
    memcpy(copy, tag, n);
    CHECK(!extanchor_find(copy, n, "target") || n >= strlen(tag) - 1);
    free(copy);
  }
  CHECK(!has_anchor("<p id=\"unterminated", "unterminated"));
  CHECK(!has_anchor("<!-- never closed <p id=x>", "x"));
  CHECK(!has_anchor("<p id=\"&#99999999999999999999;\">", "x"));
  CHECK(!has_anchor("<p id=x>", "%zz"));
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: test_extcheck PORT PORT2 CLOSED_PORT TMPDIR (see run.py)\n");
    return 2;
  }
  port = atoi(argv[1]);
  port2 = atoi(argv[2]);
  closed_port = atoi(argv[3]);
  tmpdir = argv[4];
  curl_global_init(CURL_GLOBAL_DEFAULT);
  RUN(test_anchor);
  RUN(test_cache_file);
  RUN(test_settings);
  RUN(test_outcomes);
  RUN(test_cache);
  RUN(test_cache_hostile);
  RUN(test_per_host_limit);
  RUN(test_global_limit);
  curl_global_cleanup();
  for (size_t i = 0; i < ninterned; i++)
    free(interned[i]);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
