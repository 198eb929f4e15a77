#define _GNU_SOURCE
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Deeper folders are not watched (a bound on recursion, and on loops). */
#define MAX_DEPTH 64

#define DIR_EVENTS                                                                             \
  (IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO |          \
   IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK)

/* One watched folder. A folder given as a file's parent (folio.yml's) is
 * not recursive and reports only the names asked for. */
typedef struct {
  int wd;
  char *path; /* as reported: the root as given, then the rest */
  char *abs;  /* absolute, for comparing with the ignored folders */
  bool recursive, root;
  char **names; /* when !recursive: the files reported */
  size_t nnames;
} wdir;

struct watch {
  int fd, wakefd;
  watch_options opt;
  char **ignore; /* absolute */
  size_t nignore;
  char **roots; /* folders given, as given, for a rescan after an overflow */
  size_t nroots;
  wdir *dirs; /* sorted by wd */
  size_t ndirs, capdirs;
  char **pending; /* sorted, unique */
  size_t npending;
  bool overflow;
  long long first_ms, last_ms; /* first and latest change not yet reported */
};

static void set_err(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errsz, const char *fmt, ...) {
  if (!err || !errsz)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errsz, fmt, ap);
  va_end(ap);
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- paths ---- */

/* dir + "/" + name, without a leading "./" when dir is ".". */
static char *join(const char *dir, const char *name) {
  if (!strcmp(dir, "."))
    return strdup(name);
  size_t a = strlen(dir), b = strlen(name);
  char *p = malloc(a + b + 2);
  if (!p)
    return NULL;
  memcpy(p, dir, a);
  p[a] = '/';
  memcpy(p + a + 1, name, b + 1);
  return p;
}

/* path without "." segments, repeated or trailing slashes, and with ".."
 * applied to what precedes it; "." when nothing is left. Works on the text
 * only: the path need not exist. */
static char *normalize(const char *path) {
  char *out = malloc(strlen(path) + 2);
  if (!out)
    return NULL;
  bool abs = path[0] == '/';
  size_t o = 0;
  if (abs)
    out[o++] = '/';
  size_t base = o; /* what ".." may not remove */
  for (const char *p = path; *p;) {
    while (*p == '/')
      p++;
    size_t len = strcspn(p, "/");
    bool dotdot = len == 2 && p[0] == '.' && p[1] == '.';
    if (len == 0 || (len == 1 && p[0] == '.') || (dotdot && abs && o == base)) {
      /* nothing to add ("/.." is "/") */
    } else if (dotdot && o > base) {
      while (o > base && out[o - 1] != '/')
        o--;
      if (o > base)
        o--; /* and the slash before it */
    } else {
      if (o > (abs ? 1u : 0u))
        out[o++] = '/';
      memcpy(out + o, p, len);
      o += len;
      if (dotdot) /* a relative path's leading "..": kept */
        base = o;
    }
    p += len;
  }
  if (o == 0)
    out[o++] = '.';
  out[o] = '\0';
  return out;
}

/* The folder part of a normalized path ("." or "/" when there is none). */
static char *parent_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash)
    return strdup(".");
  return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

static char *absolute(const char *path) {
  if (path[0] == '/')
    return normalize(path);
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd))
    return NULL;
  char *j = join(cwd, path);
  char *n = j ? normalize(j) : NULL;
  free(j);
  return n;
}

/* Names that editors and tools write beside the files they save. */
static bool skip_name(const char *name) {
  size_t n = strlen(name);
  if (n == 0 || name[0] == '.') /* hidden: .git, .x.swp, .#x (emacs lock) */
    return true;
  if (name[n - 1] == '~') /* backups */
    return true;
  if (n >= 2 && name[0] == '#' && name[n - 1] == '#') /* emacs auto-save */
    return true;
  if (!strcmp(name, "4913")) /* vim checks that it may write the folder */
    return true;
  static const char *const suffixes[] = {".swp", ".swx", ".swo", "___jb_tmp___",
                                         "___jb_old___"};
  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
    size_t k = strlen(suffixes[i]);
    if (n >= k && !strcmp(name + n - k, suffixes[i]))
      return true;
  }
  return false;
}

