/* How a run goes: each link is excluded, rejected, answered from the cache
 * or attached to a target (one per distinct URL without #fragment). Targets
 * are requested through one libcurl multi handle, in input order, within the
 * global and per-host limits. Each request is one hop: redirects are followed
 * here, not by libcurl, so that every hop is bounded, counted against its own
 * host and checked for its scheme. When the targets are done, each link's
 * result is derived from its target (plus its own #fragment check), in input
 * order, whatever order the transfers finished in. */
#include "extcheck.h"

#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "extalloc.h"
#include "extanchor.h"
#include "extcache.h"

#define DEFAULT_USER_AGENT "folio (+link checker)"
/* Bounds on the settings, so that a typo in folio.yml cannot ask for a
 * million sockets or a day-long wait. */
#define MAX_CONCURRENCY 1024
#define MAX_REDIRECTS 50
#define MAX_RETRIES 20

const char *extcheck_status_name(extcheck_status s) {
  switch (s) {
  case EXTCHECK_OK: return "ok";
  case EXTCHECK_REDIRECTED: return "redirected";
  case EXTCHECK_BROKEN: return "broken";
  case EXTCHECK_TIMEOUT: return "timeout";
  case EXTCHECK_EXCLUDED: return "excluded";
  case EXTCHECK_UNSUPPORTED: return "unsupported";
  }
  return "?";
}

void extcheck_settings_init(extcheck_settings *s) {
  *s = (extcheck_settings){
      .max_concurrency = 32,
      .max_per_host = 4,
      .connect_timeout_ms = 10000,
      .request_timeout_ms = 20000,
      .url_timeout_ms = 60000,
      .max_redirects = 10,
      .max_retries = 3,
      .retry_base_ms = 1000,
      .retry_max_wait_ms = 30000,
      .max_header_bytes = 64 * 1024,
      .max_body_bytes = 2 * 1024 * 1024,
      .cache_max_age_s = 24 * 60 * 60,
  };
}

/* ---- small helpers ---- */

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The reason phrase for a status. From a table rather than the server's
 * status line: HTTP/2 has none, and a server's text is untrusted. */
