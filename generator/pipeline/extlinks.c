/* The places are gathered in article and link order and grouped by URL as
 * written (blanks trimmed), so each URL is handed to the checker once; the
 * checker also merges URLs that differ only in their #fragment into one
 * request. Results come back per URL and are reported at every place, in
 * place order: the same diagnostics at any -j, sorted later with the rest. */
#include "extlinks.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "extcheck.h"
#include "url.h"
#include "util.h"

typedef struct {
  const char *url; /* trimmed, in the stage's arena */
  article *art;
  const link_ref *link;
  size_t order; /* place order, for a stable sort */
} place;

typedef struct {
  const place *first; /* places[first .. first + n) share the URL */
  size_t n;
} url_group;

static bool is_blank(char c) { return (unsigned char)c <= ' '; }

/* The URL as a browser reads it (url_classify): blanks around it trimmed,
 * tabs and line breaks inside dropped; NULL unless it is absolute http(s). */
static const char *http_url(arena *mem, const char *u) {
  char scheme[URL_SCHEME_MAX + 1];
  if (url_classify(u, scheme) != URL_SCHEME || (strcmp(scheme, "http") && strcmp(scheme, "https")))
    return NULL;
  while (is_blank(*u))
    u++;
  size_t n = strlen(u);
  while (n && is_blank(u[n - 1]))
    n--;
  char *out = arena_strndup(mem, u, n), *w = out;
  for (const char *r = out; *r; r++)
    if (*r != '\t' && *r != '\n' && *r != '\r')
      *w++ = *r;
  *w = '\0';
  return out;
}

