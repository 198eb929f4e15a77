/* Link resolution. The rules, in the order they are tried:
 *   ""                      empty-link
 *   "#id"                   this page; the id is checked after parsing
 *   scheme:..., //host/...  left as written; http:// is insecure-link
 *   /path                   site-absolute: see site_path() below
 *   relative path           against the folder of the file that holds it,
 *                           inside the locale folder (link-out-of-scope)
 * A relative or site path names an article (x.md, x.html, dir/ for
 * dir/index.md) or a media file, first in the linking article's locale and
 * then in the source locale (a translation linking to an untranslated
 * article gets the source page and an info diagnostic). A path that exists
 * only in another letter case is a case-mismatch warning: Learn's URLs are
 * case-insensitive, and the link is written with the file's own case, so it
 * works on any server. */
#define _GNU_SOURCE
#include "resolve.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "url.h"
#include "util.h"

typedef struct {
  int locale;
  const char *rel;
  const article *art;       /* or NULL for a media file */
} index_entry;

typedef struct {
  const article *art;
  const char *id;
} anchor_entry;

struct resolve_index {
  index_entry *folded; /* articles and media, by locale then case-folded rel */
  size_t nfolded;
  anchor_entry *anchors; /* by article, then id; filled by resolve_links */
  size_t nanchors;
};

static int cmp_folded(const void *pa, const void *pb) {
  const index_entry *a = pa, *b = pb;
  if (a->locale != b->locale)
    return a->locale < b->locale ? -1 : 1;
  int c = strcasecmp(a->rel, b->rel);
  return c ? c : strcmp(a->rel, b->rel);
}

resolve_index *resolve_index_build(arena *mem, const content_set *cs) {
  struct resolve_index *ix = arena_alloc(mem, sizeof *ix);
  size_t n = cs->narticles + cs->nmedia;
  ix->folded = arena_alloc(mem, (n ? n : 1) * sizeof *ix->folded);
  for (size_t i = 0; i < cs->narticles; i++) {
    const article *a = &cs->articles[i];
    ix->folded[ix->nfolded++] = (index_entry){a->locale, a->rel, a};
  }
  for (size_t i = 0; i < cs->nmedia; i++) {
    const content_file *f = &cs->media[i];
    ix->folded[ix->nfolded++] = (index_entry){f->locale, f->rel, NULL};
  }
  if (ix->nfolded)
    qsort(ix->folded, ix->nfolded, sizeof *ix->folded, cmp_folded);
  return ix;
}

