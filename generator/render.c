/* Builds the template context. Every key a template may use is always set
 * (empty or false when absent), so that a typo in a template is an error
 * rather than a silently empty value. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontmatter.h"
#include "toc.h"
#include "util.h"
#include "version.h"

static tvalue *strings_map(arena *a, const locale_info *l) {
  tvalue *m = tv_map(a);
  for (size_t i = 0; i < l->nstrings; i++)
    tv_set_str(a, m, l->keys[i], l->values[i]);
  return m;
}

static tvalue *site_map(const build *b, arena *a) {
  tvalue *m = tv_map(a);
  tv_set_str(a, m, "title", b->cfg.title);
  tv_set_str(a, m, "base_url", b->cfg.base_url);
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

/* URL of a page (locale, url inside it) as seen from the page at from. */
static const char *link_from(arena *a, const build *b, const char *from, int locale,
                             const char *url) {
  char *to = arena_printf(a, "%s/%s", b->cfg.locales[locale], url);
  char *r = path_relative(from, to);
  const char *s = arena_strdup(a, r);
  free(r);
  return s;
}

static const char *title_of(const build *b, int locale, const char *rel) {
  const article *t = content_find_article(&b->content, locale, rel);
  return t && t->ok && t->fm.title ? t->fm.title : NULL;
}

/* Navigation items; marks the current page and the folders that hold it. */
static tvalue *nav_items(arena *a, const build *b, int locale, const char *from,
                         const toc_item *parent, const char *current, bool *holds_current) {
  tvalue *list = tv_list(a);
  for (size_t i = 0; i < parent->n; i++) {
    const toc_item *it = &parent->items[i];
    tvalue *m = tv_map(a);
    bool here = it->rel && current && !strcmp(it->rel, current);
    bool below = false;
    tvalue *kids = nav_items(a, b, locale, from, it, current, &below);
    tv_set_str(a, m, "name", it->name);
    const char *url = "";
    if (it->rel) {
      const article *t = content_find_article(&b->content, locale, it->rel);
      url = t ? link_from(a, b, from, locale, t->url) : "";
    } else if (it->external) {
      url = it->external;
    }
    tv_set_str(a, m, "url", url);
    tv_set_bool(a, m, "current", here);
    tv_set_bool(a, m, "open", here || below);
    tv_set(a, m, "items", kids);
    tv_set_bool(a, m, "has_items", kids->n > 0);
    tv_push(a, list, m);
    if (here || below)
      *holds_current = true;
  }
  return list;
}

/* The path of toc entries from the top to rel, for breadcrumbs. */
static bool toc_path(const toc_item *parent, const char *rel, const toc_item **path, int *depth,
                     int max) {
  for (size_t i = 0; i < parent->n; i++) {
    const toc_item *it = &parent->items[i];
    if (*depth >= max)
      return false;
    path[(*depth)++] = it;
    if ((it->rel && !strcmp(it->rel, rel)) || toc_path(it, rel, path, depth, max))
      return true;
    (*depth)--;
  }
  return false;
}

static tvalue *page_link(arena *a, const char *name, const char *url) {
  tvalue *m = tv_map(a);
  tv_set_str(a, m, "name", name);
  tv_set_str(a, m, "url", url);
  return m;
}

/* Everything every page shares: site, locale, strings, nav, languages. */
static tvalue *base_context(const build *b, arena *a, int locale, const char *from,
                            const char *current_rel) {
  const locale_info *l = &b->locales[locale];
  tvalue *ctx = tv_map(a);
  tv_set(a, ctx, "site", site_map(b, a));
  tv_set(a, ctx, "locale", locale_map(a, l));
  tv_set(a, ctx, "t", strings_map(a, l));
  char *prefix = path_root_prefix(from);
  const char *root = arena_strdup(a, prefix);
  free(prefix);
  tv_set_str(a, ctx, "root", root);
  tv_set_str(a, ctx, "home_url", link_from(a, b, from, locale, "index.html"));
  tv_set_str(a, ctx, "css_url", arena_printf(a, "%sassets/folio.css", root));
  const toc_tree *toc = b->tocs[locale];
  bool dummy = false;
  tvalue *nav = toc ? nav_items(a, b, locale, from, &toc->root, current_rel, &dummy) : tv_list(a);
  tv_set(a, ctx, "nav", nav);
  tv_set_bool(a, ctx, "has_nav", nav->n > 0);
  tv_set_str(a, ctx, "source_lang", b->locales[0].lang);
  return ctx;
}