static const char *reason(int code) {
  static const struct {
    int code;
    const char *text;
  } table[] = {
      {200, "OK"}, {201, "Created"}, {202, "Accepted"}, {203, "Non-Authoritative Information"},
      {204, "No Content"}, {206, "Partial Content"}, {300, "Multiple Choices"},
      {301, "Moved Permanently"}, {302, "Found"}, {303, "See Other"}, {304, "Not Modified"},
      {307, "Temporary Redirect"}, {308, "Permanent Redirect"}, {400, "Bad Request"},
      {401, "Unauthorized"}, {402, "Payment Required"}, {403, "Forbidden"}, {404, "Not Found"},
      {405, "Method Not Allowed"}, {406, "Not Acceptable"}, {408, "Request Timeout"},
      {410, "Gone"}, {418, "I'm a teapot"}, {429, "Too Many Requests"},
      {451, "Unavailable For Legal Reasons"}, {500, "Internal Server Error"},
      {501, "Not Implemented"}, {502, "Bad Gateway"}, {503, "Service Unavailable"},
      {504, "Gateway Timeout"}, {505, "HTTP Version Not Supported"},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (table[i].code == code)
      return table[i].text;
  return "";
}

/* "404 Not Found", or "499" for a code without a phrase. */
static char *status_text(int code) {
  const char *r = reason(code);
  return *r ? ext_xprintf("%d %s", code, r) : ext_xprintf("%d", code);
}

static bool has_http_scheme(const char *url) {
  return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0;
}

/* url (absolute, or relative to base when base is not NULL) as libcurl
 * normalizes it, without its #fragment; NULL with *why (malloc'd) when it is
 * malformed or not http(s). Spaces and non-ASCII bytes are percent-encoded. */
static char *normalize_url(const char *base, const char *url, char **why) {
  CURLU *u = curl_url();
  char *s = NULL, *scheme = NULL, *out = NULL;
  if (!u) {
    *why = ext_xstrdup("out of memory in libcurl");
    return NULL;
  }
  CURLUcode rc = base ? curl_url_set(u, CURLUPART_URL, base, 0) : CURLUE_OK;
  if (rc == CURLUE_OK)
    rc = curl_url_set(u, CURLUPART_URL, url, CURLU_URLENCODE | CURLU_NON_SUPPORT_SCHEME);
  if (rc == CURLUE_OK)
    rc = curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
  if (rc == CURLUE_OK)
    rc = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
  if (rc == CURLUE_OK)
    rc = curl_url_get(u, CURLUPART_URL, &s, 0);
  if (rc != CURLUE_OK)
    *why = ext_xprintf("malformed URL (%s)", curl_url_strerror(rc));
  else if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
    *why = ext_xprintf("not an http(s) URL (%s:)", scheme);
  else
    out = ext_xstrdup(s);
  curl_free(s);
  curl_free(scheme);
  curl_url_cleanup(u);
  return out;
}

/* "scheme://host:port" in lowercase: what the per-host limit counts. */
static char *host_key(const char *url) {
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL, *port = NULL, *key;
  if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
    key = ext_xprintf("%s://%s:%s", scheme, host, port);
  else
    key = ext_xstrdup(url); /* cannot happen for a normalized URL */
  for (char *p = key; *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(u);
  return key;
}

/* ---- the state of a run ---- */

typedef struct {
  char *key;   /* host_key */
  int running; /* requests in flight */
} host;

typedef enum { T_QUEUED, T_RUNNING, T_DONE } target_state;

typedef struct transfer transfer;

typedef struct {
  char **chain;       /* every URL requested: first the link's, last the current hop */
  int nchain;
  size_t host;        /* of the current hop */
  bool want_body;     /* a link needs the page for its #fragment */
  bool use_get;       /* HEAD was refused for the current hop */
  bool permanent_run; /* every redirect so far was permanent */
  char *moved_to;     /* where the leading permanent redirects ended */
  int retries;        /* used so far, across all hops */
  int requests;
  long long deadline;   /* ms (monotonic); 0 until the first request */
  long long not_before; /* ms; when a retry may start */
  target_state state;
  transfer *xfer;       /* while T_RUNNING */
  /* The outcome. */
  extcheck_status status;
  int code;
  char *message;
  bool have_page;       /* an HTML page was read (for fragment checks) */
  char *body;
  size_t body_len;
  bool body_cut;        /* the page is longer than max_body_bytes */
} target;

/* One request in flight. */
struct transfer {
  CURL *easy;
  size_t target;
  bool head, want_body;
  size_t header_bytes;
  bool too_big;  /* headers over max_header_bytes */
  bool stopped;  /* we ended the transfer on purpose (all we need was read) */
  bool html;     /* the response is an HTML page (or does not say) */
  char *location, *retry_after, *content_type; /* of the final response */
  char *body;
  size_t body_len, body_cap;
  bool body_cut;
  const extcheck_settings *s;
  char errbuf[CURL_ERROR_SIZE];
};

typedef struct {
  const extcheck_settings *s;
  const char *user_agent;
  CURLM *multi;
  struct curl_slist *headers;
  target *targets;
  size_t ntargets, ndone;
  size_t first_open; /* targets before this one are all done */
  host *hosts;
  size_t nhosts, hosts_cap;
  int running;
  size_t requests;
} run;

static size_t find_host(run *r, const char *url) {
  char *key = host_key(url);
  /* Linear: a documentation set links to a few hundred hosts, and this runs
   * once per hop. */
  for (size_t i = 0; i < r->nhosts; i++)
    if (strcmp(r->hosts[i].key, key) == 0) {
      free(key);
      return i;
    }
  if (r->nhosts == r->hosts_cap) {
    r->hosts_cap = r->hosts_cap ? r->hosts_cap * 2 : 16;
    r->hosts = ext_xrealloc(r->hosts, r->hosts_cap * sizeof *r->hosts);
  }
  r->hosts[r->nhosts] = (host){.key = key};
  return r->nhosts++;
}

static const char *current_url(const target *g) { return g->chain[g->nchain - 1]; }

/* The target's outcome; msg is malloc'd and taken over. */
static void finish(run *r, target *g, extcheck_status st, int code, char *msg) {
  g->state = T_DONE;
  g->status = st;
  g->code = code;
  free(g->message);
  g->message = msg;
  r->ndone++;
}

/* ---- libcurl callbacks ---- */

static bool header_is(const char *line, size_t len, const char *name, const char **value,
                      size_t *vlen) {
  size_t n = strlen(name);
  if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
    return false;
  const char *v = line + n + 1, *end = line + len;
  while (v < end && (*v == ' ' || *v == '\t'))
    v++;
  while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
    end--;
  *value = v;
  *vlen = (size_t)(end - v);
  return true;
}

static void keep_header(char **slot, const char *v, size_t n) {
  free(*slot);
  *slot = ext_xstrndup(v, n);
}

static bool is_html_type(const char *ct) {
  return !ct || !*ct || strncasecmp(ct, "text/html", 9) == 0 ||
         strncasecmp(ct, "application/xhtml+xml", 21) == 0;
}

/* Called by libcurl for each header line (and the blank line after them).
 * Returning anything but n ends the transfer with CURLE_WRITE_ERROR. */
static size_t on_header(char *line, size_t size, size_t nitems, void *userdata) {
  transfer *t = userdata;
  size_t n = size * nitems;
  t->header_bytes += n;
  if (t->header_bytes > t->s->max_header_bytes) {
    t->too_big = true;
    return 0;
  }
  const char *v;
  size_t vlen;
  if (n >= 5 && memcmp(line, "HTTP/", 5) == 0) {
    /* A new response (after a 1xx): forget the previous one's headers. */
    free(t->location);
    free(t->retry_after);
    free(t->content_type);
    t->location = t->retry_after = t->content_type = NULL;
  } else if (header_is(line, n, "location", &v, &vlen)) {
    keep_header(&t->location, v, vlen);
  } else if (header_is(line, n, "retry-after", &v, &vlen)) {
    keep_header(&t->retry_after, v, vlen);
  } else if (header_is(line, n, "content-type", &v, &vlen)) {
    keep_header(&t->content_type, v, vlen);
  } else if ((n == 2 && line[0] == '\r' && line[1] == '\n') || (n == 1 && line[0] == '\n')) {
    long code = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
    if (code < 200)
      return n; /* an interim response; the real one follows */
    t->html = is_html_type(t->content_type);
    /* A body is read only for a fragment check of a page that exists; for
     * anything else the status and headers are the whole answer. */
    if (!t->head && !(t->want_body && code >= 200 && code < 300 && t->html)) {
      t->stopped = true;
      return 0;
    }
  }
  return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata) {
  transfer *t = userdata;
  size_t n = size * nmemb;
  if (!t->want_body) {
    t->stopped = true;
    return 0;
  }
  size_t room = t->s->max_body_bytes - t->body_len;
  size_t take = n < room ? n : room;
  if (t->body_len + take > t->body_cap) {
    size_t cap = t->body_cap ? t->body_cap : 16384;
    while (cap < t->body_len + take)
      cap *= 2;
    if (cap > t->s->max_body_bytes)
      cap = t->s->max_body_bytes;
    t->body = ext_xrealloc(t->body, cap);
    t->body_cap = cap;
  }
  if (take)
    memcpy(t->body + t->body_len, data, take);
  t->body_len += take;
  if (take < n) {
    /* The cap is reached: the page is judged on what was read. */
    t->body_cut = t->stopped = true;
    return 0;
  }
  return n;
}

static void transfer_free(transfer *t) {
  if (t->easy)
    curl_easy_cleanup(t->easy);
  free(t->location);
  free(t->retry_after);
  free(t->content_type);
  free(t->body);
  free(t);
}

/* ---- starting requests ---- */

static void start(run *r, size_t ti, long long now) {
  const extcheck_settings *s = r->s;
  target *g = &r->targets[ti];
  if (!g->deadline)
    g->deadline = now + s->url_timeout_ms;
  long long left = g->deadline - now;
  if (left <= 0) {
    finish(r, g, EXTCHECK_TIMEOUT, 0,
           ext_xprintf("gave up: no answer within %ld ms (the limit for one URL)",
                       s->url_timeout_ms));
    return;
  }
  long timeout = s->request_timeout_ms < left ? s->request_timeout_ms : (long)left;
  long connect = s->connect_timeout_ms < timeout ? s->connect_timeout_ms : timeout;
  transfer *t = ext_xcalloc(1, sizeof *t);
  t->s = s;
  t->target = ti;
  t->want_body = g->want_body;
  t->head = !g->want_body && !g->use_get;
  t->easy = curl_easy_init();
  CURL *e = t->easy;
  /* Every option matters (protocols, limits): one that fails is a failure. */
  bool ok = e && curl_easy_setopt(e, CURLOPT_URL, current_url(g)) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_NOBODY, t->head ? 1L : 0L) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_USERAGENT, r->user_agent) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "") == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_HEADERDATA, t) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_WRITEDATA, t) == CURLE_OK &&
            curl_easy_setopt(e, CURLOPT_PRIVATE, (void *)t) == CURLE_OK &&
            curl_multi_add_handle(r->multi, e) == CURLM_OK;
  if (!ok) {
    transfer_free(t);
    finish(r, g, EXTCHECK_BROKEN, 0, ext_xstrdup("libcurl could not start the request"));
    return;
  }
  g->state = T_RUNNING;
  g->xfer = t;
  g->requests++;
  r->requests++;
  r->running++;
  r->hosts[g->host].running++;
}

