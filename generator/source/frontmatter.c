#include "frontmatter.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"

/* Length of the line starting at p (without its newline). */
static size_t line_len(const char *p, const char *end) {
  const char *q = memchr(p, '\n', (size_t)(end - p));
  return q ? (size_t)(q - p) : (size_t)(end - p);
}

static bool is_fence(const char *p, size_t n) {
  if (n && p[n - 1] == '\r')
    n--;
  while (n > 3 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
    n--;
  return n == 3 && !memcmp(p, "---", 3);
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int frontmatter_parse_date(const char *s, int *year, int *month, int *day) {
  int y, m, d, used = 0;
  /* Only digits and the separators: sscanf alone would take blanks and signs. */
  if (strlen(s) != 10 || strspn(s, "0123456789/-") != 10)
    return -1;
  if (sscanf(s, "%2d/%2d/%4d%n", &m, &d, &y, &used) == 3 && (size_t)used == strlen(s) &&
      used == 10) {
  } else if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && (size_t)used == strlen(s) &&
             used == 10) {
  } else {
    return -1;
  }
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
    return -1;
  if (d > days[m - 1] + (m == 2 && leap(y)))
    return -1;
  *year = y;
  *month = m;
  *day = d;
  return 0;
}

static const char *required_text(const ynode *v, const char *path, const char *key,
                                 diag_list *diags) {
  if (v->kind != YNODE_SCALAR || ynode_is_null(v) || !v->scalar[0]) {
    diag_add(diags, path, v->line, v->col, SEV_ERROR, "invalid-front-matter",
             "'%s' must be non-empty text", key);
    return NULL;
  }
  return v->scalar;
}

int frontmatter_parse(arena *a, const char *path, const char *text, size_t len, frontmatter *fm,
                      diag_list *diags) {
  memset(fm, 0, sizeof *fm);
  const char *p = text, *end = text + len;
  /* A UTF-8 byte order mark is allowed before the opening fence. */
  if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
    p += 3;
  size_t n = line_len(p, end);
  if (!is_fence(p, n)) {
    diag_add(diags, path, 1, 1, SEV_ERROR, "missing-front-matter",
             "an article must start with YAML front matter between '---' lines "
             "(with at least title and description)");
    return -1;
  }
  const char *yaml_start = p + n + (p + n < end);
  const char *q = yaml_start;
  int line = 2;
  const char *yaml_end = NULL;
  while (q < end) {
    size_t m = line_len(q, end);
    if (is_fence(q, m)) {
      yaml_end = q;
      q += m + (q + m < end);
      break;
    }
    q += m + (q + m < end);
    line++;
  }
  if (!yaml_end) {
    diag_add(diags, path, 1, 1, SEV_ERROR, "unclosed-front-matter",
             "the front matter opened here is never closed by a '---' line");
    return -1;
  }
  fm->body_offset = (size_t)(q - text);
  fm->body_line = line + 1;
  size_t before = diag_count(diags, SEV_ERROR);
  ynode *doc = yamldoc_load(a, yaml_start, (size_t)(yaml_end - yaml_start), path, 1, diags);
  if (!doc)
    return -1;
  if (doc->kind != YNODE_MAP) {
    diag_add(diags, path, doc->line, doc->col, SEV_ERROR, "invalid-front-matter",
             "front matter must be a mapping of keys to values");
    return -1;
  }
  for (size_t i = 0; i + 1 < doc->count; i += 2) {
    ynode *k = doc->items[i], *v = doc->items[i + 1];
    if (k->kind != YNODE_SCALAR) {
      diag_add(diags, path, k->line, k->col, SEV_ERROR, "invalid-front-matter",
               "front matter keys must be plain text");
      continue;
    }
    for (size_t j = 0; j < fm->nmeta; j++)
      if (!strcmp(fm->meta[j].key, k->scalar))
        diag_add(diags, path, k->line, k->col, SEV_ERROR, "invalid-front-matter",
                 "key '%s' is given twice", k->scalar);
    meta_entry e = {k->scalar, v};
    ARENA_PUSH(a, fm->meta, fm->nmeta, fm->capmeta, e);
    if (!strcmp(k->scalar, "title")) {
      fm->title = required_text(v, path, "title", diags);
    } else if (!strcmp(k->scalar, "description")) {
      fm->description = required_text(v, path, "description", diags);
    } else if (!strcmp(k->scalar, "ms.date")) {
      if (v->kind != YNODE_SCALAR ||
          frontmatter_parse_date(v->scalar, &fm->year, &fm->month, &fm->day) < 0)
        diag_add(diags, path, v->line, v->col, SEV_ERROR, "invalid-date",
                 "ms.date '%s' is not a date: write MM/DD/YYYY, for example 05/18/2020",
                 v->kind == YNODE_SCALAR ? v->scalar : "...");
    }
  }
  if (!ynode_get(doc, "title"))
    diag_add(diags, path, 1, 1, SEV_ERROR, "missing-title",
             "front matter has no 'title' (every article needs one)");
  if (!ynode_get(doc, "description"))
    diag_add(diags, path, 1, 1, SEV_ERROR, "missing-description",
             "front matter has no 'description' (search engines and link previews use it)");
  return diag_count(diags, SEV_ERROR) > before ? -1 : 0;
}

const char *frontmatter_get(arena *a, const frontmatter *fm, const char *key) {
  for (size_t i = 0; i < fm->nmeta; i++) {
    if (strcmp(fm->meta[i].key, key))
      continue;
    const ynode *v = fm->meta[i].value;
    if (v->kind == YNODE_SCALAR)
      return v->scalar;
    if (v->kind == YNODE_SEQ) {
      buf b = {0};
      for (size_t j = 0; j < v->count; j++)
        if (v->items[j]->kind == YNODE_SCALAR) {
          if (b.len)
            buf_puts(&b, ", ");
          buf_puts(&b, v->items[j]->scalar);
        }
      char *s = arena_strndup(a, b.data ? b.data : "", b.len);
      buf_free(&b);
      return s;
    }
    return NULL;
  }
  return NULL;
}
