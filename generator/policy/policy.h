/* policy: the permission rules that articles state, as data. Three parts:
 *   - the catalogue: each locale's role glossary (names -> canonical ids) and
 *     its header patterns (PCRE2, from locales/<id>.yml), loaded once per build;
 *   - per-article statements (pass_roles.c, pass_policy.c fill them in);
 *   - the merged rule set: one rule per id across locales, checked for drift
 *     between translations, written as rules.json and exported.
 * Everything handed out lives in the arena given to the function that made it
 * (the build arena for a build); policy_catalog_free releases the compiled
 * patterns, which PCRE2 allocates itself. */
#ifndef FOLIO_POLICY_H
#define FOLIO_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "l10n.h"

#include "config.h"
#include "model.h"
struct article;

#define POLICY_SCHEMA_VERSION 1

typedef struct {
  const char **items;
  size_t count, cap;
} strlist;

typedef enum {
  RULE_ACTION,   /* from a :::policy block: who may do one action */
  RULE_TASK,     /* "Appropriate roles": who the article's task is for */
  RULE_AUDIENCE, /* "Audience": not a permission, carried along */
} rule_kind;

typedef struct {
  const char *id;             /* "<resource>:<action>", the same in every locale */
  rule_kind kind;
  const char *resource;       /* policy id, or "article/<path without .md>" */
  const char *action;         /* "enable"; "perform" for tasks; "audience" */
  strlist allow;              /* role ids (audience ids for RULE_AUDIENCE), sorted */
  strlist read_only;          /* the block's read-only roles (rules.json: on read only) */
  const char *deflt;          /* "on", "off" or NULL */
  strlist requires, channels; /* as written, sorted */
  const char *audit;          /* activity-log event of the action, or NULL */
  const char *derived;        /* "read-only" for the read rule a policy implies */
  /* Source: where the rule is stated (the source locale when it states it). */
  const char *article;        /* "customer-purchase-permissions.md" */
  const char *anchor;         /* nearest heading id before the statement, or "" */
  const char *locale;         /* locale of file and line */
  const char *file;           /* "content/en-us/customer-purchase-permissions.md" */
  int line;
  strlist locales;            /* the locales that state the same rule, sorted */
  strlist written;            /* RULE_TASK/AUDIENCE: the names as written (drift) */
  /* Names the locale's glossary does not know, as written, and the ids they
   * are kept under (policy_name_slug), index by index; the ids are in allow. */
  strlist unknown_names, unknown_ids;
  /* RULE_TASK/AUDIENCE: 0 for a header before the article's first heading
   * below H1; else how many such headings precede it (policy_merge scopes
   * the id to the section's anchor: "article/<path>#<anchor>:perform"). */
  int section;
} policy_rule;

typedef struct {
  const char *id;    /* "admin-agent" */
  bool audience;     /* listed under audiences: rather than roles: */
  const char **names; /* one per locale of the set (NULL when not named there) */
  bool unknown;      /* not in any glossary: kept under the slug of its name */
} policy_role;

/* A rule set: what rules.json holds. */
typedef struct policy_set {
  const char *generator;     /* "folio 0.1.0" */
  const char *source_locale;
  const char **locales;
  size_t nlocales;
  policy_role *roles;        /* sorted by id */
  size_t nroles;
  policy_rule *rules;        /* sorted by id */
  size_t nrules;
} policy_set;

/* The rules one article states, in its arena (article.policy). */
typedef struct policy_article {
  policy_rule *rules;
  size_t count, cap;
} policy_article;

/* An article's rules (pa may be NULL) as bytes for the build cache
 * (policy_serial.c), and back into a: 0 with *out set (NULL when none) and
 * *used the bytes read, or -1 when the bytes are not a whole record. */
void policy_article_write(const policy_article *pa, buf *out);
int policy_article_read(arena *a, const void *data, size_t len, size_t *used,
                        policy_article **out);

/* ---- catalogue ---- */

typedef struct policy_catalog policy_catalog;

/* Read roles:, audiences: and patterns: of every locale; errors (a pattern
 * that does not compile, an id used for two kinds) go to diags. Never NULL. */
