#define _GNU_SOURCE
#include "publish.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "strmap.h"
#include "util.h"

static const char marker_text[] =
    "This folder is a site built by folio. Every build replaces the whole folder,\n"
    "so keep nothing else here. folio replaces only a folder that is new, empty\n"
    "or holds this file.\n";

/* The folder that holds path (absolute): "/a/b" -> "/a", "/a" -> "/". */
static char *parent_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path)
    return xstrdup("/");
  return xstrndup(path, (size_t)(slash - path));
}

static const char *base_of(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* Sibling name for a temporary or old tree: "<dir>/.<base>.folio-<kind>.<pid>",
 * or without ".<pid>" when pid is 0 (the site kept for reuse). */
static char *sibling(const char *final, const char *kind, long pid) {
  char *dir = parent_of(final);
  size_t n = strlen(dir) + strlen(final) + 64;
  char *p = xmalloc(n);
  int k = snprintf(p, n, "%s/.%s.folio-%s", strcmp(dir, "/") ? dir : "", base_of(final), kind);
  if (pid)
    snprintf(p + k, n - (size_t)k, ".%ld", pid);
  free(dir);
  return p;
}

/* The files a build into a reused folder wrote or kept (site-relative):
 * everything else there is removed before the swap. */
struct publish_claims {
  pthread_mutex_t lock;
  arena *mem;
  strmap files;
};

static void claim(const publish_txn *t, const char *rel) {
  struct publish_claims *c = t->claims;
  if (!c)
    return;
  pthread_mutex_lock(&c->lock);
  if (!strmap_get(&c->files, rel))
    strmap_set(&c->files, arena_strdup(c->mem, rel), 1);
  pthread_mutex_unlock(&c->lock);
}

static void claims_free(publish_txn *t) {
  if (!t->claims)
    return;
  pthread_mutex_destroy(&t->claims->lock);
  arena_free(t->claims->mem);
  free(t->claims);
  t->claims = NULL;
}

bool publish_site_stamp(const char *site, uint64_t out[4]) {
  if (!site)
    return false;
  char *m = path_join(site, PUBLISH_MARKER);
  struct stat st;
  int rc = lstat(m, &st);
  free(m);
  if (rc < 0 || !S_ISREG(st.st_mode))
    return false;
  out[0] = (uint64_t)st.st_ino;
  out[1] = (uint64_t)st.st_size;
  out[2] = (uint64_t)st.st_mtim.tv_sec;
  out[3] = (uint64_t)st.st_mtim.tv_nsec;
  return true;
}

static bool has_marker(const char *dir) {
  char *m = path_join(dir, PUBLISH_MARKER);
  struct stat st;
  bool yes = lstat(m, &st) == 0 && S_ISREG(st.st_mode);
  free(m);
  return yes;
}

/* Remove a site folio wrote, its marker last: a removal cut short (a kill)
 * leaves a folder the next build still recognises as its own. */
static void remove_site(const char *path) {
  DIR *d = opendir(path);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, PUBLISH_MARKER))
      continue;
    char *child = path_join(path, e->d_name);
    remove_tree(child);
    free(child);
  }
  closedir(d);
  char *m = path_join(path, PUBLISH_MARKER);
  unlink(m);
  free(m);
  rmdir(path);
}

/* The pid of a name ".<base>.folio-tmp.<pid>" or ".<base>.folio-old.<pid>"
 * and its kind ('t' or 'o'), or 0 for any other name. */
static long leftover_pid(const char *name, const char *base, char *kind) {
  size_t bl = strlen(base);
  if (name[0] != '.' || strncmp(name + 1, base, bl))
    return 0;
  const char *s = name + 1 + bl;
  if (!strncmp(s, ".folio-tmp.", 11))
    *kind = 't';
  else if (!strncmp(s, ".folio-old.", 11))
    *kind = 'o';
  else
    return 0;
  s += 11;
  if (!isdigit((unsigned char)*s))
    return 0;
  char *end;
  long pid = strtol(s, &end, 10);
  return *end || pid <= 0 ? 0 : pid;
}

