#include "strutil.h"

#include <ctype.h>
#include <string.h>

size_t str_distance(const char *a, const char *b, bool ignore_case) {
  if (strlen(a) > 256 || strlen(b) > 256)
    return (size_t)-1;
  /* No bound: the full distance (it is at most 256). */
  return str_distance_within(a, b, ignore_case, (size_t)-2);
}

bool str_ends_with(const char *s, const char *suffix) {
  size_t ls = strlen(s), lx = strlen(suffix);
  return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

bool str_starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

size_t str_distance_within(const char *a, const char *b, bool ignore_case, size_t max) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 256 || lb > 256)
    return max + 1;
  if ((la > lb ? la - lb : lb - la) > max)
    return max + 1; /* the lengths alone differ by more */
  size_t row[257];
  for (size_t j = 0; j <= lb; j++)
    row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t corner = row[0], least = i;
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
      if (best < least)
        least = best;
    }
    if (least > max)
      return max + 1; /* no cell of this row is within reach: stop early */
  }
  return row[lb] <= max ? row[lb] : max + 1;
}

int str_cmp_ptrs(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void str_position(const char *text, size_t len, size_t off, int *line, int *col) {
  if (off > len)
    off = len;
  int l = 1;
  size_t start = 0;
  const char *nl;
  while ((nl = memchr(text + start, '\n', off - start))) {
    l++;
    start = (size_t)(nl - text) + 1;
  }
  *line = l;
  *col = (int)(off - start) + 1;
}