policy_catalog *policy_catalog_load(arena *a, const locale_info *locales, size_t nlocales,
                                    diag_list *diags);
void policy_catalog_free(policy_catalog *c);
/* True when some locale has a glossary (then unknown role ids are reported). */
bool policy_catalog_has_roles(const policy_catalog *c);
/* The canonical id of a name as written in locale (case and spacing folded),
 * or NULL. audience selects the audiences: glossary. */
const char *policy_catalog_lookup(const policy_catalog *c, int locale, const char *name,
                                  bool audience);
/* The known name (in locale) or id closest to s, for "did you mean"; NULL if
 * none is close. */
const char *policy_catalog_nearest_name(const policy_catalog *c, int locale, const char *s,
                                        bool audience);
const char *policy_catalog_nearest_id(const policy_catalog *c, const char *id);
bool policy_catalog_knows_id(const policy_catalog *c, const char *id);
/* The display name of a role id in locale, or NULL. */
const char *policy_catalog_name(const policy_catalog *c, int locale, const char *id);

/* The id an unknown role name is kept under: its glossary key (case folded,
 * NFC) with marks stripped, ASCII letters and digits kept, every other run
 * one '-' ("Billing reader" -> "billing-reader", "Prüfer" -> "prufer");
 * a letter outside ASCII after that is written "u<hex>" ("Ревизор" ->
 * "u440u435u432u438u437u43eu440"). "" for a name without a letter or
 * digit, which is no name. */
const char *policy_name_slug(arena *a, const char *name);

/* A header pattern that matched: kind is "roles" or "audience". */
typedef struct {
  const char *kind;
  const char *names; /* the names group: inline names, or "" (a list follows) */
} policy_header;

/* False when no header pattern of locale can match a text whose first byte
 * is b (each is anchored with a fixed first code unit, as the shipped ones
 * are: "^\*\*"): policy_match_header would return 0 with no warning, so the
 * caller may skip making the text. True when one might match. */
bool policy_header_may_start(const policy_catalog *c, int locale, unsigned char b);
/* Match the header patterns of locale against one paragraph's Markdown text.
 * Returns 1 on a match (out filled, in a), 0 on none, -1 when PCRE2 hit its
 * match, depth or heap limit (a warning is added to diags at file:line). */
int policy_match_header(const policy_catalog *c, int locale, arena *a, const char *text,
                        const char *file, int line, policy_header *out, diag_list *diags);
/* Split inline names with the locale's separator pattern; names are trimmed
 * and stripped of Markdown emphasis and link syntax. When the text holds a
 * '|', only separator matches that hold one split ("Admin agent | Sales,
 * EMEA" is two names). */
void policy_split_names(const policy_catalog *c, int locale, arena *a, const char *text,
                        strlist *out);

/* ---- rules ---- */

/* The patterns of schemas/rules.schema.json: an id ("admin-agent",
 * "article/a/b"), a locale ("de-de"), a rule id ("resource:action"). */
bool policy_valid_id(const char *s);
bool policy_valid_locale(const char *s);
bool policy_valid_rule_id(const char *s);
/* A resource: an id, optionally followed by "#" and a section anchor of
 * letters, digits, '.', '_' and '-' ("article/orders#refunds"). */
bool policy_valid_resource(const char *s);
void strlist_add(arena *a, strlist *l, const char *s);
bool strlist_has(const strlist *l, const char *s);
void strlist_sort(strlist *l);

/* The policy stage: gather every article's statements into one set (in the
 * build arena), fill in anchors, and report policy-drift between the source
 * locale and each translation, and rule ids stated by two articles. */
policy_set *policy_merge(arena *a, const struct policy_catalog *c, const site_config *cfg,
                         const content_set *cs, diag_list *diags);

/* folio policy glossary: align the names of each source article's role
 * and audience headers with those of its translation into locale, position
 * by position (the n-th header with the n-th, lists of equal length only),
 * and write YAML for locales/<locale>.yml: each source id with the names the
 * translations use for it, each with its count as a comment; a name found
 * for two ids is flagged as a conflict. */
void policy_glossary(const policy_catalog *c, const site_config *cfg, const content_set *cs,
                     int locale, buf *out);

