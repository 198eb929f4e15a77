/* cli: what every command's option parsing shares. */
#ifndef FOLIO_CLI_H
#define FOLIO_CLI_H

/* Print "folio: msg arg" and the usage text to stderr; returns 2. */
int cli_usage_error(const char *msg, const char *arg, const char *usage);

#endif
