/* cmd_init: `folio init DIR`. Returns the exit code (0, or 2). */
#ifndef FOLIO_CMD_INIT_H
#define FOLIO_CMD_INIT_H

int cmd_init(int argc, char **argv);

#endif
