/* cmd_build: `folio build` (write_site) and `folio check`. Returns the exit
 * code: 0 clean, 1 content errors (or too many warnings), 2 usage or I/O. */
#ifndef FOLIO_CMD_BUILD_H
#define FOLIO_CMD_BUILD_H

#include <stdbool.h>

int cmd_build(int argc, char **argv, bool write_site);

#endif
