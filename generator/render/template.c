/* Templates are parsed once into a tree of nodes; partials are linked by
 * pointer after all files are read, so rendering does no lookups by file. */
#include "template.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define MAX_PARTIAL_DEPTH 32
#define MAX_CONTEXT_DEPTH 64

typedef enum { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL } node_kind;

typedef struct tnode tnode;
typedef struct tmpl tmpl;
struct tnode {
  node_kind kind;
  const char *text; /* N_TEXT: text; otherwise the name */
  size_t len;
  int line, col;
  tnode **children;
  size_t n, cap;
  tmpl *partial; /* N_PARTIAL, linked after loading */
  const char **segs; /* a name split at its dots, once ("." has none) */
  size_t nsegs;
};

struct tmpl {
  const char *name; /* "page.html" or "partials/header.html" */
  const char *file; /* for messages */
  tnode root;
};

struct template_set {
  arena *a;
  tmpl **items;
  size_t n, cap;
};

/* ---- values ---- */

tvalue *tv_str(arena *a, const char *s) {
  tvalue *v = arena_alloc(a, sizeof *v);
  v->kind = s ? TV_STR : TV_NULL;
  v->s = s;
  return v;
}

tvalue *tv_bool(arena *a, bool b) {
  tvalue *v = arena_alloc(a, sizeof *v);
  v->kind = TV_BOOL;
  v->b = b;
  return v;
}

tvalue *tv_list(arena *a) {
  tvalue *v = arena_alloc(a, sizeof *v);
  v->kind = TV_LIST;
  return v;
}

tvalue *tv_map(arena *a) {
  tvalue *v = arena_alloc(a, sizeof *v);
  v->kind = TV_MAP;
  return v;
}

void tv_push(arena *a, tvalue *list, tvalue *item) {
  ARENA_PUSH(a, list->items, list->n, list->cap, item);
}

/* Keys are short and mostly differ in their first letter. */
static bool same_key(const char *k, const char *key) {
  return k == key || (k[0] == key[0] && !strcmp(k, key));
}

void tv_set(arena *a, tvalue *map, const char *key, tvalue *value) {
  for (size_t i = 0; i < map->n; i++)
    if (same_key(map->keys[i], key)) {
      map->items[i] = value;
      return;
    }
  size_t cap = map->cap;
  arena_grow(a, (void **)&map->keys, &cap, map->n + 1, sizeof *map->keys);
  arena_grow(a, (void **)&map->items, &map->cap, map->n + 1, sizeof *map->items);
  map->keys[map->n] = key;
  map->items[map->n++] = value;
}

void tv_set_str(arena *a, tvalue *map, const char *key, const char *s) {
  tv_set(a, map, key, tv_str(a, s));
}

void tv_set_bool(arena *a, tvalue *map, const char *key, bool b) {
  tv_set(a, map, key, tv_bool(a, b));
}

tvalue *tv_get(const tvalue *map, const char *key) {
  if (!map || map->kind != TV_MAP)
    return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (same_key(map->keys[i], key))
      return map->items[i];
  return NULL;
}

/* ---- parsing ---- */

static void add_child(arena *a, tnode *parent, tnode *child) {
  ARENA_PUSH(a, parent->children, parent->n, parent->cap, child);
}

static tnode *new_node(arena *a, node_kind k, const char *text, size_t len, int line, int col) {
  tnode *n = arena_alloc(a, sizeof *n);
  n->kind = k;
  n->text = arena_strndup(a, text, len);
  n->len = len;
  n->line = line;
  n->col = col;
  if (k != N_TEXT && k != N_PARTIAL && !(len == 1 && text[0] == '.')) {
    for (size_t i = 0; i < len; i++)
      n->nsegs += text[i] == '.';
    n->segs = arena_alloc(a, ++n->nsegs * sizeof *n->segs);
    const char *s = n->text;
    for (size_t i = 0; i < n->nsegs; i++) {
      const char *dot = strchr(s, '.');
      size_t sl = dot ? (size_t)(dot - s) : strlen(s);
      n->segs[i] = arena_strndup(a, s, sl);
      s += sl + 1;
    }
  }
  return n;
}

static void trim(const char **s, size_t *n) {
  while (*n && (**s == ' ' || **s == '\t'))
    (*s)++, (*n)--;
  while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
    (*n)--;
}

static bool valid_name(const char *s, size_t n) {
  if (n == 1 && s[0] == '.')
    return true;
  if (!n || s[0] == '.' || s[n - 1] == '.')
    return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-' || c == '.'))
      return false;
  }
  return true;
}

