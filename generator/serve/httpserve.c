#define _GNU_SOURCE
#include "httpserve.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#define EVENTS_PATH "/__folio/events"
#define SCRIPT_PATH "/__folio/reload.js"
#define SCRIPT_TAG "<script src=\"" SCRIPT_PATH "\" defer></script>"
/* Builds kept for clients that reconnect (EventSource sends Last-Event-ID). */
#define RING 16
/* A comment line this often lets a thread notice a client that went away. */
#define KEEPALIVE_SECONDS 15
/* Longest decoded request path; longer ones get the 404 page. */
#define PATH_MAX_LEN 4096
/* HTML files are read into memory to inject the script; bigger ones are sent
 * as they are. */
#define HTML_MAX_BYTES (64u << 20)

/* A site folder in service. Requests hold a reference while they resolve
 * paths in it; the server holds one while it is current. */
typedef struct {
  int dirfd;
  unsigned refs; /* guarded by httpserve.root_lock */
} site_root;

struct httpserve {
  struct MHD_Daemon *daemon;
  int listen_fd;
  unsigned port;

  pthread_mutex_t root_lock;
  site_root *root;

  /* Event stream state, guarded by lock; cond is broadcast when seq moves
   * or stopping becomes true. */
  pthread_mutex_t lock;
  pthread_cond_t cond;
  uint64_t seq;      /* number of the latest build event; 0 before any */
  unsigned epoch;    /* in event ids, so that a restarted server's ids differ */
  char *ring[RING];  /* ring[n % RING]: event n's "data:" lines */
  bool stopping;
  unsigned clients, max_clients;
};

/* ---- small helpers ---- */

static void set_err(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errsz, const char *fmt, ...) {
  if (!err || !errsz)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errsz, fmt, ap);
  va_end(ap);
}

/* A growable string; on allocation failure it remembers and stops growing. */
typedef struct {
  char *data;
  size_t len, cap;
  bool failed;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
  if (b->failed)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
      b->failed = true;
      return;
    }
    b->data = p;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

/* ---- paths and types ---- */

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Whether out[from, to) is "." or "..". */
static bool dot_segment(const char *out, size_t from, size_t to) {
  size_t n = to - from;
  return (n == 1 && out[from] == '.') || (n == 2 && out[from] == '.' && out[from + 1] == '.');
}

int httpserve_decode_path(const char *target, char *out, size_t outsz) {
  if (!target || target[0] != '/' || outsz == 0)
    return -1;
  size_t o = 0, seg = 0;
  for (const char *p = target + 1; *p;) {
    unsigned char c = (unsigned char)*p;
    if (c == '/') {
      p++;
      if (o == seg) /* empty segment: merge the slashes */
        continue;
      if (dot_segment(out, seg, o))
        return -1;
      if (o + 1 >= outsz)
        return -1;
      out[o++] = '/';
      seg = o;
      continue;
    }
    if (c == '%') {
      int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
      if (lo < 0)
        return -1;
      c = (unsigned char)(hi * 16 + lo);
      p += 3;
      /* An encoded slash would let one segment name a path; refused. */
      if (c == '/')
        return -1;
    } else {
      p++;
    }
    if (c < 0x20 || c == 0x7f || c == '\\')
      return -1;
    if (o + 1 >= outsz)
      return -1;
    out[o++] = (char)c;
  }
  if (dot_segment(out, seg, o))
    return -1;
  out[o] = '\0';
  return 0;
}

const char *httpserve_content_type(const char *path) {
  static const struct {
    const char *ext, *type;
  } types[] = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"xml", "application/xml"},
      {"xsd", "application/xml"},
      {"txt", "text/plain; charset=utf-8"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"pdf", "application/pdf"},
      {"webmanifest", "application/manifest+json"},
  };
  const char *slash = strrchr(path, '/');
  const char *dot = strrchr(slash ? slash : path, '.');
  if (dot)
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
      if (!strcasecmp(dot + 1, types[i].ext))
        return types[i].type;
  return "application/octet-stream";
}

