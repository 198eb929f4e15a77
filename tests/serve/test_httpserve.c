/* The preview server over a temporary site, through a small HTTP/1.0 client
 * on plain sockets: types, folders, 404 pages, refused paths, the injected
 * script, the event stream, switching the root and stopping. */
#include "serve_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>

#include "httpserve.h"

#define TAG "<script src=\"/__folio/reload.js\" defer></script>"

static char *tmp;        /* holds site-a, site-b, secret.txt, outside/ */
static char site_a[4096], site_b[4096];
static httpserve *server;
static unsigned port;
static const char *script_out; /* argv[1]: where to save the served script */

/* ---- a tiny client ---- */

static int dial(void) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    perror("connect");
    exit(2);
  }
  return fd;
}

static void send_all(int fd, const char *s) {
  size_t n = strlen(s);
  while (n) {
    ssize_t k = send(fd, s, n, MSG_NOSIGNAL);
    if (k <= 0) {
      perror("send");
      exit(2);
    }
    s += k;
    n -= (size_t)k;
  }
}

typedef struct {
  char *data; /* everything received, NUL-terminated */
  size_t len, cap;
  bool eof;
} inbox;

/* Receive into in until it holds needle (NULL: until EOF) or deadline_ms
 * passes; returns whether the condition was met. */
static bool recv_until(int fd, inbox *in, const char *needle, long long deadline_ms) {
  for (;;) {
    if (needle && in->data && strstr(in->data, needle))
      return true;
    if (in->eof)
      return needle == NULL;
    long long left = deadline_ms - test_now_ms();
    if (left <= 0)
      return false;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, (int)left) <= 0)
      continue;
    if (in->len + 65536 + 1 > in->cap) {
      in->cap = (in->len + 65536 + 1) * 2;
      in->data = realloc(in->data, in->cap);
    }
    ssize_t n = recv(fd, in->data + in->len, 65536, 0);
    if (n <= 0) {
      in->eof = true;
      n = 0;
    }
    in->len += (size_t)n;
    in->data[in->len] = '\0';
  }
}

typedef struct {
  int status;
  char type[128], location[256];
  long content_length;
  const char *body; /* into raw */
  size_t body_len;
  inbox raw;
} reply;

