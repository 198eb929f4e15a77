/* searchdigest: the search stage's digests (out_search_digest) of every
 * page, kept between builds in the build cache folder, one base file and
 * one delta per locale (search-<locale>, search-<locale>.delta), so that
 * rebuilding a locale's index after one article changed reads, turns into
 * text and splits into terms that one article only, and carries the other
 * pages' files. A digest is found by a key its caller makes (the build
 * cache: the article's bytes and includes under the shared inputs); a file
 * from another folio version or format, or damaged anywhere, is not used.
 *
 * A digest's terms and snippet hold wherever its key does; its page file's
 * id holds only for the site whose files the build that kept it published:
 * the files name that site (its marker's stamp), and find hands out the id
 * (-1 otherwise) only while that site is the one in place.
 *
 * Each locale's files are read whole on first use; the new ones are
 * written as pages are indexed (search_digests_keep, in page order, from
 * one thread), finished by search_digests_done(ok), and put in place by
 * search_digests_commit once the site they describe is published;
 * search_digests_close drops what was not committed. */
#ifndef FOLIO_SEARCHDIGEST_H
#define FOLIO_SEARCHDIGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "out_search.h"

#define SEARCHDIGEST_KEY 32

typedef struct search_digests search_digests;

/* dir: the cache folder (it exists); site: the site in place (NULL for
 * none). NULL when dir is NULL. */
search_digests *search_digests_open(const char *dir, const char **locales, size_t nlocales,
                                    const char *site);
/* From several threads. d stays valid until search_digests_done(l). */
bool search_digests_find(search_digests *s, int l, const unsigned char key[SEARCHDIGEST_KEY],
                         out_search_digest *d);
void search_digests_keep(search_digests *s, int l, const unsigned char key[SEARCHDIGEST_KEY],
                         const out_search_digest *d);
/* Locale l's index is written: ok when whole (every page kept). */
void search_digests_done(search_digests *s, int l, bool ok);
/* Locale l's index was carried whole into the new site: its digests, ids
 * included, hold for that site too. */
void search_digests_carried(search_digests *s, int l);
/* The site the indexes were written into is in place at site: the new
 * digests of every locale done ok replace the old ones. */
void search_digests_commit(search_digests *s, const char *site);
void search_digests_close(search_digests *s);

#endif
