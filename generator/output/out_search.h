/* out_search: the static search index of each locale, split the way
 * Pagefind splits its index, so that a query loads a few small files rather
 * than the whole index. Every file is a script that calls a function of
 * assets/folio-search.js, which adds a script element for each file it
 * needs: search works from file:// and offline as well.
 *
 *   <locale>/search-index.js  the manifest:
 *       folioSearchManifest({"v":2,"version":V,"locale":L,"lang":LANG,
 *                            "pages":N,"shards":[K0,K1,...]});
 *     shard i holds the terms t with Ki <= t < K(i+1) (code point order);
 *     K0 is "". V changes with the index (a cache-busting query string):
 *     a hash of the hashes (FNV-1a) of the page files in id order, then of
 *     the term shards.
 *   <locale>/search/t<i>.js   term shard i, its terms sorted:
 *       folioSearchTerms(i,["term","postings","term","postings",...]);
 *   <locale>/search/p<id>.js  page id (0 to N-1, pages sorted by title):
 *       folioSearchPage(id,{"t":title,"u":url,"d":description,
 *                           "h":[headings],"x":text,"l":lang});
 *     u is relative to the locale folder; x is the start of the text (for
 *     the snippet); l only when it is not the locale's (fallback pages).
 *
 * Terms are words folded as the page script folds the query: canonical
 * decomposition, combining accents (U+0300-036F) and Arabic harakat
 * dropped, lower case, final sigma as sigma; a word is a run of letters and
 * digits, and each CJK ideograph or kana is a word by itself; at most
 * OUT_SEARCH_MAX_TERM code points are kept.
 * Postings: for each page holding the term, in page order, the gap from the
 * previous page id (the first from -1) minus 1 as a base-32 varint, then one
 * weight digit: 8 * fields (1 title, 2 heading, 4 description) + the count
 * in the text (at most 5). Digits come from OUT_SEARCH_DIGITS: values 0-31
 * end a varint, 32-63 carry 5 low bits and continue it. */
#ifndef FOLIO_OUT_SEARCH_H
#define FOLIO_OUT_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "publish.h"
#include "render.h"

/* Longest text kept per page in its p<id>.js, in bytes, for the snippet; a
 * longer one is cut at a character. The terms index the whole text. */
#define OUT_SEARCH_MAX_TEXT 8000
/* A term shard is closed once it reaches this many bytes (one term's
 * postings are never split, so a shard can be larger). */
#define OUT_SEARCH_SHARD_BYTES 16384
/* Longest term, in code points; longer words are cut (the query too). */
#define OUT_SEARCH_MAX_TERM 32
#define OUT_SEARCH_DIGITS "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

/* The body HTML of an article whose body_html is not held (the build
 * cache keeps it), malloc'd; NULL for none. Called from several threads. */
typedef char *(*out_search_body_fn)(void *ctx, const article *art);

/* A page as the index saw it, kept between builds by the caller (the
 * build cache) so that an unchanged page is not read, turned into text and
 * split into terms again: its terms, each followed by a NUL and its weight
 * (1 to 63, as in the postings), and its snippet as its page file writes
 * it (the JSON string of "x", quotes included); and the id its page file
 * had (-1 for none) with that file's hash: at the same id the file is the
 * same, and is carried instead of made again. */
typedef struct {
  const char *terms;
  size_t terms_len;
  const char *snippet;
  size_t snippet_len;
  long id;
  uint64_t file_hash;
} out_search_digest;

/* Where digests come from and go, per locale and article (the source
 * article of a fallback page): find (from several threads) fills d with
 * the digest kept for art's page in locale, valid until done, and says
 * whether there is one; keep gets the digest of every page indexed, in
 * page order; done says locale's index was written (ok) or not; carry
 * (NULL: never) carries the file rel of the site, the very bytes the last
 * build wrote there, into the new site when it is still as that build
 * left it, and says whether it did. */
typedef struct {
  bool (*find)(void *ctx, int locale, const article *art, out_search_digest *d);
  void (*keep)(void *ctx, int locale, const article *art, const out_search_digest *d);
  void (*done)(void *ctx, int locale, bool ok);
  bool (*carry)(void *ctx, int locale, const char *rel);
  void *ctx;
} out_search_digests;

/* The index of every locale but those skip (NULL or one per locale) marks
 * (an incremental build carried theirs over). A page's terms and snippet
 * come from its digest when digests (NULL for none) has one; else its text
 * is its article's search_text when taken, else made from its body
 * (body_html, or body(body_ctx, art) when that is NULL). Returns 0, or -1
 * with an error in diags. */
int out_search_write(const render_env *env, const fallback_page *fallbacks, size_t nfallbacks,
                     int jobs, const bool *skip, out_search_body_fn body, void *body_ctx,
                     const out_search_digests *digests, const publish_txn *txn,
                     diag_list *diags);

/* The text of an HTML fragment: tags dropped, entities decoded (a numeric
 * one that names no character, a surrogate or NUL gives U+FFFD), white
 * space collapsed to single spaces. Appended to out. */
void out_search_text(const char *html, buf *out);

/* One page to index. Strings are UTF-8; invalid bytes become U+FFFD. */
typedef struct {
  const char *title, *url, *description;
  const char *lang;             /* the page's language */
  const char *const *headings;  /* H2 and H3 texts */
  size_t nheadings;
  const char *text;             /* the body as plain text (out_search_text) */
} out_search_page;

/* Receives one file of the index, path relative to the locale folder.
 * Returns 0, or nonzero to stop. Page files (search/p<id>.js) are handed
 * from several threads at once when the index is made on more than one. */
typedef int (*out_search_emit)(void *ctx, const char *path, const char *data, size_t len);

/* Builds the index of one locale's pages and hands each file to emit, the
 * manifest last. The same pages give the same bytes whatever their order
 * (their URLs tell them apart).
 * Returns 0, or the first nonzero result of emit. */
int out_search_index(const out_search_page *pages, size_t npages, const char *locale,
                     const char *lang, out_search_emit emit, void *ctx);

/* The text of pages[i], malloc'd (NULL for none), for a page whose text is
 * NULL; called from several threads, each on its own page. */
typedef char *(*out_search_text_fn)(void *ctx, size_t i);

/* Digests by page (see out_search_digests): find from several threads,
 * keep in page order; carry (may be NULL) with page i's file, path
 * relative to the locale folder. */
typedef struct {
  bool (*find)(void *ctx, size_t i, out_search_digest *d);
  void (*keep)(void *ctx, size_t i, const out_search_digest *d);
  bool (*carry)(void *ctx, size_t i, const char *path);
  void *ctx;
} out_search_page_digests;

/* The same, a page's text taken from text(text_ctx, i) when pages[i].text
 * is NULL and digests (NULL for none) has no digest for it, a few dozen
 * at a time on jobs threads, and dropped once indexed: the texts are never
 * all held at once. */
int out_search_index_streamed(const out_search_page *pages, size_t npages, const char *locale,
                              const char *lang, out_search_text_fn text, void *text_ctx,
                              const out_search_page_digests *digests, int jobs,
                              out_search_emit emit, void *ctx);

/* Calls fn for each term of s (the folding described above), in order. */
void out_search_terms(const char *s, void (*fn)(void *ctx, const char *term, size_t len),
                      void *ctx);

#endif
