/* resolve: where every link of the site goes, decided in one place.
 * resolve_index_build makes one index of the articles and media files of
 * every locale (exact and case-folded paths) right after discovery; it is
 * read-only afterwards, so the per-article passes call resolve_url from many
 * threads. Once every article is parsed (and so every anchor known),
 * resolve_links checks the fragments of links against their targets.
 * The index lives in the build arena; strings in a link_resolution live in
 * the arena passed to resolve_url. */
#ifndef FOLIO_RESOLVE_H
#define FOLIO_RESOLVE_H

#include "config.h"
#include "model.h"

typedef struct resolve_index resolve_index;

/* What resolving a link reads: the project file (locales, base_url,
 * external_links, url_schemes), every file found, and the index. */
typedef struct {
  const site_config *cfg;
  const content_set *content;
  const resolve_index *index;
} link_context;

typedef enum {
  LINK_AS_WRITTEN, /* external, mailto:, protocol-relative: not ours to check */
  LINK_ARTICLE,    /* an article of the site (target set; may be the same page) */
  LINK_MEDIA,      /* a file copied as it is */
  LINK_MAPPED,     /* site-absolute, sent through folio.yml's external_links */
  LINK_BROKEN,     /* goes nowhere: code and message say why */
  LINK_BLOCKED,    /* a scheme that is not allowed: the URL must not be written */
} link_kind;

typedef struct {
  link_kind kind;
  const article *target; /* LINK_ARTICLE */
  const char *fragment;  /* percent-decoded, NULL when none or empty */
  const char *href;      /* the URL the page gets; NULL keeps the URL as written */
  /* One problem to report at the link, with any kind (NULL code: none):
   * a broken link, a case mismatch that still resolved, a link to an
   * untranslated article (info), an insecure http:// link. */
  const char *code;
  severity sev;
  const char *message;
} link_resolution;

/* The index of cs, in mem; build it once, after discovery and before the
 * passes. */
resolve_index *resolve_index_build(arena *mem, const content_set *cs);

/* Resolve url, written in article from, in the file whose path inside the
 * locale folder is base_rel (the article itself, or an include: relative
 * links in an include are relative to the include, as in DocFX). */
void resolve_url(const link_context *lc, const article *from, const char *base_rel, const char *url,
                 bool image, arena *mem, link_resolution *out);

/* Resolve a redirect_url (url) written for the article that was at
 * base_rel, as a link from the page from: like resolve_url, and Learn's
 * extensionless form (new-article) names new-article.md or .yml too. */
void resolve_target(const link_context *lc, const article *from, const char *base_rel,
                    const char *url, arena *mem, link_resolution *out);

/* Check every recorded link's fragment against its target's anchors
 * (bookmark-not-found, with the nearest anchor as a hint). Diagnostics go
 * into the article of the link. */
void resolve_links(arena *mem, resolve_index *ix, content_set *cs);
/* Edit-distance cells a build spends on "did you mean" hints for anchors
 * (about a second of work); past it, broken anchors get no hint. */
#define RESOLVE_HINT_BUDGET ((size_t)200 * 1000 * 1000)

/* The anchor of art closest to id (edit distance), or NULL; for hints.
 * budget (or NULL for none) counts down the cells the comparisons cost. */
const char *resolve_nearest_anchor(const article *art, const char *id, size_t *budget);

#endif