static bool is_html(const char *path) {
  return !strncmp(httpserve_content_type(path), "text/html", 9);
}

/* Open rel (a decoded path, no leading slash, no dot segments) beneath dirfd
 * without following any symbolic link: each folder is opened on its own
 * with O_NOFOLLOW, so a link anywhere on the way fails instead of leading
 * out of the root. Returns the descriptor (with *st filled), or -1. */
static int open_beneath(int dirfd, const char *rel, struct stat *st) {
  char part[PATH_MAX_LEN + 1];
  int cur = dirfd;
  const char *p = rel;
  for (;;) {
    const char *slash = strchr(p, '/');
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    if (n == 0 || n > PATH_MAX_LEN) {
      if (cur != dirfd)
        close(cur);
      errno = ENOENT;
      return -1;
    }
    memcpy(part, p, n);
    part[n] = '\0';
    /* O_NONBLOCK: opening a FIFO planted in the site must not hang the
     * thread; regular files ignore the flag. */
    int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (slash ? O_DIRECTORY : O_NONBLOCK);
    int fd = openat(cur, part, flags);
    if (cur != dirfd)
      close(cur);
    if (fd < 0)
      return -1;
    if (!slash || !slash[1]) {
      if (fstat(fd, st) < 0) {
        close(fd);
        return -1;
      }
      return fd;
    }
    cur = fd;
    p = slash + 1;
  }
}

/* ---- roots ---- */

static site_root *root_acquire(httpserve *s) {
  pthread_mutex_lock(&s->root_lock);
  site_root *r = s->root;
  r->refs++;
  pthread_mutex_unlock(&s->root_lock);
  return r;
}

static void root_release(httpserve *s, site_root *r) {
  pthread_mutex_lock(&s->root_lock);
  bool last = --r->refs == 0;
  pthread_mutex_unlock(&s->root_lock);
  if (last) {
    close(r->dirfd);
    free(r);
  }
}

static site_root *root_open(const char *path, char *err, size_t errsz) {
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    set_err(err, errsz, "%s: %s", path, strerror(errno));
    return NULL;
  }
  site_root *r = malloc(sizeof *r);
  if (!r) {
    close(fd);
    set_err(err, errsz, "out of memory");
    return NULL;
  }
  r->dirfd = fd;
  r->refs = 1;
  return r;
}

int httpserve_set_root(httpserve *s, const char *root, char *err, size_t errsz) {
  site_root *r = root_open(root, err, errsz);
  if (!r)
    return -1;
  pthread_mutex_lock(&s->root_lock);
  site_root *old = s->root;
  s->root = r;
  pthread_mutex_unlock(&s->root_lock);
  root_release(s, old);
  return 0;
}

/* ---- responses ---- */

static enum MHD_Result send_response(struct MHD_Connection *c, unsigned status,
                                     struct MHD_Response *r, const char *type) {
  if (!r)
    return MHD_NO;
  if (type)
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  /* A preview server: every rebuild must show, so nothing is cached. */
  MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  enum MHD_Result ret = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *text) {
  struct MHD_Response *r =
      MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
  return send_response(c, status, r, "text/plain; charset=utf-8");
}

/* Where to put the script: before the last </body>, else at the end. */
static size_t inject_at(const char *html, size_t len) {
  for (size_t i = len; i >= 7; i--) {
    const char *p = html + i - 7;
    if (!strncasecmp(p, "</body", 6) && (p[6] == '>' || p[6] == ' ' || p[6] == '\t' ||
                                         p[6] == '\n' || p[6] == '\r'))
      return i - 7;
  }
  return len;
}

/* The HTML file open on fd (size bytes) with the reload script injected, as
 * a response; NULL when it cannot be read. Closes fd. */
