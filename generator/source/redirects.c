#include "redirects.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "yamldoc.h"

/* A JSON string. libyaml reads true, 12 and null as plain scalars; a JSON
 * string is quoted. A plain scalar that is no JSON literal is taken as text
 * too, so that a YAML copy of the file also reads. */
static bool is_text(const ynode *n) {
  if (n->kind != YNODE_SCALAR)
    return false;
  if (!n->plain)
    return true;
  if (ynode_is_null(n) || !strcmp(n->scalar, "true") || !strcmp(n->scalar, "false"))
    return false;
  char *end;
  (void)strtod(n->scalar, &end);
  return *end != '\0';
}

static const char *kind_of(const ynode *n) {
  if (n->kind != YNODE_SCALAR)
    return ynode_kind_name(n);
  if (ynode_is_null(n))
    return "null";
  if (n->plain && (!strcmp(n->scalar, "true") || !strcmp(n->scalar, "false")))
    return "a boolean";
  return "a number";
}

typedef struct {
  arena *a;
  const site_config *cfg;
  diag_list *diags;
  redirect_entry *items;
  size_t n, cap;
  size_t total;   /* well-formed entries read, this docset's or not */
} loader;

/* The path inside the locale folder for a source path from the repository
 * root, or NULL when it is not under redirect_root (another docset's). */
static const char *to_rel(loader *L, const char *source) {
  while (*source == '/')
    source++;
  char *norm = path_normalize(source);
  if (!norm)
    return NULL;
  const char *root = L->cfg->redirect_root;
  size_t rn = strlen(root);
  const char *r = NULL;
  if (!rn)
    r = arena_strdup(L->a, norm);
  else if (!strncmp(norm, root, rn) && norm[rn] == '/')
    r = arena_strdup(L->a, norm + rn + 1);
  free(norm);
  return r;
}

static void read_entry(loader *L, const char *file, const ynode *e) {
  if (e->kind != YNODE_MAP) {
    diag_add(L->diags, file, e->line, e->col, SEV_ERROR, "redirect-invalid",
             "a redirection must be an object with source_path and redirect_url, not %s",
             kind_of(e));
    return;
  }
  const ynode *source = NULL, *url = NULL;
  bool doc_id = false, ok = true;
  for (size_t i = 0; i + 1 < e->count; i += 2) {
    const ynode *k = e->items[i], *v = e->items[i + 1];
    const char *key = k->kind == YNODE_SCALAR ? k->scalar : "";
    if (ynode_get(e, key) != v) {
      diag_add(L->diags, file, k->line, k->col, SEV_ERROR, "redirect-invalid",
               "'%s' is given twice in this redirection", key);
      ok = false;
    } else if (!strcmp(key, "source_path") || !strcmp(key, "source_path_from_root") ||
               !strcmp(key, "redirect_url")) {
      if (!is_text(v) || !v->scalar[0]) {
        diag_add(L->diags, file, v->line, v->col, SEV_ERROR, "redirect-invalid",
                 "'%s' must be a non-empty string, not %s", key,
                 is_text(v) ? "empty" : kind_of(v));
        ok = false;
      } else if (!strcmp(key, "redirect_url")) {
        url = v;
      } else if (source) {
        diag_add(L->diags, file, k->line, k->col, SEV_ERROR, "redirect-invalid",
                 "a redirection has one source: source_path or source_path_from_root");
        ok = false;
      } else {
        source = v;
      }
    } else if (!strcmp(key, "redirect_document_id")) {
      if (v->kind != YNODE_SCALAR || !v->plain ||
          (strcmp(v->scalar, "true") && strcmp(v->scalar, "false"))) {
        diag_add(L->diags, file, v->line, v->col, SEV_ERROR, "redirect-invalid",
                 "'redirect_document_id' must be true or false, not %s",
                 v->kind == YNODE_SCALAR && !v->plain ? "a string" : kind_of(v));
        ok = false;
      } else {
        doc_id = !strcmp(v->scalar, "true");
      }
    } else {
      diag_add(L->diags, file, k->line, k->col, SEV_WARNING, "redirect-unknown-key",
               "unknown key '%s' in a redirection is ignored (known: source_path, "
               "source_path_from_root, redirect_url, redirect_document_id)",
               key);
    }
  }
  if (ok && !source)
    diag_add(L->diags, file, e->line, e->col, SEV_ERROR, "redirect-invalid",
             "this redirection has no source_path");
  if (ok && !url)
    diag_add(L->diags, file, e->line, e->col, SEV_ERROR, "redirect-invalid",
             "this redirection has no redirect_url");
  if (!ok || !source || !url)
    return;
  L->total++;
  const char *rel = to_rel(L, source->scalar);
  if (!rel)
    return; /* another docset's article: not ours to redirect */
  if (!str_ends_with(rel, ".md") && !str_ends_with(rel, ".yml")) {
    diag_add(L->diags, file, source->line, source->col, SEV_WARNING, "redirect-invalid",
             "'%s' is not an article (.md or .yml); only articles are redirected", source->scalar);
    return;
  }
  redirect_entry r = {rel, url->scalar, doc_id, file, source->line, source->col, url->line, url->col};
  ARENA_PUSH(L->a, L->items, L->n, L->cap, r);
}

