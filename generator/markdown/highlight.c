/* Syntax highlighting at build time (see highlight.h). One tokenizer per
 * family of languages: C-like (C#, JavaScript, TypeScript, Python, SQL,
 * driven by a table of what each has), shells (Bash, PowerShell), and the
 * data formats (JSON, YAML, XML/HTML). They only colour: code that does
 * not parse is written as it is, and a token a tokenizer does not know
 * stays plain text. Each loop moves forward on every step, and every
 * look-ahead stops at the end of its line or at what it looked for, after
 * which the main loop continues past it: one pass over the text. */
#include "highlight.h"

#include <string.h>
#include <strings.h>

enum lexer { LEX_NONE, LEX_JSON, LEX_YAML, LEX_XML, LEX_BASH, LEX_POWERSHELL, LEX_CLIKE };

typedef struct clike clike;

struct highlight_lang {
  const char *name;  /* as a code fence writes it (lower case) */
  const char *label; /* shown above the block; NULL for plain text */
  enum lexer lexer;
  const clike *spec; /* LEX_CLIKE only */
};

/* ---- output ---- */

typedef struct {
  buf *out;
  const char *s;
  size_t n;
  size_t mark; /* start of the plain text not written yet */
} hl;

/* Write s[a..b) as a token of the given kind, after the plain text
 * before it. */
static void tok(hl *h, const char *kind, size_t a, size_t b) {
  if (b <= a)
    return;
  if (a > h->mark)
    buf_put_html(h->out, h->s + h->mark, a - h->mark);
  buf_puts(h->out, "<span class=\"tok-");
  buf_puts(h->out, kind);
  buf_puts(h->out, "\">");
  buf_put_html(h->out, h->s + a, b - a);
  buf_puts(h->out, "</span>");
  h->mark = b;
}

static void finish(hl *h) {
  if (h->n > h->mark)
    buf_put_html(h->out, h->s + h->mark, h->n - h->mark);
  h->mark = h->n;
}

/* ---- characters and scanning ---- */

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
/* Bytes of multi-byte UTF-8 characters count as letters, so a name in
 * another script is one word and never split inside a character. */
static bool id_start(unsigned char c) { return is_alpha(c) || c == '_' || c >= 0x80; }
static bool id_char(unsigned char c) { return id_start(c) || is_digit(c); }
static bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r'; }

static bool starts(const hl *h, size_t i, const char *t) {
  size_t k = strlen(t);
  return k && i + k <= h->n && !memcmp(h->s + i, t, k);
}

/* The end of the line at i: the index of its '\n', or n. */
static size_t eol(const hl *h, size_t i) {
  const char *nl = memchr(h->s + i, '\n', h->n - i);
  return nl ? (size_t)(nl - h->s) : h->n;
}

/* From i, the index just after the next t (t is short), or n. */
static size_t after(const hl *h, size_t i, const char *t) {
  size_t k = strlen(t);
  while (i + k <= h->n) {
    const char *p = memchr(h->s + i, t[0], h->n - i);
    if (!p || (size_t)(p - h->s) + k > h->n)
      break;
    i = (size_t)(p - h->s);
    if (!memcmp(p, t, k))
      return i + k;
    i++;
  }
  return h->n;
}

/* A quoted string from its opening quote at i: the index after the
 * closing quote. esc (if not 0) makes the next character literal; doubled
 * makes a doubled quote a literal quote (SQL, PowerShell, C# @"..."). A
 * string that may not span lines stops, unterminated, at the line end. */
static size_t quoted(const hl *h, size_t i, char q, char esc, bool doubled, bool multiline) {
  const char *s = h->s;
  for (i++; i < h->n; i++) {
    if (esc && s[i] == esc && i + 1 < h->n) {
      i++;
      continue;
    }
    if (s[i] == q) {
      if (doubled && i + 1 < h->n && s[i + 1] == q) {
        i++;
        continue;
      }
      return i + 1;
    }
    if (s[i] == '\n' && !multiline)
      return i;
  }
  return h->n;
}

/* A number at i (a digit, or '.' and a digit): decimal, hex, fraction,
 * exponent, and letter suffixes (10L, 1.5f, 10GB). */
static size_t number(const hl *h, size_t i) {
  const char *s = h->s;
  size_t n = h->n;
  if (s[i] == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
    i += 2;
  } else {
    while (i < n && (is_digit(s[i]) || s[i] == '_'))
      i++;
    if (i + 1 < n && s[i] == '.' && is_digit(s[i + 1]))
      for (i++; i < n && (is_digit(s[i]) || s[i] == '_');)
        i++;
    if (i + 1 < n && (s[i] == 'e' || s[i] == 'E') &&
        (is_digit(s[i + 1]) || ((s[i + 1] == '+' || s[i + 1] == '-') && i + 2 < n && is_digit(s[i + 2]))))
      for (i += 2; i < n && is_digit(s[i]);)
        i++;
  }
  while (i < n && id_char(s[i]))
    i++;
  return i;
}

