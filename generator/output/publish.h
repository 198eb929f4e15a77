/* publish: write the site into a temporary folder beside the output folder
 * and swap it into place only when everything succeeded, so that a failed or
 * interrupted build leaves the previous site as it was.
 *
 * Incremental builds (reuse) do not start from an empty folder: the site
 * the last build replaced is kept beside the output folder
 * (".<base>.folio-prev") and becomes the next staging folder. A file there
 * that is already the one the build keeps from the site in place (the
 * same inode: the last build linked it) is left alone, any other is
 * replaced by a new file (never written through: it may be a link to the
 * site in place), and what the build did not write or keep is removed
 * before the swap. Its contents are never trusted, only its inodes
 * compared with the site in place, so a damaged or stale folder costs
 * time, not correctness; one holding anything but folders and regular
 * files is removed instead.
 *
 * The output folder is replaced whole, so publish_begin refuses one that is
 * not new, empty or an earlier site (every site holds a .folio-site file),
 * one that is, contains or lies inside the project or its content, locales
 * or templates folders, a symbolic link, and (for paths.output, not -o) one
 * that resolves outside the project. */
#ifndef FOLIO_PUBLISH_H
#define FOLIO_PUBLISH_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "diag.h"

/* The marker file written into every site. */
#define PUBLISH_MARKER ".folio-site"

/* Which build wrote the site at site (NULL: none): its marker's inode,
 * size and modification time (s, ns); every build writes a new marker.
 * False when there is no marker. */
bool publish_site_stamp(const char *site, uint64_t out[4]);

typedef struct {
  char *shown; /* the output folder as the user gave it, for messages */
  char *final; /* the output folder, absolute, its parent folders' links resolved */
  char *tmp;   /* where this build writes */
  char *root;  /* the project folder, links resolved: nothing is copied from outside */
  /* Incremental builds: a file whose bytes equal those of the same file in
   * the site in place is linked to it instead of written (publish_keep), so
   * an unchanged file is never rewritten. Set after publish_begin. */
  bool keep_same;
  /* The site unchanged files are carried from (publish_keep, keep_same):
   * NULL for the output folder itself; `folio serve` names its previous
   * build, since each of its builds goes to a new folder. */
  const char *keep_from;
  /* reuse was asked for (publish_begin): the replaced site is kept as the
   * next staging folder; reused: this build's staging folder is such a
   * site (files there are replaced, never written through). */
  bool reuse, reused;
  struct publish_claims *claims; /* with reused: the files this build wrote or kept */
} publish_txn;

/* output is -o, or NULL for cfg's paths.output; reuse: keep the site
 * replaced as the next build's staging folder, and start from the one kept
 * by the last build (incremental builds, with keep_same). spare (NULL for
 * none; without reuse) is an earlier site of the caller's, no longer read,
 * to start from instead: `folio serve`'s build before the one it serves.
 * Returns 0, or -1 with an error in diags (nothing was touched then). */
int publish_begin(publish_txn *t, const site_config *cfg, const char *output, bool reuse,
                  const char *spare, diag_list *diags);
/* Write one file (rel inside the site). Safe to call from several threads.
 * With t NULL nothing is written (a dry run). */
int publish_write(const publish_txn *t, const char *rel, const char *data, size_t len,
                  diag_list *diags);
/* Copy the file from into the site as rel. The file must really (links
 * resolved, on the open descriptor) lie inside within, or inside the
 * project when within is NULL. */
int publish_copy(const publish_txn *t, const char *rel, const char *from, const char *within,
                 diag_list *diags);
/* Carry rel, unchanged, from the site in place into the new one without
 * rewriting it (a hard link; a copy where linking fails), for incremental
 * builds. Returns -1 (nothing reported) when the site in place has no such
 * regular file: the caller renders the page instead. */
int publish_keep(const publish_txn *t, const char *rel);
/* The same, when the caller has just found rel a regular file of the site
 * in place (lstat; st, when not NULL, is what it said): the build cache,
 * which stamps every file it carries. */
struct stat;
int publish_keep_checked(const publish_txn *t, const char *rel, const struct stat *st);
/* Swap the new site into place and remove the old one (with reuse: keep
 * it as the next staging folder). */
int publish_commit(publish_txn *t, diag_list *diags);
/* Remove the temporary folder (with reuse: keep it as the next staging
 * folder). */
void publish_abort(publish_txn *t);

#endif
