#include "translation.h"

#include <string.h>

#include "buf.h"
#include "frontmatter.h"
#include "sha256.h"

void translation_hash_body(const char *text, size_t len, char out[TRANSLATION_HASH_SIZE]) {
  unsigned char d[32];
  if (!memchr(text, '\r', len)) {
    /* The usual file: nothing to drop, hashed where it is. */
    sha256(len ? text : "", len, d);
  } else {
    buf b = {0};
    buf_reserve(&b, len);
    for (size_t i = 0; i < len; i++)
      if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
        buf_putc(&b, text[i]);
    sha256(b.data ? b.data : "", b.len, d);
    buf_free(&b);
  }
  static const char hex[] = "0123456789abcdef";
  memcpy(out, "sha256:", 7);
  for (int i = 0; i < 32; i++) {
    out[7 + 2 * i] = hex[d[i] >> 4];
    out[8 + 2 * i] = hex[d[i] & 15];
  }
  out[71] = '\0';
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
