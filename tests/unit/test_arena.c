#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "test.h"

static bool all_zero(const void *p, size_t n) {
  const unsigned char *c = p;
  for (size_t i = 0; i < n; i++)
    if (c[i])
      return false;
  return true;
}

static bool aligned16(const void *p) { return ((uintptr_t)p & 15u) == 0; }

static void test_alloc_zeroed_and_aligned(void) {
  arena *a = arena_new();
  static const size_t sizes[] = {1, 3, 7, 15, 16, 17, 31, 100, 1000, 4097};
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
    unsigned char *p = arena_alloc(a, sizes[i]);
    CHECK(p != NULL);
    CHECK(aligned16(p));
    CHECK(all_zero(p, sizes[i]));
    memset(p, 0xAB, sizes[i]); /* dirty it: later allocations must still be zero */
  }
  /* Memory handed out again after a reset has been dirtied above. */
  arena_reset(a);
  unsigned char *q = arena_alloc(a, 4000);
  CHECK(aligned16(q));
  CHECK(all_zero(q, 4000));
  /* A zero-byte allocation is still a distinct, aligned pointer. */
  void *z1 = arena_alloc(a, 0), *z2 = arena_alloc(a, 0);
  CHECK(z1 != z2);
  CHECK(aligned16(z1) && aligned16(z2));
  arena_free(a);
}

static void test_realloc_in_place(void) {
  arena *a = arena_new();
  unsigned char *p = arena_alloc(a, 32);
  memset(p, 'x', 32);
  unsigned char *q = arena_realloc(a, p, 200);
  CHECK(q == p); /* newest allocation with room in its block grows in place */
  CHECK(all_zero(q + 32, 200 - 32));
  bool kept = true;
  for (int i = 0; i < 32; i++)
    kept = kept && q[i] == 'x';
  CHECK(kept);
  /* The grown allocation really owns its bytes: the next one comes after. */
  unsigned char *next = arena_alloc(a, 16);
  CHECK(next >= q + 200);
  /* Shrinking keeps the pointer. */
  CHECK(arena_realloc(a, q, 10) == q);
  arena_free(a);
}

static void test_realloc_copies(void) {
  arena *a = arena_new();
  char *p = arena_alloc(a, 24);
  strcpy(p, "keep these bytes");
  char *other = arena_alloc(a, 8); /* p is no longer the newest allocation */
  strcpy(other, "other");
  char *q = arena_realloc(a, p, 100);
  CHECK(q != p);
  CHECK(aligned16(q));
  CHECK_STR(q, "keep these bytes");
  CHECK(all_zero(q + 24, 100 - 24));
  CHECK_STR(other, "other"); /* untouched */
  /* NULL behaves as arena_alloc. */
  unsigned char *n = arena_realloc(a, NULL, 40);
  CHECK(n != NULL && all_zero(n, 40));
  arena_free(a);
}

static void test_realloc_across_blocks(void) {
  arena *a = arena_new();
  /* Grow one buffer far beyond the first block, one byte pattern at a time. */
  size_t size = 16;
  unsigned char *p = arena_alloc(a, size);
  for (size_t i = 0; i < size; i++)
    p[i] = (unsigned char)i;
  while (size < 1024 * 1024) {
    size_t nsize = size * 2;
    p = arena_realloc(a, p, nsize);
    CHECK(all_zero(p + size, nsize - size));
    for (size_t i = size; i < nsize; i++)
      p[i] = (unsigned char)i;
    size = nsize;
  }
  bool ok = true;
  for (size_t i = 0; i < size; i++)
    ok = ok && p[i] == (unsigned char)i;
  CHECK(ok);
  arena_free(a);
}