/* Start every queued target that may start now, in input order; returns when
 * the next waiting one may (LLONG_MAX for none). */
static long long start_ready(run *r, long long now) {
  long long next = LLONG_MAX;
  while (r->first_open < r->ntargets && r->targets[r->first_open].state == T_DONE)
    r->first_open++;
  for (size_t i = r->first_open; i < r->ntargets && r->running < r->s->max_concurrency; i++) {
    target *g = &r->targets[i];
    if (g->state != T_QUEUED)
      continue;
    if (g->not_before > now) {
      if (g->not_before < next)
        next = g->not_before;
      continue;
    }
    if (r->hosts[g->host].running < r->s->max_per_host)
      start(r, i, now);
  }
  return next;
}

/* ---- judging a response ---- */

/* Retry-After in ms: seconds or an HTTP-date; -1 when absent or invalid. */
static long long retry_after_ms(const char *v) {
  if (!v || !*v)
    return -1;
  size_t digits = strspn(v, "0123456789");
  if (digits && v[digits] == '\0')
    return digits > 9 ? LLONG_MAX : atoll(v) * 1000;
  time_t when = curl_getdate(v, NULL);
  if (when == -1)
    return -1;
  time_t now = time(NULL);
  return when <= now ? 0 : ((long long)when - (long long)now) * 1000;
}

