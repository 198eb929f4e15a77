#define _GNU_SOURCE
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

int read_file(const char *path, char **out, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  buf b = {0};
  /* Sized from the file (one read, and no 64 KiB buffer per small file);
   * the loop still reads until EOF, should the file have grown. */
  struct stat st;
  buf_reserve(&b, fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096);
  for (;;) {
    if (b.cap - b.len < 2)
      buf_reserve(&b, 65536);
    ssize_t n = read(fd, b.data + b.len, b.cap - b.len - 1);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      int e = errno;
      close(fd);
      buf_free(&b);
      errno = e;
      return -1;
    }
    if (n == 0)
      break;
    b.len += (size_t)n;
  }
  close(fd);
  buf_reserve(&b, 0);
  b.data[b.len] = '\0';
  *len = b.len;
  *out = buf_detach(&b);
  return 0;
}

int mkdir_p(const char *path) {
  char *p = xstrdup(path);
  for (char *s = p + 1; *s; s++) {
    if (*s != '/')
      continue;
    *s = '\0';
    if (mkdir(p, 0777) < 0 && errno != EEXIST) {
      int e = errno;
      free(p);
      errno = e;
      return -1;
    }
    *s = '/';
  }
  int rc = mkdir(p, 0777);
  int e = errno;
  free(p);
  if (rc < 0 && e != EEXIST) {
    errno = e;
    return -1;
  }
  return 0;
}

static int ensure_parent(const char *path) {
  char *slash = strrchr(path, '/');
  if (!slash || slash == path)
    return 0;
  char *dir = xstrdup(path);
  dir[slash - path] = '\0';
  int rc = mkdir_p(dir);
  int e = errno;
  free(dir);
  errno = e;
  return rc;
}

/* Write data to the open fd and close it; -1 with errno kept on failure. */
static int write_and_close(int fd, const char *data, size_t len) {
  size_t off = 0;
  while (off < len) {
    ssize_t n = write(fd, data + off, len - off);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      int e = errno;
      close(fd);
      errno = e;
      return -1;
    }
    off += (size_t)n;
  }
  return close(fd) < 0 ? -1 : 0;
}

static int open_to_write(const char *path, int flags) {
  /* Open first and create the folders only when that fails: a site's pages
   * mostly share folders, and a mkdir per level per file added up. */
  int fd = open(path, flags, 0666);
  if (fd < 0 && errno == ENOENT) {
    if (ensure_parent(path) < 0)
      return -1;
    fd = open(path, flags, 0666);
  }
  return fd;
}

int write_file(const char *path, const char *data, size_t len) {
  int fd = open_to_write(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC);
  return fd < 0 ? -1 : write_and_close(fd, data, len);
}

int write_file_new(const char *path, const char *data, size_t len) {
  int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
  int fd = open_to_write(path, flags);
  if (fd < 0 && errno == EEXIST && unlink(path) == 0)
    fd = open_to_write(path, flags);
  return fd < 0 ? -1 : write_and_close(fd, data, len);
}

int copy_fd_to_file(int fd, const char *to, bool *read_failed) {
  *read_failed = false;
  int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (out < 0 && errno == ENOENT) {
    if (ensure_parent(to) < 0)
      return -1;
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  }
  if (out < 0)
    return -1;
  /* In the kernel first (copy_file_range: no bytes through user space, and
   * a reflink where the file system shares extents). Where the kernel
   * cannot (another file system before Linux 5.19, no such call, a file
   * system or file that refuses), read and write take over from where it
   * stopped. Never a hard link: the site must not change with the content. */
  for (;;) {
    ssize_t n = copy_file_range(fd, NULL, out, NULL, (size_t)1 << 30, 0);
    if (n > 0)
      continue;
    if (n == 0) {
      int e = errno;
      if (close(out) < 0)
        return -1;
      errno = e;
      return 0;
    }
    if (errno == EINTR)
      continue;
    if (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)
      break;
    int e = errno;
    close(out);
    errno = e;
    return -1;
  }
  /* In pieces: a large media file need not fit in memory. */
  char *chunk = xmalloc(65536);
  int rc = 0;
  for (;;) {
    ssize_t n = read(fd, chunk, 65536);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (n < 0) {
        *read_failed = true;
        rc = -1;
      }
      break;
    }
    for (ssize_t off = 0; off < n;) {
      ssize_t m = write(out, chunk + off, (size_t)(n - off));
      if (m < 0 && errno == EINTR)
        continue;
      if (m < 0) {
        rc = -1;
        break;
      }
      off += m;
    }
    if (rc < 0)
      break;
  }
  int e = errno;
  free(chunk);
  if (close(out) < 0 && rc == 0) {
    e = errno;
    rc = -1;
  }
  errno = e;
  return rc;
}

