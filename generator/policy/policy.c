/* The policy model: the catalogue each locale file brings (role glossary and
 * header patterns), the merge of every article's statements into one rule
 * set with the cross-locale drift check, rules.json out and back in, and the
 * decision that `folio policy eval` and `audit` make. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "policy.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "config.h"
#include "json.h"
#include "model.h"
#include "strutil.h"
#include "text.h"
#include "translation.h"
#include "util.h"
#include "version.h"
#include "yamldoc.h"

/* PCRE2 limits: header lines are short, so these only stop a pathological
 * pattern (catastrophic backtracking) from stalling the build. */
#define MATCH_LIMIT 100000u
#define DEPTH_LIMIT 1000u
#define HEAP_LIMIT_KIB 1024u

#define ID_HINT "(letters, digits, '.', '_', '-' and '/', starting with a letter or digit)"
#define LOCALE_HINT "(letters, digits, '_' and '-', starting with a letter or digit)"

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

void strlist_sort(strlist *l) {
  if (l->count > 1)
    qsort(l->items, l->count, sizeof *l->items, str_cmp_ptrs);
}


/* A control character (C0, DEL, C1) or a bidirectional control, which
 * change what a terminal or an editor shows: as in the schema's "text". */
static bool has_control(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p < 0x20 || *p == 0x7F)
      return true;
    if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
      return true;
    if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE)
      return true;
    if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
      return true;
  }
  return false;
}

/* The glossary key of a name: case folded and in NFC as Unicode has them
 * (text_name_key: "PRÜFER", "Pru\u0308fer" and "prüfer" are one name, as
 * are "STRASSE" and "Straße"), runs of white space one space, and trailing
 * punctuation dropped ("Admin agent." in a sentence). */
static char *fold(arena *a, const char *s) {
  char *k = text_name_key(a, s);
  size_t n = strlen(k);
  while (n && strchr(".,;: ", k[n - 1]))
    n--;
  k[n] = '\0';
  return k;
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
  int first;        /* the byte every match starts with (anchored_first), or -1 */
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
                   arena_alloc(a, (c->nlocales ? c->nlocales : 1) * sizeof(const char *)), false};
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
      /* The names go into rules.json and onto pages as they are. */
      if (has_control(n->scalar)) {
        diag_add(diags, file, n->line, n->col, SEV_ERROR, "locale-invalid",
                 "the name '%s' of '%s' holds a control character",
                 text_for_display(a, n->scalar, 80), k->scalar);
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

/* The byte a text must start with for re to match it, or -1 when there is
 * none: re is anchored at the start (^ without (?m), or \A) and every
 * branch begins with one code unit. For such a pattern pcre2_match itself
 * compares the first code unit of the subject (and, caseless, its other
 * ASCII case) before it runs anything else, and fails on a difference (the
 * "anchored" start-up check, skipped only under (*NO_START_OPT), which also
 * leaves no first code unit): testing the byte first changes no result and
 * saves the call, the UTF check of the whole text and the match data. */
static int anchored_first(const pcre2_code *re) {
  uint32_t opts = 0, type = 0, unit = 0;
  if (pcre2_pattern_info(re, PCRE2_INFO_ALLOPTIONS, &opts) || !(opts & PCRE2_ANCHORED) ||
      (opts & PCRE2_NO_START_OPTIMIZE) ||
      pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type) || type != 1 ||
      pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODEUNIT, &unit) || unit > 0xff)
    return -1;
  return (int)unit;
}

/* Whether a text starting with byte b may match a pattern whose matches
 * start with first; a letter in either ASCII case (the pattern may be
 * caseless). */
static bool may_start(int first, unsigned char b) {
  if (first < 0 || b == first)
    return true;
  unsigned char f = (unsigned char)first;
  return ((f >= 'a' && f <= 'z') || (f >= 'A' && f <= 'Z')) && (b | 0x20) == (f | 0x20);
}

bool policy_header_may_start(const policy_catalog *c, int locale, unsigned char b) {
  if (!c || locale < 0 || (size_t)locale >= c->nlocales)
    return false;
  const locale_pol *lp = &c->loc[locale];
  for (size_t i = 0; i < lp->npats; i++)
    if (may_start(lp->pats[i].first, b))
      return true;
  return false;
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
                       items[j]->line, anchored_first(re)};
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
  /* Compared folded, as lookups are: a case difference costs nothing. */
  arena *tmp = arena_new();
  const char *key = fold(tmp, s);
  for (size_t i = 0; i < lp->ngloss; i++) {
    if (lp->gloss[i].audience != audience)
      continue;
    size_t d = str_distance(key, lp->gloss[i].folded, false);
    if (d < bestd) {
      bestd = d;
      best = lp->gloss[i].name;
    }
  }
  arena_free(tmp);
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
  policy_role key = {id, false, NULL, false};
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

const char *policy_name_slug(arena *a, const char *name) {
  const char *key = fold(a, name);
  utf8proc_uint8_t *out = NULL;
  utf8proc_ssize_t len = -1;
  if (text_is_valid_utf8(key, strlen(key)))
    len = utf8proc_map((const utf8proc_uint8_t *)key, (utf8proc_ssize_t)strlen(key), &out,
                       UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                           UTF8PROC_CASEFOLD);
  const char *t = len >= 0 ? (const char *)out : key;
  size_t n = len >= 0 ? (size_t)len : strlen(key);
  buf b = {0};
  bool dash = false;
  for (size_t i = 0; i < n;) {
    utf8proc_int32_t cp = (unsigned char)t[i];
    utf8proc_ssize_t k = 1;
    if (cp >= 0x80) {
      k = utf8proc_iterate((const utf8proc_uint8_t *)t + i, (utf8proc_ssize_t)(n - i), &cp);
      if (k < 1) { /* not UTF-8: the byte as it is */
        k = 1;
        cp = (unsigned char)t[i];
      }
    }
    bool alnum = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9');
    bool letter = cp >= 0x80 && (utf8proc_category(cp) <= UTF8PROC_CATEGORY_LO ||
                                 utf8proc_category(cp) == UTF8PROC_CATEGORY_ND);
    if (alnum || letter) {
      if (dash && b.len)
        buf_putc(&b, '-');
      dash = false;
      if (alnum)
        buf_putc(&b, (char)cp);
      else
        buf_printf(&b, "u%x", (unsigned)cp);
    } else {
      dash = true;
    }
    i += (size_t)k;
  }
  free(out);
  const char *r = b.len ? arena_strndup(a, b.data, b.len) : "";
  buf_free(&b);
  return r;
}