static int cmp_place(const void *a, const void *b) {
  const place *x = a, *y = b;
  int c = strcmp(x->url, y->url);
  return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* At the link, or at the line of the include it came from, with the same
 * "(included from ...)" as the internal link diagnostics (resolve.c). */
static void place_diag(const place *p, severity sev, const char *code, const char *msg) {
  const link_ref *l = p->link;
  if (l->file)
    diag_add(&p->art->diags, l->file, l->line, l->col, sev, code, "%s (included from %s:%d)", msg,
             p->art->path, l->via_line);
  else
    diag_add(&p->art->diags, p->art->path, l->line, l->col, sev, code, "%s", msg);
}

/* The diagnostic a result calls for, if any: code, severity and message
 * (in mem). */
static const char *judge(arena *mem, const extcheck_result *r, severity *sev, char **msg) {
  switch (r->status) {
  case EXTCHECK_OK:
  case EXTCHECK_EXCLUDED:
    return NULL;
  case EXTCHECK_REDIRECTED:
    *sev = SEV_WARNING;
    *msg = arena_printf(mem, "'%s' is permanently redirected; use %s", r->url, r->moved_to);
    return "external-link-redirected";
  case EXTCHECK_TIMEOUT:
    *sev = SEV_WARNING;
    *msg = arena_printf(mem, "'%s' did not answer in time (%s)", r->url, r->message);
    return "external-link-timeout";
  case EXTCHECK_BROKEN:
    *sev = SEV_ERROR;
    if (r->fragment_missing) {
      *msg = r->moved_to ? arena_printf(mem, "'%s': %s (the page moved permanently; use %s)",
                                        r->url, r->message, r->moved_to)
                         : arena_printf(mem, "'%s': %s", r->url, r->message);
      return "external-fragment-not-found";
    }
    *msg = arena_printf(mem, "'%s' is broken: %s", r->url, r->message);
    return "external-link-broken";
  case EXTCHECK_UNSUPPORTED: /* an http(s) URL the checker cannot read */
    *sev = SEV_ERROR;
    *msg = arena_printf(mem, "'%s' is broken: %s", r->url, r->message);
    return "external-link-broken";
  }
  return NULL;
}

/* The checker's settings from folio.yml's. A URL gets three times the time
 * of one request (retries and their waits included): 20 s and 60 s by
 * default, as the checker's own defaults. */
static void settings_from(const external_check_config *x, long max_age_s, extcheck_settings *s) {
  extcheck_settings_init(s);
  s->user_agent = x->user_agent;
  s->max_concurrency = x->concurrency;
  s->max_per_host = x->per_host;
  s->request_timeout_ms = x->timeout_ms;
  s->connect_timeout_ms = x->timeout_ms < 10000 ? x->timeout_ms : 10000;
  s->url_timeout_ms = 3 * x->timeout_ms;
  s->max_retries = x->retries;
  s->check_fragments = x->check_fragments;
  s->exclude = x->exclude;
  s->nexclude = x->nexclude;
  s->cache_max_age_s = max_age_s >= 0 ? max_age_s : x->max_age_s;
}

extlinks_stats extlinks_check(const site_config *cfg, long max_age_s, content_set *cs,
                              diag_list *diags) {
  extlinks_stats st = {0};
  arena *mem = arena_new();
  place *places = NULL;
  size_t nplaces = 0, cap = 0;
  for (size_t i = 0; i < cs->narticles; i++) {
    article *art = &cs->articles[i];
    /* Like resolve_links: an article that did not parse has its own errors. */
    for (size_t k = 0; art->ok && k < art->nlinks; k++) {
      const char *u = http_url(mem, art->links[k].url);
      if (u) {
        place pl = {u, art, &art->links[k], nplaces}; /* its order, for a stable sort */
        ARENA_PUSH(mem, places, nplaces, cap, pl);
      }
    }
  }
  if (nplaces)
    qsort(places, nplaces, sizeof *places, cmp_place);
  url_group *groups = arena_alloc(mem, (nplaces + 1) * sizeof *groups);
  extcheck_link *links = arena_alloc(mem, (nplaces + 1) * sizeof *links);
  size_t ngroups = 0;
  for (size_t i = 0; i < nplaces; i++) {
    if (i == 0 || strcmp(places[i].url, places[i - 1].url)) {
      groups[ngroups] = (url_group){&places[i], 0};
      links[ngroups] = (extcheck_link){places[i].url, &groups[ngroups]};
      ngroups++;
    }
    groups[ngroups - 1].n++;
  }

  extcheck_report rep = {0};
  extcheck_run_status rs = EXTCHECK_RUN_OK;
  char *cache_dir = path_join(cfg->root, ".folio/cache");
  char *cache_path = path_join(cfg->root, EXTLINKS_CACHE_FILE);
  if (ngroups) {
    extcheck_settings s;
    settings_from(&cfg->extcheck, max_age_s, &s);
    if (mkdir_p(cache_dir) == 0)
      s.cache_path = cache_path;
    else
      diag_add(diags, cache_path, 0, 0, SEV_WARNING, "external-cache-unwritable",
               "cannot create the folder of the external link cache: %s; every URL is requested",
               strerror(errno));
    rs = extcheck_run(&s, links, ngroups, &rep);
  }
  if (rs == EXTCHECK_RUN_CACHE_FAILED)
    diag_add(diags, cache_path, 0, 0, SEV_WARNING, "external-cache-unwritable", "%s",
             rep.error ? rep.error : "cannot write the external link cache");
  else if (rs != EXTCHECK_RUN_OK)
    diag_add(diags, cfg->file, 0, 0, SEV_ERROR, "external-check-failed",
             "the external link check could not run: %s", rep.error ? rep.error : "unknown error");

  for (size_t i = 0; i < rep.count; i++) {
    const extcheck_result *r = &rep.results[i];
    const url_group *g = r->data;
    if (r->status != EXTCHECK_EXCLUDED) {
      st.urls++;
      st.from_cache += r->cached;
    }
    severity sev = SEV_ERROR;
    char *msg = NULL;
    const char *code = judge(mem, r, &sev, &msg);
    for (size_t k = 0; code && k < g->n; k++)
      place_diag(&g->first[k], sev, code, msg);
  }
  st.requests = rep.requests;
  extcheck_report_free(&rep);
  free(cache_dir);
  free(cache_path);
  arena_free(mem);
  return st;
}