static struct MHD_Response *html_response(int fd, size_t size) {
  size_t taglen = sizeof SCRIPT_TAG - 1;
  char *data = malloc(size + taglen + 1);
  if (!data) {
    close(fd);
    return NULL;
  }
  size_t got = 0;
  while (got < size) {
    ssize_t n = read(fd, data + got, size - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break; /* the file shrank: serve what there is */
    got += (size_t)n;
  }
  close(fd);
  size_t at = inject_at(data, got);
  memmove(data + at + taglen, data + at, got - at);
  memcpy(data + at, SCRIPT_TAG, taglen);
  struct MHD_Response *r =
      MHD_create_response_from_buffer(got + taglen, data, MHD_RESPMEM_MUST_FREE);
  if (!r)
    free(data);
  return r;
}

/* A response for the regular file open on fd (path names its type). Takes
 * fd. */
static struct MHD_Response *file_response(int fd, const struct stat *st, const char *path) {
  if (is_html(path) && (uint64_t)st->st_size <= HTML_MAX_BYTES)
    return html_response(fd, (size_t)st->st_size);
  struct MHD_Response *r = MHD_create_response_from_fd64((uint64_t)st->st_size, fd);
  if (!r)
    close(fd);
  return r;
}

/* Open rel beneath root as a regular file; -1 when it is not one. */
static int open_file(const site_root *root, const char *rel, struct stat *st) {
  int fd = open_beneath(root->dirfd, rel, st);
  if (fd >= 0 && !S_ISREG(st->st_mode)) {
    close(fd);
    return -1;
  }
  return fd;
}

/* Status 404 with the site's page: <first folder>/404.html when rel lies in
 * a folder that has one (a locale's own page), else the top 404.html, else
 * plain text. rel is NULL for a refused path. */
static enum MHD_Result send_not_found(struct MHD_Connection *c, const site_root *root,
                                      const char *rel) {
  char page[PATH_MAX_LEN + 16];
  struct stat st;
  int fd = -1;
  const char *slash = rel ? strchr(rel, '/') : NULL;
  if (slash && (size_t)(slash - rel) < PATH_MAX_LEN) {
    snprintf(page, sizeof page, "%.*s/404.html", (int)(slash - rel), rel);
    fd = open_file(root, page, &st);
  }
  if (fd < 0) {
    snprintf(page, sizeof page, "404.html");
    fd = open_file(root, page, &st);
  }
  if (fd < 0)
    return send_text(c, MHD_HTTP_NOT_FOUND, "404 Not Found\n");
  return send_response(c, MHD_HTTP_NOT_FOUND, file_response(fd, &st, page),
                       httpserve_content_type(page));
}

/* A folder asked for without its slash: send the browser to dir/ so that the
 * page's relative links resolve from inside the folder. */
static enum MHD_Result send_redirect(struct MHD_Connection *c, const char *url) {
  sbuf loc = {0};
  for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
    char esc[4];
    if (*p <= 0x20 || *p >= 0x7f || *p == '"') {
      snprintf(esc, sizeof esc, "%%%02X", *p);
      sb_put(&loc, esc, 3);
    } else {
      sb_put(&loc, (const char *)p, 1);
    }
  }
  sb_puts(&loc, "/");
  if (loc.failed) {
    free(loc.data);
    return MHD_NO;
  }
  struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  if (r)
    MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc.data);
  free(loc.data);
  return send_response(c, MHD_HTTP_MOVED_PERMANENTLY, r, NULL);
}

static enum MHD_Result serve_file(struct MHD_Connection *c, const site_root *root,
                                  const char *url, char *rel, size_t relsz) {
  size_t n = strlen(rel);
  if (n == 0 || rel[n - 1] == '/') {
    if (n + sizeof "index.html" > relsz)
      return send_not_found(c, root, NULL);
    memcpy(rel + n, "index.html", sizeof "index.html");
  }
  struct stat st;
  int fd = open_beneath(root->dirfd, rel, &st);
  if (fd < 0)
    return send_not_found(c, root, rel);
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    return send_redirect(c, url);
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return send_not_found(c, root, rel);
  }
  return send_response(c, MHD_HTTP_OK, file_response(fd, &st, rel),
                       httpserve_content_type(rel));
}

