/* cmd_serve: `folio serve`, the preview server. Builds the project into a
 * private folder, serves it on loopback with live reload and rebuilds when a
 * source changes, until Ctrl-C. Returns the exit code: 0 stopped cleanly, 1
 * the first build could not produce a site, 2 usage or I/O errors (such as a
 * port already taken). */
#ifndef FOLIO_CMD_SERVE_H
#define FOLIO_CMD_SERVE_H

int cmd_serve(int argc, char **argv);

#endif