/* Whether s[a..b) is in a sorted table; ci compares ASCII letters without
 * case (the table is in lower case). */
static bool in_table(const char *const *t, size_t count, const char *w, size_t len, bool ci) {
  char word[32];
  if (!len || len >= sizeof word)
    return false;
  for (size_t i = 0; i < len; i++)
    word[i] = ci && w[i] >= 'A' && w[i] <= 'Z' ? (char)(w[i] - 'A' + 'a') : w[i];
  word[len] = 0;
  size_t lo = 0, hi = count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(word, t[mid]);
    if (!c)
      return true;
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return false;
}

#define TABLE(t) t, sizeof t / sizeof *t

/* ---- keyword tables (sorted; highlight_tables_sorted checks) ---- */

static const char *const csharp_kw[] = {
    "abstract", "as",        "async",     "await",     "base",     "bool",     "break",
    "byte",     "case",      "catch",     "char",      "checked",  "class",    "const",
    "continue", "decimal",   "default",   "delegate",  "do",       "double",   "dynamic",
    "else",     "enum",      "event",     "explicit",  "extern",   "finally",  "fixed",
    "float",    "for",       "foreach",   "get",       "goto",     "if",       "implicit",
    "in",       "init",      "int",       "interface", "internal", "is",       "lock",
    "long",     "namespace", "new",       "object",    "operator", "out",      "override",
    "params",   "partial",   "private",   "protected", "public",   "readonly", "record",
    "ref",      "return",    "sbyte",     "sealed",    "set",      "short",    "sizeof",
    "stackalloc", "static",  "string",    "struct",    "switch",   "this",     "throw",
    "try",      "typeof",    "uint",      "ulong",     "unchecked", "unsafe",  "ushort",
    "using",    "var",       "virtual",   "void",      "volatile", "when",     "where",
    "while",    "yield"};
static const char *const csharp_lit[] = {"false", "null", "true"};

static const char *const js_kw[] = {
    "async",  "await",   "break",  "case",   "catch",      "class",  "const",  "continue",
    "debugger", "default", "delete", "do",   "else",       "export", "extends", "finally",
    "for",    "from",    "function", "if",   "import",     "in",     "instanceof", "let",
    "new",    "of",      "return", "static", "super",      "switch", "this",   "throw",
    "try",    "typeof",  "var",    "void",   "while",      "with",   "yield"};
static const char *const ts_kw[] = {
    "abstract", "any",      "as",        "async",    "await",   "boolean",  "break",
    "case",     "catch",    "class",     "const",    "constructor", "continue", "debugger",
    "declare",  "default",  "delete",    "do",       "else",    "enum",     "export",
    "extends",  "finally",  "for",       "from",     "function", "if",      "implements",
    "import",   "in",       "infer",     "instanceof", "interface", "is",   "keyof",
    "let",      "module",   "namespace", "never",    "new",     "number",   "of",
    "private",  "protected", "public",   "readonly", "return",  "satisfies", "static",
    "string",   "super",    "switch",    "symbol",   "this",    "throw",    "try",
    "type",     "typeof",   "unknown",   "var",      "void",    "while",    "with",
    "yield"};
static const char *const js_lit[] = {"NaN", "false", "null", "true", "undefined"};

static const char *const python_kw[] = {
    "and",    "as",     "assert", "async",  "await",    "break",  "case",  "class",
    "continue", "def",  "del",    "elif",   "else",     "except", "finally", "for",
    "from",   "global", "if",     "import", "in",       "is",     "lambda", "match",
    "nonlocal", "not",  "or",     "pass",   "raise",    "return", "try",   "while",
    "with",   "yield"};
static const char *const python_lit[] = {"False", "None", "True"};

static const char *const sql_kw[] = {
    "add",       "all",       "alter",     "and",      "as",        "asc",       "begin",
    "between",   "by",        "case",      "cast",     "check",     "column",    "commit",
    "constraint", "create",   "cross",     "database", "declare",   "default",   "delete",
    "desc",      "distinct",  "drop",      "else",     "end",       "exec",      "execute",
    "exists",    "foreign",   "from",      "full",     "function",  "grant",     "group",
    "having",    "if",        "in",        "index",    "inner",     "insert",    "into",
    "is",        "join",      "key",       "left",     "like",      "limit",     "merge",
    "not",       "offset",    "on",        "or",       "order",     "outer",     "over",
    "partition", "primary",   "procedure", "references", "return",  "returns",   "revoke",
    "right",     "rollback",  "select",    "set",      "table",     "then",      "top",
    "transaction", "trigger", "truncate",  "union",    "unique",    "update",    "use",
    "using",     "values",    "view",      "when",     "where",     "while",     "with"};