/* ---- live reload ---- */

/* Loads on every served page (the server adds the script tag). Reloads the
 * page when a build changed it; shows an overlay of diagnostics when the
 * build failed or the page has errors. Every string from the payload goes
 * through esc() before it reaches innerHTML. */
static const char reload_js[] =
    "(function () {\n"
    "  \"use strict\";\n"
    "  if (!window.EventSource) return;\n"
    "  function norm(p) {\n"
    "    p = String(p);\n"
    "    try { p = decodeURIComponent(p); } catch (e) {}\n"
    "    if (p.charAt(0) !== \"/\") p = \"/\" + p;\n"
    "    if (p.charAt(p.length - 1) === \"/\") p += \"index.html\";\n"
    "    return p;\n"
    "  }\n"
    "  var self = norm(location.pathname);\n"
    "  var ents = {\"&\": \"&amp;\", \"<\": \"&lt;\", \">\": \"&gt;\", '\"': \"&quot;\", \"'\": \"&#39;\"};\n"
    "  function esc(s) {\n"
    "    return String(s == null ? \"\" : s).replace(/[&<>\"']/g, function (c) { return ents[c]; });\n"
    "  }\n"
    "  var box = null;\n"
    "  function hide() {\n"
    "    if (box && box.parentNode) box.parentNode.removeChild(box);\n"
    "    box = null;\n"
    "  }\n"
    "  function show(title, list) {\n"
    "    hide();\n"
    "    box = document.createElement(\"div\");\n"
    "    box.id = \"__folio-overlay\";\n"
    "    box.setAttribute(\"role\", \"alert\");\n"
    "    box.style.cssText = \"position:fixed;inset:0;z-index:2147483647;overflow:auto;\" +\n"
    "      \"background:rgba(24,24,24,.94);color:#eee;font:14px/1.5 monospace;padding:2em\";\n"
    "    var h = \"<p><strong>\" + esc(title) + \"</strong></p><ul style=\\\"list-style:none;padding:0\\\">\";\n"
    "    list.slice(0, 200).forEach(function (d) {\n"
    "      var sev = d.severity || \"error\";\n"
    "      h += \"<li>\" + esc(d.file) + \":\" + esc(d.line || 0) + \":\" + esc(d.col || 0) + \": \" +\n"
    "        \"<strong>\" + esc(sev) + \"</strong>: \" + esc(d.message) + \"</li>\";\n"
    "    });\n"
    "    box.innerHTML = h + \"</ul>\";\n"
    "    (document.body || document.documentElement).appendChild(box);\n"
    "  }\n"
    "  function apply(m, live) {\n"
    "    var diags = Array.isArray(m.diagnostics) ? m.diagnostics : [];\n"
    "    var changed = Array.isArray(m.changed) ? m.changed : [];\n"
    "    var failed = m.ok === false;\n"
    "    if (live && !failed && changed.some(function (p) { return p === \"*\" || norm(p) === self; })) {\n"
    "      location.reload();\n"
    "      return;\n"
    "    }\n"
    "    var own = diags.filter(function (d) {\n"
    "      return d && d.page != null && (d.page === \"*\" || norm(d.page) === self);\n"
    "    });\n"
    "    if (failed)\n"
    "      show(\"folio: the build failed\", diags);\n"
    "    else if (own.some(function (d) { return d.severity === \"error\"; }))\n"
    "      show(\"folio: this page has errors\", own);\n"
    "    else\n"
    "      hide();\n"
    "  }\n"
    "  function on(kind, live) {\n"
    "    es.addEventListener(kind, function (e) {\n"
    "      var m;\n"
    "      try { m = JSON.parse(e.data); } catch (x) { return; }\n"
    "      if (m && typeof m === \"object\") apply(m, live);\n"
    "    });\n"
    "  }\n"
    "  var es = new EventSource(\"" EVENTS_PATH "\");\n"
    "  on(\"state\", false);\n"
    "  on(\"build\", true);\n"
    "  es.addEventListener(\"resync\", function () { location.reload(); });\n"
    "})();\n";