/* After a failure worth retrying (429, 5xx, a connection failure): queue the
 * target again after a wait, or give up with why (malloc'd, taken over). */
static void retry_or_give_up(run *r, target *g, const char *retry_after, int code, char *why) {
  const extcheck_settings *s = r->s;
  if (g->retries >= s->max_retries) {
    finish(r, g, EXTCHECK_BROKEN, code,
           ext_xprintf("%s (%d attempt%s)", why, g->retries + 1, g->retries ? "s" : ""));
    free(why);
    return;
  }
  long long asked = retry_after_ms(retry_after);
  if (asked > s->retry_max_wait_ms) {
    finish(r, g, EXTCHECK_BROKEN, code,
           asked == LLONG_MAX
               ? ext_xprintf("%s; the server asks to retry much later", why)
               : ext_xprintf("%s; the server asks to retry in %lld s, more than the %ld s allowed",
                             why, asked / 1000, s->retry_max_wait_ms / 1000));
    free(why);
    return;
  }
  long long wait = asked;
  if (wait < 0) {
    /* Exponential backoff: base, 2 x base, 4 x base, ... up to the cap. */
    wait = s->retry_base_ms;
    for (int k = 0; k < g->retries && wait < s->retry_max_wait_ms; k++)
      wait *= 2;
    if (wait > s->retry_max_wait_ms)
      wait = s->retry_max_wait_ms;
  }
  long long now = now_ms();
  if (now + wait >= g->deadline) {
    finish(r, g, EXTCHECK_BROKEN, code,
           ext_xprintf("%s; no time left to retry within %ld ms", why, s->url_timeout_ms));
    free(why);
    return;
  }
  free(why);
  g->retries++;
  g->not_before = now + wait;
  g->state = T_QUEUED;
}

static bool is_retryable(CURLcode rc) {
  switch (rc) {
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
  case CURLE_COULDNT_CONNECT:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
    return true;
  default:
    return false;
  }
}

/* Servers that do not implement HEAD answer it with all sorts of client
 * errors (405, 403, 400, 406, ...) or 501: the same URL is then asked again
 * with GET. "Not found", "gone" and "slow down" are taken at their word, and
 * other 5xx are retried like any server error. */
static bool head_refused(long code) {
  return (code >= 400 && code < 500 && code != 404 && code != 410 && code != 429) || code == 501;
}

/* Ask the same URL again with GET. Per URL, not per host: one odd endpoint
 * must not change how a whole host is checked, and the requests made stay
 * the same whatever order the answers came in. */
static void use_get(target *g) {
  g->use_get = true;
  g->state = T_QUEUED;
}