static const char *const sql_lit[] = {"false", "null", "true"};

static const char *const bash_kw[] = {"case", "do",   "done",   "elif",  "else", "esac",
                                      "fi",   "for",  "function", "if",  "in",   "select",
                                      "then", "until", "while"};
/* After these a new command starts ("if grep ...", "then echo ..."). */
static const char *const bash_kw_cmd[] = {"do", "elif", "else", "if", "then", "until", "while"};

static const char *const ps_kw[] = {
    "begin",  "break", "catch",  "class",   "continue", "data",  "do",     "dynamicparam",
    "else",   "elseif", "end",   "enum",    "exit",     "filter", "finally", "for",
    "foreach", "function", "if", "in",      "param",    "process", "return", "switch",
    "throw",  "trap",  "try",    "until",   "using",    "while"};
static const char *const ps_ops[] = {
    "and",  "as",   "band",     "bnot",     "bor",   "bxor",    "ceq",     "cne",
    "contains", "eq", "f",      "ge",       "gt",    "ieq",     "in",      "is",
    "isnot", "join", "le",      "like",     "lt",    "match",   "ne",      "not",
    "notcontains", "notin", "notlike", "notmatch", "or", "replace", "split", "xor"};
static const char *const ps_lit[] = {"false", "null", "true"};

static const char *const yaml_lit[] = {"FALSE", "False", "NULL", "Null", "TRUE", "True",
                                       "false", "null",  "true", "~"};
static const char *const json_lit[] = {"false", "null", "true"};

/* ---- C-like languages ---- */

enum prefix { PFX_NONE, PFX_PYTHON, PFX_CSHARP, PFX_SQL };

struct clike {
  const char *const *kw;
  size_t nkw;
  const char *const *lit;
  size_t nlit;
  bool ci;                       /* keywords without regard to case (SQL) */
  const char *line_comment;      /* "//", "#", "--" */
  const char *block_open, *block_close;
  const char *quotes;            /* characters that open a string */
  const char *multiline_quotes;  /* of those, the ones whose strings span lines */
  char esc;                      /* escape character in strings, or 0 */
  bool doubled;                  /* '' is a quote inside a string (SQL) */
  bool triple;                   /* """ and ''' strings (Python; C# raw strings) */
  enum prefix prefix;            /* string prefixes: r"" f"" (Python), @"" $"" (C#), N'' (SQL) */
  bool at_vars;                  /* @name, @@name are variables (SQL) */
  bool decorators;               /* @name is a decorator (Python, TypeScript) */
  bool directives;               /* #if, #region at the start of a line (C#) */
};

static const clike csharp = {TABLE(csharp_kw), TABLE(csharp_lit), false, "//", "/*", "*/",
                             "\"'", "", '\\', false, true, PFX_CSHARP, false, false, true};
static const clike javascript = {TABLE(js_kw), TABLE(js_lit), false, "//", "/*", "*/",
                                 "\"'`", "`", '\\', false, false, PFX_NONE, false, true, false};
static const clike typescript = {TABLE(ts_kw), TABLE(js_lit), false, "//", "/*", "*/",
                                 "\"'`", "`", '\\', false, false, PFX_NONE, false, true, false};
static const clike python = {TABLE(python_kw), TABLE(python_lit), false, "#", NULL, NULL,
                             "\"'", "", '\\', false, true, PFX_PYTHON, false, true, false};
static const clike sql = {TABLE(sql_kw), TABLE(sql_lit), true, "--", "/*", "*/",
                          "'", "", 0, true, false, PFX_SQL, true, false, false};

/* The length of a string prefix at i (0 when none precedes a quote), and
 * whether it makes a verbatim string (C# @"...": "" escapes, spans lines). */
static size_t string_prefix(const hl *h, const clike *L, size_t i, bool *verbatim) {
  const char *s = h->s;
  size_t q = i;
  *verbatim = false;
  if (L->prefix == PFX_PYTHON) {
    while (q < h->n && q - i < 2 && strchr("rRbBuUfF", s[q]) && s[q])
      q++;
  } else if (L->prefix == PFX_CSHARP) {
    while (q < h->n && q - i < 2 && (s[q] == '@' || s[q] == '$')) {
      *verbatim = *verbatim || s[q] == '@';
      q++;
    }
  } else if (L->prefix == PFX_SQL) {
    if (s[i] == 'N' || s[i] == 'n')
      q++;
  }
  if (q == i || q >= h->n || !s[q] || !strchr(L->quotes, s[q])) {
    *verbatim = false;
    return 0;
  }
  return q - i;
}