/* One client of the event stream: the bytes waiting to go out, and the
 * number of the last build event queued for it. */
typedef struct {
  httpserve *s;
  uint64_t seen;
  sbuf out;
  size_t off;
} sse_client;

/* Event ids are "<epoch>-<number>". */
static void sse_put_event(sbuf *b, unsigned epoch, const char *kind, uint64_t id,
                          const char *data) {
  char head[96];
  snprintf(head, sizeof head, "id: %08x-%" PRIu64 "\nevent: %s\n", epoch, id, kind);
  sb_puts(b, head);
  sb_puts(b, data);
  sb_puts(b, "\n");
}

/* Queue the build events the client has not had; called with s->lock held. */
static void sse_queue_missed(sse_client *k) {
  httpserve *s = k->s;
  if (s->seq - k->seen > RING) {
    /* It missed more than the ring holds: it reloads instead. */
    sse_put_event(&k->out, s->epoch, "resync", s->seq, "data: {}\n");
  } else {
    for (uint64_t n = k->seen + 1; n <= s->seq; n++)
      sse_put_event(&k->out, s->epoch, "build", n, s->ring[n % RING]);
  }
  k->seen = s->seq;
}

/* MHD asks for more of the stream: hand out what is queued, else wait for a
 * build (or send a keep-alive comment, or end the stream when stopping). */
static ssize_t sse_read(void *cls, uint64_t pos, char *dst, size_t max) {
  (void)pos;
  sse_client *k = cls;
  httpserve *s = k->s;
  if (k->off == k->out.len) {
    k->out.len = k->off = 0;
    pthread_mutex_lock(&s->lock);
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += KEEPALIVE_SECONDS;
    while (!s->stopping && k->seen == s->seq) {
      if (pthread_cond_timedwait(&s->cond, &s->lock, &until) == ETIMEDOUT)
        break;
    }
    if (s->stopping) {
      pthread_mutex_unlock(&s->lock);
      return MHD_CONTENT_READER_END_OF_STREAM;
    }
    if (k->seen != s->seq)
      sse_queue_missed(k);
    else
      sb_puts(&k->out, ": keep-alive\n\n");
    pthread_mutex_unlock(&s->lock);
    if (k->out.failed)
      return MHD_CONTENT_READER_END_WITH_ERROR;
  }
  size_t n = k->out.len - k->off;
  if (n > max)
    n = max;
  memcpy(dst, k->out.data + k->off, n);
  k->off += n;
  return (ssize_t)n;
}

static void sse_free(void *cls) {
  sse_client *k = cls;
  httpserve *s = k->s;
  pthread_mutex_lock(&s->lock);
  s->clients--;
  pthread_mutex_unlock(&s->lock);
  free(k->out.data);
  free(k);
}

static enum MHD_Result serve_events(httpserve *s, struct MHD_Connection *c) {
  sse_client *k = calloc(1, sizeof *k);
  if (!k)
    return MHD_NO;
  k->s = s;
  /* A reconnecting EventSource says which build it saw last: replay what it
   * missed. A new client (or one from before a restart) gets the state. */
  const char *last = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Last-Event-ID");
  unsigned epoch = 0;
  unsigned long long last_id = 0;
  int used = 0;
  bool resume = last && sscanf(last, "%8x-%llu%n", &epoch, &last_id, &used) == 2 &&
                !last[used] && epoch == s->epoch;