/* Returns -1 on an I/O error. */
static int read_one(loader *L, const char *file, bool required) {
  char *text;
  size_t len;
  if (read_file(file, &text, &len) < 0) {
    if (!required && errno == ENOENT)
      return 0;
    diag_add(L->diags, file, 0, 0, SEV_ERROR, "redirects-unreadable", "cannot read: %s",
             strerror(errno));
    return -1;
  }
  ynode *doc = yamldoc_load(L->a, text, len, file, 0, L->diags);
  free(text);
  if (!doc)
    return 0;
  if (doc->kind != YNODE_MAP || !ynode_get(doc, "redirections")) {
    diag_add(L->diags, file, doc->line, doc->col, SEV_ERROR, "redirect-invalid",
             "a redirection file is an object with a \"redirections\" list");
    return 0;
  }
  for (size_t i = 0; i + 1 < doc->count; i += 2) {
    const ynode *k = doc->items[i], *v = doc->items[i + 1];
    const char *key = k->kind == YNODE_SCALAR ? k->scalar : "";
    if (strcmp(key, "redirections")) {
      diag_add(L->diags, file, k->line, k->col, SEV_WARNING, "redirect-unknown-key",
               "unknown key '%s' in the redirection file is ignored (known: redirections)", key);
    } else if (v->kind != YNODE_SEQ) {
      diag_add(L->diags, file, v->line, v->col, SEV_ERROR, "redirect-invalid",
               "\"redirections\" must be a list of redirections, not %s", kind_of(v));
    } else {
      for (size_t j = 0; j < v->count; j++)
        read_entry(L, file, v->items[j]);
    }
  }
  return 0;
}

static int cmp_entry(const void *pa, const void *pb) {
  const redirect_entry *a = pa, *b = pb;
  int c = strcmp(a->rel, b->rel);
  if (c)
    return c;
  c = strcmp(a->file, b->file);
  return c ? c : a->line - b->line;
}

int redirects_load(arena *a, const site_config *cfg, content_set *cs, diag_list *diags) {
  loader L = {.a = a, .cfg = cfg, .diags = diags};
  int rc = 0;
  for (size_t i = 0; i < cfg->nredirect_files; i++)
    if (read_one(&L, cfg->redirect_files[i], cfg->redirect_files_given) < 0)
      rc = -1;
  if (L.total && !L.n)
    diag_add(diags, cfg->redirect_files[0], 0, 0, SEV_WARNING, "redirects-none-apply",
             "none of the %zu redirections has a source path under '%s/' (set "
             "redirects.source_root in folio.yml to the folder that holds the source locale's "
             "articles in the repository)",
             L.total, cfg->redirect_root);
  if (L.n)
    qsort(L.items, L.n, sizeof *L.items, cmp_entry);
  /* The same source twice: the first (by file and line) is kept. */
  size_t out = 0;
  for (size_t i = 0; i < L.n; i++) {
    if (out && !strcmp(L.items[out - 1].rel, L.items[i].rel)) {
      const redirect_entry *first = &L.items[out - 1];
      diag_add(diags, L.items[i].file, L.items[i].line, L.items[i].col, SEV_ERROR,
               "redirect-duplicate", "'%s' is already redirected at %s:%d", L.items[i].rel,
               first->file, first->line);
      continue;
    }
    L.items[out++] = L.items[i];
  }
  cs->redirects = L.items;
  cs->nredirects = out;
  return rc;
}