int policy_match_header(const policy_catalog *c, int locale, arena *a, const char *text,
                        const char *file, int line, policy_header *out, diag_list *diags) {
  if (!c || locale < 0 || (size_t)locale >= c->nlocales)
    return 0;
  const locale_pol *lp = &c->loc[locale];
  for (size_t i = 0; i < lp->npats; i++) {
    if (!may_start(lp->pats[i].first, (unsigned char)*text))
      continue; /* pcre2_match would fail at once (anchored_first) */
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
  /* "A | B, C": the line separates with '|', so ',' is part of a name. */
  bool pipe = strchr(text, '|') != NULL;
  if (sep) {
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(sep, NULL);
    size_t at = 0;
    while (at <= len) {
      int rc = pcre2_match(sep, (PCRE2_SPTR)text, len, at, 0, md, c->mctx);
      if (rc <= 0)
        break;
      PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
      if (ov[1] == ov[0] || (pipe && !memchr(text + ov[0], '|', ov[1] - ov[0]))) {
        at = ov[1] > ov[0] ? ov[1] : ov[1] + 1; /* not a split here: step on */
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

static bool matches(const char *s, size_t n, const char *more);

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
/* The unknown names of a that b's roles do not have, quoted, into msg. */
static void unmatched_names(buf *msg, const policy_rule *a, const policy_rule *b) {
  for (size_t i = 0; i < a->unknown_ids.count; i++)
    if (!strlist_has(&b->allow, a->unknown_ids.items[i]))
      buf_printf(msg, "%s'%s'", msg->len ? ", " : "", a->unknown_names.items[i]);
}

/* sev: how a difference counts, by the translation's state (see policy_merge). */
static void compare(const policy_rule *canon, const policy_rule *other, severity sev,
                    diag_list *diags) {
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
    /* Drift is decided on ids: a name no glossary knows has no id to compare,
     * so a difference it may explain is unverified, not drift. */
    buf names = {0}, src = {0};
    unmatched_names(&names, other, canon);
    unmatched_names(&src, canon, other);
    if (own.len && (names.len || src.len)) {
      const char *what = canon->kind == RULE_AUDIENCE ? "audiences:" : "roles:";
      buf why = {0};
      if (names.len)
        buf_printf(&why, "%s not in the %s glossary of locales/%s.yml", buf_cstr(&names), what,
                   other->locale);
      if (src.len)
        buf_printf(&why, "%s%s of the source not in the %s glossary of locales/%s.yml",
                   why.len ? "; " : "", buf_cstr(&src), what, canon->locale);
      diag_add(diags, other->file, other->line, 1, SEV_WARNING, "policy-unverified",
               "rule '%s' cannot be checked against %s:%d: %s", canon->id, canon->file,
               canon->line, buf_cstr(&why));
      buf_free(&why);
      own.len = 0;
    }
    buf_free(&names);
    buf_free(&src);
  }
  if (block.len)
    diag_add(diags, other->file, other->line, 1, sev, "policy-drift",
             "policy '%s' differs from %s:%d: %s", canon->resource, canon->file, canon->line,
             buf_cstr(&block));
  if (own.len)
    diag_add(diags, other->file, other->line, 1, sev, "policy-drift",
             "rule '%s' differs from %s:%d: %s", canon->id, canon->file, canon->line,
             buf_cstr(&own));
  buf_free(&block);
  buf_free(&own);
}

static bool rules_equal(const policy_rule *a, const policy_rule *b) {
  diag_list tmp = {0};
  compare(a, b, SEV_ERROR, &tmp);
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

/* Drift is an error in a translation made from the source as it is now (it
 * records the source's hash); in one that is stale or records no hash, the
 * difference may be the lag, and it is a warning. */
static severity drift_severity(const content_set *cs, int locale, const char *rel) {
  return translation_state_of(cs, locale, rel) == TRANSLATION_CURRENT ? SEV_ERROR : SEV_WARNING;
}

/* The id a header rule has in its own article: a header after the first
 * heading below H1 is scoped to the nearest heading's anchor (its slug when
 * the anchor has other characters than an id allows). */
static policy_rule *own_header_rule(arena *a, const article *art, const policy_rule *src) {
  policy_rule *r = arena_alloc(a, sizeof *r);
  *r = *src;
  if (src->section <= 0)
    return r;
  const char *anchor = anchor_before(art, src->line);
  if (!*anchor)
    return r;
  if (!matches(anchor, strlen(anchor), "._-"))
    anchor = policy_name_slug(a, anchor);
  r->resource = arena_printf(a, "%s#%s", src->resource, anchor);
  r->id = arena_printf(a, "%s:%s", r->resource, r->action);
  return r;
}

/* The n-th header rule of kind in an article (its rules in document order). */
static const policy_rule *nth_header(const article *art, rule_kind kind, size_t n) {
  for (size_t i = 0; art && art->policy && i < art->policy->count; i++)
    if (art->policy->rules[i].kind == kind && n-- == 0)
      return &art->policy->rules[i];
  return NULL;
}

/* Header rules take their ids from the source article: a translation's
 * headings have other anchors, so its n-th roles header has the id of the
 * source's n-th; one the source does not have keeps its own. */
static policy_rule *header_rule(arena *a, const content_set *cs, const article *art, size_t j) {
  const policy_rule *own = &art->policy->rules[j];
  policy_rule *r = own_header_rule(a, art, own);
  if (art->locale == 0)
    return r;
  size_t n = 0;
  for (size_t i = 0; i < j; i++)
    n += art->policy->rules[i].kind == own->kind;
  const article *src = content_find_article(cs, 0, art->rel);
  const policy_rule *counterpart = src ? nth_header(src, own->kind, n) : NULL;
  if (counterpart) {
    const policy_rule *s = own_header_rule(a, src, counterpart);
    r->resource = s->resource;
    r->id = s->id;
  }
  return r;
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
      policy_rule *pr = &art->policy->rules[j];
      if (pr->kind != RULE_ACTION)
        pr = header_rule(a, cs, art, j);
      statement x = {pr, art, nst};
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
    /* The source locale's article is the source of every rule: a rule that
     * only translations state is not a rule (the translation may lag, or
     * the source article may have failed), whatever it says. */
    if (canon->art->locale != 0) {
      const article *src = content_find_article(cs, 0, canon->art->rel);
      for (size_t k = i; k < j; k++)
        diag_add(diags, st[k].rule->file, st[k].rule->line, 1, SEV_WARNING,
                 "policy-translation-only",
                 "rule '%s' is stated only in this translation, not in the source article "
                 "%s%s; it is not a rule until the source states it",
                 st[k].rule->id, src ? src->path : canon->art->rel,
                 !src ? " (which does not exist)" : !src->ok ? " (which failed to build)" : "");
      i = j;
      continue;
    }
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
        compare(canon->rule, o->rule, drift_severity(cs, o->art->locale, o->art->rel), diags);
    }
    /* A rule of a source article that a translation of it leaves out, or a
     * rule that a translation adds to an article the source also has. */
    for (size_t l = 0; l < cfg->nlocales; l++) {
      if (seen[l])
        continue;
      const article *t = content_find_article(cs, (int)l, canon->art->rel);
      if (!t || !t->ok || !can_state(c, l, r.kind))
        continue;
      diag_add(diags, t->path, t->fm.body_line, 1, drift_severity(cs, (int)l, t->rel),
               "policy-drift",
               "rule '%s' (%s at %s:%d) is not stated in this translation", r.id,
               what_rule(&r), canon->rule->file, canon->rule->line);
    }
    strlist_sort(&r.locales);
    i = j;
    /* What rules.json holds must read back (policy_read_json): an article
     * path becomes part of an id, and text must not carry controls. */
    if (!policy_valid_rule_id(r.id)) {
      diag_add(diags, r.file, r.line, 1, SEV_ERROR, "policy-invalid",
               "the rule id '%s' is not resource:action with ids " ID_HINT
               "%s",
               text_for_display(a, r.id, 120),
               r.kind == RULE_ACTION ? "" : "; rename the article");
      continue;
    }
    const char *texts[] = {r.article, r.anchor, r.audit};
    bool clean = true;
    for (size_t k = 0; k < 3 && clean; k++)
      if (texts[k] && (has_control(texts[k]) || !text_is_valid_utf8(texts[k], strlen(texts[k])))) {
        diag_add(diags, r.file, r.line, 1, SEV_ERROR, "policy-invalid",
                 "'%s' of rule '%s' holds a control character or bytes that are not UTF-8",
                 text_for_display(a, texts[k], 120), r.id);
        clean = false;
      }
    if (clean)
      ARENA_PUSH(a, rules, nrules, caprules, r);
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
          /* Not in the glossary: an unknown name kept under its slug, or an
           * id a :::policy block uses (then there is no glossary, or the
           * id was reported as unknown-role). */
          policy_role x = {id, rules[i].kind == RULE_AUDIENCE,
                           arena_alloc(a, (s->nlocales ? s->nlocales : 1) * sizeof(char *)),
                           policy_catalog_has_roles(c)};
          ARENA_PUSH(a, roles, nroles, caproles, x);
        }
      }
  }
  /* An unknown role is named as its articles write it, in each locale. */
  for (size_t k = 0; k < nst; k++) {
    const policy_rule *sr = st[k].rule;
    for (size_t m = 0; m < sr->unknown_ids.count; m++)
      for (size_t q = 0; q < nroles; q++)
        if (roles[q].unknown && !strcmp(roles[q].id, sr->unknown_ids.items[m]) &&
            !roles[q].names[st[k].art->locale] &&
            !has_control(sr->unknown_names.items[m]) &&
            text_is_valid_utf8(sr->unknown_names.items[m], strlen(sr->unknown_names.items[m])))
          roles[q].names[st[k].art->locale] = sr->unknown_names.items[m];
  }
  if (nroles > 1)
    qsort(roles, nroles, sizeof *roles, by_role_id);
  s->roles = roles;
  s->nroles = nroles;
  return s;
}

/* ---- glossary (folio policy glossary) ---- */

typedef struct {
  bool audience;
  const char *id, *key, *name; /* source id; the folded and the first-seen name */
  size_t count;
} gloss_pair;

static int by_pair(const void *pa, const void *pb) {
  const gloss_pair *a = pa, *b = pb;
  if (a->audience != b->audience)
    return a->audience ? 1 : -1;
  int c = strcmp(a->id, b->id);
  if (c)
    return c;
  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  return strcmp(a->key, b->key);
}

/* A YAML double-quoted scalar. */
static void put_yaml_string(buf *out, const char *s) {
  buf_putc(out, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      buf_printf(out, "\\%c", *p);
    else if (*p < 0x20 || *p == 0x7F)
      buf_printf(out, "\\x%02x", *p);
    else
      buf_putc(out, (char)*p);
  }
  buf_putc(out, '"');
}

void policy_glossary(const policy_catalog *c, const site_config *cfg, const content_set *cs,
                     int locale, buf *out) {
  arena *a = arena_new();
  gloss_pair *pairs = NULL;
  size_t npairs = 0, cap = 0, compared = 0;
  buf skipped = {0};
  size_t nskipped = 0;
  for (size_t i = 0; i < cs->narticles; i++) {
    const article *src = &cs->articles[i];
    if (src->locale != 0 || !src->ok || !src->policy)
      continue;
    const article *t = content_find_article(cs, locale, src->rel);
    if (!t || !t->ok || !t->policy)
      continue;
    for (int k = 0; k < 2; k++) {
      rule_kind kind = k ? RULE_AUDIENCE : RULE_TASK;
      for (size_t n = 0;; n++) {
        const policy_rule *sr = nth_header(src, kind, n), *tr = nth_header(t, kind, n);
        if (!sr || !tr)
          break;
        if (sr->written.count != tr->written.count) {
          buf_printf(&skipped, "#   %s:%d (%zu names) and %s:%d (%zu names)\n", sr->file,
                     sr->line, sr->written.count, tr->file, tr->line, tr->written.count);
          nskipped++;
          continue;
        }
        compared++;
        for (size_t m = 0; m < sr->written.count; m++) {
          const char *id = policy_catalog_lookup(c, 0, sr->written.items[m], kind == RULE_AUDIENCE);
          if (!id)
            id = policy_name_slug(a, sr->written.items[m]);
          if (!*id)
            continue;
          const char *key = fold(a, tr->written.items[m]);
          size_t q = 0;
          while (q < npairs && !(pairs[q].audience == (kind == RULE_AUDIENCE) &&
                                 !strcmp(pairs[q].id, id) && !strcmp(pairs[q].key, key)))
            q++;
          if (q == npairs) {
            gloss_pair gp = {kind == RULE_AUDIENCE, id, key, tr->written.items[m], 0};
            ARENA_PUSH(a, pairs, npairs, cap, gp);
          }
          pairs[q].count++;
        }
      }
    }
  }
  if (npairs > 1)
    qsort(pairs, npairs, sizeof *pairs, by_pair);
  const char *loc = cfg->locales[locale];
  buf_printf(out, "# folio policy glossary: the names %s articles use where their %s source "
                  "names a role,\n# header by header and position by position (%zu headers "
                  "compared).\n# Review, then merge into locales/%s.yml.\n",
             loc, cfg->locales[0], compared, loc);
  if (nskipped)
    buf_printf(out, "# %zu headers skipped, their lists differ in length:\n%s", nskipped,
               buf_cstr(&skipped));
  for (int k = 0; k < 2; k++) {
    bool any = false;
    const char *last = NULL;
    for (size_t i = 0; i < npairs; i++) {
      const gloss_pair *p = &pairs[i];
      if (p->audience != (k == 1))
        continue;
      if (!any)
        buf_puts(out, k ? "audiences:\n" : "roles:\n");
      any = true;
      if (!last || strcmp(last, p->id))
        buf_printf(out, "  %s:\n", p->id);
      last = p->id;
      buf_puts(out, "    - ");
      put_yaml_string(out, p->name);
      buf_printf(out, "  # %zu", p->count);
      const char *known = policy_catalog_lookup(c, locale, p->name, p->audience);
      if (known && strcmp(known, p->id))
        buf_printf(out, "; CONFLICT: the glossary has it for %s", known);
      for (size_t j = 0; j < npairs; j++)
        if (j != i && pairs[j].audience == p->audience && !strcmp(pairs[j].key, p->key))
          buf_printf(out, "; CONFLICT: also found for %s (%zu)", pairs[j].id, pairs[j].count);
      if (!known && !policy_catalog_knows_id(c, p->id))
        buf_puts(out, "; the source name is not in the glossary either");
      buf_putc(out, '\n');
    }
  }
  buf_free(&skipped);
  arena_free(a);
}

/* ---- rules.json ---- */

static const char *kind_name(rule_kind k) {
  switch (k) {
  case RULE_TASK: return "task";
  case RULE_AUDIENCE: return "audience";
  default: return "action";
  }
}

static void write_list(json_writer *w, const char *key, const strlist *l) {
  json_write_key(w, key);
  json_write_array(w, JSON_LAYOUT_LINE);
  for (size_t i = 0; i < l->count; i++)
    json_write_string(w, l->items[i]);
  json_write_end(w);
}

bool policy_write_json(const policy_set *s, buf *out) {
  json_writer w;
  json_writer_init(&w, out, 2);
  json_write_object(&w, JSON_LAYOUT_BLOCK);
  json_write_key(&w, "$schema");
  json_write_string(&w, "rules.schema.json");
  json_write_key(&w, "schemaVersion");
  json_write_int(&w, POLICY_SCHEMA_VERSION);
  json_write_key(&w, "generator");
  json_write_string(&w, s->generator ? s->generator : "folio " FOLIO_VERSION);
  json_write_key(&w, "sourceLocale");
  json_write_string(&w, s->source_locale ? s->source_locale : "");
  json_write_key(&w, "locales");
  json_write_array(&w, JSON_LAYOUT_LINE);
  for (size_t i = 0; i < s->nlocales; i++)
    json_write_string(&w, s->locales[i]);
  json_write_end(&w);
  json_write_key(&w, "roles");
  json_write_array(&w, JSON_LAYOUT_BLOCK);
  for (size_t i = 0; i < s->nroles; i++) {
    const policy_role *r = &s->roles[i];
    json_write_object(&w, JSON_LAYOUT_LINE);
    json_write_key(&w, "id");
    json_write_string(&w, r->id);
    json_write_key(&w, "kind");
    json_write_string(&w, r->audience ? "audience" : "role");
    if (r->unknown) {
      json_write_key(&w, "unknown");
      json_write_bool(&w, true);
    }
    /* Names in locale order as the set lists them (source locale first). */
    json_write_key(&w, "names");
    json_write_object(&w, JSON_LAYOUT_LINE);
    for (size_t l = 0; l < s->nlocales; l++)
      if (r->names && r->names[l]) {
        json_write_key(&w, s->locales[l]);
        json_write_string(&w, r->names[l]);
      }
    json_write_end(&w);
    json_write_end(&w);
  }
  json_write_end(&w);
  json_write_key(&w, "rules");
  json_write_array(&w, JSON_LAYOUT_BLOCK);
  for (size_t i = 0; i < s->nrules; i++) {
    const policy_rule *r = &s->rules[i];
    json_write_object(&w, JSON_LAYOUT_BLOCK);
    json_write_key(&w, "id");
    json_write_string(&w, r->id);
    json_write_key(&w, "kind");
    json_write_string(&w, kind_name(r->kind));
    json_write_key(&w, "resource");
    json_write_string(&w, r->resource);
    json_write_key(&w, "action");
    json_write_string(&w, r->action);
    write_list(&w, r->kind == RULE_AUDIENCE ? "audience" : "allow", &r->allow);
    if (r->read_only.count && r->action && !strcmp(r->action, "read"))
      write_list(&w, "readOnly", &r->read_only);
    if (r->deflt) {
      json_write_key(&w, "default");
      json_write_string(&w, r->deflt);
    }
    if (r->requires.count)
      write_list(&w, "requires", &r->requires);
    if (r->channels.count)
      write_list(&w, "channels", &r->channels);
    if (r->audit) {
      json_write_key(&w, "audit");
      json_write_string(&w, r->audit);
    }
    if (r->derived) {
      json_write_key(&w, "derived");
      json_write_string(&w, r->derived);
    }
    json_write_key(&w, "source");
    json_write_object(&w, JSON_LAYOUT_LINE);
    json_write_key(&w, "article");
    json_write_string(&w, r->article ? r->article : "");
    json_write_key(&w, "anchor");
    json_write_string(&w, r->anchor ? r->anchor : "");
    json_write_key(&w, "locale");
    json_write_string(&w, r->locale ? r->locale : "");
    json_write_key(&w, "line");
    json_write_int(&w, r->line);
    write_list(&w, "locales", &r->locales);
    json_write_end(&w);
    json_write_end(&w);
  }
  json_write_end(&w);
  json_write_end(&w);
  buf_putc(out, '\n');
  return json_writer_ok(&w);
}

/* Reading back. rules.json is untrusted input (a file in a pull request, an
 * artifact of another build), so it is read as strict JSON (json.c: jansson,
 * duplicate keys refused) and checked against everything the schema says,
 * and the few things a schema cannot say (an id is its resource:action, ids
 * are unique, sourceLocale is one of locales), before any of it reaches a
 * decision or an export. The first problem is reported: at line:col for the
 * JSON itself, at the JSON path of the value ($.rules[3].allow[0]) for what
 * it holds. jansson rather than libyaml: YAML reads more than JSON (comments,
 * anchors, tags, bare words, single quotes), keeps the first of two equal
 * keys where Python and JavaScript keep the last, and libyaml's events hide
 * comments and escapes, so strict JSON on top of it meant a second lexer. */

#define RULES_MAX_BYTES (64u << 20) /* a rules.json of 10,000 rules is ~5 MiB */
#define RULES_MAX_DEPTH 32          /* rules.json nests 5 deep */

typedef struct {
  arena *a;
  const char *path;
  diag_list *diags;
  bool ok;
} reader;

static void bad(reader *rd, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void bad(reader *rd, const char *at, const char *fmt, ...) {
  if (!rd->ok)
    return;
  va_list ap;
  va_start(ap, fmt);
  char *msg = arena_vprintf(rd->a, fmt, ap);
  va_end(ap);
  diag_add(rd->diags, rd->path, 0, 0, SEV_ERROR, "rules-invalid", "%s: %s", at, msg);
  rd->ok = false;
}

/* A value of the file, quoted in a message: escaped and cut short. */
static const char *show(reader *rd, const char *s) { return text_for_display(rd->a, s, 80); }

static const char *type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER: return "an integer";
  case JSON_REAL: return "a real number";
  case JSON_NULL: return "null";
  default: return "a boolean";
  }
}