/* Remove what interrupted builds into this output folder left behind: a
 * folder is one of ours by its name, a process that is gone, and the marker
 * inside (or by being empty); nothing else is touched. When a build was
 * killed between the two renames of the fallback swap, the output folder is
 * missing and the old site is put back first. */
static void sweep_stale(const char *final) {
  char *dir = parent_of(final);
  const char *base = base_of(final);
  DIR *d = opendir(dir);
  if (!d) {
    free(dir);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d))) {
    char kind = 0;
    long pid = leftover_pid(e->d_name, base, &kind);
    if (!pid || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
      continue;
    char *p = path_join(dir, e->d_name);
    struct stat st;
    if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
      if (!has_marker(p))
        rmdir(p); /* only when empty: killed before the marker was written */
      else if (kind == 'o' && lstat(final, &st) < 0 && errno == ENOENT)
        rename(p, final);
      else
        remove_site(p);
    }
    free(p);
  }
  closedir(d);
  free(dir);
}

static const char overlap_advice[] =
    "folio replaces its output folder, so it must not be, contain or lie inside the project "
    "folder or its content, locales or templates folders; choose another folder with -o";

/* The output folder against the sources; reports and returns -1 on overlap. */
static int check_overlap(const publish_txn *t, const site_config *cfg, diag_list *diags) {
  const struct {
    const char *what, *path;
  } sources[] = {{"project", cfg->root},
                 {"content", cfg->content_dir},
                 {"locales", cfg->locales_dir},
                 {"templates", cfg->templates_dir}};
  for (size_t i = 0; i < sizeof sources / sizeof *sources; i++) {
    char *real = path_resolve(sources[i].path);
    if (!real)
      continue; /* unreadable: the stages before would have failed */
    const char *how = !strcmp(t->final, real)          ? "is"
                      : path_is_within(real, t->final) ? "contains"
                      : i > 0 && path_is_within(t->final, real) ? "lies inside"
                                                                : NULL;
    free(real);
    if (how) {
      diag_add(diags, t->shown, 0, 0, SEV_ERROR, "output-overlaps-sources",
               "the output folder %s the %s folder (%s); %s", how, sources[i].what,
               sources[i].path, overlap_advice);
      return -1;
    }
  }
  return 0;
}

/* Whether the existing folder path holds nothing, or an earlier site. */
static int check_replaceable(const publish_txn *t, diag_list *diags) {
  struct stat st;
  if (lstat(t->final, &st) < 0)
    return 0; /* new */
  if (!S_ISDIR(st.st_mode)) {
    diag_add(diags, t->shown, 0, 0, SEV_ERROR, "output-not-folio-site",
             "the output folder is a file, not a folder");
    return -1;
  }
  if (has_marker(t->final))
    return 0;
  DIR *d = opendir(t->final);
  if (!d) {
    diag_add(diags, t->shown, 0, 0, SEV_ERROR, "output-unwritable",
             "cannot read the output folder: %s", strerror(errno));
    return -1;
  }
  bool empty = true;
  struct dirent *e;
  while (empty && (e = readdir(d)))
    empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
  closedir(d);
  if (!empty) {
    diag_add(diags, t->shown, 0, 0, SEV_ERROR, "output-not-folio-site",
             "the folder is not empty and holds no site folio built (no " PUBLISH_MARKER
             " file); folio replaces its output folder, so give a new or empty folder with -o, "
             "or empty this one");
    return -1;
  }
  return 0;
}

static int fail(publish_txn *t, int rc) {
  claims_free(t);
  free(t->shown);
  free(t->final);
  free(t->tmp);
  free(t->root);
  t->shown = t->final = t->tmp = t->root = NULL;
  return rc;
}

/* Whether the folder open as fd (then closed) holds only folders and
 * regular files: a kept site to build into must hold no link (writing
 * beside one could reach outside it) and nothing that could block. */
