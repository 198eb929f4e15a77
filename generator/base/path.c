#include "path.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"

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

bool path_is_within(const char *path, const char *dir) {
  size_t n = strlen(dir);
  if (n == 1 && dir[0] == '/')
    return path[0] == '/';
  return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

char *path_relative_in(arena *a, const char *from_file, const char *to_dir, const char *to_file,
                       const char *suffix) {
  /* The target is to_dir + "/" + to_file when to_dir is not "": compare
   * from_file with it piece by piece, as path_relative does. */
  size_t ld = strlen(to_dir), lf = strlen(to_file), ls = strlen(suffix);
  size_t lt = ld ? ld + 1 + lf : lf;
  size_t common = 0;
  for (size_t i = 0; i < lt && from_file[i]; i++) {
    char t = !ld || i > ld ? to_file[ld ? i - ld - 1 : i] : i == ld ? '/' : to_dir[i];
    if (from_file[i] != t)
      break;
    if (t == '/')
      common = i + 1;
  }
  size_t up = 0;
  for (const char *s = from_file + common; *s; s++)
    up += *s == '/';
  char *out = arena_alloc(a, 3 * up + (lt - common) + ls + 1);
  char *o = out;
  for (size_t i = 0; i < up; i++, o += 3)
    memcpy(o, "../", 3);
  if (ld && common <= ld) {
    memcpy(o, to_dir + common, ld - common);
    o += ld - common;
    *o++ = '/';
    memcpy(o, to_file, lf);
    o += lf;
  } else {
    size_t skip = ld ? common - ld - 1 : common;
    memcpy(o, to_file + skip, lf - skip);
    o += lf - skip;
  }
  memcpy(o, suffix, ls);
  o[ls] = '\0';
  return out;
}