static void follow(run *r, target *g, const char *location, int code) {
  const extcheck_settings *s = r->s;
  char *why = NULL;
  char *next = normalize_url(current_url(g), location, &why);
  if (!next) {
    finish(r, g, EXTCHECK_BROKEN, code, ext_xprintf("%d redirect to an unusable URL: %s", code, why));
    free(why);
    return;
  }
  for (int i = 0; i < g->nchain; i++)
    if (strcmp(g->chain[i], next) == 0) {
      finish(r, g, EXTCHECK_BROKEN, code,
             ext_xprintf("redirect loop: %s redirects back to %s", current_url(g), next));
      free(next);
      return;
    }
  if (g->nchain - 1 >= s->max_redirects) {
    finish(r, g, EXTCHECK_BROKEN, code, ext_xprintf("more than %d redirects", s->max_redirects));
    free(next);
    return;
  }
  /* "Use the new URL" only holds while every hop so far is permanent: after a
   * temporary redirect, the old URL is the one to keep. */
  if (g->permanent_run && (code == 301 || code == 308)) {
    free(g->moved_to);
    g->moved_to = ext_xstrdup(next);
  } else {
    g->permanent_run = false;
  }
  g->chain = ext_xrealloc(g->chain, (size_t)(g->nchain + 1) * sizeof *g->chain);
  g->chain[g->nchain++] = next;
  g->host = find_host(r, next);
  g->use_get = false;
  g->not_before = 0;
  g->state = T_QUEUED;
}

static void judge(run *r, target *g, transfer *t, CURLcode rc, int code) {
  if (t->too_big) {
    finish(r, g, EXTCHECK_BROKEN, code,
           ext_xprintf("response headers larger than %zu bytes", r->s->max_header_bytes));
    return;
  }
  if (rc != CURLE_OK) {
    const char *detail = t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc);
    if (rc == CURLE_OPERATION_TIMEDOUT)
      finish(r, g, EXTCHECK_TIMEOUT, 0, ext_xprintf("timed out: %s", detail));
    else if (t->head && (rc == CURLE_GOT_NOTHING || rc == CURLE_WEIRD_SERVER_REPLY))
      use_get(g); /* some servers drop the connection on HEAD */
    else if (is_retryable(rc))
      retry_or_give_up(r, g, NULL, 0, ext_xstrdup(detail));
    else
      finish(r, g, EXTCHECK_BROKEN, 0, ext_xstrdup(detail));
    return;
  }
  if (code >= 300 && code < 400 && t->location) {
    follow(r, g, t->location, code);
    return;
  }
  if (t->head && head_refused(code)) {
    use_get(g);
    return;
  }
  if (code == 429 || (code >= 500 && code <= 599 && code != 501 && code != 505)) {
    retry_or_give_up(r, g, t->retry_after, code, status_text(code));
    return;
  }
  char *text = status_text(code);
  if (code >= 200 && code < 300) {
    if (t->want_body && t->html) {
      g->have_page = true;
      g->body = t->body;
      g->body_len = t->body_len;
      g->body_cut = t->body_cut;
      t->body = NULL;
    }
    if (g->moved_to)
      finish(r, g, EXTCHECK_REDIRECTED, code,
             ext_xprintf("%s after a permanent redirect: use %s", text, g->moved_to));
    else if (g->nchain > 1)
      finish(r, g, EXTCHECK_OK, code, ext_xprintf("%s (redirected to %s)", text, current_url(g)));
    else
      finish(r, g, EXTCHECK_OK, code, ext_xstrdup(text));
  } else if (code >= 300 && code < 400) {
    finish(r, g, EXTCHECK_BROKEN, code, ext_xprintf("%s without a Location header", text));
  } else if (code == 0) {
    finish(r, g, EXTCHECK_BROKEN, code, ext_xstrdup("no HTTP status received"));
  } else {
    finish(r, g, EXTCHECK_BROKEN, code, ext_xstrdup(text));
  }
  free(text);
}

static void complete(run *r, CURL *easy, CURLcode rc) {
  char *priv = NULL;
  curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
  transfer *t = (transfer *)priv;
  curl_multi_remove_handle(r->multi, easy);
  target *g = &r->targets[t->target];
  g->xfer = NULL;
  r->hosts[g->host].running--;
  r->running--;
  long code = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
  if (t->stopped && !t->too_big && rc == CURLE_WRITE_ERROR)
    rc = CURLE_OK;
  judge(r, g, t, rc, code >= 0 && code <= 999 ? (int)code : 0);
  transfer_free(t);
}

/* Drive every target to T_DONE. False when libcurl's multi interface failed
 * (the targets left are then marked broken). */