static bool plain_tree(int fd, int depth) {
  DIR *d = fdopendir(fd);
  if (!d) {
    close(fd);
    return false;
  }
  bool ok = true;
  struct dirent *e;
  while (ok && (e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    unsigned char type = e->d_type;
    if (type == DT_UNKNOWN) {
      struct stat st;
      type = fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ? DT_UNKNOWN
             : S_ISDIR(st.st_mode)                                ? DT_DIR
             : S_ISREG(st.st_mode)                                ? DT_REG
                                                                  : DT_UNKNOWN;
    }
    if (type == DT_DIR) {
      int sub = depth < 256 ? openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                            : -1;
      ok = sub >= 0 && plain_tree(sub, depth + 1);
    } else {
      ok = type == DT_REG;
    }
  }
  closedir(d);
  return ok;
}

/* Take the site kept by the last build as this build's staging folder
 * (t->tmp): renamed, so that of two builds at once only one gets it. */
/* Take the earlier site at path as the staging folder (a rename: of two
 * builds at once only one gets it). */
static bool claim_folder(publish_txn *t, const char *path) {
  struct stat st;
  bool ok = lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && has_marker(path) &&
            rename(path, t->tmp) == 0;
  if (!ok)
    return false;
  int fd = open(t->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 || !plain_tree(fd, 0)) {
    remove_site(t->tmp);
    return false;
  }
  t->claims = xmalloc(sizeof *t->claims);
  pthread_mutex_init(&t->claims->lock, NULL);
  t->claims->mem = arena_new();
  strmap_init(&t->claims->files, t->claims->mem);
  return true;
}

/* A site replaced (or a staging folder given up): kept for the next
 * build when reuse was asked and there is a site for it to build beside,
 * removed otherwise (or when another build kept one first). */
static void retire(const publish_txn *t, const char *path) {
  if (t->reuse && has_marker(t->final)) {
    char *prev = sibling(t->final, "prev", 0);
    int rc = rename(path, prev);
    free(prev);
    if (rc == 0)
      return;
  }
  remove_site(path);
}

/* Remove from the folder open as fd (then closed), rel[0..len) in the
 * site, every file this build did not claim and every folder that leaves
 * empty; returns how many entries remain in it. */
static size_t prune_unclaimed(const publish_txn *t, int fd, char *rel, size_t len, int depth) {
  DIR *d = fdopendir(fd);
  if (!d) {
    close(fd);
    return 1;
  }
  size_t left = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    size_t nl = strlen(e->d_name);
    if (len + nl + 2 > PATH_MAX || (depth == 0 && !strcmp(e->d_name, PUBLISH_MARKER))) {
      left++;
      continue;
    }
    memcpy(rel + len, e->d_name, nl + 1);
    bool dir = e->d_type == DT_DIR;
    if (e->d_type == DT_UNKNOWN) {
      struct stat st;
      dir = fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
    }
    if (dir) {
      rel[len + nl] = '/';
      rel[len + nl + 1] = '\0';
      int sub = depth < 256 ? openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                            : -1;
      if (sub < 0 || prune_unclaimed(t, sub, rel, len + nl + 1, depth + 1) > 0 ||
          unlinkat(fd, e->d_name, AT_REMOVEDIR) < 0)
        left++;
    } else if (strmap_get(&t->claims->files, rel) || unlinkat(fd, e->d_name, 0) < 0) {
      left++;
    }
  }
  closedir(d);
  return left;
}

