/* Link resolution. The rules, in the order they are tried:
 *   ""                      empty-link
 *   "#id"                   this page; the id is checked after parsing
 *   scheme:..., //host/...  left as written; http:// is insecure-link
 *   /path                   site-absolute: see site_path() below
 *   relative path           against the folder of the file that holds it,
 *                           inside the locale folder (link-out-of-scope)
 * A relative or site path names an article (x.md, x.yml, x.html, dir/ for
 * dir/index.md or dir/index.yml) or a media file, first in the linking
 * article's locale and then in the source locale (a translation linking to
 * an untranslated article gets the source page and an info diagnostic). An
 * article that is gone but listed in the redirection file leads where the
 * redirect says (link-redirected, an info). A path that exists only in
 * another letter case is a case-mismatch warning: Learn's URLs are
 * case-insensitive, and the link is written with the file's own case, so it
 * works on any server. */
#define _GNU_SOURCE
#include "resolve.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
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
  /* Every heading id of every article (resolve_links): a hash table of
   * anchors (a power of two slots, empty ones with art NULL), and the same
   * entries by article then case-folded id, sorted only when a link
   * misses (the hint needs them). */
  anchor_entry *anchors;
  size_t anchor_slots;
  anchor_entry *folded_anchors;
  size_t nanchors;
  bool folded_sorted;
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

/* The first n bytes of s (n <= strlen(s)), then tail: a link's paths are
 * made for every link, and this is what "%.*s%s" printed, without printf. */
static char *cut_cat(arena *mem, const char *s, size_t n, const char *tail) {
  size_t lt = strlen(tail);
  char *p = arena_alloc(mem, n + lt + 1);
  memcpy(p, s, n);
  memcpy(p + n, tail, lt + 1);
  return p;
}

/* What a path inside a locale folder names: an article for x.md, x.yml,
 * x.html, "" or dir/ (dir/index.md), and with learn_form also for x (Learn's
 * URLs have no extension); otherwise a media file. *alt says that x.yml
 * (dir/index.yml) may stand for the x.md returned. */
static const char *article_rel(arena *mem, const char *p, bool learn_form, bool *is_article,
                               bool *alt) {
  size_t n = strlen(p);
  *is_article = true;
  *alt = true;
  const char *last = strrchr(p, '/');
  last = last ? last + 1 : p;
  if (n == 0 || p[n - 1] == '/')
    return arena_concat(mem, p, "index.md", "");
  if (str_ends_with(p, ".html"))
    return cut_cat(mem, p, n - 5, ".md");
  if (learn_form && !strchr(last, '.'))
    return arena_concat(mem, p, ".md", "");
  *alt = false;
  if (str_ends_with(p, ".md") || str_ends_with(p, ".yml"))
    return p;
  *is_article = false;
  return p;
}

/* The YAML page that may stand for x.md ("x.yml"). */
static const char *yml_of(arena *mem, const char *md) {
  return cut_cat(mem, md, strlen(md) - 3, ".yml");
}

/* Redirects followed from one link at most (a loop ends here). */
#define MAX_REDIRECTS 8

typedef struct {
  const link_context *lc;
  const article *from;
  arena *mem;
  const char *url;    /* as written, for messages */
  const char *suffix; /* "?query#fragment" as written */
  bool image;
  bool same_dir;      /* relative to the article's own folder */
  bool backslash;     /* written with "\": never kept as written */
  bool learn_form;    /* x may name x.md (site paths and redirect targets) */
  int here;           /* the locale to look in first */
  int depth;          /* redirects followed so far */
  const redirect_entry *chain[MAX_REDIRECTS]; /* the redirects followed, in order */
  const char *from_page; /* the linking page in the site, "<locale>/<url>" */
} lookup;

static void resolve_in(const lookup *parent, const article *from, const char *base_rel,
                       const char *url, arena *mem, link_resolution *out);

/* The URL from the linking page to rel in locale's output folder. */
static const char *href_to(const lookup *q, int locale, const char *rel) {
  return path_relative_in(q->mem, q->from_page, q->lc->cfg->locales[locale], rel, q->suffix);
}