/* The entry whose path equals rel but for letter case (articles when want_article). */
static const index_entry *find_folded(const resolve_index *ix, int locale, const char *rel,
                                      bool want_article) {
  if (!ix || !ix->nfolded)
    return NULL;
  size_t lo = 0, hi = ix->nfolded;
  while (lo < hi) { /* first entry >= (locale, rel) case-insensitively */
    size_t mid = lo + (hi - lo) / 2;
    const index_entry *e = &ix->folded[mid];
    int c = e->locale != locale ? (e->locale < locale ? -1 : 1) : strcasecmp(e->rel, rel);
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (; lo < ix->nfolded; lo++) {
    const index_entry *e = &ix->folded[lo];
    if (e->locale != locale || strcasecmp(e->rel, rel))
      break;
    if ((e->art != NULL) == want_article)
      return e;
  }
  return NULL;
}

/* http:// to a loopback host is a local example, not an insecure link. */
static bool insecure(const char *u) {
  if (strncasecmp(u, "http://", 7))
    return false;
  const char *host = u + 7;
  size_t n = strcspn(host, ":/?#");
  static const char *const local[] = {"localhost", "127.0.0.1", "[::1]"};
  for (size_t i = 0; i < sizeof local / sizeof *local; i++)
    if (n == strlen(local[i]) && !strncasecmp(host, local[i], n))
      return false;
  return true;
}

static void problem(link_resolution *r, arena *mem, link_kind kind, severity sev,
                    const char *code, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void problem(link_resolution *r, arena *mem, link_kind kind, severity sev,
                    const char *code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  r->message = arena_vprintf(mem, fmt, ap);
  va_end(ap);
  r->kind = kind;
  r->sev = sev;
  r->code = code;
}

/* The fragment of url ("x.md?a=b#frag" -> "frag"), decoded; NULL if none. */
static const char *fragment_of(arena *mem, const char *url) {
  const char *h = strchr(url, '#');
  if (!h || !h[1])
    return NULL;
  char *f = arena_strdup(mem, h + 1);
  return percent_decode(f) ? f : NULL;
}

/* What a path inside a locale folder names: an article for x.md, x.html,
 * "" or dir/ (dir/index.md); otherwise a media file. */
static const char *article_rel(arena *mem, const char *p, bool *is_article) {
  size_t n = strlen(p);
  *is_article = true;
  if (n == 0 || p[n - 1] == '/')
    return arena_printf(mem, "%sindex.md", p);
  if (str_ends_with(p, ".md"))
    return p;
  if (str_ends_with(p, ".html"))
    return arena_printf(mem, "%.*s.md", (int)(n - 5), p);
  *is_article = false;
  return p;
}

typedef struct {
  const link_context *lc;
  const article *from;
  arena *mem;
  const char *url;    /* as written, for messages */
  const char *suffix; /* "?query#fragment" as written */
  bool image;
  bool same_dir;      /* relative to the article's own folder */
  int here;           /* the locale to look in first */
} lookup;

static const char *page_of(const lookup *q, int locale, const char *rel) {
  return arena_printf(q->mem, "%s/%s", q->lc->cfg->locales[locale], rel);
}

/* The URL from the linking page to rel in locale's output folder. */
static const char *href_to(const lookup *q, int locale, const char *rel) {
  char *r = path_relative(page_of(q, q->from->locale, q->from->url), page_of(q, locale, rel));
  const char *h = arena_printf(q->mem, "%s%s", r, q->suffix);
  free(r);
  return h;
}

/* Find rel (inside a locale folder) as an article or media file; fills out.
 * Returns false when nothing matches, even by case. */
static bool find_target(const lookup *q, const char *rel, bool site_absolute,
                        link_resolution *out) {
  const link_context *b = q->lc;
  const int src = 0; /* the source locale is always index 0 */
  int here = q->here;
  bool want_article;
  const char *arel = article_rel(q->mem, rel, &want_article);
  for (int pass = 0; pass < 2; pass++) {
    int loc = pass == 0 ? here : src;
    if (pass == 1 && here == src)
      break;
    if (want_article) {
      const article *t = content_find_article(b->content, loc, arel);
      if (!t)
        continue;
      out->kind = LINK_ARTICLE;
      out->target = t;
      out->href = href_to(q, loc, t->url);
      if (loc != here && !q->image)
        problem(out, q->mem, LINK_ARTICLE, SEV_INFO, "untranslated-link",
                "'%s' is not translated into %s; the link goes to the %s page", q->url,
                b->cfg->locales[here], b->cfg->locales[loc]);
      return true;
    }
    if (content_find_file(b->content->media, b->content->nmedia, loc, arel)) {
      out->kind = LINK_MEDIA;
      /* Media in the same folder of the output keeps the URL as written. */
      out->href = loc == here && q->same_dir && !site_absolute ? NULL : href_to(q, loc, arel);
      return true;
    }
  }
  /* Not there as written: the same path in another letter case? */
  for (int pass = 0; pass < 2; pass++) {
    int loc = pass == 0 ? here : src;
    if (pass == 1 && here == src)
      break;
    const index_entry *e = find_folded(b->index, loc, arel, want_article);
    if (!e)
      continue;
    out->target = e->art;
    out->href = href_to(q, loc, e->art ? e->art->url : e->rel);
    problem(out, q->mem, e->art ? LINK_ARTICLE : LINK_MEDIA, SEV_WARNING, "case-mismatch",
            "'%s' differs in letter case from %s/%s (the link is written with the file's "
            "case)",
            q->url, b->cfg->locales[loc], e->rel);
    return true;
  }
  return false;
}

/* Path part of base_url ("https://h/docs/" -> "/docs/"), always ending in '/'. */
static const char *base_path(const site_config *cfg) {
  const char *u = cfg->base_url ? cfg->base_url : "/";
  const char *s = strstr(u, "://");
  if (!s)
    return u[0] == '/' ? u : "/";
  const char *p = strchr(s + 3, '/');
  return p ? p : "/";
}

/* Map a site-absolute path through folio.yml's external_links. */
static const char *map_external(const lookup *q, const char *url) {
  const site_config *cfg = q->lc->cfg;
  const char *locale = cfg->locales[q->from->locale];
  for (size_t i = 0; i < cfg->nexternal; i++) {
    const external_root *r = &cfg->external[i];
    if (!str_starts_with(url, r->prefix))
      continue;
    const char *rest = url + strlen(r->prefix);
    const char *t = r->target, *ph = strstr(t, "{locale}");
    if (ph)
      return arena_printf(q->mem, "%.*s%s%s%s", (int)(ph - t), t, locale, ph + 8, rest);
    return arena_printf(q->mem, "%s%s", t, rest);
  }
  return NULL;
}

/* A site-absolute path is inside the site when it starts with base_url's
 * path: then /<locale>/<path> names <path> in that locale, and any other
 * /<path> names <path> in the linking article's locale (Learn's form,
 * where the locale is implied). <path> is an article with or without .md or
 * .html, a folder's index.md, or a media file. A path that is not in the
 * site goes through external_links; one that matches no prefix is
 * file-not-found. */
static void site_path(const lookup *q, const char *path, link_resolution *out) {
  const link_context *b = q->lc;
  const char *base = base_path(b->cfg);
  if (str_starts_with(path, base)) {
    const char *s = path + strlen(base);
    size_t seg = strcspn(s, "/");
    int loc = -1;
    for (size_t i = 0; i < b->cfg->nlocales; i++)
      if (strlen(b->cfg->locales[i]) == seg && !strncmp(s, b->cfg->locales[i], seg))
        loc = (int)i;
    const char *rest = loc >= 0 ? (s[seg] ? s + seg + 1 : "") : s;
    const char *last = strrchr(rest, '/');
    last = last ? last + 1 : rest;
    /* /dir/page names dir/page.md, as on Learn; "" and dir/ name index.md. */
    const char *rel = *last && !strchr(last, '.') ? arena_printf(q->mem, "%s.md", rest) : rest;
    char *norm = path_normalize(rel);
    if (norm) {
      const char *r = *last ? norm : arena_printf(q->mem, "%s%s", norm, *norm ? "/" : "");
      lookup lq = *q;
      lq.here = loc >= 0 ? loc : q->here;
      bool found = find_target(&lq, r, true, out);
      free(norm);
      if (found) {
        /* The author named the locale: an untranslated target is no news. */
        if (loc >= 0 && out->code && !strcmp(out->code, "untranslated-link"))
          out->code = NULL;
        return;
      }
      if (loc >= 0) {
        problem(out, q->mem, LINK_BROKEN, SEV_ERROR,
                q->image ? "image-not-found" : "file-not-found",
                "'%s' does not exist (looked for %s/%s)", q->url, b->cfg->locales[loc], rel);
        return;
      }
    }
  }
  const char *ext = map_external(q, path);
  if (ext) {
    out->kind = LINK_MAPPED;
    out->href = arena_printf(q->mem, "%s%s", ext, q->suffix);
    return;
  }
  problem(out, q->mem, LINK_BROKEN, SEV_ERROR, q->image ? "image-not-found" : "file-not-found",
          "'%s' is not a page of this site and no external_links prefix in folio.yml matches it",
          q->url);
}

void resolve_url(const link_context *b, const article *from, const char *base_rel, const char *url,
                 bool image, arena *mem, link_resolution *out) {
  memset(out, 0, sizeof *out);
  out->kind = LINK_AS_WRITTEN;
  const char *u = url;
  while (*u == ' ' || *u == '\t')
    u++;
  if (!*u) {
    problem(out, mem, LINK_BROKEN, SEV_WARNING, "empty-link",
            image ? "image has no source" : "link has no target");
    return;
  }
  if (u[0] == '#') {
    out->kind = LINK_ARTICLE;
    out->target = from;
    out->fragment = fragment_of(mem, u);
    return;
  }
  char scheme[URL_SCHEME_MAX + 1];
  url_form form = url_classify(u, scheme);
  if (form == URL_SCHEME || form == URL_NETWORK) {
    if (!url_is_allowed(&b->cfg->urls, u)) {
      problem(out, mem, LINK_BLOCKED, SEV_WARNING, "unsafe-url",
              "URL '%s' is not allowed and was removed", url);
      return;
    }
    if (insecure(u))
      problem(out, mem, LINK_AS_WRITTEN, SEV_WARNING, "insecure-link",
              "'%s' uses http://; use https:// (readers and search engines flag plain HTTP)", u);
    return;
  }
  size_t plen = strcspn(u, "?#");
  char *path = arena_strndup(mem, u, plen);
  lookup q = {b, from, mem, url, u + plen, image, true, from->locale};
  out->fragment = fragment_of(mem, u);
  if (!percent_decode(path)) {
    problem(out, mem, LINK_BROKEN, SEV_ERROR, image ? "image-not-found" : "file-not-found",
            "'%s' has a malformed %%-escape", url);
    return;
  }
  if (path[0] == '/') {
    site_path(&q, path, out);
    if (out->kind == LINK_BROKEN || out->kind == LINK_MAPPED)
      out->fragment = NULL;
    return;
  }
  char *dir = path_dirname(base_rel);
  char *art_dir = path_dirname(from->rel);
  q.same_dir = !strcmp(dir, art_dir);
  free(art_dir);
  char *joined = path_join(dir, path);
  free(dir);
  /* "dir/" must keep its slash through normalizing: it means dir/index.md. */
  bool folder = plen && path[strlen(path) - 1] == '/';
  char *rel = path_normalize(joined);
  free(joined);
  if (!rel) {
    problem(out, mem, LINK_BROKEN, SEV_ERROR, "link-out-of-scope",
            "'%s' points outside the %s content folder", url, b->cfg->locales[from->locale]);
    return;
  }
  const char *r = folder || !*path ? arena_printf(mem, "%s%s", rel, *rel ? "/" : "") : rel;
  if (!find_target(&q, r, false, out)) {
    bool want_article;
    const char *arel = article_rel(mem, r, &want_article);
    problem(out, mem, LINK_BROKEN, SEV_ERROR, image ? "image-not-found" : "file-not-found",
            "'%s' does not exist (looked for %s/%s)", url, b->cfg->locales[from->locale], arel);
    out->fragment = NULL;
  }
  free(rel);
}

/* Anchors ---------------------------------------------------------------- */

static int cmp_anchor(const void *pa, const void *pb) {
  const anchor_entry *a = pa, *b = pb;
  if (a->art != b->art)
    return a->art < b->art ? -1 : 1;
  return strcmp(a->id, b->id);
}

static bool has_anchor(const struct resolve_index *ix, const article *art, const char *id) {
  anchor_entry key = {art, id};
  return ix->nanchors && bsearch(&key, ix->anchors, ix->nanchors, sizeof key, cmp_anchor);
}


const char *resolve_nearest_anchor(const article *art, const char *id) {
  const char *best = NULL;
  size_t bestd = (size_t)-1;
  for (size_t i = 0; i < art->nheadings; i++) {
    size_t d = str_distance(art->headings[i].id, id, false);
    if (d < bestd) {
      bestd = d;
      best = art->headings[i].id;
    }
  }
  /* Only suggest what is plausibly a typo. */
  return best && bestd <= strlen(id) / 2 + 1 ? best : NULL;
}

static void link_diag(article *art, const link_ref *l, severity sev, const char *code,
                      const char *msg) {
  if (l->file)
    diag_add(&art->diags, l->file, l->line, l->col, sev, code, "%s (included from %s:%d)", msg,
             art->path, l->via_line);
  else
    diag_add(&art->diags, art->path, l->line, l->col, sev, code, "%s", msg);
}

static void check_fragment(const struct resolve_index *ix, article *from, const link_ref *l) {
  const article *t = l->target;
  const char *id = l->fragment;
  if (has_anchor(ix, t, id))
    return;
  const char *where = t == from ? "this article" : t->path;
  char *msg;
  for (size_t i = 0; i < t->nheadings; i++) {
    if (strcasecmp(t->headings[i].id, id))
      continue;
    msg = arena_printf(from->mem, "'#%s' differs in letter case from the anchor '#%s' in %s", id,
                       t->headings[i].id, where);
    link_diag(from, l, SEV_WARNING, "case-mismatch", msg);
    return;
  }
  const char *near = resolve_nearest_anchor(t, id);
  msg = arena_printf(from->mem, "'#%s' is not an anchor in %s%s%s%s", id, where,
                     near ? "; did you mean '#" : "", near ? near : "", near ? "'?" : "");
  link_diag(from, l, SEV_ERROR, "bookmark-not-found", msg);
}

void resolve_links(arena *mem, resolve_index *ix, content_set *cs) {
  size_t n = 0;
  for (size_t i = 0; i < cs->narticles; i++)
    n += cs->articles[i].nheadings;
  ix->anchors = arena_alloc(mem, (n ? n : 1) * sizeof *ix->anchors);
  ix->nanchors = 0;
  for (size_t i = 0; i < cs->narticles; i++) {
    const article *a = &cs->articles[i];
    for (size_t k = 0; k < a->nheadings; k++)
      ix->anchors[ix->nanchors++] = (anchor_entry){a, a->headings[k].id};
  }
  if (ix->nanchors)
    qsort(ix->anchors, ix->nanchors, sizeof *ix->anchors, cmp_anchor);

  for (size_t i = 0; i < cs->narticles; i++) {
    article *art = &cs->articles[i];
    if (!art->ok)
      continue;
    for (size_t k = 0; k < art->nlinks; k++) {
      const link_ref *l = &art->links[k];
      /* A target that failed to parse has no known anchors: its own
       * errors say why, and guessing here would only add noise. */
      if (l->target && l->fragment && !l->image && l->target->ok)
        check_fragment(ix, art, l);
    }
  }
}