static const char *at_key(reader *rd, const char *at, const char *key) {
  return arena_printf(rd->a, "%s.%s", at, key);
}

static const char *at_index(reader *rd, const char *at, size_t i) {
  return arena_printf(rd->a, "%s[%zu]", at, i);
}

static bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The schema's patterns, in ASCII whatever the C locale: a letter or
 * digit, then letters, digits and the characters of more. */
static bool matches(const char *s, size_t n, const char *more) {
  if (!s || !n || !is_id_char(*s))
    return false;
  for (size_t i = 1; i < n; i++)
    if (!is_id_char(s[i]) && (!s[i] || !strchr(more, s[i])))
      return false;
  return true;
}

bool policy_valid_id(const char *s) { return s && matches(s, strlen(s), "._-/"); }
bool policy_valid_locale(const char *s) { return s && matches(s, strlen(s), "_-"); }

static bool valid_resource_n(const char *s, size_t n) {
  const char *hash = memchr(s, '#', n);
  if (!hash)
    return matches(s, n, "._-/");
  size_t k = (size_t)(hash - s);
  return matches(s, k, "._-/") && matches(hash + 1, n - k - 1, "._-");
}

bool policy_valid_resource(const char *s) { return s && valid_resource_n(s, strlen(s)); }

bool policy_valid_rule_id(const char *s) {
  const char *colon = s ? strchr(s, ':') : NULL;
  return colon && valid_resource_n(s, (size_t)(colon - s)) && policy_valid_id(colon + 1);
}

