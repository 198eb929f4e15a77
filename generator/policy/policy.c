/* The policy model: the catalogue each locale file brings (role glossary and
 * header patterns), the merge of every article's statements into one rule
 * set with the cross-locale drift check, rules.json out and back in, and the
 * decision that `folio policy eval` and `audit` make. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "policy.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "model.h"
#include "util.h"
#include "version.h"
#include "yamldoc.h"

/* PCRE2 limits: header lines are short, so these only stop a pathological
 * pattern (catastrophic backtracking) from stalling the build. */
#define MATCH_LIMIT 100000u
#define DEPTH_LIMIT 1000u
#define HEAP_LIMIT_KIB 1024u

/* ---- small helpers ---- */

void strlist_add(arena *a, strlist *l, const char *s) {
  ARENA_PUSH(a, l->items, l->count, l->cap, s);
}

bool strlist_has(const strlist *l, const char *s) {
  for (size_t i = 0; i < l->count; i++)
    if (!strcmp(l->items[i], s))
      return true;
  return false;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void strlist_sort(strlist *l) {
  if (l->count > 1)
    qsort(l->items, l->count, sizeof *l->items, cmp_str);
}

bool policy_valid_id(const char *s) {
  if (!s || !isalnum((unsigned char)*s))
    return false;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && !strchr("._-/", *s))
      return false;
  return true;
}


/* Case and spacing folded, trailing punctuation dropped: the glossary key. */
static char *fold(arena *a, const char *s) {
  buf b = {0};
  bool space = false;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    /* U+00A0 (no-break space) counts as a space too. */
    if (c == 0xC2 && (unsigned char)s[1] == 0xA0) {
      space = true;
      s++;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && b.len)
      buf_putc(&b, ' ');
    space = false;
    buf_putc(&b, (char)tolower(c));
  }
  while (b.len && strchr(".,;:", b.data[b.len - 1]))
    b.len--;
  char *r = arena_strndup(a, b.data ? b.data : "", b.len);
  buf_free(&b);
  return r;
}

/* ---- catalogue ---- */

typedef struct {
  const char *folded, *name, *id;
  bool audience;
} gloss_entry;

typedef struct {
  pcre2_code *re;
  const char *kind; /* "roles" or "audience" */
  uint32_t group;   /* number of the names group */
  int line;
} header_pat;

typedef struct {
  const char *file;
  gloss_entry *gloss;
  size_t ngloss, capgloss;
  header_pat *pats;
  size_t npats, cappats;
  pcre2_code *sep;
} locale_pol;

struct policy_catalog {
  size_t nlocales;
  locale_pol *loc;
  policy_role *roles;
  size_t nroles, caproles;
  pcre2_match_context *mctx;
};

static policy_role *role_slot(arena *a, policy_catalog *c, const char *id, bool audience,
                              const char *file, const ynode *at, diag_list *diags) {
  for (size_t i = 0; i < c->nroles; i++)
    if (!strcmp(c->roles[i].id, id)) {
      if (c->roles[i].audience != audience)
        diag_add(diags, file, at->line, at->col, SEV_ERROR, "locale-invalid",
                 "'%s' is both a role and an audience (roles: and audiences: of the locale "
                 "files)",
                 id);
      return &c->roles[i];
    }
  policy_role r = {arena_strdup(a, id), audience,
                   arena_alloc(a, (c->nlocales ? c->nlocales : 1) * sizeof(const char *))};
  ARENA_PUSH(a, c->roles, c->nroles, c->caproles, r);
  return &c->roles[c->nroles - 1];
}

static void load_glossary(arena *a, policy_catalog *c, size_t l, const ynode *map, bool audience,
                          const char *file, diag_list *diags) {
  const char *key = audience ? "audiences" : "roles";
  if (map->kind != YNODE_MAP) {
    diag_add(diags, file, map->line, map->col, SEV_ERROR, "locale-invalid",
             "'%s' must map ids to the names used in this language", key);
    return;
  }
  locale_pol *lp = &c->loc[l];
  for (size_t i = 0; i + 1 < map->count; i += 2) {
    const ynode *k = map->items[i], *v = map->items[i + 1];
    if (k->kind != YNODE_SCALAR || !policy_valid_id(k->scalar)) {
      diag_add(diags, file, k->line, k->col, SEV_ERROR, "locale-invalid",
               "'%s' is not a valid id (letters, digits, '.', '-', '_', '/')",
               k->kind == YNODE_SCALAR ? k->scalar : "?");
      continue;
    }
    const ynode *const *names = &v;
    size_t nnames = 1;
    if (v->kind == YNODE_SEQ) {
      names = (const ynode *const *)v->items;
      nnames = v->count;
    }
    policy_role *r = role_slot(a, c, k->scalar, audience, file, k, diags);
    for (size_t j = 0; j < nnames; j++) {
      const ynode *n = names[j];
      if (n->kind != YNODE_SCALAR || ynode_is_null(n)) {
        diag_add(diags, file, n->line, n->col, SEV_ERROR, "locale-invalid",
                 "the names of '%s' must be strings", k->scalar);
        continue;
      }
      const char *f = fold(a, n->scalar);
      for (size_t e = 0; e < lp->ngloss; e++)
        if (lp->gloss[e].audience == audience && !strcmp(lp->gloss[e].folded, f) &&
            strcmp(lp->gloss[e].id, k->scalar))
          diag_add(diags, file, n->line, n->col, SEV_ERROR, "locale-invalid",
                   "the name '%s' stands for both '%s' and '%s'", n->scalar, lp->gloss[e].id,
                   k->scalar);
      gloss_entry g = {f, n->scalar, r->id, audience};
      ARENA_PUSH(a, lp->gloss, lp->ngloss, lp->capgloss, g);
      if (!r->names[l])
        r->names[l] = n->scalar; /* the first name is the display name */
    }
  }
}

