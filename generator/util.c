#define _GNU_SOURCE
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

static void oom(void) {
  fputs("folio: out of memory\n", stderr);
  abort();
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    oom();
  return p;
}

void *xcalloc(size_t n, size_t m) {
  void *p = calloc(n ? n : 1, m ? m : 1);
  if (!p)
    oom();
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q)
    oom();
  return q;
}

char *xstrdup(const char *s) {
  size_t n = strlen(s);
  char *p = xmalloc(n + 1);
  memcpy(p, s, n + 1);
  return p;
}

char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

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

char *path_join(const char *a, const char *b) {
  if (!a || !*a || !strcmp(a, "."))
    return xstrdup(b);
  if (!*b)
    return xstrdup(a);
  size_t la = strlen(a), lb = strlen(b);
  while (la > 0 && a[la - 1] == '/')
    la--;
  char *p = xmalloc(la + lb + 2);
  memcpy(p, a, la);
  p[la] = '/';
  memcpy(p + la + 1, b, lb + 1);
  return p;
}

char *path_normalize(const char *p) {
  size_t n = strlen(p);
  char *out = xmalloc(n + 1);
  size_t len = 0;
  const char *s = p;
  bool absolute = *s == '/';
  if (absolute)
    out[len++] = '/';
  while (*s) {
    while (*s == '/')
      s++;
    const char *e = s;
    while (*e && *e != '/')
      e++;
    size_t seg = (size_t)(e - s);
    if (seg == 0)
      break;
    if (seg == 1 && s[0] == '.') {
      /* skip */
    } else if (seg == 2 && s[0] == '.' && s[1] == '.') {
      size_t base = absolute ? 1 : 0;
      if (len <= base) {
        free(out);
        return NULL;
      }
      while (len > base && out[len - 1] != '/')
        len--;
      if (len > base)
        len--; /* drop the slash */
    } else {
      if (len > 0 && out[len - 1] != '/')
        out[len++] = '/';
      memcpy(out + len, s, seg);
      len += seg;
    }
    s = e;
  }
  out[len] = '\0';
  return out;
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

bool path_is_within(const char *path, const char *dir) {
  size_t n = strlen(dir);
  if (n == 1 && dir[0] == '/')
    return path[0] == '/';
  return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

char *path_dirname(const char *p) {
  const char *slash = strrchr(p, '/');
  if (!slash)
    return xstrdup("");
  size_t n = (size_t)(slash - p);
  char *d = xmalloc(n + 1);
  memcpy(d, p, n);
  d[n] = '\0';
  return d;
}

char *path_root_prefix(const char *rel) {
  buf b = {0};
  buf_reserve(&b, 0);
  for (const char *s = rel; *s; s++)
    if (*s == '/')
      buf_puts(&b, "../");
  return buf_detach(&b);
}

size_t str_distance(const char *a, const char *b, bool ignore_case) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 256 || lb > 256)
    return (size_t)-1;
  size_t row[257]; /* one row of the table, reused */
  for (size_t j = 0; j <= lb; j++)
    row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t corner = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      unsigned char x = (unsigned char)a[i - 1], y = (unsigned char)b[j - 1];
      if (ignore_case) {
        x = (unsigned char)tolower(x);
        y = (unsigned char)tolower(y);
      }
      size_t best = corner + (x != y);
      if (row[j] + 1 < best)
        best = row[j] + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      corner = row[j];
      row[j] = best;
    }
  }
  return row[lb];
}

bool str_ends_with(const char *s, const char *suffix) {
  size_t ls = strlen(s), lx = strlen(suffix);
  return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

bool str_starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80)
    return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0)
      lo = 0xA0; /* overlong */
    else if (c == 0xED)
      hi = 0x9F; /* surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0)
      lo = 0x90; /* overlong */
    else if (c == 0xF4)
      hi = 0x8F; /* above U+10FFFF */
  } else {
    return 0;
  }
  if (n < len || s[1] < lo || s[1] > hi)
    return 0;
  for (size_t i = 2; i < len; i++)
    if ((s[i] & 0xC0) != 0x80)
      return 0;
  return len;
}

bool utf8_valid(const char *s, size_t len, size_t *bad, size_t *nbad) {
  const unsigned char *u = (const unsigned char *)s;
  size_t n = 0;
  for (size_t i = 0; i < len;) {
    size_t k = utf8_seq(u + i, len - i);
    if (k) {
      i += k;
      continue;
    }
    if (!n++)
      *bad = i;
    i++;
  }
  *nbad = n;
  return n == 0;
}

char *utf8_repair(const char *s, size_t len, size_t *out_len) {
  const unsigned char *u = (const unsigned char *)s;
  buf b = {0};
  buf_reserve(&b, len + 1);
  for (size_t i = 0; i < len;) {
    size_t k = utf8_seq(u + i, len - i);
    if (k) {
      buf_put(&b, s + i, k);
      i += k;
    } else {
      buf_puts(&b, "\xEF\xBF\xBD");
      i++;
    }
  }
  buf_reserve(&b, 1);
  b.data[b.len] = '\0';
  *out_len = b.len;
  return buf_detach(&b);
}

char *path_relative(const char *from_file, const char *to_file) {
  /* Skip the folders both paths share. */
  size_t common = 0;
  for (size_t i = 0; from_file[i] && from_file[i] == to_file[i]; i++)
    if (from_file[i] == '/')
      common = i + 1;
  buf b = {0};
  buf_reserve(&b, 0);
  for (const char *s = from_file + common; *s; s++)
    if (*s == '/')
      buf_puts(&b, "../");
  buf_puts(&b, to_file + common);
  return buf_detach(&b);
}

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

bool percent_decode(char *s) {
  char *out = s;
  for (; *s; s++) {
    if (*s == '%') {
      int h = hexval(s[1]), l = h >= 0 ? hexval(s[2]) : -1;
      if (h < 0 || l < 0)
        return false;
      *out++ = (char)(h * 16 + l);
      s += 2;
    } else {
      *out++ = *s;
    }
  }
  *out = '\0';
  return true;
}