/* rules.json, with a final newline; the same bytes for the same set.
 * False when some text was not UTF-8 (written as U+FFFD). */
bool policy_write_json(const policy_set *s, buf *out);
/* Read a rules.json: strict JSON (no duplicate keys), and everything the
 * schema says checked, so that every id fits its pattern and every field
 * the writers use is there. Returns NULL after adding an error to diags
 * (at line:col for the JSON, at the JSON path of a value otherwise). */
policy_set *policy_read_json(arena *a, const char *path, diag_list *diags);
/* The same for text already in memory; path only names it in messages. */
policy_set *policy_read_json_text(arena *a, const char *path, const char *text, size_t len,
                                  diag_list *diags);

/* ---- activity logs (folio policy audit) ---- */

#define POLICY_AUDIT_MAX_LINE 65536 /* bytes; a longer line is an error */
#define POLICY_AUDIT_MAX_DEPTH 64

typedef struct {
  strlist roles;      /* "role", then the items of "roles", as written */
  const char *action; /* "action", else "event", else "operation" */
} policy_audit_entry;

/* One line of a JSON Lines activity log (without its newline), read as
 * strictly as rules.json. Returns 1 with out filled in (in a), 0 for a
 * blank line, -1 when the line is no entry: *why says why (in a) and *col
 * where, when the JSON itself is wrong (else 0). */
int policy_audit_line(arena *a, const char *line, size_t len, policy_audit_entry *out,
                      const char **why, int *col);

/* ---- exports (policy_export.c) ---- */

/* Each writer quotes and escapes by its format's rules; one that meets a
 * value its format cannot carry (text that is not UTF-8; in a Casbin line,
 * a line break or a parenthesis) returns false with *bad the value. */
bool policy_export_csv(const policy_set *s, buf *out, const char **bad);
void policy_export_casbin_model(buf *out);
bool policy_export_casbin_policy(const policy_set *s, buf *out, const char **bad);
bool policy_export_cedar_policies(const policy_set *s, buf *out, const char **bad);
bool policy_export_cedar_schema(const policy_set *s, buf *out, const char **bad);

/* ---- decisions ---- */

typedef enum { POLICY_ALLOW, POLICY_DENY, POLICY_NO_RULE } policy_decision;

/* May role do action? action is a rule id ("customer-purchase.reservations:
 * enable"), an audit event name, or an action name that only one rule has.
 * role is an id or a name from the catalogue. *rule is the deciding rule (the
 * first that allows, else the first that matched), NULL for POLICY_NO_RULE. */
policy_decision policy_eval(const policy_set *s, const char *role, const char *action,
                            const policy_rule **rule);
/* One question, as `folio policy eval` and `audit` both ask it: may a user
 * holding roles (ids or names from the catalogue; any of them is enough) do
 * action? error is set (in a, text from the question escaped for a
 * terminal) when the question names a role rules.json does not know, an
 * action no rule names, an action name several rules have, or an audience
 * rule: "unknown role 'x'; did you mean 'y'?", "no rule names the action
 * 'x'; did you mean one of 'a', 'b'?", "the action 'x' is ambiguous: 2
 * rules name it; did you mean one of 'a', 'b'?". A hint is never the
 * question itself. Otherwise rule is the deciding rule and role the role
 * that allowed (the first role on a deny). */
typedef struct {
  policy_decision decision;
  const policy_rule *rule;
  const char *role;
  const char *error;
} policy_answer;
policy_answer policy_ask(const policy_set *s, arena *a, const char *const *roles, size_t nroles,
                         const char *action);
/* The rules an action names (up to max in out); returns how many. *bare is
 * set when action was a plain action name, which may be ambiguous. */
size_t policy_match_action(const policy_set *s, const char *action, const policy_rule **out,
                           size_t max, bool *bare);
/* The role id for an id or a localized name, or NULL. */
const char *policy_role_id(const policy_set *s, const char *role);
const policy_rule *policy_find(const policy_set *s, const char *id);

/* The JSON Schema of rules.json (schemas/rules.schema.json, built in). */
extern const char policy_schema_json[];
extern const size_t policy_schema_json_len;


#endif
