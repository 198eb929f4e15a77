#include "include.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

#define MAX_INCLUDE_DEPTH 10

typedef struct {
  const site_config *cfg;
  const content_set *cs;
  article *art;
  arena *mem; /* the expanded text and its line map */
  buf out;
  source_line *lines;
  size_t nlines, cap;
  const char *chain[MAX_INCLUDE_DEPTH + 1]; /* rel paths being expanded */
  int depth;
  int rc;
  size_t too_large;            /* includes left out for limits.file_bytes */
  const char *too_large_file;  /* where the first of them is */
  int too_large_line, too_large_col;
  diag_list *diags;            /* the article's, or a scratch list (include_list) */
  bool listing;                /* include_list: no line map, files recorded */
  const content_file **files;  /* include_list: each file expanded, in order */
  size_t nfiles, capfiles;
} expander;

static void map_line(expander *e, const char *file, const char *rel, int line, int via) {
  if (e->listing)
    return;
  source_line s = {file, rel, line, via};
  ARENA_PUSH(e->mem, e->lines, e->nlines, e->cap, s);
}

/* Parse "[!INCLUDE [title](path)]" at p; sets *path (malloc'd) and returns
 * the length matched, or 0. NO_MORE_INCLUDES: no include can end on the
 * rest of the line either (no ']' or ')' left), so the caller stops
 * looking: retrying at every '[' made "[!INCLUDE [x" repeated quadratic. */
#define NO_MORE_INCLUDES ((size_t)-1)
static size_t match_include(const char *p, const char *end, char **path) {
  static const char kw[] = "[!include";
  size_t n = sizeof kw - 1;
  if ((size_t)(end - p) < n || strncasecmp(p, kw, n))
    return 0;
  const char *q = p + n;
  while (q < end && (*q == ' ' || *q == '\t'))
    q++;
  if (q >= end || *q != '[')
    return 0;
  q = memchr(q, ']', (size_t)(end - q));
  if (!q)
    return NO_MORE_INCLUDES;
  if (q + 1 >= end || q[1] != '(')
    return 0;
  const char *ps = q + 2;
  const char *pe = memchr(ps, ')', (size_t)(end - ps));
  if (!pe)
    return NO_MORE_INCLUDES;
  if (pe + 1 >= end || pe[1] != ']')
    return 0;
  while (ps < pe && *ps == ' ')
    ps++;
  size_t plen = (size_t)(pe - ps);
  while (plen && ps[plen - 1] == ' ')
    plen--;
  *path = xstrndup(ps, plen);
  return (size_t)(pe + 2 - p);
}

static void expand(expander *e, const char *file, const char *rel, const char *text, size_t len,
                   int first_line, int via, bool inline_form);

