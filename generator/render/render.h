/* render: one finished page (article, fallback, locale home, language list,
 * 404) from the templates and the locale's strings, and the answers the
 * other outputs (sitemaps, search) share with the pages: which page of an
 * article a locale has, and its translations. Values handed to templates are
 * built in the arena given (the article's own for an article page); the page
 * HTML is returned in a buf the caller owns. */
#ifndef FOLIO_RENDER_H
#define FOLIO_RENDER_H

#include <stdbool.h>

#include "buf.h"
#include "config.h"
#include "l10n.h"
#include "model.h"
#include "redirect.h"
#include "template.h"
#include "translation.h"

struct toc_tree;

/* What laying out pages reads, all shared by the page threads: the project
 * file, the locales' strings, every article (and its body HTML), each
 * locale's navigation (NULL where a locale has no toc) and the templates. */
typedef struct render_prepared render_prepared;
typedef struct {
  const site_config *cfg;
  const locale_info *locales;
  const content_set *content;
  struct toc_tree *const *tocs;
  const template_set *templates;
  const render_prepared *prepared; /* render_prepare's; NULL before it */
} render_env;

/* Once the tocs are loaded and before pages are rendered (on any number of
 * threads): find where each article sits in each locale's toc and build
 * the template values every page of a locale shares, in mem. Without it a
 * page would search the whole toc (breadcrumbs, previous/next, the
 * sidebar's open branch): a site's build time would grow with the square
 * of its size. */
void render_prepare(render_env *env, arena *mem);

/* The article page (template page.html). */
/* Whether pages of this locale show a shortened sidebar (a large toc) and
 * link to <locale>/contents.html instead. */
bool render_nav_is_compact(const render_env *env, int locale);
/* <locale>/contents.html: the whole toc once (template contents.html). */
int render_contents(const render_env *env, int locale, arena *mem, buf *out, diag_list *diags);
int render_article(const render_env *env, article *art, arena *mem, buf *out, diag_list *diags);
/* A target locale's page for a source article it has no translation of: the
 * source text, marked with the source language, under a localized notice
 * (template page.html). Relative links of the source body are rebased to
 * the page's place; links to articles go to this locale's pages. */
int render_fallback(const render_env *env, const fallback_page *fp, arena *mem, buf *out,
                    diag_list *diags);
/* A locale's home when it has no index.md (template home.html). */
int render_locale_home(const render_env *env, int locale, arena *mem, buf *out, diag_list *diags);
/* The root index.html that lists the languages (template languages.html). */
int render_language_list(const render_env *env, arena *mem, buf *out, diag_list *diags);
/* The locale's "page not found" page (template 404.html). A server shows it
 * at any address, so its links are site-absolute (from base_url's path). */
int render_not_found(const render_env *env, int locale, arena *mem, buf *out, diag_list *diags);

/* The template an article's page uses: page.html, or faq.html,
 * landing.html, hub.html for YAML pages. */
const char *render_template_of(page_kind kind);
/* The page that stands where a moved article was (redirect.h): canonical
 * link to the target, noindex, a meta refresh and a visible link, in the
 * locale's language (string redirect_notice). */
int render_redirect(const render_env *env, const redirect_page *rp, buf *out);

/* The article of locale that has the page for rel there: the translation,
 * or (untranslated: fallback) the source article; NULL when no page. */
const article *render_page_of(const render_env *env, int locale, const char *rel, bool *fallback);
/* Whether rel has a real translation (not a fallback) in locale. */
bool render_is_translated(const render_env *env, int locale, const char *rel);

#endif
