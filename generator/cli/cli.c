#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "strutil.h"

int cli_usage_error(const char *msg, const char *arg, const char *see) {
  fprintf(stderr, "folio: %s%s%s (see '%s')\n", msg, arg ? " " : "", arg ? arg : "", see);
  return 2;
}

int cli_usage_suggest(const char *msg, const char *word, const char *near, const char *see) {
  if (near)
    fprintf(stderr, "folio: %s '%s'; did you mean '%s'? (see '%s')\n", msg, word, near, see);
  else
    fprintf(stderr, "folio: %s '%s' (see '%s')\n", msg, word, see);
  return 2;
}

const char *cli_nearest(const char *word, const char *const *choices, size_t n) {
  const char *best = NULL;
  size_t bestd = strlen(word) / 2 + 2;
  for (size_t i = 0; i < n; i++) {
    size_t d = str_distance_within(word, choices[i], true, bestd - 1);
    if (d < bestd) {
      bestd = d;
      best = choices[i];
    }
  }
  return best;
}

cli_counted cli_count(size_t n, const char *one, const char *many) {
  cli_counted c;
  snprintf(c.s, sizeof c.s, "%zu %s", n, n == 1 ? one : many);
  return c;
}