typedef enum { STR_TEXT, STR_NONEMPTY, STR_ID, STR_LOCALE, STR_RESOURCE } str_kind;


/* A string value checked as kind; NULL (after an error) when it is not. */
static const char *string_value(reader *rd, const json_t *v, const char *at, str_kind kind) {
  if (!json_is_string(v)) {
    bad(rd, at, "must be a string, not %s", type_name(v));
    return NULL;
  }
  const char *s = json_string_value(v);
  if (kind == STR_ID && !policy_valid_id(s))
    bad(rd, at, "'%s' is not an id " ID_HINT, show(rd, s));
  else if (kind == STR_RESOURCE && !policy_valid_resource(s))
    bad(rd, at, "'%s' is not a resource (an id " ID_HINT ", then '#' and an anchor or nothing)",
        show(rd, s));
  else if (kind == STR_LOCALE && !policy_valid_locale(s))
    bad(rd, at, "'%s' is not a locale " LOCALE_HINT, show(rd, s));
  else if (kind == STR_NONEMPTY && !*s)
    bad(rd, at, "must not be empty");
  else if (has_control(s))
    bad(rd, at, "'%s' contains a control character", show(rd, s));
  return rd->ok ? arena_strdup(rd->a, s) : NULL;
}

static const json_t *member(reader *rd, const json_t *obj, const char *key, const char *at,
                            bool required) {
  const json_t *v = json_object_get(obj, key);
  if (!v && required)
    bad(rd, at, "'%s' is missing", key);
  return v;
}