int copy_file(const char *from, const char *to) {
  int fd = open(from, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  bool read_failed;
  int rc = copy_fd_to_file(fd, to, &read_failed);
  int e = errno;
  close(fd);
  errno = e;
  return rc;
}

char *fd_path(int fd) {
  char link[64], target[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, target, sizeof target - 1);
  if (n < 0)
    return NULL;
  if ((size_t)n >= sizeof target - 1) {
    errno = ENAMETOOLONG;
    return NULL;
  }
  return xstrndup(target, (size_t)n);
}

/* One pass of path_resolve on an absolute path: the longest prefix that
 * exists goes through realpath, the rest is appended and the whole is
 * normalized lexically (the resolved prefix holds no link, so ".." in the
 * rest means its lexical parent). */
static char *resolve_once(const char *abs) {
  char *head = xstrdup(abs);
  size_t n = strlen(head);
  for (;;) {
    char *real = realpath(*head ? head : "/", NULL);
    if (real) {
      const char *rest = abs + n;
      while (*rest == '/')
        rest++;
      char *joined = path_join(real, rest);
      char *norm = path_normalize(joined);
      free(joined);
      free(real);
      free(head);
      return norm ? norm : xstrdup("/"); /* "/.." is "/" */
    }
    if (errno != ENOENT && errno != ENOTDIR) {
      int e = errno;
      free(head);
      errno = e;
      return NULL;
    }
    /* Drop the last component and try again. */
    while (n > 0 && head[n - 1] == '/')
      n--;
    while (n > 0 && head[n - 1] != '/')
      n--;
    head[n] = '\0';
  }
}

char *path_resolve(const char *p) {
  char *abs;
  if (p[0] == '/') {
    abs = xstrdup(p);
  } else {
    char *cwd = getcwd(NULL, 0);
    if (!cwd)
      return NULL;
    abs = path_join(cwd, p);
    free(cwd);
  }
  /* A ".." after a missing folder can climb back to an existing one, which
   * may be a link: the second pass, on a path without "..", resolves it. */
  char *once = resolve_once(abs);
  free(abs);
  if (!once)
    return NULL;
  char *twice = resolve_once(once);
  free(once);
  return twice;
}

/* Empty the folder open as fd (then closed), by names relative to it: one
 * unlink per file, no stat where readdir gives the type, and a link is
 * removed, never followed. */
static int remove_contents(int fd, int depth) {
  DIR *d = fdopendir(fd);
  if (!d) {
    close(fd);
    return -1;
  }
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    bool dir = e->d_type == DT_DIR;
    if (e->d_type == DT_UNKNOWN) {
      struct stat st;
      dir = fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
    }
    if (dir) {
      int sub = depth < 256 ? openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                            : -1;
      if (sub < 0 || remove_contents(sub, depth + 1) < 0)
        rc = -1;
      if (unlinkat(fd, e->d_name, AT_REMOVEDIR) < 0)
        rc = -1;
    } else if (unlinkat(fd, e->d_name, 0) < 0 && errno != ENOENT) {
      rc = -1;
    }
  }
  closedir(d);
  return rc;
}

int remove_tree(const char *path) {
  struct stat st;
  if (lstat(path, &st) < 0)
    return errno == ENOENT ? 0 : -1;
  if (!S_ISDIR(st.st_mode))
    return unlink(path);
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return -1;
  int rc = remove_contents(fd, 0);
  if (rmdir(path) < 0)
    rc = -1;
  return rc;
}

bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char **dir_names(DIR *d, bool (*keep)(const char *name, void *ctx), void *ctx, size_t *n) {
  char **names = NULL;
  size_t cap = 0;
  *n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || (keep && !keep(e->d_name, ctx)))
      continue;
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      names = xrealloc(names, cap * sizeof *names);
    }
    names[(*n)++] = xstrdup(e->d_name);
  }
  if (*n)
    qsort(names, *n, sizeof *names, str_cmp_ptrs);
  return names;
}

void dir_names_free(char **names, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}
