/* cmd_status: `folio status`, how far each locale's translation is: per
 * locale, every source article as current, stale (its source changed since
 * it was translated), untracked (no source hash recorded), missing, and
 * translations without a source (orphan); as text or JSON on stdout. */
#ifndef FOLIO_CMD_STATUS_H
#define FOLIO_CMD_STATUS_H

/* argv[0] is "status". Returns the exit code: 0, 1 content errors (the
 * status is still printed), 2 usage or I/O errors. */
int cmd_status(int argc, char **argv);

#endif
