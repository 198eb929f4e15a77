/* searchdigest: the search stage's digests (out_search_digest) of every
 * page, kept between builds in the build cache folder, one file per locale
 * (search-<locale>), so that rebuilding a locale's index after one article
 * changed reads, turns into text and splits into terms that one article
 * only. A digest is found by a key its caller makes (the build cache: the
 * article's bytes and includes under the shared inputs); a file from
 * another folio version or format, or damaged anywhere, is not used.
 *
 * Each locale's old file is read whole on its first search_digests_find;
 * the new one is written as its pages are indexed (search_digests_keep, in
 * page order, from one thread) and replaces the old one on
 * search_digests_done(ok). */
#ifndef FOLIO_SEARCHDIGEST_H
#define FOLIO_SEARCHDIGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "out_search.h"

#define SEARCHDIGEST_KEY 32

typedef struct search_digests search_digests;

/* dir: the cache folder (it exists). NULL when dir is NULL. */
search_digests *search_digests_open(const char *dir, const char **locales, size_t nlocales);
/* From several threads. d stays valid until search_digests_done(l). */
bool search_digests_find(search_digests *s, int l, const unsigned char key[SEARCHDIGEST_KEY],
                         out_search_digest *d);
void search_digests_keep(search_digests *s, int l, const unsigned char key[SEARCHDIGEST_KEY],
                         const out_search_digest *d);
/* Locale l's index is written: its new digests replace the old ones when
 * ok (every page kept); otherwise they are dropped. */
void search_digests_done(search_digests *s, int l, bool ok);
void search_digests_close(search_digests *s);

#endif
