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
  for (;;) {
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

int write_file(const char *path, const char *data, size_t len) {
  /* Open first and create the folders only when that fails: a site's pages
   * mostly share folders, and a mkdir per level per file added up. */
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0 && errno == ENOENT) {
    if (ensure_parent(path) < 0)
      return -1;
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  }
  if (fd < 0)
    return -1;
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
  if (close(fd) < 0)
    return -1;
  return 0;
}

int copy_file(const char *from, const char *to) {
  char *data;
  size_t len;
  if (read_file(from, &data, &len) < 0)
    return -1;
  int rc = write_file(to, data, len);
  int e = errno;
  free(data);
  errno = e;
  return rc;
}

int remove_tree(const char *path) {
  struct stat st;
  if (lstat(path, &st) < 0)
    return errno == ENOENT ? 0 : -1;
  if (!S_ISDIR(st.st_mode))
    return unlink(path);
  DIR *d = opendir(path);
  if (!d)
    return -1;
  struct dirent *e;
  int rc = 0;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char *child = path_join(path, e->d_name);
    if (remove_tree(child) < 0)
      rc = -1;
    free(child);
  }
  closedir(d);
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
