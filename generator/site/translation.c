#include "translation.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "frontmatter.h"
#include "include.h"
#include "sha256.h"

/* text with CRLF read as LF, appended to b. */
static void put_lf(buf *b, const char *text, size_t len) {
  buf_reserve(b, len);
  const char *p = text, *end = text + len;
  for (const char *cr = memchr(p, '\r', len); cr; cr = memchr(cr + 1, '\r', (size_t)(end - cr - 1))) {
    if (cr + 1 < end && cr[1] == '\n') { /* drop this CR: copy up to it */
      buf_put(b, p, (size_t)(cr - p));
      p = cr + 1;
    }
    if (cr + 1 >= end)
      break;
  }
  buf_put(b, p, (size_t)(end - p));
}

/* prefix + the SHA-256 of data[0..len) in hex. */
static void put_hash(const char *prefix, const char *data, size_t len,
                     char out[TRANSLATION_HASH_SIZE]) {
  unsigned char d[32];
  sha256(data ? data : "", len, d);
  static const char hex[] = "0123456789abcdef";
  size_t n = strlen(prefix);
  memcpy(out, prefix, n);
  for (int i = 0; i < 32; i++) {
    out[n + 2 * i] = hex[d[i] >> 4];
    out[n + 1 + 2 * i] = hex[d[i] & 15];
  }
  out[n + 64] = '\0';
}

void translation_hash_body(const char *text, size_t len, char out[TRANSLATION_HASH_SIZE]) {
  /* Most bodies have no CR at all and are hashed where they are. */
  if (!memchr(text, '\r', len)) {
    put_hash("sha256:", text, len, out);
    return;
  }
  buf b = {0};
  put_lf(&b, text, len);
  put_hash("sha256:", b.data, b.len, out);
  buf_free(&b);
}

void translation_hash_article(const site_config *cfg, const content_set *cs, article *art,
                              const char *body, size_t len, char out[TRANSLATION_HASH_SIZE]) {
  const content_file **files;
  size_t n = include_list(cfg, cs, art, body, len, &files);
  if (!n) {
    translation_hash_body(body, len, out);
    return;
  }
  buf b = {0};
  put_lf(&b, body, len);
  for (size_t i = 0; i < n; i++) {
    buf_putc(&b, '\0');
    buf_puts(&b, files[i]->rel);
    buf_putc(&b, '\0');
    put_lf(&b, files[i]->text, files[i]->len);
  }
  free(files);
  put_hash(TRANSLATION_HASH_INCLUDES, b.data, b.len, out);
  buf_free(&b);
}

const char *translation_state_name(translation_state s) {
  switch (s) {
  case TRANSLATION_SOURCE: return "source";
  case TRANSLATION_CURRENT: return "current";
  case TRANSLATION_STALE: return "stale";
  case TRANSLATION_UNTRACKED: return "untracked";
  case TRANSLATION_MISSING: return "missing";
  case TRANSLATION_ORPHAN: return "orphan";
  }
  return "?";
}

/* The recorded hash, read straight from the front matter (a scalar). */
static const char *recorded_hash(const article *t) {
  for (size_t i = 0; i < t->fm.nmeta; i++)
    if (!strcmp(t->fm.meta[i].key, TRANSLATION_HASH_KEY)) {
      const ynode *v = t->fm.meta[i].value;
      return v && v->kind == YNODE_SCALAR ? v->scalar : "";
    }
  return NULL;
}

translation_state translation_state_of(const content_set *cs, int locale, const char *rel) {
  if (locale == 0)
    return TRANSLATION_SOURCE;
  const article *src = content_find_article(cs, 0, rel);
  const article *t = content_find_article(cs, locale, rel);
  if (!t)
    return TRANSLATION_MISSING;
  if (!src)
    return TRANSLATION_ORPHAN;
  const char *h = recorded_hash(t);
  if (!h)
    return TRANSLATION_UNTRACKED;
  return src->body_hash && !strcmp(h, src->body_hash) ? TRANSLATION_CURRENT : TRANSLATION_STALE;
}

/* The end of the line at p (its '\n', or end). */
static const char *eol(const char *p, const char *end) {
  const char *q = memchr(p, '\n', (size_t)(end - p));
  return q ? q : end;
}

static bool is_fence_line(const char *p, const char *e) {
  if (e > p && e[-1] == '\r')
    e--;
  while (e - p > 3 && (e[-1] == ' ' || e[-1] == '\t'))
    e--;
  return e - p == 3 && !memcmp(p, "---", 3);
}

/* Whether the line at p names the key at column 0, plain or quoted; sets
 * *colon past the ':' that ends it. */
static bool key_line(const char *p, const char *e, const char **colon) {
  static const char key[] = TRANSLATION_HASH_KEY;
  size_t n = sizeof key - 1;
  const char *q = p;
  char quote = *q == '"' || *q == '\'' ? *q++ : 0;
  if ((size_t)(e - q) < n || memcmp(q, key, n))
    return false;
  q += n;
  if (quote && (q >= e || *q++ != quote))
    return false;
  while (q < e && (*q == ' ' || *q == '\t'))
    q++;
  if (q >= e || *q != ':' || (q + 1 < e && q[1] != ' ' && q[1] != '\t' && q[1] != '\r'))
    return false;
  *colon = q + 1;
  return true;
}