static pcre2_code *compile(const char *pattern, const char *file, const ynode *at,
                           diag_list *diags) {
  int err;
  PCRE2_SIZE off;
  pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                 PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
  if (!re) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    diag_add(diags, file, at->line, at->col, SEV_ERROR, "pattern-invalid",
             "the pattern does not compile at offset %zu: %s", (size_t)off, (const char *)msg);
  }
  return re;
}

static void load_patterns(policy_catalog *c, arena *a, size_t l, const ynode *map,
                          const char *file, diag_list *diags) {
  if (map->kind != YNODE_MAP) {
    diag_add(diags, file, map->line, map->col, SEV_ERROR, "locale-invalid",
             "'patterns' must be a mapping with roles, audience and separator");
    return;
  }
  locale_pol *lp = &c->loc[l];
  for (size_t i = 0; i + 1 < map->count; i += 2) {
    const ynode *k = map->items[i], *v = map->items[i + 1];
    const char *key = k->kind == YNODE_SCALAR ? k->scalar : "";
    if (!strcmp(key, "separator")) {
      if (v->kind != YNODE_SCALAR) {
        diag_add(diags, file, v->line, v->col, SEV_ERROR, "locale-invalid",
                 "'separator' must be one pattern");
        continue;
      }
      lp->sep = compile(v->scalar, file, v, diags);
      continue;
    }
    if (strcmp(key, "roles") && strcmp(key, "audience")) {
      diag_add(diags, file, k->line, k->col, SEV_ERROR, "locale-invalid",
               "unknown key '%s' in patterns (known: roles, audience, separator)", key);
      continue;
    }
    const ynode *const *items = &v;
    size_t n = 1;
    if (v->kind == YNODE_SEQ) {
      items = (const ynode *const *)v->items;
      n = v->count;
    }
    for (size_t j = 0; j < n; j++) {
      if (items[j]->kind != YNODE_SCALAR) {
        diag_add(diags, file, items[j]->line, items[j]->col, SEV_ERROR, "locale-invalid",
                 "a pattern must be a string");
        continue;
      }
      pcre2_code *re = compile(items[j]->scalar, file, items[j], diags);
      if (!re)
        continue;
      int g = pcre2_substring_number_from_name(re, (PCRE2_SPTR) "names");
      if (g < 0) {
        diag_add(diags, file, items[j]->line, items[j]->col, SEV_ERROR, "pattern-invalid",
                 "a header pattern needs a group (?<names>...) for the names on the line");
        pcre2_code_free(re);
        continue;
      }
      header_pat hp = {re, !strcmp(key, "roles") ? "roles" : "audience", (uint32_t)g,
                       items[j]->line};
      ARENA_PUSH(a, lp->pats, lp->npats, lp->cappats, hp);
    }
  }
}

static int by_role_id(const void *a, const void *b) {
  return strcmp(((const policy_role *)a)->id, ((const policy_role *)b)->id);
}

policy_catalog *policy_catalog_load(arena *a, const locale_info *locales, size_t nlocales,
                                    diag_list *diags) {
  policy_catalog *c = arena_alloc(a, sizeof *c);
  c->nlocales = nlocales;
  c->loc = arena_alloc(a, (nlocales ? nlocales : 1) * sizeof *c->loc);
  c->mctx = pcre2_match_context_create(NULL);
  pcre2_set_match_limit(c->mctx, MATCH_LIMIT);
  pcre2_set_depth_limit(c->mctx, DEPTH_LIMIT);
  pcre2_set_heap_limit(c->mctx, HEAP_LIMIT_KIB);
  for (size_t l = 0; l < nlocales; l++) {
    const ynode *doc = locales[l].doc;
    c->loc[l].file = locales[l].file;
    if (!doc)
      continue;
    const ynode *v;
    if ((v = ynode_get(doc, "roles")))
      load_glossary(a, c, l, v, false, locales[l].file, diags);
    if ((v = ynode_get(doc, "audiences")))
      load_glossary(a, c, l, v, true, locales[l].file, diags);
    if ((v = ynode_get(doc, "patterns")))
      load_patterns(c, a, l, v, locales[l].file, diags);
  }
  if (c->nroles > 1)
    qsort(c->roles, c->nroles, sizeof *c->roles, by_role_id);
  return c;
}

