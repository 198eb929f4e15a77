/* Builds the template context. Every key a template may use is always set
 * (empty or false when absent), so that a typo in a template is an error
 * rather than a silently empty value. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontmatter.h"
#include "redirect.h"
#include "strmap.h"
#include "toc.h"
#include "translation.h"
#include "url.h"
#include "util.h"
#include "version.h"
#include "yamlpage.h"

/* Where an article sits in a locale's toc. */
typedef struct {
  size_t order;            /* its first place in reading order, or NO_ORDER */
  const toc_item **path;   /* breadcrumbs: its first entry within TOC_PATH_MAX */
  int depth;               /* levels, with the entries above it (0: none) */
  const toc_item **holders; /* every entry for it and every entry above one */
  size_t nholders, cap;
} toc_place;

#define NO_ORDER ((size_t)-1)
#define TOC_PATH_MAX 16

typedef struct {
  strmap by_rel; /* rel -> index in places + 1 */
  toc_place *places;
  size_t nplaces, cap;
  tvalue *locale, *strings; /* the values every page of the locale shares */
} locale_prepared;

struct render_prepared {
  locale_prepared *loc; /* per locale */
  tvalue *site;
};

static tvalue *strings_map(arena *a, const locale_info *l) {
  tvalue *m = tv_map(a);
  for (size_t i = 0; i < l->nstrings; i++)
    tv_set_str(a, m, l->keys[i], l->values[i]);
  return m;
}

static tvalue *site_map(const render_env *env, arena *a) {
  tvalue *m = tv_map(a);
  tv_set_str(a, m, "title", env->cfg->title);
  tv_set_str(a, m, "base_url", env->cfg->base_url);
  tv_set_str(a, m, "generator", "folio " FOLIO_VERSION);
  return m;
}

static tvalue *locale_map(arena *a, const locale_info *l) {
  tvalue *m = tv_map(a);
  tv_set_str(a, m, "id", l->id);
  tv_set_str(a, m, "lang", l->lang);
  tv_set_str(a, m, "dir", l->dir);
  tv_set_str(a, m, "name", l->name);
  return m;
}

/* URL of a page (locale, url inside it) as seen from the page at from; with
 * from NULL, site-absolute from base_url's path (for the 404 page). */
static const char *link_from(arena *a, const render_env *env, const char *from, int locale,
                             const char *url) {
  if (!from)
    return arena_printf(a, "%s%s/%s", config_base_path(env->cfg), env->cfg->locales[locale], url);
  return path_relative_in(a, from, env->cfg->locales[locale], url, "");
}

/* Absolute URL, for canonical links, hreflang alternates and sitemaps. */
static const char *abs_url(arena *a, const render_env *env, int locale, const char *url) {
  return arena_printf(a, "%s%s/%s", env->cfg->base_url, env->cfg->locales[locale], url);
}

bool render_is_translated(const render_env *env, int locale, const char *rel) {
  const article *t = content_find_article(env->content, locale, rel);
  return t && t->ok;
}

const article *render_page_of(const render_env *env, int locale, const char *rel, bool *fallback) {
  if (fallback)
    *fallback = false;
  const article *t = content_find_article(env->content, locale, rel);
  if (t)
    return t;
  if (locale == 0 || strcmp(env->cfg->untranslated, "fallback"))
    return NULL;
  const article *src = content_find_article(env->content, 0, rel);
  if (!src || !src->ok)
    return NULL;
  if (fallback)
    *fallback = true;
  return src;
}

static const char *title_of(const render_env *env, int locale, const char *rel) {
  const article *t = render_page_of(env, locale, rel, NULL);
  return t && t->ok && t->fm.title ? t->fm.title : NULL;
}

/* A sidebar lists the whole toc on every page, which makes a site's size
 * grow with the square of its toc. Above NAV_FULL_LIMIT entries, pages list
 * the current page's branch only, with at most NAV_WINDOW entries around it
 * on each level, and link to the locale's contents.html, the whole toc once. */
#define NAV_FULL_LIMIT 300
#define NAV_WINDOW 15

bool render_nav_is_compact(const render_env *env, int locale) {
  const toc_tree *t = env->tocs ? env->tocs[locale] : NULL;
  return t && t->norder > NAV_FULL_LIMIT;
}