static const char *get_string(reader *rd, const json_t *obj, const char *key, const char *at,
                              bool required, str_kind kind) {
  const json_t *v = member(rd, obj, key, at, required);
  return v ? string_value(rd, v, at_key(rd, at, key), kind) : NULL;
}

/* An integer written as one (not 1.0, not "1"), within min..max. */
static bool get_int(reader *rd, const json_t *obj, const char *key, const char *at,
                    long long min, long long max, long long *out) {
  const json_t *v = member(rd, obj, key, at, true);
  if (!v)
    return false;
  const char *where = at_key(rd, at, key);
  if (!json_is_integer(v)) {
    bad(rd, where, "must be an integer, not %s", type_name(v));
    return false;
  }
  *out = json_integer_value(v);
  if (*out < min || *out > max) {
    bad(rd, where, "%lld is out of range (%lld to %lld)", *out, min, max);
    return false;
  }
  return true;
}

typedef struct {
  const char *s;
  size_t i;
} indexed;

static int by_string_then_index(const void *pa, const void *pb) {
  const indexed *a = pa, *b = pb;
  int c = strcmp(a->s, b->s);
  return c ? c : a->i < b->i ? -1 : a->i > b->i;
}

/* The first item (in order) equal to an earlier one: its index, with the
 * earlier one's in *first; n when all differ. Sorting keeps this n log n on
 * a file made to be slow. */
static size_t first_repeat(arena *a, const char *const *items, size_t n, size_t *first) {
  if (n < 2)
    return n;
  indexed *x = arena_alloc(a, n * sizeof *x);
  for (size_t i = 0; i < n; i++)
    x[i] = (indexed){items[i], i};
  qsort(x, n, sizeof *x, by_string_then_index);
  size_t best = n;
  for (size_t i = 1; i < n; i++) {
    size_t g = i - 1; /* x[g] starts a group of equal strings? */
    if (strcmp(x[i].s, x[g].s) || (g > 0 && !strcmp(x[g - 1].s, x[g].s)))
      continue;
    if (x[i].i < best) {
      best = x[i].i;
      *first = x[g].i;
    }
  }
  return best;
}

/* A list of ids (or of locales), each once. */
static bool get_ids(reader *rd, const json_t *obj, const char *key, const char *at, bool required,
                    str_kind kind, strlist *out) {
  const json_t *v = member(rd, obj, key, at, required);
  if (!v)
    return false;
  const char *where = at_key(rd, at, key);
  if (!json_is_array(v)) {
    bad(rd, where, "must be an array, not %s", type_name(v));
    return false;
  }
  for (size_t i = 0; i < json_array_size(v) && rd->ok; i++) {
    const char *s = string_value(rd, json_array_get(v, i), at_index(rd, where, i), kind);
    if (s)
      strlist_add(rd->a, out, s);
  }
  size_t first = 0, again = rd->ok ? first_repeat(rd->a, out->items, out->count, &first) : 0;
  if (rd->ok && again < out->count)
    bad(rd, at_index(rd, where, again), "'%s' is listed twice", show(rd, out->items[again]));
  return rd->ok;
}

static void only_keys(reader *rd, const json_t *obj, const char *at, const char *const *known) {
  const char *key;
  const json_t *v;
  json_object_foreach((json_t *)obj, key, v) {
    size_t k = 0;
    while (known[k] && strcmp(known[k], key))
      k++;
    if (!known[k]) {
      bad(rd, at, "unknown key '%s'", show(rd, key));
      return;
    }
  }
}

static const json_t *get_container(reader *rd, const json_t *obj, const char *key,
                                   const char *at, bool object) {
  const json_t *v = member(rd, obj, key, at, true);
  if (v && (object ? !json_is_object(v) : !json_is_array(v))) {
    bad(rd, at_key(rd, at, key), "must be %s, not %s", object ? "an object" : "an array",
        type_name(v));
    return NULL;
  }
  return v;
}

