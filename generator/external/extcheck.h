/* extcheck: checks external http(s) links over the network (folio check
 * --external), with libcurl's multi interface: HEAD then GET, redirects,
 * retries, per-host limits, #fragment checks, exclusions and a cache file.
 * The caller owns the links and settings; a report owns its results' strings
 * and is released with extcheck_report_free. Depends on libc, pthreads and
 * libcurl only. */
#ifndef FOLIO_EXTCHECK_H
#define FOLIO_EXTCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "extstatus.h"

/* "ok", "redirected", "broken", "timeout", "excluded", "unsupported". */
const char *extcheck_status_name(extcheck_status s);

/* One link to check. The same URL may appear many times (once per place it is
 * used); it is requested once. */
typedef struct {
  const char *url;
  void *data; /* the caller's, handed back untouched in the result */
} extcheck_link;

typedef struct {
  const char *user_agent;    /* e.g. "folio/0.1.0 (+link checker)"; NULL: "folio (+link checker)" */
  int max_concurrency;       /* requests in flight at once, all hosts together */
  int max_per_host;          /* requests in flight at once to one scheme://host:port */
  long connect_timeout_ms;   /* per request */
  long request_timeout_ms;   /* per request, whole transfer */
  long url_timeout_ms;       /* per URL: every request, retry and wait included */
  int max_redirects;
  int max_retries;           /* after the first attempt, on 429, 5xx, connection failures */
  long retry_base_ms;        /* backoff: base, 2 x base, 4 x base, ... */
  long retry_max_wait_ms;    /* cap on one wait; a longer Retry-After gives up at once */
  size_t max_header_bytes;   /* all response headers of one request */
  size_t max_body_bytes;     /* read for #fragment checks; the rest is not read */
  bool check_fragments;      /* fetch HTML pages and look for id= / <a name=> */
  const char *const *exclude; /* POSIX extended regexes matched against each URL */
  size_t nexclude;
  const char *cache_path;    /* NULL: no cache */
  long cache_max_age_s;      /* results younger than this are taken from the cache */
} extcheck_settings;

/* The defaults: 32 in flight, 4 per host, 10 s connect, 20 s per request, 60 s
 * per URL, 10 redirects, 3 retries from 1 s, 30 s max wait, 64 KiB headers,
 * 2 MiB bodies, no fragment checks, no exclusions, no cache, cache age 1 day. */
void extcheck_settings_init(extcheck_settings *s);

typedef struct {
  const char *url;        /* the link's URL (borrowed from the caller's link) */
  void *data;             /* the link's data */
  extcheck_status status;
  int http_code;          /* the last HTTP status; 0 when none was received */
  char *final_url;        /* where the redirects ended (the URL itself when none);
                             NULL when nothing was requested */
  char *moved_to;         /* where the leading permanent redirects (301, 308)
                             end: the URL to use instead. Set for REDIRECTED,
                             and for BROKEN by a missing #fragment after such
                             redirects; otherwise NULL */
  char *message;          /* one human-readable line; never NULL */
  bool cached;            /* answered from the cache file, with no request */
  bool fragment_missing;  /* BROKEN because #fragment is not on the page */
  time_t checked;         /* when the result was established (earlier if cached) */
} extcheck_result;

typedef struct {
  extcheck_result *results; /* one per link, in the links' order */
  size_t count;
  size_t requests;          /* HTTP requests made in this run */
  size_t from_cache;        /* results answered from the cache */
  char *error;              /* why the run failed or the cache was not saved */
} extcheck_report;

typedef enum {
  EXTCHECK_RUN_OK,
  EXTCHECK_RUN_BAD_SETTINGS, /* a limit out of range or a pattern that does not
                                compile; nothing checked, no results */
  EXTCHECK_RUN_FAILED,       /* libcurl could not be set up (no results), or
                                failed during the run (unchecked links broken) */
  EXTCHECK_RUN_CACHE_FAILED, /* every result is there, but the cache file could
                                not be written */
} extcheck_run_status;

/* Check links[0..n). Blocks until every link has a result: at most about
 * url_timeout_ms per URL, in parallel. out->error explains anything but OK.
 * Safe to call from several threads at once (each call is independent). */
extcheck_run_status extcheck_run(const extcheck_settings *s, const extcheck_link *links,
                                 size_t n, extcheck_report *out);
void extcheck_report_free(extcheck_report *r);

#endif
