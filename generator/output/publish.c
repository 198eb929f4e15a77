#define _GNU_SOURCE
#include "publish.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* Sibling name for a temporary or old tree: "<dir>/.<base>.folio-<kind>.<pid>". */
static char *sibling(const char *final, const char *kind, long pid) {
  char *dir = path_dirname(final);
  const char *base = strrchr(final, '/');
  base = base ? base + 1 : final;
  size_t n = strlen(dir) + strlen(base) + 64;
  char *p = xmalloc(n);
  snprintf(p, n, "%s%s.%s.folio-%s.%ld", dir, *dir ? "/" : "", base, kind, pid);
  free(dir);
  return p;
}

/* Remove what interrupted builds left behind (their process is gone). */
static void sweep_stale(const char *final) {
  char *dir = path_dirname(final);
  const char *base = strrchr(final, '/');
  base = base ? base + 1 : final;
  DIR *d = opendir(*dir ? dir : ".");
  if (!d) {
    free(dir);
    return;
  }
  size_t bl = strlen(base);
  struct dirent *e;
  while ((e = readdir(d))) {
    const char *n = e->d_name;
    if (n[0] != '.' || strncmp(n + 1, base, bl) || strncmp(n + 1 + bl, ".folio-", 7))
      continue;
    const char *dot = strrchr(n, '.');
    long pid = dot ? strtol(dot + 1, NULL, 10) : 0;
    if (pid > 0 && kill((pid_t)pid, 0) < 0 && errno == ESRCH) {
      char *p = path_join(*dir ? dir : ".", n);
      remove_tree(p);
      free(p);
    }
  }
  closedir(d);
  free(dir);
}

int publish_begin(publish_txn *t, const char *output_dir, diag_list *diags) {
  t->final = xstrdup(output_dir);
  while (strlen(t->final) > 1 && str_ends_with(t->final, "/"))
    t->final[strlen(t->final) - 1] = '\0';
  sweep_stale(t->final);
  t->tmp = sibling(t->final, "tmp", (long)getpid());
  remove_tree(t->tmp);
  if (mkdir_p(t->tmp) < 0) {
    diag_add(diags, t->tmp, 0, 0, SEV_ERROR, "output-unwritable",
             "cannot create the output folder: %s", strerror(errno));
    return -1;
  }
  return 0;
}

int publish_write(const publish_txn *t, const char *rel, const char *data, size_t len,
                  diag_list *diags) {
  if (!t)
    return 0; /* a dry run (folio check) */
  char *p = path_join(t->tmp, rel);
  int rc = write_file(p, data, len);
  if (rc < 0)
    diag_add(diags, p, 0, 0, SEV_ERROR, "output-unwritable", "cannot write: %s", strerror(errno));
  free(p);
  return rc;
}

int publish_copy(const publish_txn *t, const char *rel, const char *from, diag_list *diags) {
  if (!t)
    return 0;
  char *p = path_join(t->tmp, rel);
  int rc = copy_file(from, p);
  if (rc < 0)
    diag_add(diags, from, 0, 0, SEV_ERROR, "output-unwritable", "cannot copy to %s: %s", p,
             strerror(errno));
  free(p);
  return rc;
}

int publish_commit(publish_txn *t, diag_list *diags) {
  int rc = 0;
  if (is_dir(t->final)) {
    /* Swap both trees in one step where the kernel can; otherwise two
     * renames, with the old tree kept until the new one is in place. */
    if (renameat2(AT_FDCWD, t->tmp, AT_FDCWD, t->final, RENAME_EXCHANGE) == 0) {
      remove_tree(t->tmp);
    } else {
      char *old = sibling(t->final, "old", (long)getpid());
      remove_tree(old);
      if (rename(t->final, old) < 0 || rename(t->tmp, t->final) < 0) {
        diag_add(diags, t->final, 0, 0, SEV_ERROR, "output-unwritable",
                 "cannot move the new site into place: %s", strerror(errno));
        rc = -1;
      } else {
        remove_tree(old);
      }
      free(old);
    }
  } else if (rename(t->tmp, t->final) < 0) {
    diag_add(diags, t->final, 0, 0, SEV_ERROR, "output-unwritable",
             "cannot move the new site into place: %s", strerror(errno));
    rc = -1;
  }
  if (rc < 0)
    remove_tree(t->tmp);
  free(t->tmp);
  free(t->final);
  t->tmp = t->final = NULL;
  return rc;
}

void publish_abort(publish_txn *t) {
  if (t->tmp)
    remove_tree(t->tmp);
  free(t->tmp);
  free(t->final);
  t->tmp = t->final = NULL;
}