static void read_roles(reader *rd, policy_set *s, const json_t *roles) {
  static const char *const keys[] = {"id", "kind", "unknown", "names", NULL};
  size_t n = json_array_size(roles);
  s->roles = arena_alloc(rd->a, (n ? n : 1) * sizeof *s->roles);
  const char **ids = arena_alloc(rd->a, (n ? n : 1) * sizeof *ids);
  for (size_t i = 0; i < n && rd->ok; i++) {
    const json_t *r = json_array_get(roles, i);
    const char *at = at_index(rd, "$.roles", i);
    if (!json_is_object(r)) {
      bad(rd, at, "a role is an object, not %s", type_name(r));
      return;
    }
    only_keys(rd, r, at, keys);
    policy_role *pr = &s->roles[i];
    pr->id = get_string(rd, r, "id", at, true, STR_ID);
    const char *kind = get_string(rd, r, "kind", at, true, STR_TEXT);
    if (kind && strcmp(kind, "role") && strcmp(kind, "audience"))
      bad(rd, at_key(rd, at, "kind"), "must be role or audience, not '%s'", show(rd, kind));
    pr->audience = kind && !strcmp(kind, "audience");
    const json_t *unknown = json_object_get(r, "unknown");
    if (rd->ok && unknown && !json_is_boolean(unknown))
      bad(rd, at_key(rd, at, "unknown"), "must be true or false, not %s", type_name(unknown));
    pr->unknown = unknown && json_is_true(unknown);
    pr->names = arena_alloc(rd->a, (s->nlocales ? s->nlocales : 1) * sizeof(char *));
    const json_t *names = rd->ok ? get_container(rd, r, "names", at, true) : NULL;
    const char *loc;
    const json_t *name;
    json_object_foreach((json_t *)names, loc, name) {
      if (!rd->ok)
        break;
      if (!policy_valid_locale(loc)) {
        bad(rd, at_key(rd, at, "names"), "'%s' is not a locale " LOCALE_HINT, show(rd, loc));
        break;
      }
      const char *text =
          string_value(rd, name, at_key(rd, at_key(rd, at, "names"), loc), STR_NONEMPTY);
      /* Names in a locale the set does not list are not kept. */
      for (size_t l = 0; text && l < s->nlocales; l++)
        if (!strcmp(s->locales[l], loc))
          pr->names[l] = text;
    }
    ids[i] = pr->id;
    s->nroles++;
  }
  size_t first = 0, again = rd->ok ? first_repeat(rd->a, ids, s->nroles, &first) : 0;
  if (rd->ok && again < s->nroles)
    bad(rd, at_key(rd, at_index(rd, "$.roles", again), "id"),
        "role '%s' appears twice (first at $.roles[%zu])", ids[again], first);
}

static void read_source(reader *rd, policy_rule *r, const json_t *src, const char *at) {
  static const char *const keys[] = {"article", "anchor", "locale", "line", "locales", NULL};
  only_keys(rd, src, at, keys);
  r->article = get_string(rd, src, "article", at, true, STR_TEXT);
  size_t n = r->article ? strlen(r->article) : 0;
  if (r->article && (n < 3 || strcmp(r->article + n - 3, ".md")))
    bad(rd, at_key(rd, at, "article"), "'%s' is not a Markdown file name (.md)",
        show(rd, r->article));
  r->anchor = get_string(rd, src, "anchor", at, true, STR_TEXT);
  r->locale = get_string(rd, src, "locale", at, true, STR_LOCALE);
  long long line = 0;
  if (rd->ok && get_int(rd, src, "line", at, 1, INT_MAX, &line))
    r->line = (int)line;
  if (rd->ok && get_ids(rd, src, "locales", at, true, STR_LOCALE, &r->locales) &&
      !r->locales.count)
    bad(rd, at_key(rd, at, "locales"), "lists no locale");
}

static void read_rule(reader *rd, policy_rule *r, const json_t *m, const char *at) {
  static const char *const keys[] = {"id",       "kind",     "resource", "action", "allow",
                                     "audience", "readOnly", "default",  "requires",
                                     "channels", "audit",    "derived",  "source", NULL};
  only_keys(rd, m, at, keys);
  r->id = get_string(rd, m, "id", at, true, STR_TEXT);
  if (r->id && !policy_valid_rule_id(r->id))
    bad(rd, at_key(rd, at, "id"), "'%s' is not a rule id (resource:action, each an id)",
        show(rd, r->id));
  const char *kind = get_string(rd, m, "kind", at, true, STR_TEXT);
  if (kind && strcmp(kind, "action") && strcmp(kind, "task") && strcmp(kind, "audience"))
    bad(rd, at_key(rd, at, "kind"), "must be action, task or audience, not '%s'",
        show(rd, kind));
  r->kind = kind && !strcmp(kind, "task")       ? RULE_TASK
            : kind && !strcmp(kind, "audience") ? RULE_AUDIENCE
                                                : RULE_ACTION;
  r->resource = get_string(rd, m, "resource", at, true, STR_RESOURCE);
  r->action = get_string(rd, m, "action", at, true, STR_ID);
  if (!rd->ok)
    return;
  /* The schema's allOf: an audience rule has "audience", every other one
   * "allow"; a task is an article's "perform"; a derived rule is the read
   * rule of read-only roles. */
  if (r->kind == RULE_AUDIENCE && json_object_get(m, "allow"))
    bad(rd, at, "an audience rule lists 'audience', not 'allow'");
  else if (r->kind != RULE_AUDIENCE && json_object_get(m, "audience"))
    bad(rd, at, "'audience' is only for audience rules (this one lists 'allow')");
  get_ids(rd, m, r->kind == RULE_AUDIENCE ? "audience" : "allow", at, true, STR_ID, &r->allow);
  if (rd->ok && r->kind == RULE_TASK && strcmp(r->action, "perform"))
    bad(rd, at_key(rd, at, "action"), "a task rule's action is 'perform', not '%s'", r->action);
  if (rd->ok && r->kind == RULE_TASK && strncmp(r->resource, "article/", 8))
    bad(rd, at_key(rd, at, "resource"), "a task rule's resource is 'article/...', not '%s'",
        r->resource);
  if (rd->ok)
    get_ids(rd, m, "readOnly", at, false, STR_ID, &r->read_only);
  r->deflt = rd->ok ? get_string(rd, m, "default", at, false, STR_TEXT) : NULL;
  if (r->deflt && strcmp(r->deflt, "on") && strcmp(r->deflt, "off"))
    bad(rd, at_key(rd, at, "default"), "must be on or off, not '%s'", show(rd, r->deflt));
  if (rd->ok)
    get_ids(rd, m, "requires", at, false, STR_ID, &r->requires);
  if (rd->ok)
    get_ids(rd, m, "channels", at, false, STR_ID, &r->channels);
  r->audit = rd->ok ? get_string(rd, m, "audit", at, false, STR_NONEMPTY) : NULL;
  r->derived = rd->ok ? get_string(rd, m, "derived", at, false, STR_TEXT) : NULL;
  if (r->derived && strcmp(r->derived, "read-only"))
    bad(rd, at_key(rd, at, "derived"), "must be 'read-only', not '%s'", show(rd, r->derived));
  if (rd->ok && r->derived && !json_object_get(m, "readOnly"))
    bad(rd, at, "a derived rule lists 'readOnly'");
  if (rd->ok && r->derived && strcmp(r->action, "read"))
    bad(rd, at_key(rd, at, "action"), "a derived rule's action is 'read', not '%s'", r->action);
  const json_t *src = rd->ok ? get_container(rd, m, "source", at, true) : NULL;
  if (src)
    read_source(rd, r, src, at_key(rd, at, "source"));
  /* Exports use resource and action, diff and eval the id: they must agree. */
  if (rd->ok && (strncmp(r->id, r->resource, strlen(r->resource)) ||
                 r->id[strlen(r->resource)] != ':' ||
                 strcmp(r->id + strlen(r->resource) + 1, r->action)))
    bad(rd, at_key(rd, at, "id"), "'%s' is not its resource:action '%s:%s'", r->id, r->resource,
        r->action);
}

