/* sha256: the FIPS 180-4 / NIST example digests, and the accelerated path
 * (x86-64 SHA extensions) agreeing with the portable one on every length
 * 0..300, on long random inputs and at every alignment. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "test.h"

typedef void digest_fn(const void *, size_t, unsigned char[32]);

static void hex(const unsigned char d[32], char out[65]) {
  for (int i = 0; i < 32; i++)
    snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check_vector(digest_fn *fn, const void *msg, size_t len, const char *expected) {
  unsigned char d[32];
  char got[65];
  fn(msg, len, d);
  hex(d, got);
  CHECK_STR(got, expected);
}

/* The examples of FIPS 180-2 Appendix B and NIST's SHA-256 example file,
 * through both entry points. */
static void test_nist_vectors(void) {
  static const char m448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  static const char m896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                             "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
  CHECK_INT(strlen(m448) * 8, 448);
  CHECK_INT(strlen(m896) * 8, 896);
  size_t million = 1000000;
  char *as = malloc(million);
  if (!CHECK(as != NULL))
    return;
  memset(as, 'a', million);
  digest_fn *fns[] = {sha256, sha256_portable};
  for (int i = 0; i < 2; i++) {
    check_vector(fns[i], "", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_vector(fns[i], "abc", 3,
                 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check_vector(fns[i], m448, strlen(m448),
                 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    check_vector(fns[i], m896, strlen(m896),
                 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    check_vector(fns[i], as, million,
                 "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }
  free(as);
}

/* xorshift64*: the same bytes on every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t rng(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545f4914f6cdd1du;
}

static int compare_failures;

/* sha256 and sha256_portable agree on these bytes; the message is copied to
 * a fresh heap block of exactly len bytes so ASan sees any read past it. */
static void compare(const unsigned char *msg, size_t len) {
  unsigned char *copy = malloc(len ? len : 1);
  if (!CHECK(copy != NULL))
    return;
  if (len)
    memcpy(copy, msg, len);
  unsigned char a[32], b[32];
  sha256(copy, len, a);
  sha256_portable(copy, len, b);
  if (memcmp(a, b, 32) && compare_failures++ < 5)
    fprintf(stderr, "    paths differ at length %zu\n", len);
  free(copy);
}

static void test_paths_agree(void) {
  size_t max = 100 * 1024 + 64;
  unsigned char *buf = malloc(max);
  if (!CHECK(buf != NULL))
    return;
  for (size_t i = 0; i < max; i++)
    buf[i] = (unsigned char)rng();
  compare_failures = 0;
  /* Every length across the padding cases (55/56 bytes left, one or two
   * tail blocks) and a few whole blocks. */
  for (size_t len = 0; len <= 300; len++)
    compare(buf, len);
  /* Random lengths up to 100 KB, from random offsets (unaligned). */
  for (int i = 0; i < 60; i++) {
    size_t len = (size_t)(rng() % (100 * 1024 + 1));
    size_t off = (size_t)(rng() % 64);
    compare(buf + off, len);
  }
  /* Every alignment of one multi-block message, in place. */
  for (size_t off = 0; off < 64; off++) {
    unsigned char a[32], b[32];
    sha256(buf + off, 1000, a);
    sha256_portable(buf + off, 1000, b);
    if (memcmp(a, b, 32) && compare_failures++ < 5)
      fprintf(stderr, "    paths differ at offset %zu\n", off);
  }
  CHECK_INT(compare_failures, 0);
  free(buf);
}

/* A digest that would differ if the first-use choice of path raced badly;
 * run under ThreadSanitizer (FOLIO_TSAN) it also checks the choice itself. */
static void *hash_in_thread(void *arg) {
  unsigned char *d = arg;
  sha256("abc", 3, d);
  return NULL;
}

static void test_first_use_from_threads(void) {
  enum { N = 4 };
  pthread_t t[N];
  unsigned char d[N][32];
  int started = 0;
  for (int i = 0; i < N; i++)
    if (pthread_create(&t[i], NULL, hash_in_thread, d[i]) == 0)
      started++;
    else
      break;
  for (int i = 0; i < started; i++)
    pthread_join(t[i], NULL);
  CHECK_INT(started, N);
  for (int i = 0; i < started; i++) {
    char got[65];
    hex(d[i], got);
    CHECK_STR(got, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}

int main(void) {
  /* First, so that the threads make the first call. */
  RUN(test_first_use_from_threads);
  RUN(test_nist_vectors);
  RUN(test_paths_agree);
  if (sha256_accelerated())
    printf("sha256: the SHA extensions path ran, compared with the portable path\n");
  else
    printf("sha256: no SHA extensions on this CPU (or not x86-64): both sides of the "
           "comparison ran the portable path\n");
  return test_done();
}