static void lex_clike(hl *h, const clike *L) {
  const char *s = h->s;
  size_t n = h->n, i = 0;
  bool line_start = true;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n') {
      line_start = true;
      i++;
      continue;
    }
    if (is_space(c)) {
      i++;
      continue;
    }
    bool first = line_start;
    line_start = false;
    size_t e;
    if (L->directives && c == '#' && first) {
      e = eol(h, i);
      tok(h, "meta", i, e);
      i = e;
      continue;
    }
    if (starts(h, i, L->line_comment)) {
      e = eol(h, i);
      tok(h, "comment", i, e);
      i = e;
      continue;
    }
    if (L->block_open && starts(h, i, L->block_open)) {
      e = after(h, i + strlen(L->block_open), L->block_close);
      tok(h, "comment", i, e);
      i = e;
      continue;
    }
    bool verbatim;
    size_t pre = string_prefix(h, L, i, &verbatim);
    size_t q = i + pre;
    if (q < n && s[q] && strchr(L->quotes, s[q])) {
      char qc = s[q];
      if (L->triple && q + 2 < n && s[q + 1] == qc && s[q + 2] == qc) {
        char term[4] = {qc, qc, qc, 0};
        /* Escapes first: \""" does not end a Python string. */
        e = q + 3;
        while (e < n) {
          if (L->esc && s[e] == L->esc && e + 1 < n) {
            e += 2;
          } else if (starts(h, e, term)) {
            e += 3;
            break;
          } else {
            e++;
          }
        }
      } else if (verbatim) {
        e = quoted(h, q, qc, 0, true, true);
      } else {
        e = quoted(h, q, qc, L->esc, L->doubled, strchr(L->multiline_quotes, qc) != NULL);
      }
      tok(h, "string", i, e);
      i = e;
      continue;
    }
    if (is_digit(c) || (c == '.' && i + 1 < n && is_digit((unsigned char)s[i + 1]))) {
      e = number(h, i);
      tok(h, "number", i, e);
      i = e;
      continue;
    }
    if (c == '@' && i + 1 < n && (L->at_vars || L->decorators)) {
      e = i + 1;
      if (L->at_vars && s[e] == '@')
        e++;
      if (e < n && id_start((unsigned char)s[e])) {
        while (e < n && (id_char((unsigned char)s[e]) || (L->decorators && s[e] == '.')))
          e++;
        tok(h, L->at_vars ? "variable" : "meta", i, e);
        i = e;
        continue;
      }
    }
    if (id_start(c)) {
      for (e = i; e < n && id_char((unsigned char)s[e]);)
        e++;
      if (in_table(L->kw, L->nkw, s + i, e - i, L->ci))
        tok(h, "keyword", i, e);
      else if (in_table(L->lit, L->nlit, s + i, e - i, L->ci))
        tok(h, "literal", i, e);
      i = e;
      continue;
    }
    i++;
  }
}

/* ---- JSON ---- */

static void lex_json(hl *h) {
  const char *s = h->s;
  size_t n = h->n, i = 0, e;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"') {
      e = quoted(h, i, '"', '\\', false, false);
      /* A string followed by ':' is a key. */
      size_t j = e;
      while (j < n && (is_space((unsigned char)s[j]) || s[j] == '\n'))
        j++;
      tok(h, j < n && s[j] == ':' ? "key" : "string", i, e);
      i = e;
    } else if (starts(h, i, "//")) {
      e = eol(h, i);
      tok(h, "comment", i, e);
      i = e;
    } else if (starts(h, i, "/*")) {
      e = after(h, i + 2, "*/");
      tok(h, "comment", i, e);
      i = e;
    } else if (is_digit(c) || (c == '-' && i + 1 < n && is_digit((unsigned char)s[i + 1]))) {
      e = number(h, c == '-' ? i + 1 : i);
      tok(h, "number", i, e);
      i = e;
    } else if (id_start(c)) {
      for (e = i; e < n && id_char((unsigned char)s[e]);)
        e++;
      if (in_table(TABLE(json_lit), s + i, e - i, false))
        tok(h, "literal", i, e);
      i = e;
    } else {
      i++;
    }
  }
}

/* ---- YAML ---- */

static bool yaml_number(const char *s, size_t a, size_t b) {
  if (a < b && (s[a] == '-' || s[a] == '+'))
    a++;
  if (a == b)
    return false;
  bool digits = false;
  for (size_t i = a; i < b; i++) {
    if (is_digit((unsigned char)s[i]))
      digits = true;
    else if (s[i] != '.' && s[i] != '_' && s[i] != 'e' && s[i] != 'E' && s[i] != '+' && s[i] != '-')
      return false;
  }
  return digits;
}

/* One line of YAML, from p to the line end le; indent is the line's.
 * flow counts open [ and {; block is set when a | or > scalar starts. */
