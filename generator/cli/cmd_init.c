/* `folio init DIR`: the command line over init_project (init.c). */
#include "cmd_init.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "init.h"
#include "report.h"
#include "util.h"

#ifndef FOLIO_DATADIR
#define FOLIO_DATADIR "/usr/local/share/folio"
#endif
#ifndef FOLIO_SOURCE_DIR
#define FOLIO_SOURCE_DIR "."
#endif

static const char usage_init[] =
    "usage: folio init DIR\n"
    "\n"
    "Creates DIR with folio.yml, the default templates, an en-us locale file and\n"
    "one article; `folio build -C DIR` then writes DIR/site.\n";

static const char *datadir(void) {
  const char *env = getenv("FOLIO_DATADIR");
  if (env && *env)
    return env;
  char *t = path_join(FOLIO_DATADIR, "templates");
  bool installed = is_dir(t);
  free(t);
  return installed ? FOLIO_DATADIR : FOLIO_SOURCE_DIR;
}

int cmd_init(int argc, char **argv) {
  if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
    fputs(usage_init, stdout);
    return 0;
  }
  if (argc != 2 || argv[1][0] == '-')
    return cli_usage_error("init takes exactly one folder", NULL, "folio init --help");
  diag_list diags = {0};
  int rc = init_project(argv[1], datadir(), &diags);
  report_print(stderr, &diags, REPORT_TEXT, false);
  diag_list_free(&diags);
  if (rc == 0)
    fprintf(stderr,
            "folio: created %s; now run: folio build -C %s\n"
            "Complete locale files for other languages (de-de, ar-sa, ...) are in %s/locales:\n"
            "copy one into %s/locales and add its id to locales: in folio.yml.\n",
            argv[1], argv[1], datadir(), argv[1]);
  return rc == 0 ? 0 : 2;
}