/* The toc place of rel in locale, or NULL. */
static const toc_place *place_of(const render_env *env, int locale, const char *rel) {
  if (!rel || !env->prepared)
    return NULL;
  const locale_prepared *lp = &env->prepared->loc[locale];
  int *k = strmap_get(&lp->by_rel, rel);
  return k ? &lp->places[*k - 1] : NULL;
}

/* Whether the current page (at here) is item it or below it. */
static bool holds(const toc_item *it, const toc_place *here) {
  for (size_t i = 0; here && i < here->nholders; i++)
    if (here->holders[i] == it)
      return true;
  return false;
}

/* Navigation items; marks the current page (current, at here in the toc)
 * and the folders that hold it. compact: see NAV_FULL_LIMIT. */
static tvalue *nav_items(arena *a, const render_env *env, int locale, const char *from,
                         const toc_item *parent, const char *current, const toc_place *here,
                         bool compact, bool *holds_current) {
  tvalue *list = tv_list(a);
  size_t first = 0, last = parent->n;
  if (compact && parent->n > NAV_WINDOW) {
    size_t path = 0;
    while (path < parent->n && !holds(&parent->items[path], here))
      path++;
    if (path == parent->n)
      path = 0;
    first = path > NAV_WINDOW / 2 ? path - NAV_WINDOW / 2 : 0;
    last = first + NAV_WINDOW < parent->n ? first + NAV_WINDOW : parent->n;
  }
  for (size_t i = first; i < last; i++) {
    const toc_item *it = &parent->items[i];
    tvalue *m = tv_map(a);
    bool is_here = it->rel && current && !strcmp(it->rel, current);
    bool below = false;
    tvalue *kids = compact && !holds(it, here)
                       ? tv_list(a)
                       : nav_items(a, env, locale, from, it, current, here, compact, &below);
    tv_set_str(a, m, "name", it->name);
    const char *url = "";
    if (it->rel) {
      const article *t = render_page_of(env, locale, it->rel, NULL);
      const article *src = t ? NULL : content_find_article(env->content, 0, it->rel);
      url = t     ? link_from(a, env, from, locale, t->url)
            : src ? link_from(a, env, from, 0, src->url)
                  : "";
      if (*url && it->fragment)
        url = arena_concat(a, url, it->fragment, "");
    } else if (it->external) {
      url = it->external;
    }
    tv_set_str(a, m, "url", url);
    tv_set_bool(a, m, "current", is_here);
    tv_set_bool(a, m, "open", is_here || below);
    tv_set(a, m, "items", kids);
    tv_set_bool(a, m, "has_items", kids->n > 0);
    tv_push(a, list, m);
    if (is_here || below)
      *holds_current = true;
  }
  return list;
}

/* Record every entry of the tree under parent in lp, depth first: the
 * entries above each (stack) hold it; the first entry for a rel within
 * TOC_PATH_MAX levels is its breadcrumb path. */
static void index_toc(arena *mem, locale_prepared *lp, const toc_item *parent,
                      const toc_item ***stack, size_t *depth, size_t *cap) {
  for (size_t i = 0; i < parent->n; i++) {
    const toc_item *it = &parent->items[i];
    ARENA_PUSH(mem, *stack, *depth, *cap, it);
    if (it->rel) {
      int *k = strmap_get(&lp->by_rel, it->rel);
      if (!k) {
        toc_place p = {.order = NO_ORDER};
        ARENA_PUSH(mem, lp->places, lp->nplaces, lp->cap, p);
        strmap_set(&lp->by_rel, it->rel, (int)lp->nplaces);
        k = strmap_get(&lp->by_rel, it->rel);
      }
      toc_place *p = &lp->places[*k - 1];
      for (size_t d = 0; d < *depth; d++)
        ARENA_PUSH(mem, p->holders, p->nholders, p->cap, (*stack)[d]);
      if (!p->depth && *depth <= TOC_PATH_MAX) {
        p->path = arena_alloc(mem, *depth * sizeof *p->path);
        memcpy(p->path, *stack, *depth * sizeof *p->path);
        p->depth = (int)*depth;
      }
    }
    index_toc(mem, lp, it, stack, depth, cap);
    (*depth)--;
  }
}