static void yaml_line(hl *h, size_t ls, size_t p, size_t le, int indent, int *flow, int *block) {
  const char *s = h->s;
  while (p < le) {
    unsigned char c = (unsigned char)s[p];
    size_t e;
    bool end_or_space = p + 1 == le || is_space((unsigned char)s[p + 1]);
    if (is_space(c)) {
      p++;
    } else if (c == '#' && (p == ls || is_space((unsigned char)s[p - 1]))) {
      tok(h, "comment", p, le);
      return;
    } else if ((c == '-' || c == '?' || c == ':') && end_or_space) {
      p++;
    } else if (c == '[' || c == '{') {
      (*flow)++;
      p++;
    } else if (c == ']' || c == '}') {
      if (*flow)
        (*flow)--;
      p++;
    } else if (c == ',' && *flow) {
      p++;
    } else if (c == '&' || c == '*' || c == '!') {
      for (e = p + 1; e < le && !is_space((unsigned char)s[e]) && !(*flow && strchr(",]}", s[e]));)
        e++;
      tok(h, "meta", p, e);
      p = e;
    } else if ((c == '|' || c == '>') && !*flow) {
      for (e = p + 1; e < le && (s[e] == '+' || s[e] == '-' || is_digit((unsigned char)s[e]));)
        e++;
      size_t q = e;
      while (q < le && is_space((unsigned char)s[q]))
        q++;
      if (q == le || s[q] == '#')
        *block = indent; /* the lines below, indented deeper, are the text */
      p = e;
    } else if (c == '"' || c == '\'') {
      size_t whole = h->n;
      h->n = le; /* a quoted scalar is taken to end with its line */
      e = quoted(h, p, (char)c, c == '"' ? '\\' : 0, c == '\'', false);
      h->n = whole;
      size_t j = e;
      while (j < le && is_space((unsigned char)s[j]))
        j++;
      tok(h, j < le && s[j] == ':' ? "key" : "string", p, e);
      p = e;
    } else {
      /* A plain scalar ends at ": ", " #", or in flow at , ] } */
      for (e = p; e < le; e++) {
        if (s[e] == ':' && (e + 1 == le || is_space((unsigned char)s[e + 1]) ||
                            (*flow && strchr(",]}", s[e + 1]) && s[e + 1])))
          break;
        if (s[e] == '#' && e > p && is_space((unsigned char)s[e - 1]))
          break;
        if (*flow && strchr(",]}[{", s[e]) && s[e])
          break;
      }
      if (e == p) {
        p++;
        continue;
      }
      size_t t = e;
      while (t > p && is_space((unsigned char)s[t - 1]))
        t--;
      if (e < le && s[e] == ':')
        tok(h, "key", p, t);
      else if (in_table(TABLE(yaml_lit), s + p, t - p, false))
        tok(h, "literal", p, t);
      else if (yaml_number(s, p, t))
        tok(h, "number", p, t);
      else
        tok(h, "string", p, t);
      p = e;
    }
  }
}

static void lex_yaml(hl *h) {
  const char *s = h->s;
  size_t n = h->n, i = 0;
  int flow = 0, block = -1;
  while (i < n) {
    size_t le = eol(h, i), p = i;
    while (p < le && s[p] == ' ')
      p++;
    int indent = (int)(p - i);
    if (block >= 0) {
      if (p == le || indent > block || (p + 1 == le && s[p] == '\r')) {
        size_t t = le;
        if (t > p && s[t - 1] == '\r')
          t--;
        tok(h, "string", p, t);
        i = le < n ? le + 1 : n;
        continue;
      }
      block = -1;
    }
    if (p == i && le - i >= 3 && (starts(h, i, "---") || starts(h, i, "...")) &&
        (le - i == 3 || is_space((unsigned char)s[i + 3]))) {
      tok(h, "meta", i, i + 3);
      p = i + 3;
    }
    yaml_line(h, i, p, le, indent, &flow, &block);
    i = le < n ? le + 1 : n;
  }
}

/* ---- XML and HTML ---- */

