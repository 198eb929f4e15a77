/* publish: write the site into a temporary folder beside the output folder
 * and swap it into place only when everything succeeded, so that a failed or
 * interrupted build leaves the previous site as it was. */
#ifndef FOLIO_PUBLISH_H
#define FOLIO_PUBLISH_H

#include "diag.h"

typedef struct {
  char *final; /* the output folder */
  char *tmp;   /* where this build writes */
} publish_txn;

/* Returns 0, or -1 with an error in diags. */
int publish_begin(publish_txn *t, const char *output_dir, diag_list *diags);
/* Write one file (rel inside the site). Safe to call from several threads.
 * With t NULL nothing is written (a dry run). */
int publish_write(const publish_txn *t, const char *rel, const char *data, size_t len,
                  diag_list *diags);
int publish_copy(const publish_txn *t, const char *rel, const char *from, diag_list *diags);
/* Swap the new site into place and remove the old one. */
int publish_commit(publish_txn *t, diag_list *diags);
/* Remove the temporary folder. */
void publish_abort(publish_txn *t);

#endif