void render_prepare(render_env *env, arena *mem) {
  render_prepared *rp = arena_alloc(mem, sizeof *rp);
  rp->site = site_map(env, mem);
  rp->loc = arena_alloc(mem, env->cfg->nlocales * sizeof *rp->loc);
  for (size_t l = 0; l < env->cfg->nlocales; l++) {
    locale_prepared *lp = &rp->loc[l];
    lp->locale = locale_map(mem, &env->locales[l]);
    lp->strings = strings_map(mem, &env->locales[l]);
    strmap_init(&lp->by_rel, mem);
    const toc_tree *toc = env->tocs ? env->tocs[l] : NULL;
    if (!toc)
      continue;
    const toc_item **stack = NULL;
    size_t depth = 0, cap = 0;
    index_toc(mem, lp, &toc->root, &stack, &depth, &cap);
    for (size_t i = 0; i < toc->norder; i++) {
      int *k = strmap_get(&lp->by_rel, toc->order[i]);
      if (k && lp->places[*k - 1].order == NO_ORDER)
        lp->places[*k - 1].order = i;
    }
  }
  env->prepared = rp;
}

static tvalue *page_link(arena *a, const char *name, const char *url) {
  tvalue *m = tv_map(a);
  tv_set_str(a, m, "name", name);
  tv_set_str(a, m, "url", url);
  return m;
}

/* Everything every page of a locale shares: site, locale, strings, nav,
 * search. from is the page's path in the site, or NULL for site-absolute
 * links (the 404 page). */
static tvalue *base_context(const render_env *env, arena *a, int locale, const char *from,
                            const char *current_rel) {
  const locale_info *l = &env->locales[locale];
  tvalue *ctx = tv_map(a);
  const locale_prepared *lp = env->prepared ? &env->prepared->loc[locale] : NULL;
  tv_set(a, ctx, "site", lp ? env->prepared->site : site_map(env, a));
  tv_set(a, ctx, "locale", lp ? lp->locale : locale_map(a, l));
  tv_set(a, ctx, "t", lp ? lp->strings : strings_map(a, l));
  const char *root;
  if (from) {
    char *prefix = path_root_prefix(from);
    root = arena_strdup(a, prefix);
    free(prefix);
  } else {
    root = config_base_path(env->cfg);
  }
  tv_set_str(a, ctx, "root", root);
  tv_set_str(a, ctx, "home_url", link_from(a, env, from, locale, "index.html"));
  tv_set_str(a, ctx, "css_url", arena_printf(a, "%sassets/folio.css", root));
  tv_set_str(a, ctx, "search_script_url", arena_printf(a, "%sassets/folio-search.js", root));
  tv_set_str(a, ctx, "page_script_url", arena_printf(a, "%sassets/folio.js", root));
  tv_set_str(a, ctx, "search_index_url", link_from(a, env, from, locale, "search-index.js"));
  const toc_tree *toc = from ? env->tocs[locale] : NULL;
  bool dummy = false;
  bool compact = toc && render_nav_is_compact(env, locale);
  tvalue *nav = toc ? nav_items(a, env, locale, from, &toc->root, current_rel,
                              place_of(env, locale, current_rel), compact, &dummy)
                    : tv_list(a);
  tv_set(a, ctx, "nav", nav);
  tv_set_bool(a, ctx, "has_nav", nav->n > 0);
  tv_set_str(a, ctx, "contents_url", compact ? link_from(a, env, from, locale, "contents.html") : "");
  tv_set_str(a, ctx, "source_lang", env->locales[0].lang);
  tv_set_str(a, ctx, "source_name", env->locales[0].name);
  /* Page-only keys, so that shared partials work on every page. */
  tv_set(a, ctx, "alternates", tv_list(a));
  tv_set_bool(a, ctx, "has_alternates", false);
  tv_set_str(a, ctx, "x_default", "");
  return ctx;
}

/* The language switcher of an article page: the same article in each
 * locale (its translation or fallback page), else that locale's home. */