static tmpl *parse(arena *a, const char *name, const char *file, const char *text,
                   diag_list *diags) {
  tmpl *t = arena_alloc(a, sizeof *t);
  t->name = arena_strdup(a, name);
  t->file = arena_strdup(a, file);
  tnode *stack[64];
  int depth = 0;
  stack[0] = &t->root;
  const char *p = text;
  int line = 1;
  const char *line_start = text;
  const char *standalone_end = NULL;
  size_t before = diag_count(diags, SEV_ERROR);
  while (*p) {
    const char *open = strstr(p, "{{");
    const char *stop = open ? open : p + strlen(p);
    if (stop > p)
      add_child(a, stack[depth], new_node(a, N_TEXT, p, (size_t)(stop - p), line, 0));
    for (const char *q = p; q < stop; q++)
      if (*q == '\n')
        line++, line_start = q + 1;
    if (!open)
      break;
    int col = (int)(open - line_start) + 1;
    bool triple = open[2] == '{';
    const char *body = open + (triple ? 3 : 2);
    const char *close = strstr(body, triple ? "}}}" : "}}");
    if (!close) {
      diag_add(diags, file, line, col, SEV_ERROR, "template-syntax", "'{{' is never closed");
      break;
    }
    for (const char *q = open; q < close; q++)
      if (*q == '\n')
        line++, line_start = q + 1;
    char sigil = triple ? '{' : *body;
    /* Mustache's standalone rule: a section, comment or partial tag alone
     * on its line takes the whole line with it, so templates can be laid
     * out readably without blank lines in the output. */
    const char *after_tag = close + (triple ? 3 : 2);
    if (!triple && (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!' || sigil == '>')) {
      const char *ls = open;
      while (ls > text && (ls[-1] == ' ' || ls[-1] == '\t'))
        ls--;
      const char *ae = after_tag;
      while (*ae == ' ' || *ae == '\t' || *ae == '\r')
        ae++;
      if ((ls == text || ls[-1] == '\n') && (*ae == '\n' || *ae == '\0')) {
        tnode *parent = stack[depth];
        tnode *last = parent->n ? parent->children[parent->n - 1] : NULL;
        size_t indent = (size_t)(open - ls);
        if (indent && last && last->kind == N_TEXT && last->len >= indent)
          last->len -= indent;
        standalone_end = *ae == '\n' ? ae + 1 : ae;
      }
    }
    if (!triple && (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>' || sigil == '!' ||
                    sigil == '&'))
      body++;
    const char *nm = body;
    size_t nn = (size_t)(close - body);
    trim(&nm, &nn);
    p = close + (triple ? 3 : 2);
    int tag_line = line;
    if (standalone_end) {
      if (standalone_end > p && standalone_end[-1] == '\n')
        line++, line_start = standalone_end;
      p = standalone_end;
      standalone_end = NULL;
    }
    if (sigil == '!')
      continue;
    if (sigil == '>') {
      tnode *n = new_node(a, N_PARTIAL, nm, nn, tag_line, col);
      if (!nn)
        diag_add(diags, file, tag_line, col, SEV_ERROR, "template-syntax", "partial without a name");
      add_child(a, stack[depth], n);
      continue;
    }
    if (!valid_name(nm, nn)) {
      diag_add(diags, file, tag_line, col, SEV_ERROR, "template-syntax",
               "'%.*s' is not a valid name (letters, digits, _ - and dots)", (int)nn, nm);
      continue;
    }
    if (sigil == '#' || sigil == '^') {
      if (depth == 63) {
        diag_add(diags, file, tag_line, col, SEV_ERROR, "template-syntax", "sections nested too deep");
        break;
      }
      tnode *n = new_node(a, sigil == '#' ? N_SECTION : N_INVERTED, nm, nn, tag_line, col);
      add_child(a, stack[depth], n);
      stack[++depth] = n;
    } else if (sigil == '/') {
      if (depth == 0) {
        diag_add(diags, file, tag_line, col, SEV_ERROR, "template-syntax",
                 "'{{/%.*s}}' closes a section that was never opened", (int)nn, nm);
      } else if (stack[depth]->len != nn || memcmp(stack[depth]->text, nm, nn)) {
        diag_add(diags, file, tag_line, col, SEV_ERROR, "template-syntax",
                 "'{{/%.*s}}' closes '%s', opened at line %d", (int)nn, nm, stack[depth]->text,
                 stack[depth]->line);
        depth--;
      } else {
        depth--;
      }
    } else {
      add_child(a, stack[depth],
                new_node(a, triple || sigil == '&' ? N_RAW : N_VAR, nm, nn, tag_line, col));
    }
  }
  while (depth > 0) {
    diag_add(diags, file, stack[depth]->line, stack[depth]->col, SEV_ERROR, "template-syntax",
             "section '%s' is never closed", stack[depth]->text);
    depth--;
  }
  return diag_count(diags, SEV_ERROR) > before ? NULL : t;
}

static void add_tmpl(template_set *ts, tmpl *t) { ARENA_PUSH(ts->a, ts->items, ts->n, ts->cap, t); }

static tmpl *find(const template_set *ts, const char *name) {
  for (size_t i = 0; i < ts->n; i++)
    if (!strcmp(ts->items[i]->name, name))
      return ts->items[i];
  return NULL;
}

bool template_exists(const template_set *ts, const char *name) { return find(ts, name) != NULL; }

static int link_node(template_set *ts, tmpl *owner, tnode *n, diag_list *diags) {
  int rc = 0;
  if (n->kind == N_PARTIAL) {
    char *key = arena_printf(ts->a, "partials/%s.html", n->text);
    n->partial = find(ts, key);
    if (!n->partial) {
      diag_add(diags, owner->file, n->line, n->col, SEV_ERROR, "template-unknown-partial",
               "partial '%s' not found (expected %s)", n->text, key);
      rc = -1;
    }
  }
  for (size_t i = 0; i < n->n; i++)
    if (link_node(ts, owner, n->children[i], diags) < 0)
      rc = -1;
  return rc;
}

static int link_all(template_set *ts, diag_list *diags) {
  int rc = 0;
  for (size_t i = 0; i < ts->n; i++)
    if (link_node(ts, ts->items[i], &ts->items[i]->root, diags) < 0)
      rc = -1;
  return rc;
}

/* A template file: name.html, not hidden. */
static bool is_template_name(const char *name, void *ctx) {
  (void)ctx;
  return name[0] != '.' && str_ends_with(name, ".html");
}

static int load_folder(template_set *ts, const char *dir, const char *prefix, diag_list *diags) {
  DIR *d = opendir(dir);
  if (!d) {
    if (*prefix && errno == ENOENT)
      return 0; /* no partials folder */
    diag_add(diags, dir, 0, 0, SEV_ERROR, "template-unreadable", "cannot read templates: %s",
             strerror(errno));
    return -1;
  }
  size_t n;
  char **names = dir_names(d, is_template_name, NULL, &n);
  closedir(d);
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    char *path = path_join(dir, names[i]);
    char *text;
    size_t len;
    if (read_file(path, &text, &len) < 0) {
      diag_add(diags, path, 0, 0, SEV_ERROR, "template-unreadable", "cannot read: %s",
               strerror(errno));
      rc = -1;
    } else {
      char *name = arena_printf(ts->a, "%s%s", prefix, names[i]);
      tmpl *t = parse(ts->a, name, path, text, diags);
      free(text);
      if (t)
        add_tmpl(ts, t);
      else
        rc = -1;
    }
    free(path);
  }
  dir_names_free(names, n);
  return rc;
}