static bool drive(run *r) {
  while (r->ndone < r->ntargets) {
    long long next = start_ready(r, now_ms());
    if (r->ndone == r->ntargets)
      break;
    int still = 0;
    if (curl_multi_perform(r->multi, &still) != CURLM_OK)
      return false;
    bool any = false;
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(r->multi, &left)) != NULL) {
      if (m->msg != CURLMSG_DONE)
        continue;
      CURL *easy = m->easy_handle;
      CURLcode rc = m->data.result;
      complete(r, easy, rc); /* m is invalid from here */
      any = true;
    }
    if (any)
      continue; /* free slots: start more before waiting */
    long long now = now_ms();
    long long wait = next == LLONG_MAX ? 1000 : next - now;
    if (wait < 0)
      wait = 0;
    if (wait > 1000)
      wait = 1000;
    if (curl_multi_poll(r->multi, NULL, 0, (int)wait, NULL) != CURLM_OK)
      return false;
  }
  return true;
}

/* ---- the run ---- */

static const char *check_settings(const extcheck_settings *s) {
  if (s->max_concurrency < 1 || s->max_concurrency > MAX_CONCURRENCY)
    return "max_concurrency must be between 1 and 1024";
  if (s->max_per_host < 1 || s->max_per_host > MAX_CONCURRENCY)
    return "max_per_host must be between 1 and 1024";
  if (s->connect_timeout_ms < 1 || s->request_timeout_ms < 1 || s->url_timeout_ms < 1)
    return "timeouts must be positive";
  if (s->max_redirects < 0 || s->max_redirects > MAX_REDIRECTS)
    return "max_redirects must be between 0 and 50";
  if (s->max_retries < 0 || s->max_retries > MAX_RETRIES)
    return "max_retries must be between 0 and 20";
  if (s->retry_base_ms < 0 || s->retry_max_wait_ms < 0)
    return "retry waits must not be negative";
  if (s->max_header_bytes < 1024)
    return "max_header_bytes must be at least 1024";
  if (s->cache_max_age_s < 0)
    return "cache_max_age_s must not be negative";
  if (s->nexclude && !s->exclude)
    return "nexclude is set but exclude is NULL";
  return NULL;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;
static void curl_init(void) { curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); }

/* Per link, while the run is prepared. */
typedef struct {
  char *url;          /* normalized, without #fragment; NULL when not requested */
  const char *frag;   /* inside the caller's URL; NULL when there is nothing to check */
  char *cache_key;
  size_t target;
} link_plan;

typedef struct {
  const char *url;
  size_t link;
} by_url;

static int cmp_by_url(const void *a, const void *b) {
  const by_url *x = a, *y = b;
  int c = strcmp(x->url, y->url);
  return c ? c : (x->link > y->link) - (x->link < y->link);
}

typedef struct {
  size_t first_link, from, to; /* a group of by_url[from..to) */
} group;

static int cmp_group(const void *a, const void *b) {
  const group *x = a, *y = b;
  return (x->first_link > y->first_link) - (x->first_link < y->first_link);
}

/* One target per distinct URL, in the order of their first links. */
static void make_targets(run *r, link_plan *plan, size_t n, bool fragments) {
  by_url *v = ext_xcalloc(n, sizeof *v);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (plan[i].url && plan[i].target == SIZE_MAX)
      v[m++] = (by_url){plan[i].url, i};
  if (m)
    qsort(v, m, sizeof *v, cmp_by_url);
  group *gs = ext_xcalloc(m, sizeof *gs);
  size_t ng = 0;
  for (size_t i = 0; i < m; i++) {
    if (i == 0 || strcmp(v[i].url, v[i - 1].url) != 0)
      gs[ng++] = (group){v[i].link, i, i};
    gs[ng - 1].to = i + 1;
  }
  if (ng)
    qsort(gs, ng, sizeof *gs, cmp_group);
  r->targets = ext_xcalloc(ng, sizeof *r->targets);
  r->ntargets = ng;
  for (size_t k = 0; k < ng; k++) {
    target *g = &r->targets[k];
    g->chain = ext_xmalloc(sizeof *g->chain);
    g->chain[0] = ext_xstrdup(plan[gs[k].first_link].url);
    g->nchain = 1;
    g->permanent_run = true;
    g->host = find_host(r, g->chain[0]);
    for (size_t i = gs[k].from; i < gs[k].to; i++) {
      link_plan *p = &plan[v[i].link];
      p->target = k;
      if (fragments && p->frag)
        g->want_body = true;
    }
  }
  free(gs);
  free(v);
}

static void fill_from_cache(extcheck_result *res, const extcache_entry *e) {
  res->status = e->status;
  res->http_code = e->http_code;
  res->final_url = e->final_url ? ext_xstrdup(e->final_url) : NULL;
  res->moved_to = e->moved_to ? ext_xstrdup(e->moved_to) : NULL;
  res->message = ext_xstrdup(e->message);
  res->fragment_missing = e->fragment_missing;
  res->checked = e->checked;
  res->cached = true;
}