int publish_begin(publish_txn *t, const site_config *cfg, const char *output, bool reuse,
                  const char *spare, diag_list *diags) {
  memset(t, 0, sizeof *t);
  t->shown = xstrdup(output ? output : cfg->output_dir);
  while (strlen(t->shown) > 1 && str_ends_with(t->shown, "/"))
    t->shown[strlen(t->shown) - 1] = '\0';

  /* A link is not followed: replacing it would leave the old site at its
   * target, and swapping the target is a surprise at a distance. */
  struct stat st;
  if (lstat(t->shown, &st) == 0 && S_ISLNK(st.st_mode)) {
    char target[PATH_MAX];
    ssize_t n = readlink(t->shown, target, sizeof target - 1);
    target[n < 0 ? 0 : n] = '\0';
    diag_add(diags, t->shown, 0, 0, SEV_ERROR, "output-symlink",
             "the output folder is a symbolic link (to %s); folio does not replace links: give "
             "the folder itself with -o",
             target);
    return fail(t, -1);
  }
  t->final = path_resolve(t->shown);
  if (!t->final) {
    diag_add(diags, t->shown, 0, 0, SEV_ERROR, "output-unwritable",
             "cannot find the output folder: %s", strerror(errno));
    return fail(t, -1);
  }
  if (check_overlap(t, cfg, diags) < 0)
    return fail(t, -1);
  t->root = path_resolve(cfg->root);
  if (!t->root) {
    diag_add(diags, cfg->root, 0, 0, SEV_ERROR, "content-unreadable",
             "cannot read the project folder: %s", strerror(errno));
    return fail(t, -1);
  }
  if (!output) {
    /* folio.yml names a folder inside the project (config.c); a link on
     * the way must not take it elsewhere. */
    if (!path_is_within(t->final, t->root)) {
      diag_add(diags, t->shown, 0, 0, SEV_ERROR, "output-outside-project",
               "paths.output resolves to %s, outside the project (through a symbolic link); "
               "only -o on the command line may name a folder outside the project",
               t->final);
      return fail(t, -1);
    }
  }
  if (check_replaceable(t, diags) < 0)
    return fail(t, -1);

  sweep_stale(t->final);
  t->tmp = sibling(t->final, "tmp", (long)getpid());
  if (has_marker(t->tmp))
    remove_site(t->tmp);
  t->reuse = reuse;
  if (reuse && has_marker(t->final)) {
    char *prev = sibling(t->final, "prev", 0);
    t->reused = claim_folder(t, prev);
    free(prev);
  } else if (spare) {
    t->reused = claim_folder(t, spare);
  } else if (reuse) {
    /* No site to build beside (removed by hand): the kept one is of no use. */
    char *prev = sibling(t->final, "prev", 0);
    struct stat pst;
    if (lstat(prev, &pst) == 0 && S_ISDIR(pst.st_mode) && has_marker(prev))
      remove_site(prev);
    free(prev);
  }
  char *parent = parent_of(t->final);
  int rc = mkdir_p(parent);
  free(parent);
  if (rc < 0 || (!t->reused && mkdir(t->tmp, 0777) < 0)) {
    diag_add(diags, t->shown, 0, 0, SEV_ERROR, "output-unwritable",
             "cannot create the output folder: %s", strerror(errno));
    free(t->tmp);
    t->tmp = NULL;
    return fail(t, -1);
  }
  /* The marker first, so that a killed build's folder is recognised. A
   * reused folder keeps one all along: a new file (so that the new site is
   * told from the one the folder was) renamed over the old. */
  int rc2;
  if (t->reused) {
    char *m = path_join(t->tmp, PUBLISH_MARKER), *n = path_join(t->tmp, PUBLISH_MARKER ".new");
    rc2 = write_file_new(n, marker_text, sizeof marker_text - 1) == 0 && rename(n, m) == 0 ? 0 : -1;
    if (rc2 < 0)
      diag_add(diags, t->shown, 0, 0, SEV_ERROR, "output-unwritable",
               "cannot write the output folder's marker: %s", strerror(errno));
    free(m);
    free(n);
  } else {
    rc2 = publish_write(t, PUBLISH_MARKER, marker_text, sizeof marker_text - 1, diags);
  }
  if (rc2 < 0) {
    publish_abort(t);
    return -1;
  }
  return 0;
}

/* keep_same: whether the site in place has rel with exactly data (len
 * bytes), or, with data NULL, the bytes of the open file fd (len bytes; its
 * offset is put back to 0). */