static void test_many_allocations(void) {
  arena *a = arena_new();
  enum { N = 20000, SZ = 50 };
  unsigned char **ptrs = malloc(N * sizeof *ptrs);
  for (int i = 0; i < N; i++) {
    ptrs[i] = arena_alloc(a, SZ);
    memset(ptrs[i], i & 0xff, SZ);
  }
  /* N * SZ is about 1 MB: many blocks. Every allocation kept its bytes. */
  bool ok = true, al = true;
  for (int i = 0; i < N; i++) {
    al = al && aligned16(ptrs[i]);
    for (int j = 0; j < SZ; j++)
      ok = ok && ptrs[i][j] == (unsigned char)(i & 0xff);
  }
  CHECK(ok);
  CHECK(al);
  CHECK(arena_bytes_used(a) >= (size_t)N * SZ);
  /* One allocation bigger than any block so far. */
  unsigned char *big = arena_alloc(a, 3u * 1024 * 1024);
  CHECK(big != NULL && all_zero(big, 3u * 1024 * 1024));
  big[3u * 1024 * 1024 - 1] = 1;
  CHECK(arena_bytes_used(a) >= (size_t)N * SZ + 3u * 1024 * 1024);
  free(ptrs);
  arena_free(a);
}

static void test_reset(void) {
  arena *a = arena_new();
  CHECK_INT(arena_bytes_used(a), 0);
  void *first = arena_alloc(a, 64);
  CHECK(arena_bytes_used(a) >= 64);
  for (int i = 0; i < 1000; i++)
    arena_alloc(a, 1000); /* spill into more blocks */
  CHECK(arena_bytes_used(a) >= 1000u * 1000);
  arena_reset(a);
  CHECK_INT(arena_bytes_used(a), 0);
  /* The first block is kept and reused from its start. */
  void *again = arena_alloc(a, 64);
  CHECK(again == first);
  /* After a reset realloc must not grow a stale "newest" pointer. */
  char *s = arena_strdup(a, "abc");
  char *t = arena_realloc(a, s, 4000);
  CHECK_STR(t, "abc");
  arena_reset(a);
  arena_reset(a); /* twice is fine */
  CHECK_INT(arena_bytes_used(a), 0);
  arena_free(a);
  arena_free(NULL); /* no-op */
}

static void test_strings(void) {
  arena *a = arena_new();
  CHECK_STR(arena_strndup(a, "hello world", 5), "hello");
  CHECK_STR(arena_strndup(a, "", 0), "");
  char src[] = "copy me";
  char *d = arena_strdup(a, src);
  src[0] = 'X';
  CHECK_STR(d, "copy me");
  CHECK(d != src);
  CHECK_STR(arena_printf(a, "%s-%d-%03d", "x", 42, 7), "x-42-007");
  CHECK_STR(arena_printf(a, "%s", ""), "");
  /* Longer than the first block. */
  char *wide = arena_printf(a, "%*s|", 100000, "end");
  CHECK_INT(strlen(wide), 100001);
  CHECK(str_ends_with(wide, "end|"));
  CHECK(wide[0] == ' ');
  arena_free(a);
}

/* arena_printf formats into the head block's free room when it fits: at
 * every length around a block's end, each string stays whole and apart
 * from the allocations before and after it. */
static void test_printf_at_block_end(void) {
  arena *a = arena_new_sized(256);
  char *got[600];
  int len[600];
  size_t bad = 0;
  for (int i = 0; i < 600; i++) {
    len[i] = (i * 7) % 300;
    got[i] = arena_printf(a, "%c%*s", 'a' + i % 26, len[i], "");
    memset(arena_alloc(a, (size_t)(i % 40)), 0xff, (size_t)(i % 40)); /* a neighbour */
  }
  for (int i = 0; i < 600; i++) {
    bad += strlen(got[i]) != (size_t)len[i] + 1 || got[i][0] != 'a' + i % 26;
    for (int k = 1; k <= len[i]; k++)
      bad += got[i][k] != ' ';
  }
  CHECK_INT(bad, 0);
  arena_free(a);
  /* The newest string grows in place, as any newest allocation does. */
  a = arena_new_sized(256);
  char *last = arena_printf(a, "%s", "x");
  CHECK(arena_realloc(a, last, 8) == last);
  CHECK_STR(last, "x");
  arena_free(a);
}