  pthread_mutex_lock(&s->lock);
  if (s->stopping || s->clients >= s->max_clients) {
    pthread_mutex_unlock(&s->lock);
    free(k);
    return send_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "too many event clients\n");
  }
  s->clients++;
  /* Sent at once, so that the client sees the stream open (and a browser
   * retries quickly after a restart). */
  sb_puts(&k->out, "retry: 1000\n\n");
  if (resume && last_id <= s->seq) {
    k->seen = last_id;
    sse_queue_missed(k);
  } else {
    k->seen = s->seq;
    if (s->seq)
      sse_put_event(&k->out, s->epoch, "state", s->seq, s->ring[s->seq % RING]);
  }
  pthread_mutex_unlock(&s->lock);

  if (k->out.failed) {
    sse_free(k);
    return MHD_NO;
  }
  struct MHD_Response *r =
      MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_read, k, sse_free);
  if (!r) {
    sse_free(k);
    return MHD_NO;
  }
  return send_response(c, MHD_HTTP_OK, r, "text/event-stream; charset=utf-8");
}

int httpserve_notify(httpserve *s, const char *json) {
  /* An event's data is one "data:" line per line of the payload; the
   * browser joins them with newlines, which JSON reads as spaces. */
  sbuf b = {0};
  const char *p = json;
  do {
    size_t n = strcspn(p, "\r\n");
    sb_puts(&b, "data: ");
    sb_put(&b, p, n);
    sb_puts(&b, "\n");
    p += n;
    if (*p == '\r' && p[1] == '\n')
      p++;
    if (*p)
      p++;
  } while (*p);
  if (b.failed) {
    free(b.data);
    return -1;
  }
  pthread_mutex_lock(&s->lock);
  s->seq++;
  free(s->ring[s->seq % RING]);
  s->ring[s->seq % RING] = b.data;
  pthread_cond_broadcast(&s->cond);
  pthread_mutex_unlock(&s->lock);
  return 0;
}

/* ---- the request handler ---- */

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **req) {
  (void)version, (void)upload, (void)upload_size, (void)req;
  httpserve *s = cls;
  if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD)) {
    struct MHD_Response *r = MHD_create_response_from_buffer(
        sizeof "method not allowed\n" - 1, (void *)"method not allowed\n", MHD_RESPMEM_PERSISTENT);
    if (r)
      MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    return send_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, r, "text/plain; charset=utf-8");
  }
  if (!strcmp(url, EVENTS_PATH))
    return serve_events(s, c);
  if (!strcmp(url, SCRIPT_PATH)) {
    struct MHD_Response *r = MHD_create_response_from_buffer(
        sizeof reload_js - 1, (void *)reload_js, MHD_RESPMEM_PERSISTENT);
    return send_response(c, MHD_HTTP_OK, r, "text/javascript; charset=utf-8");
  }

  /* Every path of this request resolves in the same root, even if a new
   * build is put in place meanwhile. */
  site_root *root = root_acquire(s);
  char rel[PATH_MAX_LEN + sizeof "index.html"];
  enum MHD_Result ret;
  if (!strncmp(url, "/__folio/", 9) || httpserve_decode_path(url, rel, PATH_MAX_LEN + 1) < 0)
    ret = send_not_found(c, root, NULL);
  else
    ret = serve_file(c, root, url, rel, sizeof rel);
  root_release(s, root);
  return ret;
}

/* MHD would percent-decode the path before the handler sees it; the handler
 * decodes it itself (once), so that it can tell %2F from /. */
static size_t keep_escapes(void *cls, struct MHD_Connection *c, char *s) {
  (void)cls, (void)c;
  return strlen(s);
}

/* ---- start and stop ---- */