static tvalue *switcher(const render_env *env, arena *a, int current, const char *rel,
                        const char *from) {
  tvalue *list = tv_list(a);
  for (size_t i = 0; i < env->cfg->nlocales; i++) {
    const article *t = render_page_of(env, (int)i, rel, NULL);
    tvalue *m = tv_map(a);
    tv_set_str(a, m, "id", env->locales[i].id);
    tv_set_str(a, m, "name", env->locales[i].name);
    tv_set_str(a, m, "lang", env->locales[i].lang);
    tv_set_bool(a, m, "current", (int)i == current);
    tv_set_bool(a, m, "translated", render_is_translated(env, (int)i, rel));
    tv_set_str(a, m, "url", link_from(a, env, from, (int)i, t ? t->url : "index.html"));
    tv_push(a, list, m);
  }
  return list;
}

/* hreflang alternates: every real translation of rel (fallback pages are
 * copies of the source, not translations), and x-default, the source. The
 * set is the same from each of its pages, so the links are symmetric. */
static void set_alternates(const render_env *env, arena *a, tvalue *ctx, const char *rel) {
  tvalue *list = tv_list(a);
  for (size_t i = 0; i < env->cfg->nlocales; i++) {
    const article *t = content_find_article(env->content, (int)i, rel);
    if (!t || !t->ok)
      continue;
    tvalue *m = tv_map(a);
    tv_set_str(a, m, "lang", env->locales[i].lang);
    tv_set_str(a, m, "url", abs_url(a, env, (int)i, t->url));
    tv_push(a, list, m);
  }
  const article *src = content_find_article(env->content, 0, rel);
  tv_set(a, ctx, "alternates", list);
  tv_set_bool(a, ctx, "has_alternates", list->n > 1);
  tv_set_str(a, ctx, "x_default", src && src->ok ? abs_url(a, env, 0, src->url) : "");
}

static tvalue *meta_map(arena *a, const frontmatter *fm) {
  tvalue *m = tv_map(a);
  m->open = true; /* user data: any key may be missing */
  for (size_t i = 0; i < fm->nmeta; i++) {
    char *key = arena_strdup(a, fm->meta[i].key);
    for (char *p = key; *p; p++)
      if (*p == '.' || *p == '-')
        *p = '_';
    tv_set_str(a, m, key, frontmatter_get(a, fm, fm->meta[i].key));
  }
  return m;
}

/* True when s starts with a URL scheme ("https:", "mailto:"). */
static bool has_scheme(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == ':')
      return i > 0;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '+' || c == '-' || c == '.'))
      return false;
  }
  return false;
}

/* One relative URL of the source body, seen from from_new instead of
 * from_src. A link to an article goes to this locale's page of it. */
static void rebase_url(const render_env *env, arena *a, int locale, const char *from_src,
                       const char *from_new, const char *v, size_t n, buf *out) {
  size_t path_len = 0;
  while (path_len < n && v[path_len] != '#' && v[path_len] != '?')
    path_len++;
  if (!path_len || v[0] == '/' || has_scheme(v, n)) {
    buf_put(out, v, n);
    return;
  }
  char *dir = path_dirname(from_src);
  char *joined = arena_printf(a, "%s/%.*s", dir, (int)path_len, v);
  free(dir);
  char *norm = path_normalize(joined);
  if (!norm) {
    buf_put(out, v, n);
    return;
  }
  const char *target = arena_strdup(a, norm);
  free(norm);
  const char *src_prefix = arena_printf(a, "%s/", env->cfg->locales[0]);
  if (str_starts_with(target, src_prefix) && str_ends_with(target, ".html")) {
    const char *url = target + strlen(src_prefix);
    const article *src = content_find_by_url(env->content, 0, url);
    const article *t = src ? render_page_of(env, locale, src->rel, NULL) : NULL;
    if (t)
      target = arena_printf(a, "%s/%s", env->cfg->locales[locale], t->url);
  }
  char *r = path_relative(from_new, target);
  buf_puts(out, r);
  free(r);
  buf_put(out, v + path_len, n - path_len);
}

/* The source body with every relative href and src rebased. cmark and our
 * passes write attributes as name="value" and escape quotes in text, so
 * ` href="` occurs only inside tags. */
