/* watch: which files of a project changed, for `folio serve` to rebuild.
 * Recursive inotify on folders (and on single files through their folder),
 * with a quiet period so that an editor's save sequence is reported once.
 * The watch owns its state; each report's paths belong to the caller. */
#ifndef FOLIO_WATCH_H
#define FOLIO_WATCH_H

#include <stdbool.h>
#include <stddef.h>

typedef struct watch watch;

typedef struct {
  /* Report once nothing changed for quiet_ms (0 means 75), or at the
   * latest max_delay_ms after the first change (0 means 1000), so that a
   * file written without pause still gets built. */
  unsigned quiet_ms, max_delay_ms;
  /* Folders never watched nor reported (the output folder), compared as
   * absolute paths, without resolving symbolic links. */
  const char *const *ignore;
  size_t nignore;
  /* Most paths in one report (0 means 4096); beyond, the report says
   * overflow instead of growing. */
  size_t max_paths;
} watch_options;

typedef struct {
  /* Sorted, without duplicates, each as the watched path it lies in was
   * given to watch_open followed by the rest ("content/en-us/a.md"). A
   * file created, written, renamed in or out, or deleted is listed; so is
   * a folder created, moved or deleted (it stands for everything in it),
   * and every file a new folder already holds. */
  char **paths;
  size_t count;
  /* Some changes were not recorded (the kernel's queue overflowed, a watch
   * could not be added, or more than max_paths): rebuild everything. */
  bool overflow;
} watch_changes;

/* Watch paths[0..npaths): folders recursively (new subfolders are added as
 * they appear), files through their folder (so that replacing a file by a
 * rename is seen). Hidden names (".git", ".#lock", ".x.swp") and editor
 * leftovers ("x~", "#x#", vim's "4913") are ignored. opt may be NULL.
 * Returns 0 and the watch in *out, or -1 with a one-line reason in err. */
int watch_open(watch **out, const char *const *paths, size_t npaths, const watch_options *opt,
               char *err, size_t errsz);

/* Wait up to timeout_ms (-1: without limit) for a change, then until the
 * quiet period passes, and fill *out. Returns 1 with changes in *out, 0 when
 * the time ran out or watch_interrupt was called (*out empty; changes not
 * yet quiet are kept for the next call), -1 on an error (errno set). */
int watch_wait(watch *w, int timeout_ms, watch_changes *out);

/* Free the paths of a report (and empty it). */
void watch_changes_free(watch_changes *c);

/* Make a watch_wait running on another thread return 0 soon. Safe in a
 * signal handler. */
void watch_interrupt(watch *w);

/* w may be NULL. */
void watch_close(watch *w);

#endif