static int by_rule_id(const void *a, const void *b) {
  return strcmp(((const policy_rule *)a)->id, ((const policy_rule *)b)->id);
}

static policy_set *read_set(reader *rd, const json_t *doc) {
  static const char *const keys[] = {"$schema", "schemaVersion", "generator", "sourceLocale",
                                     "locales", "roles",         "rules",     NULL};
  if (!json_is_object(doc)) {
    bad(rd, "$", "a rules file is a JSON object, not %s", type_name(doc));
    return NULL;
  }
  only_keys(rd, doc, "$", keys);
  policy_set *s = arena_alloc(rd->a, sizeof *s);
  get_string(rd, doc, "$schema", "$", false, STR_TEXT);
  long long version = 0;
  if (rd->ok && get_int(rd, doc, "schemaVersion", "$", LLONG_MIN, LLONG_MAX, &version) &&
      version != POLICY_SCHEMA_VERSION)
    bad(rd, "$.schemaVersion", "%lld is not a schema version this folio reads (%d)", version,
        POLICY_SCHEMA_VERSION);
  s->generator = rd->ok ? get_string(rd, doc, "generator", "$", true, STR_TEXT) : NULL;
  if (s->generator && strncmp(s->generator, "folio ", 6))
    bad(rd, "$.generator", "'%s' does not start with 'folio '", show(rd, s->generator));
  s->source_locale = rd->ok ? get_string(rd, doc, "sourceLocale", "$", true, STR_LOCALE) : NULL;
  strlist locs = {0};
  if (rd->ok && get_ids(rd, doc, "locales", "$", true, STR_LOCALE, &locs) && !locs.count)
    bad(rd, "$.locales", "lists no locale");
  s->locales = locs.items;
  s->nlocales = locs.count;
  if (rd->ok && !strlist_has(&locs, s->source_locale))
    bad(rd, "$.sourceLocale", "'%s' is not one of the locales", s->source_locale);
  const json_t *roles = rd->ok ? get_container(rd, doc, "roles", "$", false) : NULL;
  if (roles)
    read_roles(rd, s, roles);
  const json_t *rules = rd->ok ? get_container(rd, doc, "rules", "$", false) : NULL;
  if (!rd->ok)
    return NULL;
  size_t n = json_array_size(rules);
  s->rules = arena_alloc(rd->a, (n ? n : 1) * sizeof *s->rules);
  const char **ids = arena_alloc(rd->a, (n ? n : 1) * sizeof *ids);
  for (size_t i = 0; i < n && rd->ok; i++) {
    const json_t *m = json_array_get(rules, i);
    const char *at = at_index(rd, "$.rules", i);
    if (!json_is_object(m)) {
      bad(rd, at, "a rule is an object, not %s", type_name(m));
      break;
    }
    read_rule(rd, &s->rules[i], m, at);
    ids[i] = s->rules[i].id;
    s->nrules++;
  }
  size_t first = 0, again = rd->ok ? first_repeat(rd->a, ids, s->nrules, &first) : 0;
  if (rd->ok && again < s->nrules)
    bad(rd, at_key(rd, at_index(rd, "$.rules", again), "id"),
        "rule '%s' appears twice (first at $.rules[%zu])", ids[again], first);
  if (!rd->ok)
    return NULL;
  if (s->nrules > 1)
    qsort(s->rules, s->nrules, sizeof *s->rules, by_rule_id);
  return s;
}

policy_set *policy_read_json_text(arena *a, const char *path, const char *text, size_t len,
                                  diag_list *diags) {
  json_read_error err;
  json_t *doc = json_read_strict(text, len, RULES_MAX_DEPTH, &err);
  if (!doc) {
    diag_add(diags, path, err.line, err.col, SEV_ERROR, "rules-invalid", "%s", err.message);
    return NULL;
  }
  reader rd = {a, path, diags, true};
  policy_set *s = read_set(&rd, doc);
  json_decref(doc);
  return s;
}

/* The whole file, or -1 (errno set), or -2 when it is larger than max
 * (read no further: --rules /dev/zero ends). */
static int read_bounded(const char *path, size_t max, char **text, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  buf b = {0};
  int rc = 0;
  for (;;) {
    buf_reserve(&b, 65536);
    size_t n = fread(b.data + b.len, 1, b.cap - b.len - 1, f);
    b.len += n;
    if (b.len > max) {
      rc = -2;
      break;
    }
    if (n == 0) {
      if (ferror(f))
        rc = -1;
      break;
    }
  }
  int e = errno;
  fclose(f);
  if (rc < 0) {
    buf_free(&b);
    errno = e;
    return rc;
  }
  *len = b.len;
  *text = buf_detach(&b);
  return 0;
}

policy_set *policy_read_json(arena *a, const char *path, diag_list *diags) {
  char *text;
  size_t len;
  int rc = read_bounded(path, RULES_MAX_BYTES, &text, &len);
  if (rc == -2) {
    diag_add(diags, path, 0, 0, SEV_ERROR, "rules-invalid",
             "larger than %u MiB: not a rules file", RULES_MAX_BYTES >> 20);
    return NULL;
  }
  if (rc < 0) {
    diag_add(diags, path, 0, 0, SEV_ERROR, "file-unreadable", "cannot read the rules file: %s",
             strerror(errno));
    return NULL;
  }
  policy_set *s = policy_read_json_text(a, path, text, len, diags);
  free(text);
  return s;
}

/* ---- activity logs ---- */

/* One entry names roles and an action; the rest of the object (time, user,
 * ids) is the log's own and not looked at. */
static const char *entry_string(arena *a, const json_t *e, const char *key, const char **why) {
  const json_t *v = json_object_get(e, key);
  if (!v || *why)
    return NULL;
  if (!json_is_string(v) || !*json_string_value(v)) {
    *why = arena_printf(a, "\"%s\" must be a non-empty string, not %s", key,
                        json_is_string(v) ? "\"\"" : type_name(v));
    return NULL;
  }
  return arena_strdup(a, json_string_value(v));
}