static void lex_xml(hl *h) {
  const char *s = h->s;
  size_t n = h->n, i = 0, e;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c == '<' && starts(h, i, "<!--")) {
      e = after(h, i + 4, "-->");
      tok(h, "comment", i, e);
      i = e;
    } else if (c == '<' && starts(h, i, "<![CDATA[")) {
      e = after(h, i + 9, "]]>");
      tok(h, "string", i, e);
      i = e;
    } else if (c == '<' && (starts(h, i, "<?") || starts(h, i, "<!"))) {
      e = after(h, i + 2, ">");
      tok(h, "meta", i, e);
      i = e;
    } else if (c == '<' && i + 1 < n && (id_start((unsigned char)s[i + 1]) || s[i + 1] == '/')) {
      e = i + 1;
      if (s[e] == '/')
        e++;
      while (e < n && (id_char((unsigned char)s[e]) || s[e] == ':' || s[e] == '-' || s[e] == '.'))
        e++;
      tok(h, "tag", i, e);
      i = e;
      /* Attributes, up to > or />; a value follows '='. */
      bool value = false;
      while (i < n) {
        c = (unsigned char)s[i];
        if (c == '>') {
          tok(h, "tag", i, i + 1);
          i++;
          break;
        }
        if (c == '/' && i + 1 < n && s[i + 1] == '>') {
          tok(h, "tag", i, i + 2);
          i += 2;
          break;
        }
        if (c == '<')
          break; /* a tag left open: the next one starts here */
        if (c == '"' || c == '\'') {
          e = quoted(h, i, (char)c, 0, false, true);
          tok(h, "string", i, e);
          i = e;
          value = false;
          continue;
        }
        if (c == '=') {
          value = true;
          i++;
          continue;
        }
        if (is_space(c) || c == '\n' || c == '/') {
          i++;
          continue;
        }
        for (e = i; e < n && !is_space((unsigned char)s[e]) && !strchr("\n=<>\"'/", s[e]) && s[e];)
          e++;
        if (e == i)
          e = i + 1;
        tok(h, value ? "string" : "attr", i, e);
        value = false;
        i = e;
      }
    } else if (c == '&') {
      for (e = i + 1; e < n && e - i < 32 && (id_char((unsigned char)s[e]) || s[e] == '#');)
        e++;
      if (e < n && s[e] == ';' && e > i + 1) {
        tok(h, "literal", i, e + 1);
        i = e + 1;
      } else {
        i++;
      }
    } else {
      i++;
    }
  }
}

/* ---- shells ---- */

/* Characters that end a shell word. */
static bool shell_stop(unsigned char c) {
  return !c || is_space(c) || strchr("\n;|&()<>\"'`$", c);
}

/* Whether a line break at i continues the command (a \ or ` before it). */
static bool continued(const hl *h, size_t i, char mark) {
  while (i > 0 && is_space((unsigned char)h->s[i - 1]))
    i--;
  return i > 0 && h->s[i - 1] == mark;
}

static bool word_start(const hl *h, size_t i, const char *before) {
  return i == 0 || strchr(before, h->s[i - 1]);
}

static void lex_bash(hl *h) {
  const char *s = h->s;
  size_t n = h->n, i = 0, e;
  bool cmd = true;   /* the next word is a command (or a reserved word) */
  bool in_ok = false; /* after for, case, select: "in" is a reserved word */
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n') {
      cmd = !continued(h, i, '\\');
      in_ok = in_ok && !cmd;
      i++;
    } else if (is_space(c)) {
      i++;
    } else if (c == '#' && word_start(h, i, " \t\r\n;|&(")) {
      e = eol(h, i);
      tok(h, "comment", i, e);
      i = e;
    } else if (c == '\'' || c == '"') {
      e = quoted(h, i, (char)c, c == '"' ? '\\' : 0, false, true);
      tok(h, "string", i, e);
      i = e;
      cmd = false;
    } else if (c == '$') {
      unsigned char d = i + 1 < n ? (unsigned char)s[i + 1] : 0;
      if (d == '(') {
        i += 2;
        cmd = true;
        continue;
      }
      if (d == '{') {
        e = after(h, i + 2, "}");
      } else if (id_start(d)) {
        for (e = i + 1; e < n && id_char((unsigned char)s[e]);)
          e++;
      } else if (d && (is_digit(d) || strchr("@?#$!*-", d))) {
        e = i + 2;
      } else {
        i++;
        continue;
      }
      tok(h, "variable", i, e);
      i = e;
      cmd = false;
    } else if (c == ';' || c == '|' || c == '(' || c == '`' ||
               (c == '&' && !(i > 0 && (s[i - 1] == '>' || s[i - 1] == '<')))) {
      i++;
      cmd = true;
      in_ok = false;
    } else if (c == '-' && word_start(h, i, " \t\r\n") && i + 1 < n &&
               (s[i + 1] == '-' || is_alpha((unsigned char)s[i + 1]))) {
      for (e = i + 1; e < n && (id_char((unsigned char)s[e]) || s[e] == '-');)
        e++;
      tok(h, "param", i, e);
      i = e;
      cmd = false;
    } else if (shell_stop(c)) {
      i++;
    } else {
      for (e = i; e < n && !shell_stop((unsigned char)s[e]);)
        e++;
      /* NAME=value before a command sets a variable. */
      const char *eq = cmd ? memchr(s + i, '=', e - i) : NULL;
      size_t k = i;
      if (eq && id_start(c))
        while (k < (size_t)(eq - s) && id_char((unsigned char)s[k]))
          k++;
      if (eq && k == (size_t)(eq - s) && k > i) {
        tok(h, "variable", i, k);
      } else if ((cmd || (in_ok && e - i == 2 && !memcmp(s + i, "in", 2))) &&
                 in_table(TABLE(bash_kw), s + i, e - i, false)) {
        /* Reserved words count only where a command could start: "echo
         * done" prints a word. */
        tok(h, "keyword", i, e);
        cmd = in_table(TABLE(bash_kw_cmd), s + i, e - i, false);
        in_ok = (e - i == 3 && !memcmp(s + i, "for", 3)) || (e - i == 4 && !memcmp(s + i, "case", 4)) ||
                (e - i == 6 && !memcmp(s + i, "select", 6));
      } else if (cmd) {
        tok(h, "command", i, e);
        cmd = false;
      } else {
        size_t d = i;
        while (d < e && is_digit((unsigned char)s[d]))
          d++;
        if (d == e)
          tok(h, "number", i, e);
      }
      i = e;
    }
  }
}