static tvalue *translations(const build *b, arena *a, const article *art, const char *from) {
  tvalue *list = tv_list(a);
  for (size_t i = 0; i < b->cfg.nlocales; i++) {
    const article *t = content_find_article(&b->content, (int)i, art->rel);
    tvalue *m = tv_map(a);
    tv_set_str(a, m, "id", b->locales[i].id);
    tv_set_str(a, m, "name", b->locales[i].name);
    tv_set_str(a, m, "lang", b->locales[i].lang);
    tv_set_bool(a, m, "current", (int)i == art->locale);
    tv_set_bool(a, m, "translated", t != NULL);
    /* Where the article is not translated, go to that language's home. */
    tv_set_str(a, m, "url", link_from(a, b, from, (int)i, t ? t->url : "index.html"));
    tv_push(a, list, m);
  }
  return list;
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

int render_article(const build *b, article *art, buf *out, diag_list *diags) {
  arena *a = art->mem;
  const locale_info *l = &b->locales[art->locale];
  const char *from = arena_printf(a, "%s/%s", l->id, art->url);
  tvalue *ctx = base_context(b, a, art->locale, from, art->rel);
  tvalue *page = tv_map(a);
  tv_set_str(a, page, "title", art->fm.title);
  tv_set_str(a, page, "description", art->fm.description);
  tv_set_str(a, page, "content", art->body_html);
  tv_set_str(a, page, "url", art->url);
  tv_set_str(a, page, "source_path", art->path);
  tv_set_str(a, page, "canonical", arena_printf(a, "%s%s", b->cfg.base_url, from));
  tv_set_bool(a, page, "is_home", !strcmp(art->rel, "index.md"));
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
  const article *src = art->locale ? content_find_article(&b->content, 0, art->rel) : NULL;
  tv_set_str(a, page, "source_url", src ? link_from(a, b, from, 0, src->url) : "");
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
  tv_set(a, ctx, "switcher", translations(b, a, art, from));

  /* Breadcrumbs and previous/next follow the toc. */
  tvalue *crumbs = tv_list(a);
  tvalue *prev = tv_bool(a, false), *next = tv_bool(a, false);
  const toc_tree *toc = b->tocs[art->locale];
  if (toc) {
    const toc_item *path[16];
    int depth = 0;
    if (toc_path(&toc->root, art->rel, path, &depth, 16))
      for (int i = 0; i < depth - 1; i++) {
        const toc_item *it = path[i];
        const article *t = it->rel ? content_find_article(&b->content, art->locale, it->rel) : NULL;
        tv_push(a, crumbs, page_link(a, it->name, t ? link_from(a, b, from, art->locale, t->url) : ""));
      }
    for (size_t i = 0; i < toc->norder; i++) {
      if (strcmp(toc->order[i], art->rel))
        continue;
      for (size_t j = i; j-- > 0;) {
        const article *t = content_find_article(&b->content, art->locale, toc->order[j]);
        if (t) {
          prev = page_link(a, title_of(b, art->locale, t->rel) ? title_of(b, art->locale, t->rel) : t->rel,
                           link_from(a, b, from, art->locale, t->url));
          break;
        }
      }
      for (size_t j = i + 1; j < toc->norder; j++) {
        const article *t = content_find_article(&b->content, art->locale, toc->order[j]);
        if (t) {
          next = page_link(a, title_of(b, art->locale, t->rel) ? title_of(b, art->locale, t->rel) : t->rel,
                           link_from(a, b, from, art->locale, t->url));
          break;
        }
      }
      break;
    }
  }
  tv_set(a, page, "breadcrumbs", crumbs);
  tv_set_bool(a, ctx, "has_breadcrumbs", crumbs->n > 0);
  tv_set(a, page, "prev", prev);
  tv_set(a, page, "next", next);
  tv_set_bool(a, ctx, "has_pager", prev->kind == TV_MAP || next->kind == TV_MAP);
  tv_set(a, ctx, "page", page);
  return template_render(b->templates, "page.html", ctx, out, diags);
}

int render_locale_home(const build *b, int locale, arena *mem, buf *out, diag_list *diags) {
  const locale_info *l = &b->locales[locale];
  const char *from = arena_printf(mem, "%s/index.html", l->id);
  tvalue *ctx = base_context(b, mem, locale, from, NULL);
  tvalue *langs = tv_list(mem);
  for (size_t i = 0; i < b->cfg.nlocales; i++) {
    tvalue *m = tv_map(mem);
    tv_set_str(mem, m, "id", b->locales[i].id);
    tv_set_str(mem, m, "name", b->locales[i].name);
    tv_set_str(mem, m, "lang", b->locales[i].lang);
    tv_set_bool(mem, m, "current", (int)i == locale);
    tv_set_bool(mem, m, "translated", true);
    tv_set_str(mem, m, "url", link_from(mem, b, from, (int)i, "index.html"));
    tv_push(mem, langs, m);
  }
  tv_set(mem, ctx, "switcher", langs);
  return template_render(b->templates, "home.html", ctx, out, diags);
}

int render_language_list(const build *b, arena *mem, buf *out, diag_list *diags) {
  tvalue *ctx = tv_map(mem);
  tv_set(mem, ctx, "site", site_map(b, mem));
  tv_set(mem, ctx, "source", locale_map(mem, &b->locales[0]));
  tv_set(mem, ctx, "t", strings_map(mem, &b->locales[0]));
  tv_set_str(mem, ctx, "css_url", "assets/folio.css");
  tvalue *langs = tv_list(mem);
  for (size_t i = 0; i < b->cfg.nlocales; i++) {
    const locale_info *l = &b->locales[i];
    tvalue *m = locale_map(mem, l);
    tv_set_str(mem, m, "url", arena_printf(mem, "%s/index.html", l->id));
    const char *choose = l10n_string(l, "choose_language");
    tv_set_str(mem, m, "choose_language", choose ? choose : "");
    tv_push(mem, langs, m);
  }
  tv_set(mem, ctx, "languages", langs);
  return template_render(b->templates, "languages.html", ctx, out, diags);
}