static bool ignored_abs(const watch *w, const char *abs) {
  for (size_t i = 0; i < w->nignore; i++) {
    size_t k = strlen(w->ignore[i]);
    if (!strncmp(abs, w->ignore[i], k) && (abs[k] == '\0' || abs[k] == '/' || k == 1))
      return true;
  }
  return false;
}

/* ---- the pending set ---- */

/* Add path (taken; NULL when it could not be made) to the pending set. */
static void pend(watch *w, char *path) {
  if (!path) {
    w->overflow = true;
    return;
  }
  size_t lo = 0, hi = w->npending;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(w->pending[mid], path);
    if (c == 0) {
      free(path);
      return;
    }
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (w->npending >= w->opt.max_paths) {
    w->overflow = true;
    free(path);
    return;
  }
  memmove(w->pending + lo + 1, w->pending + lo, (w->npending - lo) * sizeof *w->pending);
  w->pending[lo] = path;
  w->npending++;
}

/* ---- the watched folders ---- */

static wdir *find_wd(watch *w, int wd, size_t *at) {
  size_t lo = 0, hi = w->ndirs;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (w->dirs[mid].wd == wd) {
      if (at)
        *at = mid;
      return &w->dirs[mid];
    }
    if (w->dirs[mid].wd < wd)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (at)
    *at = lo;
  return NULL;
}

static void free_wdir(wdir *d) {
  free(d->path);
  free(d->abs);
  for (size_t i = 0; i < d->nnames; i++)
    free(d->names[i]);
  free(d->names);
}

static void drop_wd(watch *w, int wd) {
  size_t at;
  if (!find_wd(w, wd, &at))
    return;
  free_wdir(&w->dirs[at]);
  memmove(w->dirs + at, w->dirs + at + 1, (w->ndirs - at - 1) * sizeof *w->dirs);
  w->ndirs--;
}

/* Watch the folder path (abs: its absolute form). name, when not NULL,
 * restricts a non-recursive watch to that file. Returns the entry, or NULL
 * with errno set. */
static wdir *add_dir(watch *w, const char *path, const char *abs, bool recursive, bool root,
                     const char *name) {
  /* A folder given may be a symbolic link; one found inside is not
   * followed (it was a folder when listed, and a link now means a race). */
  int wd = inotify_add_watch(w->fd, path, DIR_EVENTS | (root || name ? 0 : IN_DONT_FOLLOW));
  if (wd < 0)
    return NULL;
  size_t at;
  wdir *d = find_wd(w, wd, &at);
  if (!d) {
    if (w->ndirs == w->capdirs) {
      size_t cap = w->capdirs ? w->capdirs * 2 : 16;
      wdir *p = realloc(w->dirs, cap * sizeof *p);
      if (!p) {
        errno = ENOMEM;
        return NULL;
      }
      w->dirs = p;
      w->capdirs = cap;
    }
    wdir nd = {.wd = wd, .path = strdup(path), .abs = strdup(abs)};
    if (!nd.path || !nd.abs) {
      free_wdir(&nd);
      errno = ENOMEM;
      return NULL;
    }
    memmove(w->dirs + at + 1, w->dirs + at, (w->ndirs - at) * sizeof *w->dirs);
    w->dirs[at] = nd;
    w->ndirs++;
    d = &w->dirs[at];
  }
  d->recursive |= recursive;
  d->root |= root;
  if (name) {
    char **p = realloc(d->names, (d->nnames + 1) * sizeof *p);
    char *copy = strdup(name);
    if (!p || !copy) {
      free(copy);
      if (p)
        d->names = p;
      errno = ENOMEM;
      return NULL;
    }
    d->names = p;
    d->names[d->nnames++] = copy;
  }
  return d;
}