void policy_catalog_free(policy_catalog *c) {
  if (!c)
    return;
  for (size_t l = 0; l < c->nlocales; l++) {
    for (size_t i = 0; i < c->loc[l].npats; i++)
      pcre2_code_free(c->loc[l].pats[i].re);
    pcre2_code_free(c->loc[l].sep);
  }
  pcre2_match_context_free(c->mctx);
}

bool policy_catalog_has_roles(const policy_catalog *c) { return c && c->nroles > 0; }

const char *policy_catalog_lookup(const policy_catalog *c, int locale, const char *name,
                                  bool audience) {
  if (!c || locale < 0 || (size_t)locale >= c->nlocales)
    return NULL;
  arena *tmp = arena_new();
  const char *f = fold(tmp, name);
  const char *id = NULL;
  const locale_pol *lp = &c->loc[locale];
  for (size_t i = 0; i < lp->ngloss && !id; i++)
    if (lp->gloss[i].audience == audience && !strcmp(lp->gloss[i].folded, f))
      id = lp->gloss[i].id;
  arena_free(tmp);
  return id;
}

const char *policy_catalog_nearest_name(const policy_catalog *c, int locale, const char *s,
                                        bool audience) {
  if (!c || locale < 0 || (size_t)locale >= c->nlocales)
    return NULL;
  const locale_pol *lp = &c->loc[locale];
  const char *best = NULL;
  size_t bestd = (size_t)-1;
  for (size_t i = 0; i < lp->ngloss; i++) {
    if (lp->gloss[i].audience != audience)
      continue;
    size_t d = str_distance(s, lp->gloss[i].name, true);
    if (d < bestd) {
      bestd = d;
      best = lp->gloss[i].name;
    }
  }
  /* Close enough to be a typo or a variant: at most a third of the length. */
  size_t len = strlen(s);
  return best && bestd <= (len < 6 ? 2 : len / 3) ? best : NULL;
}

const char *policy_catalog_nearest_id(const policy_catalog *c, const char *id) {
  const char *best = NULL;
  size_t bestd = (size_t)-1;
  for (size_t i = 0; c && i < c->nroles; i++) {
    size_t d = str_distance(id, c->roles[i].id, true);
    if (d < bestd) {
      bestd = d;
      best = c->roles[i].id;
    }
  }
  size_t len = strlen(id);
  return best && bestd <= (len < 6 ? 2 : len / 3) ? best : NULL;
}

static const policy_role *find_role(const policy_catalog *c, const char *id) {
  if (!c || !c->nroles)
    return NULL;
  policy_role key = {id, false, NULL};
  return bsearch(&key, c->roles, c->nroles, sizeof *c->roles, by_role_id);
}

bool policy_catalog_knows_id(const policy_catalog *c, const char *id) {
  return find_role(c, id) != NULL;
}

const char *policy_catalog_name(const policy_catalog *c, int locale, const char *id) {
  const policy_role *r = find_role(c, id);
  if (!r || locale < 0 || (size_t)locale >= c->nlocales)
    return NULL;
  return r->names[locale];
}

int policy_match_header(const policy_catalog *c, int locale, arena *a, const char *text,
                        const char *file, int line, policy_header *out, diag_list *diags) {
  if (!c || locale < 0 || (size_t)locale >= c->nlocales)
    return 0;
  const locale_pol *lp = &c->loc[locale];
  for (size_t i = 0; i < lp->npats; i++) {
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(lp->pats[i].re, NULL);
    int rc = pcre2_match(lp->pats[i].re, (PCRE2_SPTR)text, strlen(text), 0, 0, md, c->mctx);
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(rc, msg, sizeof msg);
      diag_add(diags, file, line, 1, SEV_WARNING, "pattern-limit",
               "the %s pattern at %s:%d gave up on this paragraph (%s); simplify the pattern",
               lp->pats[i].kind, lp->file, lp->pats[i].line, (const char *)msg);
      pcre2_match_data_free(md);
      return -1;
    }
    if (rc > 0) {
      PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
      uint32_t g = lp->pats[i].group;
      out->kind = lp->pats[i].kind;
      out->names = "";
      if ((uint32_t)rc > g && ov[2 * g] != PCRE2_UNSET)
        out->names = arena_strndup(a, text + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
      pcre2_match_data_free(md);
      return 1;
    }
    pcre2_match_data_free(md);
  }
  return 0;
}