int policy_audit_line(arena *a, const char *line, size_t len, policy_audit_entry *out,
                      const char **why, int *col) {
  memset(out, 0, sizeof *out);
  *why = NULL;
  *col = 0;
  size_t i = 0;
  while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
    i++;
  if (i == len)
    return 0;
  if (len > POLICY_AUDIT_MAX_LINE) {
    *why = arena_printf(a, "longer than %d bytes", POLICY_AUDIT_MAX_LINE);
    return -1;
  }
  json_read_error err;
  json_t *e = json_read_strict(line, len, POLICY_AUDIT_MAX_DEPTH, &err);
  if (!e) {
    *why = arena_strdup(a, err.message);
    *col = err.col;
    return -1;
  }
  if (!json_is_object(e)) {
    *why = arena_printf(a, "an entry is a JSON object, not %s", type_name(e));
    json_decref(e);
    return -1;
  }
  const char *role = entry_string(a, e, "role", why);
  if (role)
    strlist_add(a, &out->roles, role);
  const json_t *roles = json_object_get(e, "roles");
  if (roles && !*why && !json_is_array(roles))
    *why = arena_printf(a, "\"roles\" must be an array of strings, not %s", type_name(roles));
  for (size_t k = 0; roles && !*why && k < json_array_size(roles); k++) {
    const json_t *r = json_array_get(roles, k);
    if (!json_is_string(r) || !*json_string_value(r))
      *why = arena_printf(a, "\"roles\" must be an array of non-empty strings (item %zu is %s)",
                          k, json_is_string(r) ? "\"\"" : type_name(r));
    else
      strlist_add(a, &out->roles, arena_strdup(a, json_string_value(r)));
  }
  /* "event" is the activity log's name for it; "operation" some exports'. */
  static const char *const action_keys[] = {"action", "event", "operation"};
  for (size_t k = 0; k < 3 && !out->action && !*why; k++)
    out->action = entry_string(a, e, action_keys[k], why);
  json_decref(e);
  if (!*why && (!out->action || !out->roles.count))
    *why = "each line is a JSON object with \"role\" or \"roles\" and \"action\" or \"event\"";
  return *why ? -1 : 1;
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

/* ---- questions (folio policy eval and audit ask the same way) ---- */

#define ASK_MAX_HINTS 8

/* A hint is worth giving when it is this close (edits, case ignored). */
static size_t hint_bound(const char *s) { return strlen(s) / 3 + 1; }

/* "; did you mean 'a'?" or "; did you mean one of 'a', 'b'?" (nothing for
 * no hint), with the hints escaped for a terminal. */
static void put_hints(arena *a, buf *msg, const strlist *hints) {
  if (!hints->count)
    return;
  buf_puts(msg, hints->count > 1 ? "; did you mean one of " : "; did you mean ");
  for (size_t i = 0; i < hints->count; i++)
    buf_printf(msg, "%s'%s'", i ? ", " : "", text_for_display(a, hints->items[i], 120));
  buf_puts(msg, "?");
}

/* Keep the candidates at the least distance (all of them on a tie, so the
 * hint never picks one of several equals at random), up to the bound. */
static void nearest(arena *a, strlist *best, size_t *bestd, const char *want, const char *cand,
                    const char *show) {
  size_t d = str_distance_within(want, cand, true, *bestd);
  if (d > *bestd)
    return;
  if (d < *bestd) {
    best->count = 0;
    *bestd = d;
  }
  if (!strlist_has(best, show) && best->count < ASK_MAX_HINTS)
    strlist_add(a, best, show);
}

static const char *unknown_role(const policy_set *s, arena *a, const char *role) {
  strlist hints = {0};
  size_t bestd = hint_bound(role);
  for (size_t i = 0; i < s->nroles; i++) {
    nearest(a, &hints, &bestd, role, s->roles[i].id, s->roles[i].id);
    for (size_t l = 0; l < s->nlocales; l++)
      if (s->roles[i].names[l])
        nearest(a, &hints, &bestd, role, s->roles[i].names[l], s->roles[i].id);
  }
  strlist_sort(&hints);
  buf msg = {0};
  buf_printf(&msg, "unknown role '%s'", text_for_display(a, role, 120));
  put_hints(a, &msg, &hints);
  const char *out = arena_strdup(a, buf_cstr(&msg));
  buf_free(&msg);
  return out;
}

static const char *unknown_action(const policy_set *s, arena *a, const char *action) {
  buf msg = {0};
  strlist hints = {0};
  const policy_rule *exact = policy_find(s, action);
  if (exact) {
    /* An audience rule's id: it says who an article is for, not who may do
     * something, so there is nothing to decide. */
    buf_printf(&msg, "'%s' is an audience rule (who the article is for), not an action",
               text_for_display(a, action, 120));
  } else {
    buf_printf(&msg, "no rule names the action '%s'", text_for_display(a, action, 120));
    /* A resource or the start of a rule id: every rule it begins. */
    for (size_t i = 0; i < s->nrules; i++)
      if (s->rules[i].kind != RULE_AUDIENCE && *action &&
          str_starts_with(s->rules[i].id, action) && hints.count < ASK_MAX_HINTS)
        strlist_add(a, &hints, s->rules[i].id);
    /* Else the nearest rule ids and audit event names (a case variant is
     * at distance 0, and is answered with the spelling that exists). */
    if (!hints.count) {
      size_t bestd = hint_bound(action);
      for (size_t i = 0; i < s->nrules; i++) {
        const policy_rule *r = &s->rules[i];
        if (r->kind == RULE_AUDIENCE)
          continue;
        nearest(a, &hints, &bestd, action, r->id, r->id);
        if (r->audit)
          nearest(a, &hints, &bestd, action, r->audit, r->audit);
      }
    }
    strlist_sort(&hints);
    put_hints(a, &msg, &hints);
  }
  const char *out = arena_strdup(a, buf_cstr(&msg));
  buf_free(&msg);
  return out;
}

policy_answer policy_ask(const policy_set *s, arena *a, const char *const *roles, size_t nroles,
                         const char *action) {
  policy_answer ans = {POLICY_NO_RULE, NULL, NULL, NULL};
  const char **ids = arena_alloc(a, (nroles ? nroles : 1) * sizeof *ids);
  for (size_t i = 0; i < nroles; i++) {
    ids[i] = policy_role_id(s, roles[i]);
    if (!ids[i]) {
      ans.error = unknown_role(s, a, roles[i]);
      return ans;
    }
  }
  const policy_rule *m[64];
  bool bare;
  size_t n = policy_match_action(s, action, m, 64, &bare);
  if (!n) {
    ans.error = unknown_action(s, a, action);
    return ans;
  }
  if (bare && n > 1) {
    strlist hints = {0};
    for (size_t i = 0; i < n && i < 64 && hints.count < ASK_MAX_HINTS; i++)
      strlist_add(a, &hints, m[i]->id);
    buf msg = {0};
    buf_printf(&msg, "the action '%s' is ambiguous: %zu rules name it", text_for_display(a, action, 120), n);
    put_hints(a, &msg, &hints);
    ans.error = arena_strdup(a, buf_cstr(&msg));
    buf_free(&msg);
    return ans;
  }
  if (n > 64)
    n = 64;
  /* A user in several roles may do what any of them may. */
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < nroles; k++)
      if (strlist_has(&m[i]->allow, ids[k])) {
        ans.decision = POLICY_ALLOW;
        ans.rule = m[i];
        ans.role = ids[k];
        return ans;
      }
  ans.decision = POLICY_DENY;
  ans.rule = m[0];
  ans.role = nroles ? ids[0] : NULL;
  return ans;
}