/* Whether a failure to watch a folder means it is no longer a folder there
 * (deleted, replaced by a file or a link): its parent reports the name. */
static bool vanished(int err) { return err == ENOENT || err == ENOTDIR || err == ELOOP; }

/* Watch the folder path and every folder below it. With report, also list
 * everything found (a folder that just appeared may already hold files
 * written before its watch was in place). Returns 0, or -1 with errno. */
static int add_tree(watch *w, const char *path, const char *abs, bool root, bool report,
                    int depth) {
  if (depth > MAX_DEPTH || ignored_abs(w, abs))
    return 0;
  if (!add_dir(w, path, abs, true, root, NULL))
    return -1;
  DIR *dir = opendir(path);
  if (!dir)
    return vanished(errno) ? 0 : -1;
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(dir))) {
    if (skip_name(e->d_name))
      continue;
    bool isdir = e->d_type == DT_DIR;
    if (e->d_type == DT_UNKNOWN) {
      struct stat st;
      isdir = !fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) && S_ISDIR(st.st_mode);
    }
    char *child = join(path, e->d_name);
    char *cabs = join(abs, e->d_name);
    if (!child || !cabs) {
      free(child);
      free(cabs);
      rc = -1;
      errno = ENOMEM;
      break;
    }
    if (ignored_abs(w, cabs)) {
      free(child);
      free(cabs);
      continue;
    }
    if (isdir && add_tree(w, child, cabs, false, report, depth + 1) < 0 && !vanished(errno))
      rc = -1;
    if (report)
      pend(w, child);
    else
      free(child);
    free(cabs);
    if (rc < 0)
      break;
  }
  closedir(dir);
  return rc;
}

/* Stop watching the folder path and the folders below it (it moved away;
 * were it to move back, it is added again with its new name). */
static void drop_tree(watch *w, const char *path) {
  size_t n = strlen(path);
  for (size_t i = 0; i < w->ndirs; i++) {
    const char *p = w->dirs[i].path;
    if (!strncmp(p, path, n) && (p[n] == '\0' || p[n] == '/')) {
      inotify_rm_watch(w->fd, w->dirs[i].wd);
      free_wdir(&w->dirs[i]);
      memmove(w->dirs + i, w->dirs + i + 1, (w->ndirs - i - 1) * sizeof *w->dirs);
      w->ndirs--;
      i--;
    }
  }
}

static int add_root(watch *w, const char *given, char *err, size_t errsz) {
  char *path = normalize(given);
  char *abs = absolute(given);
  int rc = -1;
  struct stat st;
  if (!path || !abs) {
    set_err(err, errsz, "%s: %s", given, strerror(errno ? errno : ENOMEM));
  } else if (stat(path, &st) < 0) {
    set_err(err, errsz, "%s: %s", given, strerror(errno));
  } else if (S_ISDIR(st.st_mode)) {
    char **p = realloc(w->roots, (w->nroots + 1) * sizeof *p);
    if (p)
      w->roots = p;
    if (!p || !(w->roots[w->nroots] = strdup(path)))
      set_err(err, errsz, "out of memory");
    else if (w->nroots++, add_tree(w, path, abs, true, false, 0) < 0)
      set_err(err, errsz, "%s: %s", given, strerror(errno));
    else
      rc = 0;
  } else {
    /* A file: watch its folder for its name, so that an editor replacing
     * it (write a copy, rename over) is seen. */
    const char *slash = strrchr(path, '/');
    char *dir = parent_of(path);
    char *dabs = parent_of(abs);
    if (!dir || !dabs)
      set_err(err, errsz, "out of memory");
    else if (!add_dir(w, dir, dabs, false, false, slash ? slash + 1 : path))
      set_err(err, errsz, "%s: %s", given, strerror(errno));
    else
      rc = 0;
    free(dir);
    free(dabs);
  }
  free(path);
  free(abs);
  return rc;
}