/* A name as written in Markdown: drop emphasis and code marks, keep a link's
 * text, trim. */
static char *clean_name(arena *a, const char *s, size_t n) {
  buf b = {0};
  for (size_t i = 0; i < n; i++) {
    char ch = s[i];
    if (ch == '*' || ch == '`' || (ch == '_' && (i == 0 || i + 1 == n || s[i + 1] == '_' ||
                                                  s[i - 1] == '_')))
      continue;
    if (ch == '[')
      continue;
    if (ch == ']' && i + 1 < n && s[i + 1] == '(') {
      const char *close = memchr(s + i, ')', n - i);
      if (close) {
        i = (size_t)(close - s);
        continue;
      }
    }
    buf_putc(&b, ch);
  }
  size_t start = 0, end = b.len;
  while (start < end && isspace((unsigned char)b.data[start]))
    start++;
  while (end > start && (isspace((unsigned char)b.data[end - 1]) || b.data[end - 1] == '.'))
    end--;
  char *r = arena_strndup(a, b.data ? b.data + start : "", end - start);
  buf_free(&b);
  return r;
}

void policy_split_names(const policy_catalog *c, int locale, arena *a, const char *text,
                        strlist *out) {
  size_t len = strlen(text);
  const pcre2_code *sep = c && locale >= 0 && (size_t)locale < c->nlocales ? c->loc[locale].sep
                                                                            : NULL;
  size_t start = 0;
  if (sep) {
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(sep, NULL);
    size_t at = 0;
    while (at <= len) {
      int rc = pcre2_match(sep, (PCRE2_SPTR)text, len, at, 0, md, c->mctx);
      if (rc <= 0)
        break;
      PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
      if (ov[1] == ov[0]) { /* an empty match: step over one character */
        at = ov[1] + 1;
        continue;
      }
      char *name = clean_name(a, text + start, ov[0] - start);
      if (*name)
        strlist_add(a, out, name);
      start = at = ov[1];
    }
    pcre2_match_data_free(md);
  }
  char *name = clean_name(a, text + start, len - start);
  if (*name)
    strlist_add(a, out, name);
}

/* ---- merge ---- */

typedef struct {
  policy_rule *rule;
  const article *art;
  size_t order; /* keeps equal keys in article order */
} statement;