/* The article at arel (or its .yml twin when alt) in locale. */
static const article *find_article(const lookup *q, int locale, const char *arel, bool alt) {
  const article *t = content_find_article(q->lc->content, locale, arel);
  if (!t && alt)
    t = content_find_article(q->lc->content, locale, yml_of(q->mem, arel));
  return t;
}

/* arel names no article but the redirection file lists it: resolve the
 * redirect's URL (relative to where the article was) and send the link
 * there, with the link's own query and fragment when it has them. */
static bool follow_redirect(const lookup *q, const char *arel, bool alt, link_resolution *out) {
  const content_set *cs = q->lc->content;
  const redirect_entry *r = content_find_redirect(cs, arel);
  if (!r && alt)
    r = content_find_redirect(cs, yml_of(q->mem, arel));
  if (!r)
    return false;
  int followed = q->depth ? q->depth - 1 : 0; /* resolve_target starts at depth 1 */
  bool loop = false;
  for (int i = 0; i < followed && !loop; i++)
    loop = q->chain[i] == r;
  if (loop || followed >= MAX_REDIRECTS) {
    buf chain = {0};
    for (int i = 0; i < followed; i++)
      buf_printf(&chain, "%s -> ", q->chain[i]->rel);
    buf_puts(&chain, r->rel);
    problem(out, q->mem, LINK_BROKEN, SEV_ERROR, "redirect-loop", "redirects go round in a loop: %s",
            buf_cstr(&chain));
    buf_free(&chain);
    return true;
  }
  link_resolution sub;
  lookup next = *q;
  next.chain[followed] = r;
  next.depth = q->depth + 1 + (q->depth == 0);
  resolve_in(&next, q->from, r->rel, r->url, q->mem, &sub);
  const char *where = arena_printf(q->mem, "%s:%d", r->file, r->url_line);
  if (sub.kind == LINK_BROKEN || sub.kind == LINK_BLOCKED) {
    /* Said once, by the link that started it all. */
    if (q->depth)
      *out = sub;
    else
      problem(out, q->mem, LINK_BROKEN, SEV_ERROR,
              q->image ? "image-not-found" : "file-not-found",
              "'%s' was moved to '%s' (%s), which leads nowhere: %s", q->url, r->url, where,
              sub.message ? sub.message : "");
    return true;
  }
  *out = sub;
  /* The link's own ?query#fragment wins over the redirect's. */
  if (*q->suffix && out->href) {
    size_t keep = strcspn(out->href, "?#");
    out->href = arena_printf(q->mem, "%.*s%s", (int)keep, out->href, q->suffix);
    if (out->kind == LINK_ARTICLE) {
      const char *h = strchr(q->suffix, '#');
      out->fragment = NULL;
      if (h && h[1]) {
        char *f = arena_strdup(q->mem, h + 1);
        out->fragment = percent_decode(f) ? f : NULL;
      }
    }
  }
  /* A problem of the target (a case mismatch) is worth more than the note. */
  if (!out->code || out->sev == SEV_INFO) {
    const char *to = out->kind == LINK_ARTICLE && out->target
                         ? arena_printf(q->mem, "%s/%s", q->lc->cfg->locales[out->target->locale],
                                        out->target->rel)
                         : out->href ? out->href : r->url;
    problem(out, q->mem, out->kind, SEV_INFO, "link-redirected",
            "'%s' was moved; the link goes to %s (redirected at %s)", q->url, to, where);
  }
  return true;
}

/* Find rel (inside a locale folder) as an article or media file; fills out.
 * Returns false when nothing matches, even by case. */