static template_set *new_set(void) {
  template_set *ts = xcalloc(1, sizeof *ts);
  ts->a = arena_new();
  return ts;
}

template_set *template_load_dir(const char *dir, diag_list *diags) {
  template_set *ts = new_set();
  char *partials = path_join(dir, "partials");
  int rc = load_folder(ts, dir, "", diags);
  if (load_folder(ts, partials, "partials/", diags) < 0)
    rc = -1;
  free(partials);
  if (rc == 0 && link_all(ts, diags) < 0)
    rc = -1;
  if (rc < 0) {
    template_free(ts);
    return NULL;
  }
  return ts;
}

template_set *template_load_string(const char *name, const char *text, diag_list *diags) {
  template_set *ts = new_set();
  tmpl *t = parse(ts->a, name, name, text, diags);
  if (!t) {
    template_free(ts);
    return NULL;
  }
  add_tmpl(ts, t);
  if (link_all(ts, diags) < 0) {
    template_free(ts);
    return NULL;
  }
  return ts;
}

int template_add_partial(template_set *ts, const char *name, const char *text, diag_list *diags) {
  char *key = arena_printf(ts->a, "partials/%s.html", name);
  tmpl *t = parse(ts->a, key, key, text, diags);
  if (!t)
    return -1;
  add_tmpl(ts, t);
  return link_all(ts, diags);
}