/* Find and read the include named by target from the file at rel. */
static void include_file(expander *e, const char *from_rel, const char *from_file, int line,
                         int col, const char *target, int via, bool inline_form) {
  article *art = e->art;
  /* As DocFX reads an include's path: "~/" is the root of the locale's
   * content (the docset), and a backslash is a slash. */
  char *written = xstrdup(target);
  for (char *c = written; *c; c++)
    if (*c == '\\')
      *c = '/';
  bool from_root = written[0] == '~' && written[1] == '/';
  char *dir = from_root ? xstrdup("") : path_dirname(from_rel);
  char *joined = path_join(dir, written + (from_root ? 2 : 0));
  char *rel = path_normalize(joined);
  free(written);
  free(dir);
  free(joined);
  if (!rel) {
    diag_add(e->diags, from_file, line, col, SEV_ERROR, "include-out-of-scope",
             "include '%s' points outside the %s content folder", target,
             e->cfg->locales[art->locale]);
    e->rc = -1;
    return;
  }
  const content_file *f =
      content_find_file(e->cs->includes, e->cs->nincludes, art->locale, rel);
  if (!f && art->locale != 0)
    f = content_find_file(e->cs->includes, e->cs->nincludes, 0, rel);
  if (!f) {
    diag_add(e->diags, from_file, line, col, SEV_ERROR, "include-not-found",
             "include '%s' does not exist (looked for %s/%s; include files live in an "
             "includes/ folder)",
             target, e->cfg->locales[art->locale], rel);
    e->rc = -1;
    free(rel);
    return;
  }
  for (int i = 0; i <= e->depth; i++) {
    if (strcmp(e->chain[i], rel))
      continue;
    buf chain = {0};
    for (int j = i; j <= e->depth; j++) {
      buf_puts(&chain, e->chain[j]);
      buf_puts(&chain, " -> ");
    }
    buf_puts(&chain, rel);
    diag_add(e->diags, from_file, line, col, SEV_ERROR, "include-cycle",
             "include cycle: %s", chain.data);
    buf_free(&chain);
    e->rc = -1;
    free(rel);
    return;
  }
  if (e->depth == MAX_INCLUDE_DEPTH) {
    diag_add(e->diags, from_file, line, col, SEV_ERROR, "include-too-deep",
             "includes nested more than %d deep", MAX_INCLUDE_DEPTH);
    e->rc = -1;
    free(rel);
    return;
  }
  if (!f->text) {
    diag_add(e->diags, f->path, 0, 0, SEV_ERROR, "file-unreadable", "cannot read: %s",
             strerror(f->read_errno));
    e->rc = -1;
    free(rel);
    return;
  }
  /* The article with its includes is held to the same limit as a file:
   * a few KB of includes that each include the next several times would
   * otherwise grow past memory (exponentially). */
  if (e->out.len + f->len > e->cfg->file_bytes) {
    /* Reported once, at the first include left out, with the count. */
    if (!e->too_large++) {
      e->too_large_file = from_file;
      e->too_large_line = line;
      e->too_large_col = col;
    }
    e->rc = -1;
    free(rel);
    return;
  }
  /* A copy: the inline form rewrites line breaks, and threads share f. */
  size_t n = f->len;
  char *data = xstrndup(f->text, n);
  /* Skip front matter if the include has one (DocFX allows it). */
  const char *body = data;
  int body_line = 1;
  if (n >= 4 && !strncmp(data, "---\n", 4)) {
    const char *close = strstr(data + 4, "\n---");
    if (close) {
      const char *after = strchr(close + 1, '\n');
      after = after ? after + 1 : data + n;
      for (const char *p = data; p < after; p++)
        body_line += *p == '\n';
      body = after;
    }
  }
  size_t blen = n - (size_t)(body - data);
  if (inline_form) {
    /* Inline: one line of text, so the host line keeps its place. */
    while (blen && (body[blen - 1] == '\n' || body[blen - 1] == '\r'))
      blen--;
    for (size_t i = 0; i < blen; i++)
      if (body[i] == '\n' || body[i] == '\r')
        ((char *)body)[i] = ' ';
  }
  if (e->listing) {
    if (e->nfiles == e->capfiles) {
      e->capfiles = e->capfiles ? 2 * e->capfiles : 8;
      e->files = xrealloc(e->files, e->capfiles * sizeof *e->files);
    }
    e->files[e->nfiles++] = f;
  }
  const char *path = arena_strdup(art->mem, f->path);
  e->chain[++e->depth] = arena_strdup(art->mem, rel);
  expand(e, path, e->chain[e->depth], body, blen, body_line, via, inline_form);
  e->depth--;
  free(data);
  free(rel);
}