static const char *rebase_body(const render_env *env, arena *a, int locale, const char *from_src,
                               const char *from_new, const char *html) {
  buf out = {0};
  const char *p = html;
  /* The next of each attribute, searched again only once passed: one
   * search per attribute each time made a page of many links quadratic. */
  const char *h = strstr(p, " href=\""), *s = strstr(p, " src=\"");
  for (;;) {
    if (h && h < p)
      h = strstr(p, " href=\"");
    if (s && s < p)
      s = strstr(p, " src=\"");
    const char *m = !h ? s : !s ? h : h < s ? h : s;
    if (!m)
      break;
    const char *v = strchr(m, '"') + 1;
    const char *e = strchr(v, '"');
    if (!e)
      break;
    buf_put(&out, p, (size_t)(v - p));
    rebase_url(env, a, locale, from_src, from_new, v, (size_t)(e - v), &out);
    p = e;
  }
  buf_puts(&out, p);
  const char *r = arena_strndup(a, out.data ? out.data : "", out.len);
  buf_free(&out);
  return r;
}

/* A fallback page shows the source page's parts from another folder of the
 * site: their relative URLs are re-pointed, as rebase_body does for an
 * article's HTML. With on false everything is kept as it is. */
typedef struct {
  const render_env *env;
  arena *a;
  int locale;
  const char *from_src, *from_new;
  bool on;
} rebaser;

static const char *rb_html(const rebaser *r, const char *html) {
  if (!html)
    return "";
  return r->on ? rebase_body(r->env, r->a, r->locale, r->from_src, r->from_new, html) : html;
}

/* A link's href, rebased, then escaped for an attribute by the URL
 * module: templates write it as {{{href}}}. "" when there is none. */
static const char *rb_href(const rebaser *r, const char *href) {
  if (!href)
    return "";
  buf b = {0};
  if (r->on) {
    buf re = {0};
    rebase_url(r->env, r->a, r->locale, r->from_src, r->from_new, href, strlen(href), &re);
    url_put_attr(&b, buf_cstr(&re));
    buf_free(&re);
  } else {
    url_put_attr(&b, href);
  }
  const char *s = arena_strndup(r->a, b.data ? b.data : "", b.len);
  buf_free(&b);
  return s;
}

static tvalue *link_value(const rebaser *r, const yp_link *l, const char *text) {
  tvalue *m = tv_map(r->a);
  tv_set_str(r->a, m, "text", text ? text : l->url ? l->url : "");
  tv_set_str(r->a, m, "href", rb_href(r, l->href));
  tv_set_str(r->a, m, "item_type", l->item_type ? l->item_type : "");
  return m;
}

static tvalue *card_value(const rebaser *r, const yp_card *c, int level) {
  arena *a = r->a;
  tvalue *m = tv_map(a);
  tv_set_str(a, m, "level", level == 2 ? "2" : "3");
  tv_set_str(a, m, "title", c->title ? c->title : "");
  tv_set_str(a, m, "id", c->id ? c->id : "");
  tv_set_str(a, m, "summary", rb_html(r, c->summary.html));
  tv_set_str(a, m, "href", rb_href(r, c->url.href));
  tv_set_str(a, m, "item_type", c->url.item_type ? c->url.item_type : "");
  tv_set_str(a, m, "image", rb_href(r, c->image.href));
  tvalue *lists = tv_list(a);
  for (size_t i = 0; i < c->nlists; i++) {
    tvalue *l = tv_map(a);
    tv_set_str(a, l, "type", c->lists[i].type ? c->lists[i].type : "");
    tvalue *links = tv_list(a);
    for (size_t k = 0; k < c->lists[i].nlinks; k++)
      tv_push(a, links, link_value(r, &c->lists[i].links[k], c->lists[i].links[k].text));
    tv_set(a, l, "links", links);
    tv_push(a, lists, l);
  }
  tv_set(a, m, "lists", lists);
  tv_set(a, m, "footer",
         c->footer.url ? link_value(r, &c->footer, c->footer.text) : tv_bool(a, false));
  return m;
}

/* The parts of a YAML page (yamlpage.h), for faq.html, landing.html and
 * hub.html: page.summary, page.sections (FAQ), page.groups (Landing, Hub),
 * page.additional, page.brand. HTML values are raw ({{{...}}}). */