static void lex_powershell(hl *h) {
  const char *s = h->s;
  size_t n = h->n, i = 0, e;
  bool cmd = true; /* a Verb-Noun word here is a command */
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    unsigned char d = i + 1 < n ? (unsigned char)s[i + 1] : 0;
    if (c == '\n') {
      cmd = !continued(h, i, '`');
      i++;
    } else if (is_space(c)) {
      i++;
    } else if (c == '<' && d == '#') {
      e = after(h, i + 2, "#>");
      tok(h, "comment", i, e);
      i = e;
    } else if (c == '#' && word_start(h, i, " \t\r\n;|({")) {
      e = eol(h, i);
      tok(h, "comment", i, e);
      i = e;
    } else if (c == '@' && (d == '"' || d == '\'')) {
      /* A here-string: @" at a line end, up to "@ at a line start. */
      char term[4] = {'\n', (char)d, '@', 0};
      e = after(h, i + 2, term);
      tok(h, "string", i, e);
      i = e;
      cmd = false;
    } else if (c == '"' || c == '\'') {
      e = quoted(h, i, (char)c, c == '"' ? '`' : 0, true, true);
      tok(h, "string", i, e);
      i = e;
      cmd = false;
    } else if (c == '$') {
      if (d == '{') {
        e = after(h, i + 2, "}");
      } else if (d && strchr("?^$", d)) {
        e = i + 2;
      } else if (id_start(d)) {
        /* $name, $env:NAME, $script:name */
        bool scope = false;
        for (e = i + 1; e < n; e++) {
          if (s[e] == ':' && !scope && e + 1 < n && id_start((unsigned char)s[e + 1]))
            scope = true;
          else if (!id_char((unsigned char)s[e]))
            break;
        }
      } else {
        i++;
        continue;
      }
      bool lit = in_table(TABLE(ps_lit), s + i + 1, e - i - 1, true);
      tok(h, lit ? "literal" : "variable", i, e);
      i = e;
      cmd = false;
    } else if (c == '-' && is_alpha(d) && word_start(h, i, " \t\r\n(")) {
      for (e = i + 1; e < n && id_char((unsigned char)s[e]);)
        e++;
      tok(h, in_table(TABLE(ps_ops), s + i + 1, e - i - 1, true) ? "keyword" : "param", i, e);
      i = e;
    } else if (is_digit(c) && !(i > 0 && id_char((unsigned char)s[i - 1]))) {
      e = number(h, i);
      tok(h, "number", i, e);
      i = e;
      cmd = false;
    } else if (id_start(c)) {
      bool dash = false;
      for (e = i; e < n; e++) {
        if (s[e] == '-' && e + 1 < n && id_start((unsigned char)s[e + 1]))
          dash = true;
        else if (!id_char((unsigned char)s[e]))
          break;
      }
      if (in_table(TABLE(ps_kw), s + i, e - i, true)) {
        tok(h, "keyword", i, e);
        cmd = true;
      } else {
        if (dash && cmd)
          tok(h, "command", i, e);
        cmd = false;
      }
      i = e;
    } else {
      /* | ; ( { = & start a new command; other punctuation does not. */
      cmd = strchr("|;({=&", c) != NULL || (cmd && c == '.');
      i++;
    }
  }
}

/* ---- languages ---- */

