#include "cli.h"

#include <stdio.h>

int cli_usage_error(const char *msg, const char *arg, const char *usage) {
  fprintf(stderr, "folio: %s%s%s\n\n%s", msg, arg ? " " : "", arg ? arg : "", usage);
  return 2;
}