int watch_open(watch **out, const char *const *paths, size_t npaths, const watch_options *opt,
               char *err, size_t errsz) {
  *out = NULL;
  watch *w = calloc(1, sizeof *w);
  if (!w) {
    set_err(err, errsz, "out of memory");
    return -1;
  }
  if (opt)
    w->opt = *opt;
  w->opt.ignore = NULL;
  w->opt.nignore = 0;
  if (!w->opt.quiet_ms)
    w->opt.quiet_ms = 75;
  if (!w->opt.max_delay_ms)
    w->opt.max_delay_ms = 1000;
  if (w->opt.max_delay_ms < w->opt.quiet_ms)
    w->opt.max_delay_ms = w->opt.quiet_ms;
  if (!w->opt.max_paths)
    w->opt.max_paths = 4096;
  w->wakefd = -1;
  w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (w->fd < 0) {
    set_err(err, errsz, "inotify: %s", strerror(errno));
    watch_close(w);
    return -1;
  }
  w->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  w->pending = malloc(w->opt.max_paths * sizeof *w->pending);
  w->ignore = calloc(opt ? opt->nignore + 1 : 1, sizeof *w->ignore);
  if (w->wakefd < 0 || !w->pending || !w->ignore) {
    set_err(err, errsz, "%s", strerror(errno ? errno : ENOMEM));
    watch_close(w);
    return -1;
  }
  for (size_t i = 0; opt && i < opt->nignore; i++) {
    if (!(w->ignore[w->nignore] = absolute(opt->ignore[i]))) {
      set_err(err, errsz, "%s: %s", opt->ignore[i], strerror(errno ? errno : ENOMEM));
      watch_close(w);
      return -1;
    }
    w->nignore++;
  }
  for (size_t i = 0; i < npaths; i++) {
    if (add_root(w, paths[i], err, errsz) < 0) {
      watch_close(w);
      return -1;
    }
  }
  *out = w;
  return 0;
}

/* ---- events ---- */

/* Record one event; returns whether it concerns a watched file (and so
 * restarts the quiet period). */
static bool on_event(watch *w, const struct inotify_event *ev) {
  if (ev->mask & IN_Q_OVERFLOW) {
    /* Events were lost: say so, and add the folders created meanwhile. */
    w->overflow = true;
    for (size_t i = 0; i < w->nroots; i++) {
      char *abs = absolute(w->roots[i]);
      if (abs)
        add_tree(w, w->roots[i], abs, true, false, 0);
      free(abs);
    }
    return true;
  }
  wdir *d = find_wd(w, ev->wd, NULL);
  if (!d)
    return false; /* a folder already dropped */
  if (ev->mask & IN_IGNORED) {
    drop_wd(w, ev->wd);
    return false;
  }
  if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
    /* Inner folders are reported by their parent; a root has none. */
    if (d->root) {
      pend(w, strdup(d->path));
      inotify_rm_watch(w->fd, ev->wd);
      return true;
    }
    return false;
  }
  if (ev->len == 0 || skip_name(ev->name))
    return false;
  if (!d->recursive) {
    bool wanted = false;
    for (size_t i = 0; i < d->nnames && !wanted; i++)
      wanted = !strcmp(d->names[i], ev->name);
    if (!wanted)
      return false;
  }
  char *path = join(d->path, ev->name);
  char *abs = join(d->abs, ev->name);
  if (!path || !abs) {
    free(path);
    free(abs);
    w->overflow = true;
    return true;
  }
  if (ignored_abs(w, abs)) {
    free(path);
    free(abs);
    return false;
  }
  if ((ev->mask & IN_ISDIR) && d->recursive) {
    if (ev->mask & IN_MOVED_FROM)
      drop_tree(w, path);
    else if ((ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
             add_tree(w, path, abs, false, true, 0) < 0 && !vanished(errno))
      w->overflow = true; /* e.g. the kernel's limit on watches */
  }
  free(abs);
  pend(w, path);
  return true;
}

