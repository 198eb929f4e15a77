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

/* Read 1..max digits at *s into *v; the digit count, or 0. */
static int digits(const char **s, int max, int *v) {
  int n = 0;
  *v = 0;
  while (n < max && **s >= '0' && **s <= '9') {
    *v = *v * 10 + (**s - '0');
    (*s)++;
    n++;
  }
  return n;
}

int frontmatter_parse_date(const char *s, int *year, int *month, int *day) {
  int y, m, d;
  const char *p = s;
  /* Only digits and the separators, read by hand: sscanf would take blanks
   * and signs. Learn writes M/D/YYYY with or without leading zeros. */
  if (strchr(s, '/')) {
    if (!digits(&p, 2, &m) || *p++ != '/' || !digits(&p, 2, &d) || *p++ != '/' ||
        digits(&p, 4, &y) != 4 || *p)
      return -1;
  } else if (digits(&p, 4, &y) != 4 || *p++ != '-' || digits(&p, 2, &m) != 2 || *p++ != '-' ||
             digits(&p, 2, &d) != 2 || *p) {
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

/* The file name without folder and extension: the title of an article
 * whose front matter gives none. */
static const char *fallback_title(arena *a, const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  return arena_strndup(a, base, dot && dot > base ? (size_t)(dot - base) : strlen(base));
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
  /* From here on a problem costs only its own key: the article is still
   * rendered, its links checked and its rules read. */
  ynode *doc = yamldoc_load(a, yaml_start, (size_t)(yaml_end - yaml_start), path, 1, diags);
  if (doc && doc->kind != YNODE_MAP) {
    diag_add(diags, path, doc->line, doc->col, SEV_ERROR, "invalid-front-matter",
             "front matter must be a mapping of keys to values");
    doc = NULL;
  }
  for (size_t i = 0; doc && i + 1 < doc->count; i += 2) {
    ynode *k = doc->items[i], *v = doc->items[i + 1];
    if (k->kind != YNODE_SCALAR) {
      diag_add(diags, path, k->line, k->col, SEV_ERROR, "invalid-front-matter",
               "front matter keys must be plain text");
      continue;
    }
    bool repeated = false;
    for (size_t j = 0; j < fm->nmeta && !repeated; j++)
      repeated = !strcmp(fm->meta[j].key, k->scalar);
    if (repeated) {
      diag_add(diags, path, k->line, k->col, SEV_ERROR, "invalid-front-matter",
               "key '%s' is given twice (the first value is used)", k->scalar);
      continue;
    }
    meta_entry e = {k->scalar, v};
    ARENA_PUSH(a, fm->meta, fm->nmeta, fm->capmeta, e);
    if (!strcmp(k->scalar, "title")) {
      fm->title = required_text(v, path, "title", diags);
    } else if (!strcmp(k->scalar, "description")) {
      fm->description = required_text(v, path, "description", diags);
    } else if (!strcmp(k->scalar, "ms.date")) {
      /* A date Learn would not read is left out of the page, not the page. */
      if (v->kind != YNODE_SCALAR ||
          frontmatter_parse_date(v->scalar, &fm->year, &fm->month, &fm->day) < 0) {
        fm->year = fm->month = fm->day = 0;
        diag_add(diags, path, v->line, v->col, SEV_WARNING, "invalid-date",
                 "ms.date '%s' is not a date and is left out: write MM/DD/YYYY (05/18/2020, "
                 "5/18/2020) or YYYY-MM-DD",
                 v->kind == YNODE_SCALAR ? v->scalar : "...");
      }
    }
  }
  if (doc && !ynode_get(doc, "title"))
    diag_add(diags, path, 1, 1, SEV_ERROR, "missing-title",
             "front matter has no 'title' (every article needs one)");
  if (doc && !ynode_get(doc, "description"))
    diag_add(diags, path, 1, 1, SEV_ERROR, "missing-description",
             "front matter has no 'description' (search engines and link previews use it)");
  /* Pages always have a title and a description to show, even after an
   * error here (a silenced one included). */
  if (!fm->title)
    fm->title = fallback_title(a, path);
  if (!fm->description)
    fm->description = "";
  return 0;
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

void frontmatter_write(const frontmatter *fm, buf *b) {
  binw_str(b, fm->title);
  binw_str(b, fm->description);
  binw_u32(b, (uint32_t)fm->year);
  binw_u32(b, (uint32_t)fm->month);
  binw_u32(b, (uint32_t)fm->day);
  binw_u64(b, fm->body_offset);
  binw_u32(b, (uint32_t)fm->body_line);
  binw_u32(b, (uint32_t)fm->nmeta);
  for (size_t i = 0; i < fm->nmeta; i++) {
    binw_str(b, fm->meta[i].key);
    ynode_write(fm->meta[i].value, b);
  }
}

bool frontmatter_read(arena *a, binr *r, frontmatter *fm) {
  memset(fm, 0, sizeof *fm);
  fm->title = binr_str(r, a);
  fm->description = binr_str(r, a);
  fm->year = (int)binr_u32(r);
  fm->month = (int)binr_u32(r);
  fm->day = (int)binr_u32(r);
  fm->body_offset = (size_t)binr_u64(r);
  fm->body_line = (int)binr_u32(r);
  /* As frontmatter_parse leaves them: a real date or none, a title and a
   * description, and every key with a value. Anything else is not ours. */
  char date[48];
  int y, m, d;
  snprintf(date, sizeof date, "%04d-%02d-%02d", fm->year, fm->month, fm->day);
  if (!fm->title || !fm->description ||
      ((fm->year || fm->month || fm->day) &&
       (frontmatter_parse_date(date, &y, &m, &d) < 0 || y != fm->year || m != fm->month ||
        d != fm->day)))
    r->bad = true;
  /* A key and a present-or-not mark at least. */
  size_t n = binr_count(r, 8);
  fm->meta = n ? arena_alloc(a, n * sizeof *fm->meta) : NULL;
  fm->nmeta = fm->capmeta = n;
  for (size_t i = 0; i < n && !r->bad; i++) {
    fm->meta[i].key = binr_str(r, a);
    fm->meta[i].value = ynode_read(a, r);
    if (!fm->meta[i].key || !fm->meta[i].value)
      r->bad = true;
  }
  return !r->bad;
}