static int listen_on(const char *host, unsigned port, int *family, char *err, size_t errsz) {
  char service[16];
  snprintf(service, sizeof service, "%u", port);
  struct addrinfo hints = {0}, *ai = NULL;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  int rc = getaddrinfo(host, service, &hints, &ai);
  if (rc) {
    set_err(err, errsz, "%s: %s", host, gai_strerror(rc));
    return -1;
  }
  int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
  if (fd < 0) {
    set_err(err, errsz, "socket: %s", strerror(errno));
    freeaddrinfo(ai);
    return -1;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 64) < 0) {
    set_err(err, errsz, "%s port %u: %s", host, port, strerror(errno));
    close(fd);
    freeaddrinfo(ai);
    return -1;
  }
  *family = ai->ai_family;
  freeaddrinfo(ai);
  return fd;
}

static unsigned bound_port(int fd) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
    return 0;
  if (ss.ss_family == AF_INET)
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
  if (ss.ss_family == AF_INET6)
    return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
  return 0;
}

static void free_server(httpserve *s) {
  for (int i = 0; i < RING; i++)
    free(s->ring[i]);
  if (s->root)
    root_release(s, s->root);
  pthread_cond_destroy(&s->cond);
  pthread_mutex_destroy(&s->lock);
  pthread_mutex_destroy(&s->root_lock);
  free(s);
}

int httpserve_start(httpserve **out, const httpserve_options *opt, char *err, size_t errsz) {
  *out = NULL;
  if (!opt->root) {
    set_err(err, errsz, "no site folder to serve");
    return -1;
  }
  httpserve *s = calloc(1, sizeof *s);
  if (!s) {
    set_err(err, errsz, "out of memory");
    return -1;
  }
  pthread_mutex_init(&s->lock, NULL);
  pthread_mutex_init(&s->root_lock, NULL);
  /* Keep-alive deadlines on the monotonic clock: a change of the wall clock
   * must not stall or flood the streams. */
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&s->cond, &ca);
  pthread_condattr_destroy(&ca);
  s->max_clients = opt->max_event_clients ? opt->max_event_clients : 64;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  s->epoch = (unsigned)(now.tv_sec ^ now.tv_nsec ^ ((long)getpid() << 16));
  s->listen_fd = -1;
  s->root = root_open(opt->root, err, errsz);
  if (!s->root) {
    free_server(s);
    return -1;
  }
  const char *host = opt->host && *opt->host ? opt->host : "127.0.0.1";
  int family = AF_INET;
  /* The socket is bound here rather than by MHD, for a precise error
   * ("Address already in use") and the port actually bound. */
  s->listen_fd = listen_on(host, opt->port, &family, err, errsz);
  if (s->listen_fd < 0) {
    free_server(s);
    return -1;
  }
  s->port = bound_port(s->listen_fd);
  /* A thread per connection: an event stream's thread may wait for the
   * next build without holding up the other requests. */
  unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                   MHD_USE_POLL | MHD_USE_ITC;
  if (family == AF_INET6)
    flags |= MHD_USE_IPv6;
  s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, s,
                               MHD_OPTION_LISTEN_SOCKET, s->listen_fd,
                               MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL,
                               MHD_OPTION_CONNECTION_LIMIT, 256u,
                               MHD_OPTION_CONNECTION_TIMEOUT, 4u * KEEPALIVE_SECONDS,
                               MHD_OPTION_END);
  if (!s->daemon) {
    set_err(err, errsz, "cannot start the HTTP server on %s port %u", host, s->port);
    close(s->listen_fd);
    free_server(s);
    return -1;
  }
  *out = s;
  return 0;
}

unsigned httpserve_port(const httpserve *s) { return s->port; }

void httpserve_stop(httpserve *s) {
  if (!s)
    return;
  /* Stop accepting first, so that no stream opens after the streams are
   * told to end; then wake them, then let MHD join its threads. */
  MHD_socket fd = MHD_quiesce_daemon(s->daemon);
  pthread_mutex_lock(&s->lock);
  s->stopping = true;
  pthread_cond_broadcast(&s->cond);
  pthread_mutex_unlock(&s->lock);
  MHD_stop_daemon(s->daemon);
  if (fd != MHD_INVALID_SOCKET)
    close(fd);
  free_server(s);
}