/* Sorted by name; the names Learn's code fences use, and common aliases. */
static const highlight_lang langs[] = {
    {"azurecli", "Azure CLI", LEX_BASH, NULL},
    {"azurecli-interactive", "Azure CLI", LEX_BASH, NULL},
    {"azurepowershell", "Azure PowerShell", LEX_POWERSHELL, NULL},
    {"azurepowershell-interactive", "Azure PowerShell", LEX_POWERSHELL, NULL},
    {"bash", "Bash", LEX_BASH, NULL},
    {"c", "C", LEX_NONE, NULL},
    {"c#", "C#", LEX_CLIKE, &csharp},
    {"cmd", "Windows Command Prompt", LEX_NONE, NULL},
    {"console", "Console", LEX_NONE, NULL},
    {"cpp", "C++", LEX_NONE, NULL},
    {"cs", "C#", LEX_CLIKE, &csharp},
    {"csharp", "C#", LEX_CLIKE, &csharp},
    {"csharp-interactive", "C#", LEX_CLIKE, &csharp},
    {"css", "CSS", LEX_NONE, NULL},
    {"dotnetcli", ".NET CLI", LEX_BASH, NULL},
    {"go", "Go", LEX_NONE, NULL},
    {"html", "HTML", LEX_XML, NULL},
    {"http", "HTTP", LEX_NONE, NULL},
    {"java", "Java", LEX_NONE, NULL},
    {"javascript", "JavaScript", LEX_CLIKE, &javascript},
    {"js", "JavaScript", LEX_CLIKE, &javascript},
    {"json", "JSON", LEX_JSON, NULL},
    {"jsonc", "JSON", LEX_JSON, NULL},
    {"markdown", "Markdown", LEX_NONE, NULL},
    {"md", "Markdown", LEX_NONE, NULL},
    {"output", "Output", LEX_NONE, NULL},
    {"plaintext", NULL, LEX_NONE, NULL},
    {"powershell", "PowerShell", LEX_POWERSHELL, NULL},
    {"ps", "PowerShell", LEX_POWERSHELL, NULL},
    {"ps1", "PowerShell", LEX_POWERSHELL, NULL},
    {"pwsh", "PowerShell", LEX_POWERSHELL, NULL},
    {"py", "Python", LEX_CLIKE, &python},
    {"python", "Python", LEX_CLIKE, &python},
    {"sh", "Bash", LEX_BASH, NULL},
    {"shell", "Shell", LEX_BASH, NULL},
    {"sql", "SQL", LEX_CLIKE, &sql},
    {"text", NULL, LEX_NONE, NULL},
    {"ts", "TypeScript", LEX_CLIKE, &typescript},
    {"tsql", "T-SQL", LEX_CLIKE, &sql},
    {"typescript", "TypeScript", LEX_CLIKE, &typescript},
    {"vb", "Visual Basic", LEX_NONE, NULL},
    {"xml", "XML", LEX_XML, NULL},
    {"yaml", "YAML", LEX_YAML, NULL},
    {"yml", "YAML", LEX_YAML, NULL},
    {"zsh", "Zsh", LEX_BASH, NULL},
};

const highlight_lang *highlight_find(const char *name, size_t len) {
  for (size_t i = 0; i < sizeof langs / sizeof *langs; i++)
    if (strlen(langs[i].name) == len && !strncasecmp(langs[i].name, name, len))
      return &langs[i];
  return NULL;
}

const char *highlight_label(const highlight_lang *l) { return l ? l->label : NULL; }

void highlight_html(buf *out, const highlight_lang *l, const char *code, size_t len) {
  hl h = {out, code, len, 0};
  switch (l ? l->lexer : LEX_NONE) {
  case LEX_JSON:
    lex_json(&h);
    break;
  case LEX_YAML:
    lex_yaml(&h);
    break;
  case LEX_XML:
    lex_xml(&h);
    break;
  case LEX_BASH:
    lex_bash(&h);
    break;
  case LEX_POWERSHELL:
    lex_powershell(&h);
    break;
  case LEX_CLIKE:
    lex_clike(&h, l->spec);
    break;
  case LEX_NONE:
    break;
  }
  finish(&h);
}

static bool sorted(const char *const *t, size_t n) {
  for (size_t i = 1; i < n; i++)
    if (strcmp(t[i - 1], t[i]) >= 0)
      return false;
  return true;
}

bool highlight_tables_sorted(void) {
  const struct {
    const char *const *t;
    size_t n;
  } tables[] = {{TABLE(csharp_kw)}, {TABLE(csharp_lit)}, {TABLE(js_kw)},     {TABLE(ts_kw)},
                {TABLE(js_lit)},    {TABLE(python_kw)},  {TABLE(python_lit)}, {TABLE(sql_kw)},
                {TABLE(sql_lit)},   {TABLE(bash_kw)},    {TABLE(bash_kw_cmd)}, {TABLE(ps_kw)},
                {TABLE(ps_ops)},    {TABLE(ps_lit)},     {TABLE(yaml_lit)},  {TABLE(json_lit)}};
  for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
    if (!sorted(tables[i].t, tables[i].n))
      return false;
  for (size_t i = 1; i < sizeof langs / sizeof *langs; i++)
    if (strcmp(langs[i - 1].name, langs[i].name) >= 0)
      return false;
  return true;
}