static const char *recorded_in(const frontmatter *fm) {
  for (size_t i = 0; i < fm->nmeta; i++)
    if (!strcmp(fm->meta[i].key, TRANSLATION_HASH_KEY))
      return fm->meta[i].value && fm->meta[i].value->kind == YNODE_SCALAR ? fm->meta[i].value->scalar
                                                                          : NULL;
  return NULL;
}

static bool has_errors(const diag_list *d, size_t from) {
  for (size_t i = from; i < d->count; i++)
    if (d->items[i].sev == SEV_ERROR)
      return true;
  return false;
}

int translation_record(arena *a, const char *path, const char *text, size_t len, const char *hash,
                       buf *out, diag_list *diags) {
  frontmatter fm;
  diag_list parsed = {0};
  bool bad = frontmatter_parse(a, path, text, len, &fm, &parsed) < 0 || has_errors(&parsed, 0);
  /* Only the errors: a warning (a date) is not --record's business. */
  for (size_t i = 0; bad && i < parsed.count; i++) {
    const diag *d = &parsed.items[i];
    if (d->sev == SEV_ERROR)
      diag_add(diags, d->file, d->line, d->col, d->sev, d->code, "%s", d->message);
  }
  diag_list_free(&parsed);
  if (bad)
    return -1;
  const char *old = recorded_in(&fm);
  if (old && !strcmp(old, hash))
    return 1;
  bool had_key = false;
  for (size_t i = 0; i < fm.nmeta; i++)
    had_key |= !strcmp(fm.meta[i].key, TRANSLATION_HASH_KEY);
  const char *p = text, *end = text + len;
  if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
    p += 3;
  p = eol(p, end) + 1; /* past the opening fence: frontmatter_parse found it */
  const char *at = NULL, *stop = NULL; /* the bytes to replace */
  bool found = false, space = false;
  for (int line = 2; p < end; line++) {
    const char *e = eol(p, end);
    if (is_fence_line(p, e)) {
      at = stop = p; /* not found: a line of its own before the fence */
      break;
    }
    const char *v;
    if (key_line(p, e, &v)) {
      found = true;
      const char *ve = e > v && e[-1] == '\r' ? e - 1 : e;
      space = v == ve || (*v != ' ' && *v != '\t'); /* "key:" alone gets "key: hash" */
      while (v < ve && (*v == ' ' || *v == '\t'))
        v++;
      if (v < ve && (*v == '"' || *v == '\'')) {
        const char *close = memchr(v + 1, *v, (size_t)(ve - v - 1));
        at = v + 1;
        stop = close ? close : v + 1;
      } else {
        /* Up to a comment (" #") or the end of the line, blanks left. */
        at = stop = v;
        while (stop < ve &&
               !((stop[0] == ' ' || stop[0] == '\t') && stop + 1 < ve && stop[1] == '#'))
          stop++;
        while (stop > at && (stop[-1] == ' ' || stop[-1] == '\t'))
          stop--;
      }
      if (stop > at && (*at == '|' || *at == '>')) {
        diag_add(diags, path, line, (int)(at - p) + 1, SEV_ERROR, "invalid-front-matter",
                 "'%s' is a block scalar; write it on one line to record",
                 TRANSLATION_HASH_KEY);
        return -1;
      }
      break;
    }
    p = e + 1;
  }
  buf_put(out, text, (size_t)(at - text));
  if (found) {
    buf_puts(out, space ? " " : "");
    buf_puts(out, hash);
  } else {
    /* A new last line, ended as the line before the fence is. */
    bool crlf = at - text >= 2 && at[-2] == '\r';
    buf_printf(out, "%s: %s%s", TRANSLATION_HASH_KEY, hash, crlf ? "\r\n" : "\n");
  }
  buf_put(out, stop, (size_t)(end - stop));
  /* What folio reads back must be this hash and every other key as it was;
   * a front matter the line-wise edit would get wrong (flow style, a key
   * written another way) is left to the translator. */
  frontmatter again;
  diag_list check = {0};
  const char *got = NULL;
  bool same = frontmatter_parse(a, path, out->data, out->len, &again, &check) == 0 &&
              !has_errors(&check, 0) && (got = recorded_in(&again)) && !strcmp(got, hash) &&
              again.nmeta == fm.nmeta + !had_key;
  size_t j = 0;
  for (size_t i = 0; same && i < fm.nmeta; i++) {
    if (!strcmp(fm.meta[i].key, TRANSLATION_HASH_KEY))
      continue;
    while (j < again.nmeta && !strcmp(again.meta[j].key, TRANSLATION_HASH_KEY))
      j++;
    same = j < again.nmeta && !strcmp(fm.meta[i].key, again.meta[j].key);
    j++;
  }
  diag_list_free(&check);
  if (!same) {
    diag_add(diags, path, 1, 1, SEV_ERROR, "invalid-front-matter",
             "folio cannot record '%s' in this front matter safely; add '%s: %s' by hand",
             TRANSLATION_HASH_KEY, TRANSLATION_HASH_KEY, hash);
    out->len = 0;
    return -1;
  }
  return 0;
}
