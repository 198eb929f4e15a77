#include "redirect.h"

#include <string.h>

#include "util.h"

/* Whether art has the anchor id. */
static bool has_anchor(const article *art, const char *id) {
  for (size_t i = 0; i < art->nheadings; i++)
    if (!strcmp(art->headings[i].id, id))
      return true;
  return false;
}

/* Report what resolving r's target found wrong (source locale only). */
static void check(const redirect_entry *r, const link_resolution *res,
                  diag_list *diags) {
  if (res->kind == LINK_BROKEN) {
    diag_add(diags, r->file, r->url_line, r->url_col, SEV_ERROR, "redirect-target-not-found",
             "the redirect of '%s' leads nowhere: %s", r->rel, res->message);
    return;
  }
  if (res->kind == LINK_BLOCKED) {
    diag_add(diags, r->file, r->url_line, r->url_col, SEV_ERROR, "redirect-invalid",
             "redirect_url '%s' uses a scheme that is not allowed (url_schemes in folio.yml "
             "lists the extra ones allowed)",
             r->url);
    return;
  }
  if (res->code && res->sev != SEV_INFO)
    diag_add(diags, r->file, r->url_line, r->url_col, res->sev, res->code, "%s", res->message);
  const article *t = res->target;
  if (res->kind == LINK_ARTICLE && res->fragment && t && t->ok && !has_anchor(t, res->fragment)) {
    const char *near = resolve_nearest_anchor(t, res->fragment, NULL);
    diag_add(diags, r->file, r->url_line, r->url_col, SEV_ERROR, "bookmark-not-found",
             "redirect_url '%s': '#%s' is not an anchor in %s%s%s%s", r->url, res->fragment,
             t->path, near ? "; did you mean '#" : "", near ? near : "", near ? "'?" : "");
  }
}

size_t redirect_plan(arena *mem, const link_context *lc, redirect_page **out, diag_list *diags) {
  const content_set *cs = lc->content;
  const site_config *cfg = lc->cfg;
  redirect_page *pages = NULL;
  size_t n = 0, cap = 0;
  for (size_t i = 0; i < cs->nredirects; i++) {
    const redirect_entry *r = &cs->redirects[i];
    size_t ext = str_ends_with(r->rel, ".md") ? 3 : 4;
    const char *url = arena_printf(mem, "%.*s.html", (int)(strlen(r->rel) - ext), r->rel);
    const article *still = content_find_by_url(cs, 0, url);
    if (still)
      diag_add(diags, r->file, r->line, r->col, SEV_WARNING, "redirect-source-exists",
               "'%s' is redirected, but %s still exists: the article is published and the "
               "redirect is not",
               r->rel, still->path);
    for (size_t l = 0; l < cfg->nlocales; l++) {
      /* A locale that still has the page keeps it. */
      if (content_find_by_url(cs, (int)l, url))
        continue;
      article from = {.locale = (int)l, .rel = r->rel, .url = url, .path = r->file};
      link_resolution res;
      resolve_target(lc, &from, r->rel, r->url, mem, &res);
      if (l == 0)
        check(r, &res, diags);
      if (res.kind == LINK_BROKEN || res.kind == LINK_BLOCKED)
        break; /* the same in every locale */
      redirect_page p = {.locale = (int)l, .entry = r, .url = url};
      p.href = res.href ? res.href : r->url;
      if (res.kind == LINK_ARTICLE && res.target) {
        p.canonical = arena_printf(mem, "%s%s/%s", cfg->base_url, cfg->locales[res.target->locale],
                                   res.target->url);
        p.title = res.target->fm.title;
      } else {
        p.canonical = p.href;
      }
      ARENA_PUSH(mem, pages, n, cap, p);
    }
  }
  *out = pages;
  return n;
}