void template_free(template_set *ts) {
  if (!ts)
    return;
  arena_free(ts->a);
  free(ts);
}

/* ---- rendering ---- */

typedef struct {
  const tvalue *frames[MAX_CONTEXT_DEPTH];
  int depth;
  int partial_depth;
  buf *out;
  diag_list *diags;
  const tmpl *t;
  bool failed;
} render_state;

static bool truthy(const tvalue *v) {
  switch (v->kind) {
  case TV_NULL: return false;
  case TV_BOOL: return v->b;
  case TV_STR: return v->s[0] != '\0';
  case TV_LIST: return v->n > 0;
  default: return true;
  }
}

static void fail(render_state *st, const tnode *n, const char *why) {
  if (!st->failed)
    diag_add(st->diags, st->t->file, n->line, n->col, SEV_ERROR, "template-render",
             "'%s': %s", n->text, why);
  st->failed = true;
}

/* Resolve a dotted name; NULL (after a diagnostic) when unknown. */
static const tvalue *lookup(render_state *st, const tnode *n) {
  static const tvalue null_value = {.kind = TV_NULL};
  if (!n->nsegs) /* "." */
    return st->frames[st->depth - 1];
  const tvalue *v = NULL;
  for (int i = st->depth - 1; i >= 0 && !v; i--)
    v = tv_get(st->frames[i], n->segs[0]);
  if (!v) {
    fail(st, n, "unknown variable");
    return NULL;
  }
  for (size_t k = 1; k < n->nsegs; k++) {
    const tvalue *next = tv_get(v, n->segs[k]);
    if (!next) {
      if (v->kind == TV_MAP && v->open)
        return &null_value;
      fail(st, n, "unknown variable");
      return NULL;
    }
    v = next;
  }
  return v;
}

static void render_nodes(render_state *st, const tnode *parent);

static void push_frame(render_state *st, const tnode *n, const tvalue *v) {
  if (st->depth == MAX_CONTEXT_DEPTH) {
    fail(st, n, "sections nested too deep");
    return;
  }
  st->frames[st->depth++] = v;
  render_nodes(st, n);
  st->depth--;
}

static void render_nodes(render_state *st, const tnode *parent) {
  for (size_t i = 0; i < parent->n && !st->failed; i++) {
    const tnode *n = parent->children[i];
    switch (n->kind) {
    case N_TEXT:
      buf_put(st->out, n->text, n->len);
      break;
    case N_VAR:
    case N_RAW: {
      const tvalue *v = lookup(st, n);
      if (!v)
        return;
      if (v->kind == TV_LIST || v->kind == TV_MAP) {
        fail(st, n, "a list or a mapping cannot be printed: use it as a section");
        return;
      }
      const char *s = v->kind == TV_STR ? v->s : v->kind == TV_BOOL ? (v->b ? "true" : "") : "";
      if (n->kind == N_VAR)
        buf_puts_html(st->out, s);
      else
        buf_puts(st->out, s);
      break;
    }
    case N_SECTION: {
      const tvalue *v = lookup(st, n);
      if (!v)
        return;
      if (!truthy(v))
        break;
      if (v->kind == TV_LIST) {
        for (size_t j = 0; j < v->n && !st->failed; j++)
          push_frame(st, n, v->items[j]);
      } else {
        push_frame(st, n, v);
      }
      break;
    }
    case N_INVERTED: {
      const tvalue *v = lookup(st, n);
      if (!v)
        return;
      if (!truthy(v))
        render_nodes(st, n);
      break;
    }
    case N_PARTIAL: {
      if (st->partial_depth == MAX_PARTIAL_DEPTH) {
        fail(st, n, "partials nested too deep (a partial that includes itself?)");
        return;
      }
      const tmpl *saved = st->t;
      st->partial_depth++;
      st->t = n->partial;
      render_nodes(st, &n->partial->root);
      st->t = saved;
      st->partial_depth--;
      break;
    }
    }
  }
}

int template_render(const template_set *ts, const char *name, const tvalue *ctx, buf *out,
                    diag_list *diags) {
  const tmpl *t = find(ts, name);
  if (!t) {
    diag_add(diags, name, 0, 0, SEV_ERROR, "template-missing", "template '%s' not found", name);
    return -1;
  }
  render_state st = {.out = out, .diags = diags, .t = t};
  st.frames[st.depth++] = ctx;
  render_nodes(&st, &t->root);
  return st.failed ? -1 : 0;
}
