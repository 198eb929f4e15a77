/* translation: how each translation stands against its source article.
 * A translation records the hash of the source text it was translated from
 * in its front matter (TRANSLATION_HASH_KEY); comparing it with the hash of
 * the source as it is now says whether the translation is current or stale.
 * Content hashes, not timestamps: a checkout or a copy changes every mtime.
 * Strings returned live in the arena given (or in the build arena). */
#ifndef FOLIO_TRANSLATION_H
#define FOLIO_TRANSLATION_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "model.h"

/* The front-matter key of a translation: "sha256:<64 hex digits>", or
 * "sha256+includes:<64 hex digits>" for a source that expands includes. */
#define TRANSLATION_HASH_KEY "folio.source-hash"
#define TRANSLATION_HASH_INCLUDES "sha256+includes:"

/* The longer form, "sha256+includes:" + 64 hex digits + NUL, fits. */
#define TRANSLATION_HASH_SIZE 96

/* The hash folio records for a Markdown body: SHA-256 of the text with line
 * endings made LF, so that a CRLF checkout does not make translations stale.
 * Writes "sha256:<hex>" into out. */
void translation_hash_body(const char *text, size_t len, char out[TRANSLATION_HASH_SIZE]);

/* The hash of an article's source text (body = the Markdown after the front
 * matter): translation_hash_body when the body expands no include; else
 * TRANSLATION_HASH_INCLUDES and the SHA-256 of the body followed, for each
 * include file in the order include_list gives, by a NUL, the file's path
 * inside its locale folder, a NUL and its text (CRLF read as LF in both).
 * Articles without includes keep the hash they always had. */
void translation_hash_article(const site_config *cfg, const content_set *cs, article *art,
                              const char *body, size_t len, char out[TRANSLATION_HASH_SIZE]);

/* folio status --record: text (a whole article file, len bytes) with hash
 * recorded under TRANSLATION_HASH_KEY in its front matter, into *out. An
 * existing value is replaced (quotes and a trailing comment kept), else the
 * key is added as the front matter's last line, with that line's ending;
 * every other byte stays. Returns 1 when the value is already hash (out
 * untouched), 0 when *out holds the new text, -1 after a diagnostic at
 * path (front matter with errors, or one folio cannot edit safely). */
int translation_record(arena *a, const char *path, const char *text, size_t len, const char *hash,
                       buf *out, diag_list *diags);

typedef enum {
  TRANSLATION_SOURCE,    /* an article of the source locale */
  TRANSLATION_CURRENT,   /* translated from the source text as it is now */
  TRANSLATION_STALE,     /* the source changed since */
  TRANSLATION_UNTRACKED, /* translated, but no source hash recorded */
  TRANSLATION_MISSING,   /* no translation in this locale */
  TRANSLATION_ORPHAN,    /* a translation whose source article does not exist */
} translation_state;

const char *translation_state_name(translation_state s);

/* A page of a target locale built from the source article because the
 * locale has no translation of it (untranslated: fallback in folio.yml). */
typedef struct {
  int locale;
  const article *source;
  diag_list diags; /* this page's own, merged into the build's afterwards */
} fallback_page;

/* The state of article rel in locale (index into the site's locales), from
 * the loaded articles. */
translation_state translation_state_of(const content_set *cs, int locale, const char *rel);

#endif