static void test_push(void) {
  arena *a = arena_new();
  int *v = NULL;
  size_t count = 0, cap = 0;
  for (int i = 0; i < 100000; i++)
    ARENA_PUSH(a, v, count, cap, i * 3);
  CHECK_INT(count, 100000);
  CHECK(cap >= count);
  bool ok = true;
  for (int i = 0; i < 100000; i++)
    ok = ok && v[i] == i * 3;
  CHECK(ok);

  /* A vector of structs, interleaved with other allocations (so it is copied). */
  typedef struct {
    const char *name;
    long n;
  } item;
  item *items = NULL;
  size_t ni = 0, ci = 0;
  for (long i = 0; i < 50; i++) {
    ARENA_PUSH(a, items, ni, ci, ((item){arena_printf(a, "item%ld", i), i}));
  }
  CHECK_INT(ni, 50);
  CHECK_STR(items[0].name, "item0");
  CHECK_STR(items[49].name, "item49");
  CHECK_INT(items[49].n, 49);

  /* arena_grow does nothing when there is room. */
  void *before = v;
  size_t cap_before = cap;
  arena_grow(a, (void **)&v, &cap, cap, sizeof *v);
  CHECK(before == (void *)v);
  CHECK_INT(cap, cap_before);
  arena_free(a);
}

/* A large allocation gets a block of its own: the small ones keep filling
 * the current block (and the newest small one still grows in place). */
static void test_large_blocks(void) {
  arena *a = arena_new_sized(4096);
  unsigned char *p1 = arena_alloc(a, 100);
  unsigned char *big = arena_alloc(a, 100000);
  CHECK(aligned16(big));
  CHECK(all_zero(big, 100000));
  memset(big, 'b', 100000);
  unsigned char *p2 = arena_alloc(a, 100);
  CHECK(p2 == p1 + 128); /* 16-byte header + 100 bytes rounded to 16 */
  CHECK(arena_realloc(a, p2, 300) == p2);
  /* The large one is not the newest: growing it copies, contents kept. */
  unsigned char *bigger = arena_realloc(a, big, 200000);
  CHECK(bigger != big);
  CHECK(bigger[0] == 'b' && bigger[99999] == 'b' && all_zero(bigger + 100000, 100000));
  /* Between a large block and the small ones, reset frees all but the
   * first block (LeakSanitizer checks in the sanitizer build). */
  arena_reset(a);
  unsigned char *q = arena_alloc(a, 1000);
  CHECK(all_zero(q, 1000));
  for (int i = 0; i < 50; i++)
    CHECK(all_zero(arena_alloc(a, 3000), 3000));
  arena_reset(a);
  arena_free(a);
}

/* arena_realloc_raw (cmark's realloc) keeps the old bytes, in place and
 * when it copies, and its result is a normal allocation of the new size. */
static void test_realloc_raw(void) {
  arena *a = arena_new_sized(4096);
  char *p = arena_realloc_raw(a, NULL, 10);
  memcpy(p, "abcdefghij", 10);
  char *q = arena_realloc_raw(a, p, 1000); /* newest: grows in place */
  CHECK(q == p);
  CHECK(!memcmp(q, "abcdefghij", 10));
  char *other = arena_alloc(a, 16);
  CHECK(other >= q + 1000);
  memset(q + 10, 'y', 990);
  char *r = arena_realloc_raw(a, q, 3000); /* not the newest: copies */
  CHECK(r != q && aligned16(r));
  CHECK(!memcmp(r, "abcdefghij", 10) && r[10] == 'y' && r[999] == 'y');
  CHECK(all_zero((unsigned char *)other, 16));
  /* arena_realloc's copy still zeroes what is new, and only that. */
  char *s = arena_alloc(a, 8);
  memcpy(s, "12345678", 8);
  arena_alloc(a, 8);
  unsigned char *t = arena_realloc(a, s, 64);
  CHECK(!memcmp(t, "12345678", 8) && all_zero(t + 8, 56));
  arena_free(a);
}

int main(void) {
  RUN(test_alloc_zeroed_and_aligned);
  RUN(test_realloc_in_place);
  RUN(test_realloc_copies);
  RUN(test_realloc_across_blocks);
  RUN(test_many_allocations);
  RUN(test_reset);
  RUN(test_strings);
  RUN(test_printf_at_block_end);
  RUN(test_push);
  RUN(test_large_blocks);
  RUN(test_realloc_raw);
  return test_done();
}
