/* folio's command line: pick the command and hand it the arguments. Each
 * command parses its own options, runs the pipeline and returns the exit
 * code (0 clean, 1 content errors, 2 usage or I/O errors). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_build.h"
#include "cmd_codes.h"
#include "cmd_init.h"
#include "cmd_policy.h"
#include "cmd_serve.h"
#include "cmd_status.h"
#include "version.h"

static const char usage_main[] =
    "usage: folio <command> [options]\n"
    "\n"
    "Commands:\n"
    "  build    generate the multilingual site (and check every link)\n"
    "  check    everything build does except writing the site; for CI\n"
    "  init DIR create a new project in DIR that builds at once\n"
    "  policy   the permission rules: export, eval, diff, audit, glossary (policy --help)\n"
    "  serve    preview the site on this machine, rebuilt and reloaded as you edit\n"
    "  status   which translations are current, stale or missing (text or JSON)\n"
    "  codes    every diagnostic code, its severity and what it means\n"
    "\n"
    "  folio --help, folio --version, folio <command> --help\n";

static const char *const commands[] = {"build", "check", "codes", "init", "policy", "serve", "status"};

int main(int argc, char **argv) {
  if (argc < 2)
    return cli_usage_error("no command given", NULL, "folio --help");
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(usage_main, stdout);
    return 0;
  }
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
    printf("folio %s\n", FOLIO_VERSION);
    return 0;
  }
  if (!strcmp(cmd, "build"))
    return cmd_build(argc - 1, argv + 1, true);
  if (!strcmp(cmd, "check"))
    return cmd_build(argc - 1, argv + 1, false);
  if (!strcmp(cmd, "status"))
    return cmd_status(argc - 1, argv + 1);
  if (!strcmp(cmd, "policy"))
    return cmd_policy(argc - 1, argv + 1);
  if (!strcmp(cmd, "serve"))
    return cmd_serve(argc - 1, argv + 1);
  if (!strcmp(cmd, "init"))
    return cmd_init(argc - 1, argv + 1);
  if (!strcmp(cmd, "codes"))
    return cmd_codes(argc - 1, argv + 1);
  const char *near = cli_nearest(cmd, commands, sizeof commands / sizeof *commands);
  return cli_usage_suggest("unknown command", cmd, near, "folio --help");
}