/* A link's result from its target, with its own #fragment check. */
static void fill_from_target(extcheck_result *res, const target *g, const char *frag,
                             const extcheck_settings *s) {
  res->status = g->status;
  res->http_code = g->code;
  res->final_url = ext_xstrdup(current_url(g));
  res->moved_to = g->status == EXTCHECK_REDIRECTED ? ext_xstrdup(g->moved_to) : NULL;
  bool page_ok = g->status == EXTCHECK_OK || g->status == EXTCHECK_REDIRECTED;
  if (!frag || !page_ok) {
    res->message = ext_xstrdup(g->message);
  } else if (!g->have_page) {
    res->message = ext_xprintf("%s; #%s not checked: not an HTML page", g->message, frag);
  } else if (!extanchor_find(g->body ? g->body : "", g->body_len, frag)) {
    res->status = EXTCHECK_BROKEN;
    res->fragment_missing = true;
    res->message = g->body_cut ? ext_xprintf("#%s not found in the first %zu bytes of the page",
                                             frag, s->max_body_bytes)
                               : ext_xprintf("#%s not found on the page", frag);
  } else {
    res->message = ext_xstrdup(g->message);
  }
}

/* Whether a fresh result is worth keeping: answers that another run would
 * get again. Timeouts, connection failures, 5xx and 429 may be passing
 * troubles and are asked again next time. */
static bool cacheable(const extcheck_result *res) {
  if (res->cached)
    return false;
  if (res->status == EXTCHECK_OK || res->status == EXTCHECK_REDIRECTED || res->fragment_missing)
    return true;
  return res->status == EXTCHECK_BROKEN && res->http_code >= 400 && res->http_code < 500 &&
         res->http_code != 408 && res->http_code != 429;
}

static void save_cache(extcache *cache, extcheck_report *out, const link_plan *plan,
                       const extcheck_settings *s, time_t now) {
  for (size_t i = 0; i < out->count; i++) {
    const extcheck_result *res = &out->results[i];
    if (!plan[i].cache_key || !cacheable(res))
      continue;
    extcache_entry e = {
        .url = plan[i].cache_key,
        .checked = res->checked,
        .status = res->status,
        .fragment_missing = res->fragment_missing,
        .http_code = res->http_code,
        .final_url = res->final_url,
        .moved_to = res->moved_to,
        .message = res->message,
    };
    extcache_put(cache, &e);
  }
  extcache_prune(cache, now, s->cache_max_age_s);
  if (extcache_save(cache, s->cache_path) != 0)
    out->error = ext_xprintf("%s: cannot write the link cache: %s", s->cache_path,
                             strerror(errno));
}