static void set_yaml_parts(const rebaser *r, tvalue *page, const yaml_page *p) {
  arena *a = r->a;
  tv_set_str(a, page, "kind", p->kind == PAGE_FAQ ? "faq" : p->kind == PAGE_LANDING ? "landing" : "hub");
  tv_set_str(a, page, "heading", p->title);
  tv_set_str(a, page, "summary", rb_html(r, p->summary.html));
  tv_set_str(a, page, "additional", rb_html(r, p->additional.html));
  tv_set_str(a, page, "brand", p->brand ? p->brand : "");
  tvalue *sections = tv_list(a);
  for (size_t i = 0; i < p->nsections; i++) {
    const yp_section *s = &p->sections[i];
    tvalue *m = tv_map(a);
    tv_set_str(a, m, "name", s->name && s->id ? s->name : "");
    tv_set_str(a, m, "id", s->id ? s->id : "");
    tvalue *qs = tv_list(a);
    for (size_t k = 0; k < s->nquestions; k++) {
      tvalue *q = tv_map(a);
      tv_set_str(a, q, "id", s->questions[k].id ? s->questions[k].id : "");
      tv_set_str(a, q, "question", s->questions[k].question);
      tv_set_str(a, q, "answer", rb_html(r, s->questions[k].answer.html));
      tv_push(a, qs, q);
    }
    tv_set(a, m, "questions", qs);
    tv_push(a, sections, m);
  }
  tv_set(a, page, "sections", sections);
  tvalue *groups = tv_list(a);
  for (size_t i = 0; i < p->ngroups; i++) {
    const yp_group *g = &p->groups[i];
    tvalue *m = tv_map(a);
    tv_set_str(a, m, "key", g->key);
    tv_set_str(a, m, "title", g->title ? g->title : "");
    tv_set_str(a, m, "id", g->id ? g->id : "");
    tv_set_str(a, m, "summary", rb_html(r, g->summary.html));
    tvalue *cards = tv_list(a);
    for (size_t k = 0; k < g->ncards; k++)
      tv_push(a, cards, card_value(r, &g->cards[k], g->title ? 3 : 2));
    tv_set(a, m, "cards", cards);
    tv_push(a, groups, m);
  }
  tv_set(a, page, "groups", groups);
}

/* The template of an article's page: page.html, or a YAML page's own. */
const char *render_template_of(page_kind kind) {
  switch (kind) {
  case PAGE_FAQ: return "faq.html";
  case PAGE_LANDING: return "landing.html";
  case PAGE_HUB: return "hub.html";
  default: return "page.html";
  }
}

/* The page of article art (whose text it shows) in locale. art is the
 * source article when the page is a fallback. */
