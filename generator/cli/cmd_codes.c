#include "cmd_codes.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "cli.h"
#include "codes.h"

static const char usage_codes[] =
    "usage: folio codes [--format text|markdown|json]\n"
    "\n"
    "Lists every diagnostic code folio reports, with its usual severity and\n"
    "what it means. Any of them can be silenced with --ignore CODE or, for\n"
    "one article, with folio.ignore: [CODE] in its front matter.\n";

int cmd_codes(int argc, char **argv) {
  const char *format = "text";
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      fputs(usage_codes, stdout);
      return 0;
    }
    if (!strcmp(argv[i], "--format") && i + 1 < argc)
      format = argv[++i];
    else
      return cli_usage_error(argv[i][0] == '-' ? "unknown option (or missing value):"
                                               : "unexpected argument",
                             argv[i], "folio codes --help");
  }
  if (strcmp(format, "text") && strcmp(format, "markdown") && strcmp(format, "json"))
    return cli_usage_error("codes --format takes text, markdown or json, not", format,
                           "folio codes --help");
  size_t n;
  const code_info *all = codes_all(&n);
  buf b = {0};
  json_writer jw;
  json_writer_init(&jw, &b, 2);
  if (!strcmp(format, "markdown"))
    buf_puts(&b, "| code | severity | meaning |\n|---|---|---|\n");
  if (!strcmp(format, "json"))
    json_write_array(&jw, JSON_LAYOUT_BLOCK);
  for (size_t i = 0; i < n; i++) {
    const code_info *c = &all[i];
    if (!strcmp(format, "markdown")) {
      buf_printf(&b, "| `%s` | %s | %s |\n", c->code, c->severity, c->help);
    } else if (!strcmp(format, "json")) {
      json_write_object(&jw, JSON_LAYOUT_LINE);
      json_write_key(&jw, "code");
      json_write_string(&jw, c->code);
      json_write_key(&jw, "severity");
      json_write_string(&jw, c->severity);
      json_write_key(&jw, "help");
      json_write_string(&jw, c->help);
      json_write_end(&jw);
    } else {
      buf_printf(&b, "%-26s %-17s %s\n", c->code, c->severity, c->help);
    }
  }
  if (!strcmp(format, "json")) {
    json_write_end(&jw);
    buf_putc(&b, '\n');
  }
  size_t w = fwrite(b.data, 1, b.len, stdout);
  int rc = w == b.len && fflush(stdout) == 0 ? 0 : 2;
  if (rc)
    fputs("folio: cannot write to standard output\n", stderr);
  buf_free(&b);
  return rc;
}