extcheck_run_status extcheck_run(const extcheck_settings *s, const extcheck_link *links,
                                 size_t n, extcheck_report *out) {
  *out = (extcheck_report){0};
  const char *bad = check_settings(s);
  if (bad) {
    out->error = ext_xstrdup(bad);
    return EXTCHECK_RUN_BAD_SETTINGS;
  }
  regex_t *rx = ext_xcalloc(s->nexclude, sizeof *rx);
  for (size_t k = 0; k < s->nexclude; k++) {
    int rc = regcomp(&rx[k], s->exclude[k] ? s->exclude[k] : "", REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
      char msg[256];
      regerror(rc, &rx[k], msg, sizeof msg);
      out->error = ext_xprintf("exclusion pattern %s: %s", s->exclude[k] ? s->exclude[k] : "",
                               msg);
      for (size_t j = 0; j < k; j++)
        regfree(&rx[j]);
      free(rx);
      return EXTCHECK_RUN_BAD_SETTINGS;
    }
  }
  pthread_once(&curl_once, curl_init);
  run r = {.s = s, .user_agent = s->user_agent ? s->user_agent : DEFAULT_USER_AGENT};
  if (curl_init_rc == CURLE_OK)
    r.multi = curl_multi_init();
  r.headers = curl_slist_append(NULL, "Accept: text/html,application/xhtml+xml,*/*;q=0.8");
  if (!r.multi || !r.headers) {
    out->error = ext_xstrdup("libcurl could not be initialised");
    for (size_t k = 0; k < s->nexclude; k++)
      regfree(&rx[k]);
    free(rx);
    if (r.multi)
      curl_multi_cleanup(r.multi);
    curl_slist_free_all(r.headers);
    return EXTCHECK_RUN_FAILED;
  }

  time_t started = time(NULL);
  extcache cache = {0};
  if (s->cache_path)
    extcache_load(&cache, s->cache_path, started);
  out->results = ext_xcalloc(n, sizeof *out->results);
  out->count = n;
  link_plan *plan = ext_xcalloc(n, sizeof *plan);
  for (size_t i = 0; i < n; i++) {
    extcheck_result *res = &out->results[i];
    const char *url = links[i].url;
    res->url = url;
    res->data = links[i].data;
    res->checked = started;
    plan[i].target = SIZE_MAX;
    if (!url) {
      res->status = EXTCHECK_UNSUPPORTED;
      res->message = ext_xstrdup("no URL");
      continue;
    }
    size_t k = 0;
    while (k < s->nexclude && regexec(&rx[k], url, 0, NULL, 0) != 0)
      k++;
    if (k < s->nexclude) {
      res->status = EXTCHECK_EXCLUDED;
      res->message = ext_xprintf("excluded by the pattern %s", s->exclude[k]);
      continue;
    }
    char *why = NULL;
    if (!has_http_scheme(url)) {
      res->status = EXTCHECK_UNSUPPORTED;
      res->message = ext_xstrdup("not an http(s) URL: only http and https links are checked");
      continue;
    }
    plan[i].url = normalize_url(NULL, url, &why);
    if (!plan[i].url) {
      res->status = EXTCHECK_UNSUPPORTED;
      res->message = why;
      continue;
    }
    const char *hash = strchr(url, '#');
    if (s->check_fragments && hash && !extanchor_is_implicit(hash + 1))
      plan[i].frag = hash + 1;
    plan[i].cache_key = plan[i].frag ? ext_xprintf("%s#%s", plan[i].url, plan[i].frag)
                                     : ext_xstrdup(plan[i].url);
    const extcache_entry *e = s->cache_path ? extcache_find(&cache, plan[i].cache_key) : NULL;
    if (e && s->cache_max_age_s > 0 &&
        (long long)started - (long long)e->checked < (long long)s->cache_max_age_s) {
      fill_from_cache(res, e);
      out->from_cache++;
      free(plan[i].url);
      plan[i].url = NULL;
    }
  }

  make_targets(&r, plan, n, s->check_fragments);
  bool driven = drive(&r);
  if (!driven) {
    /* Whatever is still in flight or queued cannot be judged. */
    for (size_t k = 0; k < r.ntargets; k++) {
      target *g = &r.targets[k];
      if (g->state == T_DONE)
        continue;
      if (g->xfer) {
        curl_multi_remove_handle(r.multi, g->xfer->easy);
        transfer_free(g->xfer);
        g->xfer = NULL;
      }
      finish(&r, g, EXTCHECK_BROKEN, 0, ext_xstrdup("libcurl failed during the run"));
    }
  }
  out->requests = r.requests;

  time_t ended = time(NULL);
  for (size_t i = 0; i < n; i++)
    if (plan[i].target != SIZE_MAX) {
      fill_from_target(&out->results[i], &r.targets[plan[i].target], plan[i].frag, s);
      out->results[i].checked = ended;
    }

  extcheck_run_status status = EXTCHECK_RUN_OK;
  if (!driven) {
    out->error = ext_xstrdup("libcurl failed during the run; some links were not checked");
    status = EXTCHECK_RUN_FAILED;
  } else if (s->cache_path) {
    save_cache(&cache, out, plan, s, ended);
    if (out->error)
      status = EXTCHECK_RUN_CACHE_FAILED;
  }

  for (size_t k = 0; k < r.ntargets; k++) {
    target *g = &r.targets[k];
    for (int j = 0; j < g->nchain; j++)
      free(g->chain[j]);
    free(g->chain);
    free(g->moved_to);
    free(g->message);
    free(g->body);
  }
  free(r.targets);
  for (size_t k = 0; k < r.nhosts; k++)
    free(r.hosts[k].key);
  free(r.hosts);
  for (size_t i = 0; i < n; i++) {
    free(plan[i].url);
    free(plan[i].cache_key);
  }
  free(plan);
  extcache_free(&cache);
  curl_multi_cleanup(r.multi);
  curl_slist_free_all(r.headers);
  for (size_t k = 0; k < s->nexclude; k++)
    regfree(&rx[k]);
  free(rx);
  return status;
}

void extcheck_report_free(extcheck_report *r) {
  for (size_t i = 0; i < r->count; i++) {
    free(r->results[i].final_url);
    free(r->results[i].moved_to);
    free(r->results[i].message);
  }
  free(r->results);
  free(r->error);
  *r = (extcheck_report){0};
}