static bool find_target(const lookup *q, const char *rel, bool site_absolute,
                        link_resolution *out) {
  const link_context *b = q->lc;
  const int src = 0; /* the source locale is always index 0 */
  int here = q->here;
  bool want_article, alt;
  const char *arel = article_rel(q->mem, rel, q->learn_form, &want_article, &alt);
  for (int pass = 0; pass < 2; pass++) {
    int loc = pass == 0 ? here : src;
    if (pass == 1 && here == src)
      break;
    if (want_article) {
      const article *t = find_article(q, loc, arel, alt);
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
      out->href = loc == here && q->same_dir && !site_absolute && !q->backslash
                      ? NULL
                      : href_to(q, loc, arel);
      return true;
    }
  }
  if (want_article && !q->image && follow_redirect(q, arel, alt, out))
    return true;
  /* Not there as written: the same path in another letter case? */
  for (int pass = 0; pass < 2; pass++) {
    int loc = pass == 0 ? here : src;
    if (pass == 1 && here == src)
      break;
    const index_entry *e = find_folded(b->index, loc, arel, want_article);
    if (!e && want_article && alt)
      e = find_folded(b->index, loc, yml_of(q->mem, arel), true);
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

/* file-not-found for rel (looked for in locale), with a hint when the other
 * kind of page exists: x.yml for x.md, and the other way round. */
static void not_found(const lookup *q, int locale, const char *rel, link_resolution *out) {
  bool want_article, alt;
  const char *arel = article_rel(q->mem, rel, q->learn_form, &want_article, &alt);
  const char *hint = "";
  size_t n = strlen(arel);
  if (want_article && !alt) {
    const char *twin = str_ends_with(arel, ".md") ? yml_of(q->mem, arel)
                       : arena_printf(q->mem, "%.*s.md", (int)(n - 4), arel);
    if (content_find_article(q->lc->content, locale, twin) ||
        content_find_article(q->lc->content, 0, twin))
      hint = arena_printf(q->mem, "; there is %s", twin);
  }
  problem(out, q->mem, LINK_BROKEN, SEV_ERROR, q->image ? "image-not-found" : "file-not-found",
          "'%s' does not exist (looked for %s/%s%s)%s", q->url, q->lc->cfg->locales[locale], arel,
          alt ? " and .yml" : "", hint);
}

/* Whether the first segment of path ("/de-de/x") looks like a locale
 * (ll-cc, any case); its length, or 0. */
static size_t locale_segment(const char *path) {
  const char *s = path + 1;
  size_t n = strcspn(s, "/");
  size_t dash = strcspn(s, "-");
  if (!s[n] || dash < 2 || dash > 3 || dash + 3 > n || n > 16)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (i != dash && !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
      return 0;
  return n;
}

/* Map a site-absolute path through folio.yml's external_links; the longest
 * matching prefix wins, so "/" can catch what the others do not. A leading
 * /<locale>/ (Learn's form) is taken off first and fills {locale}; without
 * one, {locale} is the linking article's. */
static const char *map_external(const lookup *q, const char *url) {
  const site_config *cfg = q->lc->cfg;
  const char *locale = cfg->locales[q->from->locale];
  size_t seg = locale_segment(url);
  if (seg) {
    char *l = arena_strndup(q->mem, url + 1, seg);
    for (char *c = l; *c; c++)
      if (*c >= 'A' && *c <= 'Z')
        *c = (char)(*c - 'A' + 'a');
    locale = l;
    url += seg + 1;
  }
  const external_root *best = NULL;
  for (size_t i = 0; i < cfg->nexternal; i++) {
    const external_root *r = &cfg->external[i];
    if (str_starts_with(url, r->prefix) && (!best || strlen(r->prefix) > strlen(best->prefix)))
      best = r;
  }
  if (!best)
    return NULL;
  const char *rest = url + strlen(best->prefix);
  const char *t = best->target, *ph = strstr(t, "{locale}");
  if (ph)
    return arena_printf(q->mem, "%.*s%s%s%s", (int)(ph - t), t, locale, ph + 8, rest);
  return arena_concat(q->mem, t, rest, "");
}

/* What follows base (the docset's path, "/docset/") in path, or NULL when
 * path is not under it; "/docset" itself is the docset's root too. */
static const char *under(const char *path, const char *base) {
  size_t n = strlen(base);
  if (!strncmp(path, base, n))
    return path + n;
  if (n > 1 && strlen(path) == n - 1 && !strncmp(path, base, n - 1))
    return "";
  return NULL;
}

/* The configured locale spelled by the first segment of s (any case), or -1;
 * *len gets the segment's length. */
static int locale_named(const site_config *cfg, const char *s, size_t *len) {
  *len = strcspn(s, "/");
  for (size_t i = 0; i < cfg->nlocales; i++)
    if (strlen(cfg->locales[i]) == *len && !strncasecmp(s, cfg->locales[i], *len))
      return (int)i;
  return -1;
}

/* A site-absolute path is inside the site when it is under base_url's path
 * (the docset's, e.g. /partner-center/): /docset/<locale>/<path> (folio's
 * own output) and /<locale>/docset/<path> (Learn's) name <path> in that
 * locale, and /docset/<path> names <path> in the linking article's locale
 * (Learn's form, where the locale is implied). <path> is an article with or
 * without .md, .yml or .html, a folder's index page, or a media file; a
 * path under the docset that names none is file-not-found, whatever
 * external_links says. A path outside the docset goes through
 * external_links; one that matches no prefix is file-not-found. */
static void site_path(const lookup *q, const char *path, link_resolution *out) {
  const link_context *b = q->lc;
  const char *base = config_base_path(b->cfg);
  const char *s = NULL;
  int loc = -1;
  size_t seg;
  int first = locale_named(b->cfg, path + 1, &seg);
  if (first >= 0 && path[1 + seg] == '/' && (s = under(path + 1 + seg, base))) {
    loc = first; /* /<locale>/docset/... */
  } else if ((s = under(path, base))) {
    loc = locale_named(b->cfg, s, &seg);
    if (loc >= 0)
      s = s[seg] ? s + seg + 1 : "";
  }
  if (s) {
    const char *last = strrchr(s, '/');
    last = last ? last + 1 : s;
    char *norm = path_normalize(s);
    if (norm) {
      const char *r = arena_concat(q->mem, norm, !*last && *norm ? "/" : "", "");
      lookup lq = *q;
      lq.here = loc >= 0 ? loc : q->here;
      lq.learn_form = true;
      bool found = find_target(&lq, r, true, out);
      free(norm);
      if (found) {
        /* The author named the locale: an untranslated target is no news. */
        if (loc >= 0 && out->code && !strcmp(out->code, "untranslated-link"))
          out->code = NULL;
        return;
      }
      /* Under the docset's own path (not the site root, which holds every
       * docset's paths on a shared host): this site's page or nothing. */
      if (loc >= 0 || strcmp(base, "/")) {
        not_found(&lq, lq.here, r, out);
        return;
      }
    }
  }
  const char *ext = map_external(q, path);
  if (ext) {
    out->kind = LINK_MAPPED;
    out->href = arena_concat(q->mem, ext, q->suffix, "");
    return;
  }
  problem(out, q->mem, LINK_BROKEN, SEV_ERROR, q->image ? "image-not-found" : "file-not-found",
          "'%s' is not a page of this site and no external_links prefix in folio.yml matches it",
          q->url);
}

/* Length of the folder part of a path ("a/b.md" -> 1, "b.md" -> 0). */
static size_t dir_len(const char *p) {
  const char *slash = strrchr(p, '/');
  return slash ? (size_t)(slash - p) : 0;
}

/* url, written in from (in the file at base_rel), resolved with parent's
 * settings: for a link, the top of the lookup; for a redirect's target, the
 * link being resolved, one redirect deeper (learn_form, the chain so far). */
static void resolve_in(const lookup *parent, const article *from, const char *base_rel,
                       const char *url, arena *mem, link_resolution *out) {
  const link_context *b = parent->lc;
  bool image = parent->image;
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
  if (u[0] == '#' && parent->depth) {
    problem(out, mem, LINK_BROKEN, SEV_ERROR, "file-not-found", "'%s' names no page", url);
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
  /* "..\media\x.png": a browser reads a backslash as a slash (and
   * url_classify does), and Learn publishes such links as they are. An
   * escaped one (%5C) stays a backslash, as in a browser. */
  bool backslash = false;
  for (char *c = path; *c; c++)
    if (*c == '\\') {
      *c = '/';
      backslash = true;
    }
  lookup q = *parent;
  q.backslash = backslash; /* keeps the chain of redirects followed */
  q.from = from;
  q.mem = mem;
  q.url = url;
  q.suffix = u + plen;
  q.same_dir = true;
  q.learn_form = parent->depth > 0;
  q.here = from->locale;
  q.from_page = arena_concat(mem, q.lc->cfg->locales[from->locale], "/", from->url);
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
  /* "~/x.md": from the root of the locale's content, as DocFX reads it
   * (Learn articles and includes write it). */
  bool from_root = path[0] == '~' && path[1] == '/';
  if (from_root)
    path += 2;
  /* The folders of the file that holds the link and of the article,
   * compared and joined in place (this runs for every link). */
  size_t dl = from_root ? 0 : dir_len(base_rel), al = dir_len(from->rel);
  q.same_dir = !from_root && dl == al && !strncmp(base_rel, from->rel, dl);
  const char *dir = arena_strndup(mem, base_rel, dl);
  const char *joined = !dl ? path : !*path ? dir : arena_concat(mem, dir, "/", path);
  /* "dir/" must keep its slash through normalizing: it means dir/index.md. */
  bool folder = *path && path[strlen(path) - 1] == '/';
  char *rel = path_normalize(joined);
  if (!rel) {
    problem(out, mem, LINK_BROKEN, SEV_ERROR, "link-out-of-scope",
            "'%s' points outside the %s content folder", url, b->cfg->locales[from->locale]);
    return;
  }
  const char *r = folder || !*path ? arena_concat(mem, rel, *rel ? "/" : "", "") : rel;
  if (!find_target(&q, r, false, out)) {
    not_found(&q, from->locale, r, out);
    out->fragment = NULL;
  }
  free(rel);
}

void resolve_url(const link_context *b, const article *from, const char *base_rel, const char *url,
                 bool image, arena *mem, link_resolution *out) {
  lookup top = {.lc = b, .from = from, .mem = mem, .url = url, .suffix = "", .image = image,
                .here = from->locale, .depth = 0};
  resolve_in(&top, from, base_rel, url, mem, out);
}

void resolve_target(const link_context *b, const article *from, const char *base_rel,
                    const char *url, arena *mem, link_resolution *out) {
  lookup top = {.lc = b, .from = from, .mem = mem, .url = url, .suffix = "", .image = false,
                .here = from->locale, .depth = 1};
  resolve_in(&top, from, base_rel, url, mem, out);
}

/* Anchors ---------------------------------------------------------------- */

static size_t anchor_hash(const article *art, const char *id) {
  uint64_t h = 1469598103934665603ull ^ (uint64_t)(uintptr_t)art;
  for (const unsigned char *p = (const unsigned char *)id; *p; p++)
    h = (h ^ *p) * 1099511628211ull;
  return (size_t)(h ^ h >> 29);
}

/* Whether id is an anchor of art: one hash probe sequence, where sorting
 * and searching every link's fragment among 100,000 ids cost more than
 * the links themselves. */
static bool has_anchor(const struct resolve_index *ix, const article *art, const char *id) {
  if (!ix->anchor_slots)
    return false;
  size_t mask = ix->anchor_slots - 1;
  for (size_t i = anchor_hash(art, id) & mask;; i = (i + 1) & mask) {
    const anchor_entry *e = &ix->anchors[i];
    if (!e->art)
      return false;
    if (e->art == art && !strcmp(e->id, id))
      return true;
  }
}

static int cmp_anchor_folded(const void *pa, const void *pb) {
  const anchor_entry *a = pa, *b = pb;
  if (a->art != b->art)
    return a->art < b->art ? -1 : 1;
  return strcasecmp(a->id, b->id);
}

/* The anchor of art that equals id but for letter case, or NULL. */
static const char *anchor_folded(struct resolve_index *ix, const article *art,
                                 const char *id) {
  if (!ix->folded_sorted && ix->nanchors)
    qsort(ix->folded_anchors, ix->nanchors, sizeof *ix->folded_anchors, cmp_anchor_folded);
  ix->folded_sorted = true;
  anchor_entry key = {art, id};
  const anchor_entry *hit =
      ix->nanchors ? bsearch(&key, ix->folded_anchors, ix->nanchors, sizeof key, cmp_anchor_folded)
                   : NULL;
  return hit ? hit->id : NULL;
}


const char *resolve_nearest_anchor(const article *art, const char *id, size_t *budget) {
  /* Only suggest what is plausibly a typo: within half the id's length. */
  size_t bestd = strlen(id) / 2 + 2;
  const char *best = NULL;
  for (size_t i = 0; i < art->nheadings; i++) {
    const char *h = art->headings[i].id;
    if (budget) {
      /* N broken links against N long ids is quadratic: once the build's
       * budget of comparisons is spent, links get no hint. */
      size_t cost = (strlen(h) + 1) * (strlen(id) + 1);
      if (*budget < cost) {
        *budget = 0;
        return NULL;
      }
      *budget -= cost;
    }
    /* Only strictly nearer than the best so far counts (ties: the first). */
    size_t d = str_distance_within(h, id, false, bestd - 1);
    if (d < bestd) {
      best = h;
      bestd = d;
      if (d == 0)
        break;
    }
  }
  return best;
}

static void link_diag(article *art, const link_ref *l, severity sev, const char *code,
                      const char *msg) {
  if (l->file)
    diag_add(&art->diags, l->file, l->line, l->col, sev, code, "%s (included from %s:%d)", msg,
             art->path, l->via_line);
  else
    diag_add(&art->diags, art->path, l->line, l->col, sev, code, "%s", msg);
}

static void check_fragment(struct resolve_index *ix, article *from, const link_ref *l,
                           size_t *budget) {
  const article *t = l->target;
  const char *id = l->fragment;
  if (has_anchor(ix, t, id))
    return;
  const char *where = t == from ? "this article" : t->path;
  char *msg;
  const char *other_case = anchor_folded(ix, t, id);
  if (other_case) {
    msg = arena_printf(from->mem, "'#%s' differs in letter case from the anchor '#%s' in %s", id,
                       other_case, where);
    link_diag(from, l, SEV_WARNING, "case-mismatch", msg);
    return;
  }
  const char *near = resolve_nearest_anchor(t, id, budget);
  msg = arena_printf(from->mem, "'#%s' is not an anchor in %s%s%s%s", id, where,
                     near ? "; did you mean '#" : "", near ? near : "", near ? "'?" : "");
  link_diag(from, l, SEV_ERROR, "bookmark-not-found", msg);
}

void resolve_links(arena *mem, resolve_index *ix, content_set *cs) {
  size_t n = 0;
  for (size_t i = 0; i < cs->narticles; i++)
    n += cs->articles[i].nheadings;
  ix->anchor_slots = 16;
  while (ix->anchor_slots < 2 * n)
    ix->anchor_slots *= 2;
  ix->anchors = arena_alloc(mem, ix->anchor_slots * sizeof *ix->anchors); /* zeroed: empty */
  ix->folded_anchors = arena_alloc(mem, (n ? n : 1) * sizeof *ix->folded_anchors);
  ix->nanchors = 0;
  ix->folded_sorted = false;
  size_t mask = ix->anchor_slots - 1;
  for (size_t i = 0; i < cs->narticles; i++) {
    const article *a = &cs->articles[i];
    for (size_t k = 0; k < a->nheadings; k++) {
      const char *id = a->headings[k].id;
      if (!id)
        continue;
      ix->folded_anchors[ix->nanchors++] = (anchor_entry){a, id};
      size_t at = anchor_hash(a, id) & mask;
      while (ix->anchors[at].art && !(ix->anchors[at].art == a && !strcmp(ix->anchors[at].id, id)))
        at = (at + 1) & mask;
      ix->anchors[at] = (anchor_entry){a, id};
    }
  }
  size_t budget = RESOLVE_HINT_BUDGET;

  for (size_t i = 0; i < cs->narticles; i++) {
    article *art = &cs->articles[i];
    if (!art->ok)
      continue;
    for (size_t k = 0; k < art->nlinks; k++) {
      const link_ref *l = &art->links[k];
      /* A target that failed to parse has no known anchors: its own
       * errors say why, and guessing here would only add noise. */
      if (l->target && l->fragment && !l->image && l->target->ok)
        check_fragment(ix, art, l, &budget);
    }
  }
}
