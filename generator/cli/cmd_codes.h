/* cmd_codes: `folio codes`, every diagnostic code with its severity and
 * what it means (text, markdown for the README, or json). */
#ifndef FOLIO_CMD_CODES_H
#define FOLIO_CMD_CODES_H

int cmd_codes(int argc, char **argv);

#endif