static int by_statement(const void *pa, const void *pb) {
  const statement *a = pa, *b = pb;
  int c = strcmp(a->rule->id, b->rule->id);
  if (c)
    return c;
  if (a->art->locale != b->art->locale)
    return a->art->locale < b->art->locale ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

static const char *anchor_before(const article *art, int line) {
  const char *id = "";
  for (size_t i = 0; i < art->nheadings; i++)
    if (art->headings[i].line <= line && art->headings[i].line > 0)
      id = art->headings[i].id;
  return id;
}

static void list_diff(buf *msg, const char *what, const strlist *canon, const strlist *other) {
  for (size_t i = 0; i < other->count; i++)
    if (!strlist_has(canon, other->items[i]))
      buf_printf(msg, "%sadds %s%s", msg->len ? "; " : "", what, other->items[i]);
  for (size_t i = 0; i < canon->count; i++)
    if (!strlist_has(other, canon->items[i]))
      buf_printf(msg, "%sdrops %s%s", msg->len ? "; " : "", what, canon->items[i]);
}

static bool same_str(const char *a, const char *b) {
  return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Compare a translation's statement with the canonical one. Differences of
 * the whole :::policy block (default, read-only, requires, channels) are
 * reported once per block: the message names the policy, not the action,
 * so the sorted list drops the repeats of its other actions. */
static void compare(const policy_rule *canon, const policy_rule *other, diag_list *diags) {
  buf block = {0}, own = {0};
  if (canon->kind == RULE_ACTION) {
    if (!same_str(canon->deflt, other->deflt))
      buf_printf(&block, "changes the default from %s to %s", canon->deflt ? canon->deflt : "unset",
                 other->deflt ? other->deflt : "unset");
    list_diff(&block, "read-only role ", &canon->read_only, &other->read_only);
    list_diff(&block, "requirement ", &canon->requires, &other->requires);
    list_diff(&block, "channel ", &canon->channels, &other->channels);
    if (!canon->derived) {
      list_diff(&own, "role ", &canon->allow, &other->allow);
      if (!same_str(canon->audit, other->audit))
        buf_printf(&own, "%saudit event '%s' instead of '%s'", own.len ? "; " : "",
                   other->audit ? other->audit : "(none)", canon->audit ? canon->audit : "(none)");
    }
  } else {
    list_diff(&own, canon->kind == RULE_AUDIENCE ? "audience " : "role ", &canon->allow,
              &other->allow);
  }
  if (block.len)
    diag_add(diags, other->file, other->line, 1, SEV_ERROR, "policy-drift",
             "policy '%s' differs from %s:%d: %s", canon->resource, canon->file, canon->line,
             buf_cstr(&block));
  if (own.len)
    diag_add(diags, other->file, other->line, 1, SEV_ERROR, "policy-drift",
             "rule '%s' differs from %s:%d: %s", canon->id, canon->file, canon->line,
             buf_cstr(&own));
  buf_free(&block);
  buf_free(&own);
}

static bool rules_equal(const policy_rule *a, const policy_rule *b) {
  diag_list tmp = {0};
  compare(a, b, &tmp);
  bool eq = tmp.count == 0;
  diag_list_free(&tmp);
  return eq;
}

static const char *what_rule(const policy_rule *r) {
  switch (r->kind) {
  case RULE_TASK: return "the roles header";
  case RULE_AUDIENCE: return "the audience header";
  default: return "the :::policy block";
  }
}

/* Whether a locale can state header rules of this kind at all: one without
 * patterns for it is not said to leave the header out. */
static bool can_state(const policy_catalog *c, size_t locale, rule_kind kind) {
  if (kind == RULE_ACTION)
    return true;
  if (!c || locale >= c->nlocales)
    return false;
  const char *want = kind == RULE_TASK ? "roles" : "audience";
  for (size_t i = 0; i < c->loc[locale].npats; i++)
    if (!strcmp(c->loc[locale].pats[i].kind, want))
      return true;
  return false;
}

policy_set *policy_merge(arena *a, const policy_catalog *c, const site_config *cfg,
                         const content_set *cs, diag_list *diags) {
  policy_set *s = arena_alloc(a, sizeof *s);
  s->generator = "folio " FOLIO_VERSION;
  s->locales = cfg->locales;
  s->nlocales = cfg->nlocales;
  s->source_locale = cfg->nlocales ? cfg->locales[0] : "";

  statement *st = NULL;
  size_t nst = 0, capst = 0;
  for (size_t i = 0; i < cs->narticles; i++) {
    const article *art = &cs->articles[i];
    if (!art->policy)
      continue;
    for (size_t j = 0; j < art->policy->count; j++) {
      statement x = {&art->policy->rules[j], art, nst};
      ARENA_PUSH(a, st, nst, capst, x);
    }
  }
  if (nst > 1)
    qsort(st, nst, sizeof *st, by_statement);

  policy_rule *rules = NULL;
  size_t nrules = 0, caprules = 0;
  for (size_t i = 0; i < nst;) {
    size_t j = i;
    while (j < nst && !strcmp(st[j].rule->id, st[i].rule->id))
      j++;
    const statement *canon = &st[i];
    policy_rule r = *canon->rule;
    memset(&r.locales, 0, sizeof r.locales);
    strlist_add(a, &r.locales, cfg->locales[canon->art->locale]);
    r.anchor = anchor_before(canon->art, canon->rule->line);
    bool *seen = arena_alloc(a, cfg->nlocales * sizeof *seen);
    seen[canon->art->locale] = true;
    for (size_t k = i + 1; k < j; k++) {
      const statement *o = &st[k];
      if (seen[o->art->locale]) {
        diag_add(diags, o->rule->file, o->rule->line, 1, SEV_ERROR, "policy-duplicate-id",
                 "rule '%s' is already stated at %s:%d", o->rule->id, st[k - 1].rule->file,
                 st[k - 1].rule->line);
        continue;
      }
      seen[o->art->locale] = true;
      if (rules_equal(canon->rule, o->rule))
        strlist_add(a, &r.locales, cfg->locales[o->art->locale]);
      else
        compare(canon->rule, o->rule, diags);
    }
    /* A rule of a source article that a translation of it leaves out, or a
     * rule that a translation adds to an article the source also has. */
    for (size_t l = 0; l < cfg->nlocales; l++) {
      if (seen[l])
        continue;
      const article *t = content_find_article(cs, (int)l, canon->art->rel);
      if (!t || !t->ok || !can_state(c, l, r.kind))
        continue;
      if (canon->art->locale == 0)
        diag_add(diags, t->path, t->fm.body_line, 1, SEV_ERROR, "policy-drift",
                 "rule '%s' (%s at %s:%d) is not stated in this translation", r.id,
                 what_rule(&r), canon->rule->file, canon->rule->line);
      else if (l == 0)
        diag_add(diags, canon->rule->file, canon->rule->line, 1, SEV_ERROR, "policy-drift",
                 "rule '%s' is stated only in this translation, not in %s", r.id, t->path);
    }
    strlist_sort(&r.locales);
    ARENA_PUSH(a, rules, nrules, caprules, r);
    i = j;
  }
  s->rules = rules;
  s->nrules = nrules;

  /* The role catalogue: every glossary id, and any id a rule uses. */
  policy_role *roles = NULL;
  size_t nroles = 0, caproles = 0;
  for (size_t i = 0; c && i < c->nroles; i++)
    ARENA_PUSH(a, roles, nroles, caproles, c->roles[i]);
  for (size_t i = 0; i < nrules; i++) {
    const strlist *lists[] = {&rules[i].allow, &rules[i].read_only};
    for (size_t k = 0; k < 2; k++)
      for (size_t m = 0; m < lists[k]->count; m++) {
        const char *id = lists[k]->items[m];
        bool found = false;
        for (size_t q = 0; q < nroles && !found; q++)
          found = !strcmp(roles[q].id, id);
        if (!found) {
          policy_role x = {id, rules[i].kind == RULE_AUDIENCE,
                           arena_alloc(a, (s->nlocales ? s->nlocales : 1) * sizeof(char *))};
          ARENA_PUSH(a, roles, nroles, caproles, x);
        }
      }
  }
  if (nroles > 1)
    qsort(roles, nroles, sizeof *roles, by_role_id);
  s->roles = roles;
  s->nroles = nroles;
  return s;
}

/* ---- rules.json ---- */

static void json_str(buf *out, const char *s) {
  buf_putc(out, '"');
  buf_puts_json(out, s);
  buf_putc(out, '"');
}

static void json_list(buf *out, const strlist *l) {
  buf_putc(out, '[');
  for (size_t i = 0; i < l->count; i++) {
    if (i)
      buf_puts(out, ", ");
    json_str(out, l->items[i]);
  }
  buf_putc(out, ']');
}

static const char *kind_name(rule_kind k) {
  switch (k) {
  case RULE_TASK: return "task";
  case RULE_AUDIENCE: return "audience";
  default: return "action";
  }
}

void policy_write_json(const policy_set *s, buf *out) {
  buf_puts(out, "{\n  \"$schema\": \"rules.schema.json\",\n");
  buf_printf(out, "  \"schemaVersion\": %d,\n  \"generator\": ", POLICY_SCHEMA_VERSION);
  json_str(out, s->generator);
  buf_puts(out, ",\n  \"sourceLocale\": ");
  json_str(out, s->source_locale);
  buf_puts(out, ",\n  \"locales\": [");
  for (size_t i = 0; i < s->nlocales; i++) {
    if (i)
      buf_puts(out, ", ");
    json_str(out, s->locales[i]);
  }
  buf_puts(out, "],\n  \"roles\": [");
  for (size_t i = 0; i < s->nroles; i++) {
    const policy_role *r = &s->roles[i];
    buf_puts(out, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
    json_str(out, r->id);
    buf_printf(out, ", \"kind\": \"%s\", \"names\": {", r->audience ? "audience" : "role");
    /* Names in locale order as the set lists them (source locale first). */
    bool first = true;
    for (size_t l = 0; l < s->nlocales; l++) {
      if (!r->names[l])
        continue;
      if (!first)
        buf_puts(out, ", ");
      first = false;
      json_str(out, s->locales[l]);
      buf_puts(out, ": ");
      json_str(out, r->names[l]);
    }
    buf_puts(out, "}}");
  }
  buf_puts(out, s->nroles ? "\n  ],\n  \"rules\": [" : "],\n  \"rules\": [");
  for (size_t i = 0; i < s->nrules; i++) {
    const policy_rule *r = &s->rules[i];
    buf_puts(out, i ? ",\n    {\n      \"id\": " : "\n    {\n      \"id\": ");
    json_str(out, r->id);
    buf_printf(out, ",\n      \"kind\": \"%s\",\n      \"resource\": ", kind_name(r->kind));
    json_str(out, r->resource);
    buf_puts(out, ",\n      \"action\": ");
    json_str(out, r->action);
    buf_puts(out, r->kind == RULE_AUDIENCE ? ",\n      \"audience\": " : ",\n      \"allow\": ");
    json_list(out, &r->allow);
    if (r->read_only.count && !strcmp(r->action, "read")) {
      buf_puts(out, ",\n      \"readOnly\": ");
      json_list(out, &r->read_only);
    }
    if (r->deflt) {
      buf_puts(out, ",\n      \"default\": ");
      json_str(out, r->deflt);
    }
    if (r->requires.count) {
      buf_puts(out, ",\n      \"requires\": ");
      json_list(out, &r->requires);
    }
    if (r->channels.count) {
      buf_puts(out, ",\n      \"channels\": ");
      json_list(out, &r->channels);
    }
    if (r->audit) {
      buf_puts(out, ",\n      \"audit\": ");
      json_str(out, r->audit);
    }
    if (r->derived) {
      buf_puts(out, ",\n      \"derived\": ");
      json_str(out, r->derived);
    }
    buf_puts(out, ",\n      \"source\": {\"article\": ");
    json_str(out, r->article);
    buf_puts(out, ", \"anchor\": ");
    json_str(out, r->anchor ? r->anchor : "");
    buf_puts(out, ", \"locale\": ");
    json_str(out, r->locale);
    buf_printf(out, ", \"line\": %d, \"locales\": ", r->line);
    json_list(out, &r->locales);
    buf_puts(out, "}\n    }");
  }
  buf_puts(out, s->nrules ? "\n  ]\n}\n" : "]\n}\n");
}

/* Reading back: a small walk over the YAML tree with a diagnostic at the
 * first field that is not what rules.json holds. */
typedef struct {
  arena *a;
  const char *path;
  diag_list *diags;
  bool ok;
} reader;

static void bad(reader *rd, const ynode *n, const char *what) {
  if (rd->ok)
    diag_add(rd->diags, rd->path, n ? n->line : 0, n ? n->col : 0, SEV_ERROR, "rules-invalid",
             "%s", what);
  rd->ok = false;
}

static const char *get_str(reader *rd, const ynode *m, const char *key, bool required) {
  const ynode *v = ynode_get(m, key);
  if (!v) {
    if (required)
      bad(rd, m, arena_printf(rd->a, "'%s' is missing", key));
    return NULL;
  }
  if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
    bad(rd, v, arena_printf(rd->a, "'%s' must be a string", key));
    return NULL;
  }
  return v->scalar;
}

static void get_list(reader *rd, const ynode *m, const char *key, strlist *out, bool required) {
  const ynode *v = ynode_get(m, key);
  if (!v) {
    if (required)
      bad(rd, m, arena_printf(rd->a, "'%s' is missing", key));
    return;
  }
  if (v->kind != YNODE_SEQ) {
    bad(rd, v, arena_printf(rd->a, "'%s' must be a list of strings", key));
    return;
  }
  for (size_t i = 0; i < v->count; i++) {
    if (v->items[i]->kind != YNODE_SCALAR) {
      bad(rd, v->items[i], arena_printf(rd->a, "'%s' must be a list of strings", key));
      return;
    }
    strlist_add(rd->a, out, v->items[i]->scalar);
  }
}

static int by_rule_id(const void *a, const void *b) {
  return strcmp(((const policy_rule *)a)->id, ((const policy_rule *)b)->id);
}

policy_set *policy_read_json(arena *a, const char *path, diag_list *diags) {
  char *text;
  size_t len;
  if (read_file(path, &text, &len) < 0) {
    diag_add(diags, path, 0, 0, SEV_ERROR, "file-unreadable", "cannot read the rules file");
    return NULL;
  }
  ynode *doc = yamldoc_load(a, text, len, path, 0, diags);
  free(text);
  if (!doc)
    return NULL;
  reader rd = {a, path, diags, true};
  if (doc->kind != YNODE_MAP) {
    bad(&rd, doc, "a rules file is a JSON object");
    return NULL;
  }
  const char *ver = get_str(&rd, doc, "schemaVersion", true);
  if (ver && atoi(ver) != POLICY_SCHEMA_VERSION)
    bad(&rd, ynode_get(doc, "schemaVersion"),
        arena_printf(a, "schemaVersion %s is not one this folio reads (%d)", ver,
                     POLICY_SCHEMA_VERSION));
  policy_set *s = arena_alloc(a, sizeof *s);
  s->generator = get_str(&rd, doc, "generator", false);
  s->source_locale = get_str(&rd, doc, "sourceLocale", false);
  strlist locs = {0};
  get_list(&rd, doc, "locales", &locs, false);
  s->locales = locs.items;
  s->nlocales = locs.count;
  const ynode *roles = ynode_get(doc, "roles");
  if (roles && roles->kind == YNODE_SEQ) {
    s->roles = arena_alloc(a, (roles->count ? roles->count : 1) * sizeof *s->roles);
    for (size_t i = 0; i < roles->count; i++) {
      const ynode *r = roles->items[i];
      policy_role *pr = &s->roles[s->nroles++];
      pr->id = get_str(&rd, r, "id", true);
      const char *kind = get_str(&rd, r, "kind", false);
      pr->audience = kind && !strcmp(kind, "audience");
      pr->names = arena_alloc(a, (s->nlocales ? s->nlocales : 1) * sizeof(char *));
      const ynode *names = ynode_get(r, "names");
      for (size_t l = 0; l < s->nlocales; l++)
        pr->names[l] = names ? get_str(&rd, names, s->locales[l], false) : NULL;
      if (!pr->id)
        s->nroles--;
    }
  }
  const ynode *rules = ynode_get(doc, "rules");
  if (!rules || rules->kind != YNODE_SEQ) {
    bad(&rd, rules ? rules : doc, "'rules' must be a list");
    return NULL;
  }
  s->rules = arena_alloc(a, (rules->count ? rules->count : 1) * sizeof *s->rules);
  for (size_t i = 0; i < rules->count && rd.ok; i++) {
    const ynode *m = rules->items[i];
    if (m->kind != YNODE_MAP) {
      bad(&rd, m, "each rule is a JSON object");
      break;
    }
    policy_rule *r = &s->rules[s->nrules++];
    r->id = get_str(&rd, m, "id", true);
    const char *kind = get_str(&rd, m, "kind", true);
    r->kind = kind && !strcmp(kind, "task")       ? RULE_TASK
              : kind && !strcmp(kind, "audience") ? RULE_AUDIENCE
                                                  : RULE_ACTION;
    if (kind && strcmp(kind, "task") && strcmp(kind, "audience") && strcmp(kind, "action"))
      bad(&rd, ynode_get(m, "kind"), "'kind' must be action, task or audience");
    r->resource = get_str(&rd, m, "resource", true);
    r->action = get_str(&rd, m, "action", true);
    get_list(&rd, m, r->kind == RULE_AUDIENCE ? "audience" : "allow", &r->allow, true);
    get_list(&rd, m, "readOnly", &r->read_only, false);
    r->deflt = get_str(&rd, m, "default", false);
    get_list(&rd, m, "requires", &r->requires, false);
    get_list(&rd, m, "channels", &r->channels, false);
    r->audit = get_str(&rd, m, "audit", false);
    r->derived = get_str(&rd, m, "derived", false);
    const ynode *src = ynode_get(m, "source");
    if (src) {
      r->article = get_str(&rd, src, "article", false);
      r->anchor = get_str(&rd, src, "anchor", false);
      r->locale = get_str(&rd, src, "locale", false);
      const char *line = get_str(&rd, src, "line", false);
      r->line = line ? atoi(line) : 0;
      get_list(&rd, src, "locales", &r->locales, false);
    }
    if (!r->article)
      r->article = "";
    if (!r->anchor)
      r->anchor = "";
  }
  if (!rd.ok)
    return NULL;
  if (s->nrules > 1)
    qsort(s->rules, s->nrules, sizeof *s->rules, by_rule_id);
  for (size_t i = 1; i < s->nrules; i++)
    if (!strcmp(s->rules[i].id, s->rules[i - 1].id)) {
      bad(&rd, rules, arena_printf(a, "rule '%s' appears twice", s->rules[i].id));
      return NULL;
    }
  return s;
}

/* ---- decisions ---- */

const policy_rule *policy_find(const policy_set *s, const char *id) {
  if (!s->nrules)
    return NULL;
  policy_rule key;
  memset(&key, 0, sizeof key);
  key.id = id;
  return bsearch(&key, s->rules, s->nrules, sizeof *s->rules, by_rule_id);
}

const char *policy_role_id(const policy_set *s, const char *role) {
  for (size_t i = 0; i < s->nroles; i++)
    if (!strcmp(s->roles[i].id, role))
      return s->roles[i].id;
  arena *tmp = arena_new();
  const char *f = fold(tmp, role), *found = NULL;
  for (size_t i = 0; i < s->nroles && !found; i++)
    for (size_t l = 0; l < s->nlocales && !found; l++)
      if (s->roles[i].names[l] && !strcmp(fold(tmp, s->roles[i].names[l]), f))
        found = s->roles[i].id;
  arena_free(tmp);
  return found;
}

size_t policy_match_action(const policy_set *s, const char *action, const policy_rule **out,
                           size_t max, bool *bare) {
  /* An id names one rule; an audit event may name several; an action name
   * alone ("read") may too, and then the caller asks which was meant. */
  *bare = false;
  const policy_rule *exact = policy_find(s, action);
  if (exact && exact->kind != RULE_AUDIENCE) {
    if (max)
      out[0] = exact;
    return 1;
  }
  for (int pass = 1; pass <= 2; pass++) {
    size_t n = 0;
    for (size_t i = 0; i < s->nrules; i++) {
      const policy_rule *r = &s->rules[i];
      if (r->kind == RULE_AUDIENCE)
        continue;
      if (pass == 1 ? r->audit && !strcmp(r->audit, action) : !strcmp(r->action, action)) {
        if (n < max)
          out[n] = r;
        n++;
      }
    }
    if (n) {
      *bare = pass == 2;
      return n;
    }
  }
  return 0;
}

policy_decision policy_eval(const policy_set *s, const char *role, const char *action,
                            const policy_rule **rule) {
  *rule = NULL;
  const char *id = policy_role_id(s, role);
  if (!id)
    id = role;
  const policy_rule *m[64];
  bool bare;
  size_t n = policy_match_action(s, action, m, 64, &bare);
  if (!n || (bare && n > 1))
    return POLICY_NO_RULE;
  if (n > 64)
    n = 64;
  for (size_t i = 0; i < n; i++)
    if (strlist_has(&m[i]->allow, id)) {
      *rule = m[i];
      return POLICY_ALLOW;
    }
  *rule = m[0];
  return POLICY_DENY;
}