static void header_value(const char *head, const char *name, char *out, size_t outsz) {
  out[0] = '\0';
  size_t n = strlen(name);
  for (const char *p = strstr(head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
    if (!strncasecmp(p + 2, name, n) && p[2 + n] == ':') {
      const char *v = p + 3 + n;
      while (*v == ' ')
        v++;
      size_t k = strcspn(v, "\r\n");
      snprintf(out, outsz, "%.*s", (int)k, v);
      return;
    }
  }
}

/* One request over HTTP/1.0 (the server closes the connection after it). */
static reply request(const char *method, const char *target, const char *extra) {
  reply r = {0};
  int fd = dial();
  char req[8192];
  snprintf(req, sizeof req, "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s\r\n", method, target,
           extra ? extra : "");
  send_all(fd, req);
  if (!recv_until(fd, &r.raw, NULL, test_now_ms() + 10000))
    fprintf(stderr, "    (no complete reply to %s %s)\n", method, target);
  close(fd);
  if (!r.raw.data)
    return r;
  sscanf(r.raw.data, "HTTP/1.%*d %d", &r.status);
  char *end = strstr(r.raw.data, "\r\n\r\n");
  if (!end)
    return r;
  *end = '\0'; /* headers become a string of their own */
  header_value(r.raw.data, "Content-Type", r.type, sizeof r.type);
  header_value(r.raw.data, "Location", r.location, sizeof r.location);
  char cl[32];
  header_value(r.raw.data, "Content-Length", cl, sizeof cl);
  r.content_length = cl[0] ? atol(cl) : -1;
  r.body = end + 4;
  r.body_len = r.raw.len - (size_t)(r.body - r.raw.data);
  return r;
}

static reply get(const char *target) { return request("GET", target, NULL); }
static void reply_free(reply *r) { free(r->raw.data); }

/* ---- the site ---- */

static void make_sites(void) {
  tmp = test_mkdtemp();
  snprintf(site_a, sizeof site_a, "%s/site-a", tmp);
  snprintf(site_b, sizeof site_b, "%s/site-b", tmp);
  test_write(site_a, "index.html", "<!doctype html><html><body><p>home A</p></body></html>\n");
  test_write(site_a, "style.css", "body{}");
  test_write(site_a, "app.js", "1;");
  test_write(site_a, "data.json", "{}");
  test_write(site_a, "logo.svg", "<svg/>");
  test_write(site_a, "img.png", "\x89PNG");
  test_write(site_a, "photo.jpg", "\xff\xd8\xff");
  test_write(site_a, "anim.gif", "GIF89a");
  test_write(site_a, "pic.webp", "RIFF");
  test_write(site_a, "sitemap.xml", "<urlset/>");
  test_write(site_a, "robots.txt", "User-agent: *\n");
  test_write(site_a, "docs/index.html", "<html><BODY>docs</BODY></html>");
  test_write(site_a, "en-us/page.html", "<html><body>page</body></html>");
  test_write(site_a, "en-us/404.html", "<html><body>en-us 404</body></html>");
  test_write(site_a, "de-de/index.html", "<html><body>de</body></html>");
  test_write(site_a, "404.html", "<html><body>top 404</body></html>");
  test_write(site_a, "nobody.html", "no body tag");
  /* Outside the root: nothing of it may be served. */
  test_write(tmp, "secret.txt", "SECRET");
  test_write(tmp, "outside/x.txt", "SECRET");
  if (symlink("../secret.txt", test_path(site_a, "leak.txt")) < 0 ||
      symlink("../outside", test_path(site_a, "leakdir")) < 0) {
    perror("symlink");
    exit(2);
  }
  /* A big file, so that a response is still being sent when the root
   * changes. */
  size_t big = 16u << 20;
  char *a = malloc(big);
  memset(a, 'A', big);
  test_write_n(site_a, "big.bin", a, big);
  free(a);

  test_write(site_b, "index.html", "<html><body>home B</body></html>");
  test_write(site_b, "big.bin", "BBBB");
}

/* ---- tests ---- */

static void test_decode_path(void) {
  char out[64];
  static const char *const ok[][2] = {
      {"/", ""},
      {"/en-us/a%20b.html", "en-us/a b.html"},
      {"/docs/", "docs/"},
      {"//a//b", "a/b"},
      {"/a..b/.x/", "a..b/.x/"},
      /* Decoded once: %252e stays the three characters "%2e". */
      {"/%252e%252e/x", "%2e%2e/x"},
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    if (CHECK_INT(httpserve_decode_path(ok[i][0], out, sizeof out), 0))
      CHECK_STR(out, ok[i][1]);
  const char *refused[] = {"", "x", "/..", "/../x", "/a/../b", "/a/..", "/%2e%2e/x", "/%2E%2e",
                           "/.%2e/x", "/.", "/./x", "/a%2fb", "/a%2F..%2Fb", "/a\\b", "/a%5cb",
                           "/a%00b", "/%0a", "/%", "/%2", "/%zz",
                           "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
    if (!CHECK_INT(httpserve_decode_path(refused[i], out, sizeof out), -1))
      fprintf(stderr, "    accepted: %s\n", refused[i]);
}

static void test_types(void) {
  static const struct {
    const char *target, *type;
  } cases[] = {
      {"/", "text/html; charset=utf-8"},
      {"/style.css", "text/css; charset=utf-8"},
      {"/app.js", "text/javascript; charset=utf-8"},
      {"/data.json", "application/json"},
      {"/logo.svg", "image/svg+xml"},
      {"/img.png", "image/png"},
      {"/photo.jpg", "image/jpeg"},
      {"/anim.gif", "image/gif"},
      {"/pic.webp", "image/webp"},
      {"/sitemap.xml", "application/xml"},
      {"/robots.txt", "text/plain; charset=utf-8"},
      {"/en-us/page.html?x=1", "text/html; charset=utf-8"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    reply r = get(cases[i].target);
    int bad = !CHECK_INT(r.status, 200); /* both checked, both reported */
    bad += !CHECK_STR(r.type, cases[i].type);
    if (bad)
      fprintf(stderr, "    for %s\n", cases[i].target);
    reply_free(&r);
  }
  reply r = get("/style.css");
  CHECK(r.body_len == 6 && !memcmp(r.body, "body{}", 6));
  reply_free(&r);
  CHECK_STR(httpserve_content_type("a/B.PNG"), "image/png");
  CHECK_STR(httpserve_content_type("a.d/noext"), "application/octet-stream");
}

static void test_head_and_methods(void) {
  reply r = request("HEAD", "/style.css", NULL);
  CHECK_INT(r.status, 200);
  CHECK_STR(r.type, "text/css; charset=utf-8");
  CHECK_INT(r.content_length, 6);
  CHECK_INT(r.body_len, 0);
  reply_free(&r);
  r = request("POST", "/index.html", "Content-Length: 0\r\n");
  CHECK_INT(r.status, 405);
  reply_free(&r);
  r = request("DELETE", "/index.html", NULL);
  CHECK_INT(r.status, 405);
  reply_free(&r);
}

static void test_folders(void) {
  reply r = get("/docs/");
  CHECK_INT(r.status, 200);
  CHECK(r.body && strstr(r.body, "docs"));
  reply_free(&r);
  /* Without the slash: to the folder, so that relative links work. */
  r = get("/docs");
  CHECK_INT(r.status, 301);
  CHECK_STR(r.location, "/docs/");
  reply_free(&r);
}

static void test_not_found(void) {
  reply r = get("/en-us/missing.html");
  CHECK_INT(r.status, 404);
  CHECK_STR(r.type, "text/html; charset=utf-8");
  CHECK(r.body && strstr(r.body, "en-us 404") && strstr(r.body, TAG));
  reply_free(&r);
  r = get("/en-us/gone/deeper/");
  CHECK_INT(r.status, 404);
  CHECK(r.body && strstr(r.body, "en-us 404"));
  reply_free(&r);
  /* de-de has no 404 page of its own. */
  r = get("/de-de/missing.html");
  CHECK_INT(r.status, 404);
  CHECK(r.body && strstr(r.body, "top 404"));
  reply_free(&r);
  r = get("/missing.css");
  CHECK_INT(r.status, 404);
  CHECK(r.body && strstr(r.body, "top 404"));
  reply_free(&r);
  r = get("/__folio/other");
  CHECK_INT(r.status, 404);
  reply_free(&r);
}

static void test_refused_paths(void) {
  const char *attacks[] = {
      "/../secret.txt",       "/en-us/../../secret.txt", "/%2e%2e/secret.txt",
      "/%2E%2E/secret.txt",   "/.%2e/secret.txt",        "/en-us%2F..%2F..%2Fsecret.txt",
      "/..%2Fsecret.txt",     "/..%5csecret.txt",        "/..\\secret.txt",
      "/secret.txt%00.html",  "/leak.txt",               "/leakdir/x.txt",
      "/leakdir/",            "/./leak.txt",
  };
  for (size_t i = 0; i < sizeof attacks / sizeof attacks[0]; i++) {
    reply r = get(attacks[i]);
    bool leaked = r.raw.data && strstr(r.raw.data + 0, "SECRET");
    int bad = !CHECK_INT(r.status, 404);
    bad += !CHECK(!leaked);
    bad += !CHECK(r.body && strstr(r.body, "top 404"));
    if (bad)
      fprintf(stderr, "    for %s\n", attacks[i]);
    reply_free(&r);
  }
}

static void test_injection(void) {
  reply r = get("/");
  CHECK_INT(r.status, 200);
  const char *want = "<p>home A</p>" TAG "</body></html>\n";
  CHECK(r.body && strstr(r.body, want));
  CHECK_INT(r.content_length, (long)r.body_len);
  reply_free(&r);
  /* Upper-case </BODY>, and a page without one (the tag goes at the end). */
  r = get("/docs/");
  CHECK(r.body && strstr(r.body, "docs" TAG "</BODY>"));
  reply_free(&r);
  r = get("/nobody.html");
  CHECK(r.body && !strcmp(r.body, "no body tag" TAG));
  reply_free(&r);
  /* Only the server adds it: the file on disk is as built. */
  char *disk = test_read(test_path(site_a, "index.html"));
  CHECK(disk && !strstr(disk, "reload.js"));
  free(disk);
  /* Not in other types. */
  r = get("/app.js");
  CHECK(r.body_len == 2);
  reply_free(&r);

  r = get("/__folio/reload.js");
  CHECK_INT(r.status, 200);
  CHECK_STR(r.type, "text/javascript; charset=utf-8");
  CHECK(r.body && strstr(r.body, "new EventSource(\"/__folio/events\")"));
  CHECK(r.body && strstr(r.body, "location.reload()"));
  /* For reload_script.js, which runs it in node. */
  if (script_out && r.body) {
    FILE *f = fopen(script_out, "wb");
    CHECK(f && fwrite(r.body, 1, r.body_len, f) == r.body_len && fclose(f) == 0);
  }
  reply_free(&r);
}

/* An event-stream client: connected, with the stream's opening read. */
static int sse_open(inbox *in, const char *extra) {
  int fd = dial();
  char req[512];
  snprintf(req, sizeof req,
           "GET /__folio/events HTTP/1.0\r\nAccept: text/event-stream\r\n%s\r\n",
           extra ? extra : "");
  send_all(fd, req);
  CHECK(recv_until(fd, in, "retry: 1000\n\n", test_now_ms() + 10000));
  CHECK(in->data && strstr(in->data, "Content-Type: text/event-stream"));
  return fd;
}

static void test_events(void) {
  inbox in1 = {0}, in2 = {0};
  int c1 = sse_open(&in1, NULL), c2 = sse_open(&in2, NULL);
  /* No build yet: nothing but the opening. */
  CHECK(!strstr(in1.data, "event:"));

  const char *p1 = "{\"ok\":true,\"changed\":[\"/en-us/page.html\"],\"diagnostics\":[]}";
  CHECK_INT(httpserve_notify(server, p1), 0);
  char want[512];
  snprintf(want, sizeof want, "-1\nevent: build\ndata: %s\n\n", p1);
  CHECK(recv_until(c1, &in1, want, test_now_ms() + 10000));
  CHECK(recv_until(c2, &in2, want, test_now_ms() + 10000));
  /* The id names the server (its epoch) and the build. */
  char epoch[16] = "";
  const char *id = strstr(in1.data, "id: ");
  if (CHECK(id && sscanf(id, "id: %8[0-9a-f]-1\n", epoch) == 1))
    CHECK_INT(strlen(epoch), 8);
  close(c1);
  close(c2);

  /* A new client first gets the latest build as its state. */
  inbox in3 = {0};
  int c3 = sse_open(&in3, NULL);
  snprintf(want, sizeof want, "id: %s-1\nevent: state\ndata: %s\n\n", epoch, p1);
  CHECK(recv_until(c3, &in3, want, test_now_ms() + 10000));
  /* Lines of a payload become data lines, which the browser joins again. */
  CHECK_INT(httpserve_notify(server, "{\n\"ok\": false\r\n}"), 0);
  snprintf(want, sizeof want, "id: %s-2\nevent: build\ndata: {\ndata: \"ok\": false\ndata: }\n\n",
           epoch);
  CHECK(recv_until(c3, &in3, want, test_now_ms() + 10000));
  close(c3);

  /* A client that reconnects gets what it missed since its last id. */
  char last[64];
  snprintf(last, sizeof last, "Last-Event-ID: %s-1\r\n", epoch);
  inbox in4 = {0};
  int c4 = sse_open(&in4, last);
  snprintf(want, sizeof want, "id: %s-2\nevent: build\n", epoch);
  CHECK(recv_until(c4, &in4, want, test_now_ms() + 10000));
  CHECK(!strstr(in4.data, "event: state"));
  close(c4);
  /* An id from another server (a restart): the state instead. */
  inbox in5 = {0};
  int c5 = sse_open(&in5, strcmp(epoch, "00000000") ? "Last-Event-ID: 00000000-1\r\n"
                                                     : "Last-Event-ID: 00000001-1\r\n");
  snprintf(want, sizeof want, "id: %s-2\nevent: state\n", epoch);
  CHECK(recv_until(c5, &in5, want, test_now_ms() + 10000));
  close(c5);
  free(in5.data);

  free(in1.data);
  free(in2.data);
  free(in3.data);
  free(in4.data);
}

static void test_switch_root(void) {
  /* A response under way when the root changes finishes from the old site,
   * even with its file deleted. */
  int fd = dial();
  send_all(fd, "GET /big.bin HTTP/1.0\r\n\r\n");
  inbox in = {0};
  CHECK(recv_until(fd, &in, "AAAA", test_now_ms() + 10000));

  char err[256];
  CHECK_INT(httpserve_set_root(server, site_b, err, sizeof err), 0);
  CHECK_INT(unlink(test_path(site_a, "big.bin")), 0);

  reply r = get("/");
  CHECK_INT(r.status, 200);
  CHECK(r.body && strstr(r.body, "home B") && strstr(r.body, TAG));
  reply_free(&r);
  r = get("/big.bin");
  CHECK(r.body_len == 4 && !memcmp(r.body, "BBBB", 4));
  reply_free(&r);
  /* site-b has no 404 page. */
  r = get("/missing.html");
  CHECK_INT(r.status, 404);
  CHECK(r.body && strstr(r.body, "404 Not Found"));
  reply_free(&r);

  CHECK(recv_until(fd, &in, NULL, test_now_ms() + 20000));
  close(fd);
  char *body = in.data ? strstr(in.data, "\r\n\r\n") : NULL;
  if (CHECK(body)) {
    body += 4;
    size_t n = in.len - (size_t)(body - in.data);
    CHECK_INT(n, 16u << 20);
    CHECK(n && body[0] == 'A' && body[n - 1] == 'A' && !memchr(body, 'B', n));
  }
  free(in.data);

  /* A folder that is not there: refused, and site-b stays in service. */
  CHECK_INT(httpserve_set_root(server, test_path(tmp, "no-such-site"), err, sizeof err), -1);
  CHECK(strstr(err, "no-such-site") != NULL);
  r = get("/");
  CHECK(r.body && strstr(r.body, "home B"));
  reply_free(&r);
}

static void test_port_in_use(void) {
  httpserve *other = NULL;
  char err[256] = "";
  httpserve_options o = {.port = port, .root = site_a};
  CHECK_INT(httpserve_start(&other, &o, err, sizeof err), -1);
  CHECK(other == NULL);
  CHECK(strstr(err, "in use") != NULL);
  o.port = 0;
  o.root = test_path(tmp, "no-such-site");
  CHECK_INT(httpserve_start(&other, &o, err, sizeof err), -1);
}

static void test_stop(void) {
  /* Stopping ends the streams: the client sees the end, quickly. */
  inbox in = {0};
  int fd = sse_open(&in, NULL);
  long long t0 = test_now_ms();
  httpserve_stop(server);
  server = NULL;
  CHECK(test_now_ms() - t0 < 5000);
  CHECK(recv_until(fd, &in, NULL, test_now_ms() + 5000));
  close(fd);
  free(in.data);
}

int main(int argc, char **argv) {
  script_out = argc > 1 ? argv[1] : NULL;
  make_sites();
  char err[256];
  httpserve_options o = {.root = site_a}; /* 127.0.0.1, a free port */
  if (httpserve_start(&server, &o, err, sizeof err) < 0) {
    fprintf(stderr, "httpserve_start: %s\n", err);
    return 1;
  }
  port = httpserve_port(server);
  CHECK(port != 0);
  RUN(test_decode_path);
  RUN(test_types);
  RUN(test_head_and_methods);
  RUN(test_folders);
  RUN(test_not_found);
  RUN(test_refused_paths);
  RUN(test_injection);
  RUN(test_events);
  RUN(test_port_in_use);
  RUN(test_switch_root);
  RUN(test_stop);
  test_rmdir(tmp);
  return test_done();
}