static int render_page(const render_env *env, arena *a, int locale, const article *art, bool fallback,
                       buf *out, diag_list *diags) {
  const locale_info *l = &env->locales[locale];
  const locale_info *text_l = &env->locales[art->locale];
  const char *from = arena_printf(a, "%s/%s", l->id, art->url);
  tvalue *ctx = base_context(env, a, locale, from, art->rel);
  tvalue *page = tv_map(a);
  tv_set_str(a, page, "title", art->fm.title);
  tv_set_str(a, page, "description", art->fm.description);
  const char *from_src = arena_printf(a, "%s/%s", text_l->id, art->url);
  tv_set_str(a, page, "content",
             fallback ? rebase_body(env, a, locale, from_src, from, art->body_html) : art->body_html);
  tv_set_str(a, page, "url", art->url);
  tv_set_str(a, page, "source_path", art->path);
  /* A fallback page is a copy of the source page: search engines are sent
   * there (canonical) and asked not to index the copy. */
  tv_set_str(a, page, "canonical", abs_url(a, env, fallback ? 0 : locale, art->url));
  tv_set_bool(a, page, "noindex", fallback);
  tv_set_bool(a, page, "is_home", !strcmp(art->url, "index.html"));
  if (art->fm.year) {
    tv_set_str(a, page, "date", l10n_format_date(a, l, art->fm.year, art->fm.month, art->fm.day));
    tv_set_str(a, page, "date_iso",
               arena_printf(a, "%04d-%02d-%02d", art->fm.year, art->fm.month, art->fm.day));
  } else {
    tv_set_str(a, page, "date", "");
    tv_set_str(a, page, "date_iso", "");
  }
  const char *tt = frontmatter_get(a, &art->fm, "ms.translationtype");
  tv_set_bool(a, page, "machine_translated", tt && !strcmp(tt, "MT") && art->locale != 0);
  translation_state st = fallback ? TRANSLATION_MISSING : translation_state_of(env->content, locale, art->rel);
  tv_set_bool(a, page, "stale", st == TRANSLATION_STALE);
  tv_set_bool(a, page, "fallback", fallback);
  /* The text's own language, on the article element: a fallback page shows
   * the source language inside the locale's chrome. */
  tv_set_str(a, page, "content_lang", text_l->lang);
  tv_set_str(a, page, "content_dir", text_l->dir);
  const article *src = locale ? content_find_article(env->content, 0, art->rel) : NULL;
  tv_set_str(a, page, "source_url", src ? link_from(a, env, from, 0, src->url) : "");
  tv_set(a, page, "meta", meta_map(a, &art->fm));

  tvalue *toc_here = tv_list(a);
  for (size_t i = 0; i < art->nheadings; i++)
    if (art->headings[i].level == 2) {
      tvalue *h = tv_map(a);
      tv_set_str(a, h, "id", art->headings[i].id);
      tv_set_str(a, h, "text", art->headings[i].text);
      tv_push(a, toc_here, h);
    }
  tv_set(a, page, "headings", toc_here);
  tv_set_bool(a, ctx, "has_headings", toc_here->n > 0);
  tv_set(a, ctx, "switcher", switcher(env, a, locale, art->rel, from));
  if (!fallback)
    set_alternates(env, a, ctx, art->rel);

  /* Breadcrumbs and previous/next follow the locale's toc. */
  tvalue *crumbs = tv_list(a);
  tvalue *prev = tv_bool(a, false), *next = tv_bool(a, false);
  const toc_tree *toc = env->tocs[locale];
  const toc_place *pl = toc ? place_of(env, locale, art->rel) : NULL;
  if (pl) {
    for (int i = 0; i < pl->depth - 1; i++) {
      const toc_item *it = pl->path[i];
      const article *t = it->rel ? render_page_of(env, locale, it->rel, NULL) : NULL;
      tv_push(a, crumbs, page_link(a, it->name, t ? link_from(a, env, from, locale, t->url) : ""));
    }
    if (pl->order != NO_ORDER) {
      size_t i = pl->order;
      for (size_t j = i; j-- > 0;) {
        const article *t = render_page_of(env, locale, toc->order[j], NULL);
        if (t) {
          const char *name = title_of(env, locale, t->rel);
          prev = page_link(a, name ? name : t->rel, link_from(a, env, from, locale, t->url));
          break;
        }
      }
      for (size_t j = i + 1; j < toc->norder; j++) {
        const article *t = render_page_of(env, locale, toc->order[j], NULL);
        if (t) {
          const char *name = title_of(env, locale, t->rel);
          next = page_link(a, name ? name : t->rel, link_from(a, env, from, locale, t->url));
          break;
        }
      }
    }
  }
  tv_set(a, page, "breadcrumbs", crumbs);
  tv_set_bool(a, ctx, "has_breadcrumbs", crumbs->n > 0);
  tv_set(a, page, "prev", prev);
  tv_set(a, page, "next", next);
  tv_set_bool(a, ctx, "has_pager", prev->kind == TV_MAP || next->kind == TV_MAP);
  if (art->yaml) {
    rebaser rb = {env, a, locale, from_src, from, fallback};
    set_yaml_parts(&rb, page, art->yaml);
  }
  tv_set(a, ctx, "page", page);
  return template_render(env->templates, render_template_of(art->kind), ctx, out, diags);
}

int render_article(const render_env *env, article *art, arena *mem, buf *out, diag_list *diags) {
  return render_page(env, mem, art->locale, art, false, out, diags);
}

int render_fallback(const render_env *env, const fallback_page *fp, arena *mem, buf *out,
                    diag_list *diags) {
  return render_page(env, mem, fp->locale, fp->source, true, out, diags);
}

static tvalue *home_switcher(const render_env *env, arena *mem, int locale, const char *from) {
  tvalue *langs = tv_list(mem);
  for (size_t i = 0; i < env->cfg->nlocales; i++) {
    tvalue *m = tv_map(mem);
    tv_set_str(mem, m, "id", env->locales[i].id);
    tv_set_str(mem, m, "name", env->locales[i].name);
    tv_set_str(mem, m, "lang", env->locales[i].lang);
    tv_set_bool(mem, m, "current", (int)i == locale);
    tv_set_bool(mem, m, "translated", true);
    tv_set_str(mem, m, "url", link_from(mem, env, from, (int)i, "index.html"));
    tv_push(mem, langs, m);
  }
  return langs;
}

