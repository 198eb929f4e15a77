/* An article's rules (policy_article) written to bytes and read back, for
 * the build cache: every field of every rule, in order, so that a cached
 * article merges exactly as a parsed one. */
#include <string.h>

#include "binio.h"
#include "policy.h"

static void put_list(buf *b, const strlist *l) {
  binw_u32(b, (uint32_t)l->count);
  for (size_t i = 0; i < l->count; i++)
    binw_str(b, l->items[i]);
}

static void get_list(binr *r, arena *a, strlist *l) {
  l->count = l->cap = binr_count(r, 4);
  l->items = l->count ? arena_alloc(a, l->count * sizeof *l->items) : NULL;
  for (size_t i = 0; i < l->count && !r->bad; i++)
    l->items[i] = binr_str(r, a);
}

void policy_article_write(const policy_article *pa, buf *out) {
  binw_u32(out, pa ? 1 : 0);
  if (!pa)
    return;
  binw_u32(out, (uint32_t)pa->count);
  for (size_t i = 0; i < pa->count; i++) {
    const policy_rule *x = &pa->rules[i];
    binw_str(out, x->id);
    binw_u32(out, (uint32_t)x->kind);
    binw_str(out, x->resource);
    binw_str(out, x->action);
    put_list(out, &x->allow);
    put_list(out, &x->read_only);
    binw_str(out, x->deflt);
    put_list(out, &x->requires);
    put_list(out, &x->channels);
    binw_str(out, x->audit);
    binw_str(out, x->derived);
    binw_str(out, x->article);
    binw_str(out, x->anchor);
    binw_str(out, x->locale);
    binw_str(out, x->file);
    binw_u32(out, (uint32_t)x->line);
    put_list(out, &x->locales);
    put_list(out, &x->written);
    put_list(out, &x->unknown_names);
    put_list(out, &x->unknown_ids);
    binw_u32(out, (uint32_t)x->section);
  }
}

int policy_article_read(arena *a, const void *data, size_t len, size_t *used,
                        policy_article **out) {
  binr r = binr_make(data, len);
  policy_article *pa = NULL;
  uint32_t present = binr_u32(&r);
  if (present == 1) {
    pa = arena_alloc(a, sizeof *pa);
    /* A rule is at least 4 bytes a field. */
    pa->count = pa->cap = binr_count(&r, 4 * 21);
    pa->rules = pa->count ? arena_alloc(a, pa->count * sizeof *pa->rules) : NULL;
    for (size_t i = 0; i < pa->count && !r.bad; i++) {
      policy_rule *x = &pa->rules[i];
      x->id = binr_str(&r, a);
      uint32_t kind = binr_u32(&r);
      if (kind > RULE_AUDIENCE)
        r.bad = true;
      x->kind = (rule_kind)kind;
      x->resource = binr_str(&r, a);
      x->action = binr_str(&r, a);
      get_list(&r, a, &x->allow);
      get_list(&r, a, &x->read_only);
      x->deflt = binr_str(&r, a);
      get_list(&r, a, &x->requires);
      get_list(&r, a, &x->channels);
      x->audit = binr_str(&r, a);
      x->derived = binr_str(&r, a);
      x->article = binr_str(&r, a);
      x->anchor = binr_str(&r, a);
      x->locale = binr_str(&r, a);
      x->file = binr_str(&r, a);
      x->line = (int)binr_u32(&r);
      get_list(&r, a, &x->locales);
      get_list(&r, a, &x->written);
      get_list(&r, a, &x->unknown_names);
      get_list(&r, a, &x->unknown_ids);
      x->section = (int)binr_u32(&r);
    }
  } else if (present != 0) {
    r.bad = true;
  }
  *used = (size_t)(r.p - (const unsigned char *)data);
  *out = r.bad ? NULL : pa;
  return r.bad ? -1 : 0;
}