static void expand(expander *e, const char *file, const char *rel, const char *text, size_t len,
                   int first_line, int via, bool inline_form) {
  const char *p = text, *end = text + len;
  int line = first_line;
  bool in_fence = false;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    int this_via = e->depth == 0 ? line : via;
    /* Includes inside fenced code are code, not includes. */
    const char *s = p;
    while (s < le && (*s == ' ' || *s == '\t'))
      s++;
    if ((size_t)(le - s) >= 3 && (!strncmp(s, "```", 3) || !strncmp(s, "~~~", 3)))
      in_fence = !in_fence;
    const char *q = p;    /* where to look for the next include */
    const char *emit = p; /* what is not yet copied to the output */
    while (!in_fence && q < le) {
      const char *hit = memchr(q, '[', (size_t)(le - q));
      if (!hit)
        break;
      char *target = NULL;
      size_t m = match_include(hit, le, &target);
      if (m == NO_MORE_INCLUDES)
        break;
      if (!m) {
        q = hit + 1;
        continue;
      }
      /* Block form: nothing else on the line (a > prefix is allowed). */
      const char *before = p;
      while (before < hit && (*before == ' ' || *before == '\t' || *before == '>'))
        before++;
      const char *after = hit + m;
      while (after < le && (*after == ' ' || *after == '\t' || *after == '\r'))
        after++;
      bool block = before == hit && after == le;
      buf_put(&e->out, emit, (size_t)(hit - emit));
      if (block) {
        /* Close the current line, then the included lines each get their own. */
        if (hit > p) { /* the "> " prefix stays a line of its own */
          buf_putc(&e->out, '\n');
          map_line(e, file, rel, line, e->depth == 0 ? 0 : via);
        }
        include_file(e, rel, file, line, (int)(hit - p) + 1, target, this_via, false);
        free(target);
        goto next_line;
      }
      include_file(e, rel, file, line, (int)(hit - p) + 1, target, this_via, true);
      free(target);
      q = emit = hit + m;
    }
    buf_put(&e->out, emit, (size_t)(le - emit));
    if (!inline_form) {
      buf_putc(&e->out, '\n');
      map_line(e, file, rel, line, e->depth == 0 ? 0 : via);
    }
  next_line:
    p = nl ? nl + 1 : end;
    line++;
  }
}

int include_expand(const site_config *cfg, const content_set *cs, article *art, const char *text,
                   size_t len, int first_line, arena *mem, expanded_text *out) {
  expander e = {.cfg = cfg, .cs = cs, .art = art, .mem = mem, .diags = &art->diags};
  e.chain[0] = art->rel;
  expand(&e, art->path, art->rel, text, len, first_line, 0, false);
  if (e.too_large)
    diag_add(e.diags, e.too_large_file, e.too_large_line, e.too_large_col, SEV_ERROR,
             "include-too-large",
             "with its includes %s would grow past %llu bytes (limits.file_bytes in folio.yml); "
             "this include and %zu more are left out",
             art->path, e.cfg->file_bytes, e.too_large - 1);
  out->len = e.out.len;
  out->text = arena_strndup(mem, e.out.data ? e.out.data : "", e.out.len);
  out->lines = e.lines;
  out->nlines = e.nlines;
  buf_free(&e.out);
  return e.rc;
}

size_t include_list(const site_config *cfg, const content_set *cs, article *art, const char *text,
                    size_t len, const content_file ***out) {
  /* The same walk as include_expand, so that what is listed is exactly what
   * a build expands; its diagnostics are include_expand's to report. */
  diag_list scratch = {0};
  expander e = {.cfg = cfg, .cs = cs, .art = art, .diags = &scratch, .listing = true};
  e.chain[0] = art->rel;
  expand(&e, art->path, art->rel, text, len, 1, 0, false);
  buf_free(&e.out);
  diag_list_free(&scratch);
  *out = e.files;
  return e.nfiles;
}

void include_preload(arena *mem, content_set *cs) {
  for (size_t i = 0; i < cs->nincludes; i++) {
    content_file *f = &cs->includes[i];
    char *data;
    size_t n;
    if (read_file(f->path, &data, &n) < 0) {
      f->read_errno = errno;
      continue;
    }
    f->text = arena_strndup(mem, data, n);
    f->len = n;
    free(data);
  }
}