static bool same_in_site(const publish_txn *t, const char *rel, const char *data, int fd,
                         size_t len) {
  char *p = path_join(t->keep_from ? t->keep_from : t->final, rel);
  int old = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  free(p);
  struct stat st;
  if (old < 0)
    return false;
  bool same = fstat(old, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len;
  char *a = same ? xmalloc(65536) : NULL, *b = same && !data ? xmalloc(65536) : NULL;
  for (size_t off = 0; same && off < len;) {
    size_t want = len - off < 65536 ? len - off : 65536;
    ssize_t n = read(old, a, want);
    if (n <= 0) {
      same = n < 0 && errno == EINTR;
      continue;
    }
    if (data) {
      same = !memcmp(a, data + off, (size_t)n);
    } else {
      size_t got = 0;
      while (got < (size_t)n) {
        ssize_t m = read(fd, b + got, (size_t)n - got);
        if (m < 0 && errno == EINTR)
          continue;
        if (m <= 0)
          break;
        got += (size_t)m;
      }
      same = got == (size_t)n && !memcmp(a, b, got);
    }
    off += (size_t)n;
  }
  free(a);
  free(b);
  close(old);
  if (!data)
    lseek(fd, 0, SEEK_SET);
  return same;
}

int publish_write(const publish_txn *t, const char *rel, const char *data, size_t len,
                  diag_list *diags) {
  if (!t)
    return 0; /* a dry run (folio check) */
  if (t->keep_same && same_in_site(t, rel, data, -1, len) && publish_keep(t, rel) == 0)
    return 0;
  char *p = path_join(t->tmp, rel);
  /* A file kept earlier, or found in a reused folder, may be a link into
   * the site in place: never written through. */
  int rc = t->keep_same || t->reused ? write_file_new(p, data, len) : write_file(p, data, len);
  if (rc == 0)
    claim(t, rel);
  if (rc < 0) {
    char *shown = path_join(t->shown, rel);
    diag_add(diags, shown, 0, 0, SEV_ERROR, "output-unwritable", "cannot write: %s",
             strerror(errno));
    free(shown);
  }
  free(p);
  return rc;
}

/* Where the open file fd is, checked against the project folder. The
 * check is made on the descriptor, not the name: a link swapped in after
 * discovery (or after this check) cannot make us copy another file. */
static bool fd_inside(const char *root, int fd, const char *from, char **where) {
  char *real = fd_path(fd);
  if (!real) {
    /* No /proc: the file at the resolved name must be the one we opened. */
    struct stat a, b;
    real = realpath(from, NULL);
    if (real && (fstat(fd, &a) < 0 || stat(real, &b) < 0 || a.st_dev != b.st_dev ||
                 a.st_ino != b.st_ino)) {
      free(real);
      real = NULL;
    }
  }
  *where = real;
  return real && path_is_within(real, root);
}

int publish_copy(const publish_txn *t, const char *rel, const char *from, const char *within,
                 diag_list *diags) {
  if (!t)
    return 0; /* a dry run (folio check) */
  /* The folder the file must really be in: the project's, or (for the
   * templates' assets, which may be shared from outside it) the one given. */
  char *root = within ? path_resolve(within) : NULL;
  /* O_NONBLOCK: a FIFO put in the file's place must not hang the build. */
  int fd = open(from, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    diag_add(diags, from, 0, 0, SEV_ERROR, "file-unreadable", "cannot read: %s", strerror(errno));
    return -1;
  }
  struct stat st;
  char *where = NULL;
  int rc = -1;
  if (fstat(fd, &st) < 0) {
    diag_add(diags, from, 0, 0, SEV_ERROR, "file-unreadable", "cannot read: %s", strerror(errno));
  } else if (!S_ISREG(st.st_mode)) {
    diag_add(diags, from, 0, 0, SEV_ERROR, "file-unreadable",
             "cannot read: not a regular file any more");
  } else if (!fd_inside(root ? root : t->root, fd, from, &where)) {
    diag_add(diags, from, 0, 0, SEV_ERROR, "symlink-outside-project",
             within ? "leads outside %s (%s) when copied; it is skipped"
                    : "leads outside the project%.0s (%s) when copied; it is skipped",
             within ? within : "",
             where ? where : "cannot tell where");
  } else {
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    char *p = path_join(t->tmp, rel);
    bool read_failed = false;
    if (t->keep_same && same_in_site(t, rel, NULL, fd, (size_t)st.st_size) &&
        publish_keep(t, rel) == 0) {
      rc = 0;
    } else {
      /* A file there may be a link to the site in place: the copy is a
       * new file. */
      if (t->keep_same || t->reused)
        unlink(p);
      if ((rc = copy_fd_to_file(fd, p, &read_failed)) == 0)
        claim(t, rel);
    }
    if (rc < 0 && read_failed) {
      diag_add(diags, from, 0, 0, SEV_ERROR, "file-unreadable", "cannot read: %s",
               strerror(errno));
    } else if (rc < 0) {
      char *shown = path_join(t->shown, rel);
      diag_add(diags, shown, 0, 0, SEV_ERROR, "output-unwritable", "cannot write: %s",
               strerror(errno));
      free(shown);
    }
    free(p);
  }
  free(where);
  free(root);
  close(fd);
  return rc;
}

/* The link of publish_keep, once rel is known to be a regular file of the
 * site in place (from_st: its lstat, when the caller has it). A new
 * staging folder rarely has the file already, so it is unlinked only when
 * the link says it is; a reused one often has it, linked by the last build
 * to the very file (nothing to do then). */
static int keep_link(const publish_txn *t, const char *rel, const struct stat *from_st) {
  char *from = path_join(t->keep_from ? t->keep_from : t->final, rel);
  char *to = path_join(t->tmp, rel);
  struct stat fst, tst;
  if (t->reused && lstat(to, &tst) == 0) {
    if (!from_st && lstat(from, &fst) == 0)
      from_st = &fst;
    if (from_st && from_st->st_ino == tst.st_ino && from_st->st_dev == tst.st_dev) {
      free(from);
      free(to);
      claim(t, rel);
      return 0;
    }
    unlink(to);
  }
  int rc = link(from, to);
  if (rc < 0 && errno == EEXIST) {
    unlink(to);
    rc = link(from, to);
  }
  if (rc < 0 && errno == ENOENT) {
    char *dir = path_dirname(to);
    mkdir_p(dir);
    free(dir);
    rc = link(from, to);
  }
  if (rc < 0) {
    unlink(to);
    rc = copy_file(from, to);
  }
  if (rc == 0)
    claim(t, rel);
  free(from);
  free(to);
  return rc;
}

int publish_keep(const publish_txn *t, const char *rel) {
  if (!t)
    return 0;
  char *from = path_join(t->keep_from ? t->keep_from : t->final, rel);
  struct stat st;
  /* Only a regular file of the site: a link there is never followed. */
  bool regular = lstat(from, &st) == 0 && S_ISREG(st.st_mode);
  free(from);
  return regular ? keep_link(t, rel, &st) : -1;
}

int publish_keep_checked(const publish_txn *t, const char *rel, const struct stat *st) {
  return t ? keep_link(t, rel, st) : 0;
}

int publish_commit(publish_txn *t, diag_list *diags) {
  int rc = 0;
  struct stat st;
  if (t->reused) {
    /* What the last build left that this one did not write or keep. */
    char rel[PATH_MAX];
    int fd = open(t->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0)
      prune_unclaimed(t, fd, rel, 0, 0);
  }
  if (lstat(t->final, &st) == 0) {
    /* Swap both trees in one step where the kernel can; otherwise two
     * renames, with the old tree kept until the new one is in place (a
     * build killed in between has it put back by the next one). */
    if (renameat2(AT_FDCWD, t->tmp, AT_FDCWD, t->final, RENAME_EXCHANGE) == 0) {
      retire(t, t->tmp);
    } else {
      char *old = sibling(t->final, "old", (long)getpid());
      if (has_marker(old))
        remove_site(old);
      if (rename(t->final, old) < 0) {
        rc = -1;
      } else if (rename(t->tmp, t->final) < 0) {
        int e = errno;
        rename(old, t->final);
        errno = e;
        rc = -1;
      } else {
        retire(t, old);
      }
      free(old);
    }
  } else if (rename(t->tmp, t->final) < 0) {
    rc = -1;
  }
  if (rc < 0) {
    diag_add(diags, t->shown, 0, 0, SEV_ERROR, "output-unwritable",
             "cannot move the new site into place: %s", strerror(errno));
    remove_site(t->tmp);
  }
  return fail(t, rc);
}

void publish_abort(publish_txn *t) {
  if (t->tmp)
    retire(t, t->tmp);
  fail(t, 0);
}