/* Read what the kernel has queued; returns whether anything relevant
 * happened, or -1 on an error. */
static int drain(watch *w) {
  /* Aligned as the kernel writes struct inotify_event records. */
  char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
  int relevant = 0;
  for (;;) {
    ssize_t n = read(w->fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN)
        return relevant;
      return -1;
    }
    for (char *p = buf; p < buf + n;) {
      const struct inotify_event *ev = (const struct inotify_event *)p;
      if (on_event(w, ev))
        relevant = 1;
      p += sizeof *ev + ev->len;
    }
  }
}

int watch_wait(watch *w, int timeout_ms, watch_changes *out) {
  out->paths = NULL;
  out->count = 0;
  out->overflow = false;
  long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
  for (;;) {
    long long now = now_ms();
    int wait;
    if (w->npending || w->overflow) {
      long long due = w->last_ms + w->opt.quiet_ms;
      if (due > w->first_ms + w->opt.max_delay_ms)
        due = w->first_ms + w->opt.max_delay_ms;
      if (now >= due) {
        /* Events may have queued while this thread was not running: they
         * belong to this burst, and may extend it. */
        int r = drain(w);
        if (r < 0)
          return -1;
        if (r && now < w->first_ms + w->opt.max_delay_ms) {
          w->last_ms = now_ms();
          continue;
        }
        out->paths = w->npending ? w->pending : NULL;
        out->count = w->npending;
        out->overflow = w->overflow;
        w->pending = malloc(w->opt.max_paths * sizeof *w->pending);
        if (!w->pending) {
          /* Keep the watch usable: hand back nothing rather than lose it. */
          w->pending = out->paths;
          out->paths = NULL;
          out->count = 0;
          errno = ENOMEM;
          return -1;
        }
        if (!out->count) {
          free(out->paths);
          out->paths = NULL;
        }
        w->npending = 0;
        w->overflow = false;
        return 1;
      }
      wait = (int)(due - now);
    } else if (deadline < 0) {
      wait = -1;
    } else if (now >= deadline) {
      return 0;
    } else {
      wait = (int)(deadline - now);
    }
    struct pollfd fds[2] = {{.fd = w->fd, .events = POLLIN}, {.fd = w->wakefd, .events = POLLIN}};
    int rc = poll(fds, 2, wait);
    if (rc < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (fds[1].revents & POLLIN) {
      uint64_t v;
      while (read(w->wakefd, &v, sizeof v) > 0)
        ;
      return 0;
    }
    if (fds[0].revents & POLLIN) {
      bool had = w->npending || w->overflow;
      int r = drain(w);
      if (r < 0)
        return -1;
      if (r && (w->npending || w->overflow)) {
        w->last_ms = now_ms();
        if (!had)
          w->first_ms = w->last_ms;
      }
    }
  }
}

void watch_changes_free(watch_changes *c) {
  for (size_t i = 0; i < c->count; i++)
    free(c->paths[i]);
  free(c->paths);
  c->paths = NULL;
  c->count = 0;
  c->overflow = false;
}

void watch_interrupt(watch *w) {
  uint64_t one = 1;
  /* Nothing to do when it fails: the counter is already non-zero. */
  if (write(w->wakefd, &one, sizeof one) < 0)
    return;
}

void watch_close(watch *w) {
  if (!w)
    return;
  if (w->fd >= 0)
    close(w->fd);
  if (w->wakefd >= 0)
    close(w->wakefd);
  for (size_t i = 0; i < w->ndirs; i++)
    free_wdir(&w->dirs[i]);
  free(w->dirs);
  for (size_t i = 0; i < w->npending; i++)
    free(w->pending[i]);
  free(w->pending);
  for (size_t i = 0; i < w->nignore; i++)
    free(w->ignore[i]);
  free(w->ignore);
  for (size_t i = 0; i < w->nroots; i++)
    free(w->roots[i]);
  free(w->roots);
  free(w);
}
