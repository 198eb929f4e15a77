/* inject_errors: an LD_PRELOAD shim that makes folio's file I/O fail, in
 * the manner of jq's src/inject_errors.c, so that the error paths can be
 * tested (as root too, where permissions stop nothing). Each variable names
 * a substring of the paths it acts on:
 *
 *   FOLIO_INJECT_OPEN=pat    open() of a matching path fails with
 *                            FOLIO_INJECT_ERRNO (a name: EACCES, EIO, ...)
 *   FOLIO_INJECT_WRITE=pat   write(), pwrite() or copy_file_range() to a
 *                            file opened on a matching path fails with
 *                            ENOSPC (a full disk)
 *   FOLIO_INJECT_READ=pat    pread() of a file opened on a matching path
 *                            fails with EIO (a failing disk, a file cut
 *                            short under the reader)
 *   FOLIO_INJECT_VANISH=pat  a matching file is deleted just before it is
 *                            opened (gone between discovery and use)
 *   FOLIO_INJECT_SWAP=pat=target  a matching file is replaced by a symbolic
 *                            link to target just before it is opened
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_FD 65536
static atomic_uchar write_fails[MAX_FD];
static atomic_uchar read_fails[MAX_FD];

static bool matches(const char *var, const char *path) {
  const char *pat = getenv(var);
  return pat && *pat && path && strstr(path, pat);
}

static int errno_named(const char *name) {
  static const struct {
    const char *name;
    int value;
  } names[] = {{"EACCES", EACCES}, {"EIO", EIO},       {"ENOENT", ENOENT},
               {"ENOSPC", ENOSPC}, {"EMFILE", EMFILE}, {"EROFS", EROFS}};
  for (size_t i = 0; name && i < sizeof names / sizeof *names; i++)
    if (!strcmp(name, names[i].name))
      return names[i].value;
  return EIO;
}

/* What happens before a path is opened: the injected failure, or the file
 * vanishing or turning into a link. Returns -1 (errno set) to fail. */
static int before_open(const char *path) {
  if (matches("FOLIO_INJECT_OPEN", path)) {
    errno = errno_named(getenv("FOLIO_INJECT_ERRNO"));
    return -1;
  }
  if (matches("FOLIO_INJECT_VANISH", path))
    unlink(path);
  const char *swap = getenv("FOLIO_INJECT_SWAP");
  const char *eq = swap ? strchr(swap, '=') : NULL;
  if (eq && eq > swap) {
    char pat[4096];
    size_t n = (size_t)(eq - swap) < sizeof pat - 1 ? (size_t)(eq - swap) : sizeof pat - 1;
    memcpy(pat, swap, n);
    pat[n] = '\0';
    if (strstr(path, pat)) {
      unlink(path);
      if (symlink(eq + 1, path) < 0)
        return -1;
    }
  }
  return 0;
}

static int after_open(const char *path, int fd) {
  if (fd >= 0 && fd < MAX_FD) {
    atomic_store(&write_fails[fd], matches("FOLIO_INJECT_WRITE", path));
    atomic_store(&read_fails[fd], matches("FOLIO_INJECT_READ", path));
  }
  return fd;
}

#define REAL(name, type)                                                                       \
  static type real_##name;                                                                     \
  if (!real_##name)                                                                            \
  real_##name = (type)dlsym(RTLD_NEXT, #name)

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);

static mode_t mode_of(int flags, va_list ap) {
  return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...) {
  REAL(open, open_fn);
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_of(flags, ap);
  va_end(ap);
  if (before_open(path) < 0)
    return -1;
  return after_open(path, real_open(path, flags, mode));
}

int open64(const char *path, int flags, ...) {
  REAL(open64, open_fn);
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_of(flags, ap);
  va_end(ap);
  if (before_open(path) < 0)
    return -1;
  return after_open(path, real_open64(path, flags, mode));
}

int openat(int dir, const char *path, int flags, ...) {
  REAL(openat, openat_fn);
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_of(flags, ap);
  va_end(ap);
  if (before_open(path) < 0)
    return -1;
  return after_open(path, real_openat(dir, path, flags, mode));
}

int openat64(int dir, const char *path, int flags, ...) {
  REAL(openat64, openat_fn);
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_of(flags, ap);
  va_end(ap);
  if (before_open(path) < 0)
    return -1;
  return after_open(path, real_openat64(dir, path, flags, mode));
}

ssize_t write(int fd, const void *data, size_t n) {
  typedef ssize_t (*write_fn)(int, const void *, size_t);
  REAL(write, write_fn);
  if (fd >= 0 && fd < MAX_FD && atomic_load(&write_fails[fd])) {
    errno = ENOSPC;
    return -1;
  }
  return real_write(fd, data, n);
}

ssize_t copy_file_range(int in, off_t *in_off, int out, off_t *out_off, size_t n,
                        unsigned flags) {
  typedef ssize_t (*cfr_fn)(int, off_t *, int, off_t *, size_t, unsigned);
  REAL(copy_file_range, cfr_fn);
  if (out >= 0 && out < MAX_FD && atomic_load(&write_fails[out])) {
    errno = ENOSPC;
    return -1;
  }
  return real_copy_file_range(in, in_off, out, out_off, n, flags);
}

typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef ssize_t (*pread_fn)(int, void *, size_t, off_t);

static bool fails(atomic_uchar *set, int fd) { return fd >= 0 && fd < MAX_FD && atomic_load(&set[fd]); }

ssize_t pwrite(int fd, const void *data, size_t n, off_t at) {
  REAL(pwrite, pwrite_fn);
  if (fails(write_fails, fd)) {
    errno = ENOSPC;
    return -1;
  }
  return real_pwrite(fd, data, n, at);
}

ssize_t pwrite64(int fd, const void *data, size_t n, off_t at) {
  REAL(pwrite64, pwrite_fn);
  if (fails(write_fails, fd)) {
    errno = ENOSPC;
    return -1;
  }
  return real_pwrite64(fd, data, n, at);
}

ssize_t pread(int fd, void *data, size_t n, off_t at) {
  REAL(pread, pread_fn);
  if (fails(read_fails, fd)) {
    errno = EIO;
    return -1;
  }
  return real_pread(fd, data, n, at);
}

ssize_t pread64(int fd, void *data, size_t n, off_t at) {
  REAL(pread64, pread_fn);
  if (fails(read_fails, fd)) {
    errno = EIO;
    return -1;
  }
  return real_pread64(fd, data, n, at);
}

int close(int fd) {
  typedef int (*close_fn)(int);
  REAL(close, close_fn);
  if (fd >= 0 && fd < MAX_FD) {
    atomic_store(&write_fails[fd], 0);
    atomic_store(&read_fails[fd], 0);
  }
  return real_close(fd);
}
