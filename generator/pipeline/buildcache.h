/* buildcache: incremental builds. A persistent cache in the project,
 * .folio/cache/build/, safe to delete, at two levels:
 *
 *  1. the article stage: an article whose bytes, includes and every shared
 *     input of the Markdown stage (folio's version, folio.yml, locale files,
 *     pivots, redirects, the set of paths discovered) are unchanged gets its
 *     body HTML, headings, links, rules and the diagnostics of that stage
 *     from its entry instead of cmark-gfm and the passes;
 *  2. the page stage: a page whose inputs (its article in every locale, the
 *     templates, tocs, titles and front matter of every article, and the
 *     above) hash to the key recorded for it by the build that made the
 *     current site is carried into the new site without rendering (a hard
 *     link, publish_keep), and `check` skips rendering it (a page is recorded
 *     only when it rendered without a diagnostic).
 *
 * Every entry is checked (magic, format, version, key, lengths) and any
 * doubt is a miss; files are written to a temporary name and renamed. A NULL
 * cache (--no-cache, folio status) makes every call a miss or a no-op. The
 * cache and what it hands out live in the arena given to buildcache_open,
 * except what goes into an article, which lives in that article's arena. */
#ifndef FOLIO_BUILDCACHE_H
#define FOLIO_BUILDCACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "config.h"
#include "model.h"
#include "pivots.h"
#include "publish.h"
#include "render.h"

/* Bump when what an entry holds, or how a page key is made, changes. */
#define BUILDCACHE_FORMAT 7
#define BUILDCACHE_DIR ".folio/cache/build"

typedef struct buildcache buildcache;
struct stat;

typedef struct {
  size_t articles;      /* Markdown articles that went to the article stage */
  size_t articles_hit;  /* of those, taken from the cache */
  size_t files_read;    /* articles and YAML pages read (the rest known by stamp) */
  size_t pages;         /* article pages of the page stage */
  size_t pages_kept;    /* of those, carried from the current site unrendered */
  size_t searches;      /* locales whose search index was asked for */
  size_t search_kept;   /* of those, carried from the current site whole */
} buildcache_stats;

/* Hash the shared inputs and prepare the folder; NULL (no cache) when the
 * folder cannot be made safely (a link on the way, not writable). Call after
 * discovery, include_preload and pivots_load. */
buildcache *buildcache_open(arena *mem, const site_config *cfg, const content_set *cs,
                            const zone_pivot_groups *pivots);
void buildcache_close(buildcache *c);

/* The article stage, from several threads (each on its own article):
 * buildcache_text records art's bytes (after front matter parsing, and
 * whether that succeeded: then its front matter is hashed apart);
 * buildcache_article_get fills art's Markdown products and appends the
 * stage's diagnostics when its entry is valid, and says whether it did;
 * buildcache_article_put stores them after markdown_render_article, with
 * the diagnostics from index diag_from of art->diags on, and says whether
 * the entry was written.
 *
 * The body HTML, the largest product, is not held by every article at
 * once: an article taken from the cache (get), or stored in it (put, after
 * which the caller may free it), leaves body_html NULL until
 * buildcache_body reads it back from its entry, when its page or its
 * search text needs it. buildcache_body returns 0 (body_html set, or the
 * article has no entry to read it from), or -1 when the entry is gone or
 * changed since (another build, or a deleted .folio). */
void buildcache_text(buildcache *c, const article *art, const char *text, size_t len,
                     bool front_matter_ok);
/* Before the article is read: when its file's stamp (device, inode, size,
 * modification and change times) is the one its entry recorded, that
 * stamp settled before the recording build began, and the entry's key
 * still holds under today's shared inputs, fill art as reading,
 * front-matter parsing and buildcache_article_get would (front matter,
 * translation hash, all its diagnostics and products) and return true:
 * the file is not read. Otherwise false, and the article is read. */
bool buildcache_article_unchanged(buildcache *c, article *art);
bool buildcache_article_get(buildcache *c, article *art);
bool buildcache_article_put(buildcache *c, const article *art, const char *text, size_t len,
                            size_t diag_from);
int buildcache_body(buildcache *c, article *art);
/* Whether art's body is in its entry (buildcache_body can read it), and
 * a copy of it (malloc'd; NULL when not held, or gone: see above) that
 * art does not keep. */
bool buildcache_holds_body(const buildcache *c, const article *art);
char *buildcache_body_copy(buildcache *c, const article *art);

/* The page stage. plan: after every article is loaded and the tocs read;
 * txn NULL for check. keep (from several threads): whether article i's page
 * needs no rendering (with txn: it was carried into the new site). done:
 * article i's page was rendered, clean when it added no diagnostic. save:
 * after the site was swapped into place, record the keys for the next
 * build. */
void buildcache_pages_plan(buildcache *c, const publish_txn *txn, const fallback_page *fb,
                           size_t nfb);
bool buildcache_page_keep(buildcache *c, size_t i, const publish_txn *txn);
void buildcache_page_done(buildcache *c, size_t i, bool clean);
/* After plan: whether locale l's search index (search-index.js and
 * search/) is unchanged since the site in place was built, every file of
 * it as that build left it; then it was carried into the new site whole,
 * and out_search need not write it (nor its pages' text be taken). */
bool buildcache_search_keep(buildcache *c, int l, const publish_txn *txn);
/* The search indexes written this build may be incomplete (one failed):
 * they are not recorded, so the next build writes them again. A body that
 * buildcache_body_copy could not read back says the same by itself. */
void buildcache_search_unsure(buildcache *c);
void buildcache_pages_save(buildcache *c);

/* The key of art's search digest (searchdigest.h): what its page in a
 * search index shows and is found by (title, description, headings,
 * text), made of its bytes and includes under the shared inputs. False
 * when there is none (no cache, a YAML page, an article not read). */
bool buildcache_search_digest_key(const buildcache *c, const article *art, unsigned char key[32]);
/* Whether rel, a file of locale l's search index in the site in place, is
 * as the build that made that site left it (its stamp in the pages
 * record): then its bytes are the ones that build wrote, and *st is its
 * lstat (for publish_keep_checked). */
bool buildcache_search_file_intact(buildcache *c, int l, const char *rel, const publish_txn *txn,
                                   struct stat *st);
/* The cache's folder (for the search digests), or NULL without a cache. */
const char *buildcache_dir(const buildcache *c);

buildcache_stats buildcache_get_stats(const buildcache *c);

#endif
