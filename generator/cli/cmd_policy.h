/* cmd_policy: `folio policy export|eval|diff|audit`, the command line over
 * the rule set (policy.h). Returns the exit code: 0, 1 (deny, widened, not
 * allowed, content errors) or 2 (usage or unreadable input). */
#ifndef FOLIO_CMD_POLICY_H
#define FOLIO_CMD_POLICY_H

int cmd_policy(int argc, char **argv);

#endif
