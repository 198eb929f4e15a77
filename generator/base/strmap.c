#include "strmap.h"

#include <stdint.h>
#include <string.h>

static uint64_t hash(const char *s) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ull;
  }
  return h;
}

void strmap_init(strmap *m, arena *mem) {
  memset(m, 0, sizeof *m);
  m->mem = mem;
}

static size_t slot(const char **keys, size_t cap, const char *key) {
  size_t i = (size_t)hash(key) & (cap - 1);
  while (keys[i] && strcmp(keys[i], key))
    i = (i + 1) & (cap - 1);
  return i;
}

int *strmap_get(const strmap *m, const char *key) {
  if (!m->cap)
    return NULL;
  size_t i = slot(m->keys, m->cap, key);
  return m->keys[i] ? &m->values[i] : NULL;
}

static void grow(strmap *m) {
  size_t cap = m->cap ? m->cap * 2 : 16;
  const char **keys = arena_alloc(m->mem, cap * sizeof *keys);
  int *values = arena_alloc(m->mem, cap * sizeof *values);
  for (size_t i = 0; i < m->cap; i++)
    if (m->keys[i]) {
      size_t j = slot(keys, cap, m->keys[i]);
      keys[j] = m->keys[i];
      values[j] = m->values[i];
    }
  m->keys = keys;
  m->values = values;
  m->cap = cap;
}

void strmap_set(strmap *m, const char *key, int value) {
  if ((m->count + 1) * 2 > m->cap)
    grow(m);
  size_t i = slot(m->keys, m->cap, key);
  if (!m->keys[i]) {
    m->keys[i] = key;
    m->count++;
  }
  m->values[i] = value;
}