int render_not_found(const render_env *env, int locale, arena *mem, buf *out, diag_list *diags) {
  tvalue *ctx = base_context(env, mem, locale, NULL, NULL);
  tv_set(mem, ctx, "switcher", home_switcher(env, mem, locale, NULL));
  return template_render(env->templates, "404.html", ctx, out, diags);
}

int render_contents(const render_env *env, int locale, arena *mem, buf *out, diag_list *diags) {
  const char *from = arena_printf(mem, "%s/contents.html", env->locales[locale].id);
  tvalue *ctx = base_context(env, mem, locale, from, NULL);
  tv_set(mem, ctx, "switcher", home_switcher(env, mem, locale, from));
  bool dummy = false;
  tvalue *all =
      nav_items(mem, env, locale, from, &env->tocs[locale]->root, NULL, NULL, false, &dummy);
  tv_set(mem, ctx, "items", all);
  tv_set_bool(mem, ctx, "has_items", all->n > 0);
  return template_render(env->templates, "contents.html", ctx, out, diags);
}

int render_locale_home(const render_env *env, int locale, arena *mem, buf *out, diag_list *diags) {
  const locale_info *l = &env->locales[locale];
  const char *from = arena_printf(mem, "%s/index.html", l->id);
  tvalue *ctx = base_context(env, mem, locale, from, NULL);
  tv_set(mem, ctx, "switcher", home_switcher(env, mem, locale, from));
  return template_render(env->templates, "home.html", ctx, out, diags);
}

int render_language_list(const render_env *env, arena *mem, buf *out, diag_list *diags) {
  tvalue *ctx = tv_map(mem);
  tv_set(mem, ctx, "site", site_map(env, mem));
  tv_set(mem, ctx, "source", locale_map(mem, &env->locales[0]));
  tv_set(mem, ctx, "t", strings_map(mem, &env->locales[0]));
  tv_set_str(mem, ctx, "css_url", "assets/folio.css");
  tvalue *langs = tv_list(mem);
  for (size_t i = 0; i < env->cfg->nlocales; i++) {
    const locale_info *l = &env->locales[i];
    tvalue *m = locale_map(mem, l);
    tv_set_str(mem, m, "url", arena_printf(mem, "%s/index.html", l->id));
    const char *choose = l10n_string(l, "choose_language");
    tv_set_str(mem, m, "choose_language", choose ? choose : "");
    tv_push(mem, langs, m);
  }
  tv_set(mem, ctx, "languages", langs);
  return template_render(env->templates, "languages.html", ctx, out, diags);
}

/* A redirect page: no template, so that it works whatever the project's
 * templates are. The target goes through the URL module into every
 * attribute; the meta refresh sends readers without JavaScript. */
int render_redirect(const render_env *env, const redirect_page *rp, buf *out) {
  const locale_info *l = &env->locales[rp->locale];
  const char *notice = l10n_string(l, "redirect_notice");
  if (!notice)
    notice = "This page has moved to";
  buf_puts(out, "<!DOCTYPE html>\n<html lang=\"");
  buf_puts_html(out, l->lang);
  buf_puts(out, "\" dir=\"");
  buf_puts_html(out, l->dir);
  buf_puts(out, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
  buf_puts_html(out, rp->title ? rp->title : rp->href);
  buf_puts(out, "</title>\n<meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"");
  url_put_attr(out, rp->canonical);
  buf_puts(out, "\">\n<meta http-equiv=\"refresh\" content=\"0; url=");
  url_put_attr(out, rp->href);
  buf_puts(out, "\">\n</head>\n<body>\n<p>");
  buf_puts_html(out, notice);
  buf_puts(out, " <a href=\"");
  url_put_attr(out, rp->href);
  buf_puts(out, "\">");
  buf_puts_html(out, rp->title ? rp->title : rp->href);
  buf_puts(out, "</a></p>\n</body>\n</html>\n");
  return 0;
}
