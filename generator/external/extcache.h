/* extcache: the external-link cache file, one line per URL with its last
 * result, so that a run can skip URLs checked recently. The file is
 * untrusted: malformed lines are skipped, never fatal. It is replaced
 * atomically. An extcache owns its entries' strings (extcache_free). */
#ifndef FOLIO_EXTCACHE_H
#define FOLIO_EXTCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "extstatus.h"

/* The first line of a cache file; a file with another first line is ignored
 * (and replaced when the cache is saved). */
#define EXTCACHE_MAGIC "# folio external link cache v1"

typedef struct {
  char *url;          /* the key: the URL as checked (with #fragment when fragments were) */
  time_t checked;
  extcheck_status status; /* OK, REDIRECTED or BROKEN: the results worth keeping */
  bool fragment_missing;
  int http_code;
  char *final_url;    /* NULL for none */
  char *moved_to;     /* NULL for none */
  char *message;
} extcache_entry;

typedef struct {
  extcache_entry *items; /* sorted by url, no duplicates, unless unsorted */
  size_t count, cap;
  bool unsorted;         /* puts since the last sort; find and save sort first */
} extcache;

/* Read path into an empty c. A missing or unreadable file, or one larger
 * than 64 MiB, gives an empty cache; entries dated after now + 1 minute are
 * dropped (a clock cannot vouch for them). Returns the number of lines
 * skipped as malformed. */
size_t extcache_load(extcache *c, const char *path, time_t now);
/* The entry for url, or NULL. */
const extcache_entry *extcache_find(extcache *c, const char *url);
/* Add or replace the entry for e->url; the strings are copied. The pointers
 * find returned before are no longer valid. */
void extcache_put(extcache *c, const extcache_entry *e);
/* Drop entries older than max_age_s (they would never be used again). */
void extcache_prune(extcache *c, time_t now, long max_age_s);
/* Write c to path through a temporary file in the same folder and rename(),
 * so that readers see the old or the new file, never half of one. Returns 0,
 * or -1 with errno set. */
int extcache_save(extcache *c, const char *path);
void extcache_free(extcache *c);

#endif
