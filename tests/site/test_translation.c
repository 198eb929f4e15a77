/* translation.c: SHA-256 against the FIPS 180-4 / NIST example vectors
 * (lengths around the 55/56/64-byte padding edges included), and the body
 * hash that translations record. */
#include "test.h"
#include "translation.h"
#include "sha256.h"

static void hex(const unsigned char d[32], char out[65]) {
  for (int i = 0; i < 32; i++)
    snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static const char *sha(const char *s, size_t n) {
  static char out[65];
  unsigned char d[32];
  sha256(s, n, d);
  hex(d, out);
  return out;
}

static void test_vectors(void) {
  CHECK_STR(sha("", 0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK_STR(sha("abc", 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* 56 bytes */
  CHECK_STR(sha(m448, strlen(m448)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                     "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"; /* 112 bytes */
  CHECK_STR(sha(m896, strlen(m896)),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  /* One million 'a': many blocks. */
  char *mil = malloc(1000000);
  memset(mil, 'a', 1000000);
  CHECK_STR(sha(mil, 1000000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  free(mil);
  /* 55, 56 and 64 bytes: padding in one block, spilling into a second. */
  char a64[65];
  memset(a64, 'a', 64);
  CHECK_STR(sha(a64, 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK_STR(sha(a64, 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK_STR(sha(a64, 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

static void test_body_hash(void) {
  char lf[TRANSLATION_HASH_SIZE], crlf[TRANSLATION_HASH_SIZE], other[TRANSLATION_HASH_SIZE];
  translation_hash_body("# Title\n\nText.\n", 15, lf);
  translation_hash_body("# Title\r\n\r\nText.\r\n", 18, crlf);
  translation_hash_body("# Title\n\nText!\n", 15, other);
  CHECK_STR(lf, crlf);
  CHECK(strcmp(lf, other) != 0);
  CHECK(strncmp(lf, "sha256:", 7) == 0);
  CHECK_INT((long)strlen(lf), 71);
  /* A lone CR is text, not a line ending. */
  translation_hash_body("a\rb", 3, other);
  translation_hash_body("a\nb", 3, lf);
  CHECK(strcmp(lf, other) != 0);
}

#define H "sha256:" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* translation_record on text: its return, and the new text in got. */
static int record(const char *text, char *got, size_t cap, diag_list *d) {
  arena *a = arena_new();
  buf out = {0};
  int rc = translation_record(a, "x.md", text, strlen(text), H, &out, d);
  snprintf(got, cap, "%.*s", (int)out.len, out.data ? out.data : "");
  buf_free(&out);
  arena_free(a);
  return rc;
}

static void test_record(void) {
  char got[512];
  diag_list d = {0};
  /* Replaced: plain, quoted, with a comment after it; CRLF kept. */
  CHECK_INT(record("---\ntitle: T\ndescription: D\nfolio.source-hash: sha256:00 # old\n---\nB\n", got,
                   sizeof got, &d), 0);
  CHECK_STR(got, "---\ntitle: T\ndescription: D\nfolio.source-hash: " H " # old\n---\nB\n");
  CHECK_INT(record("---\r\nfolio.source-hash: 'sha256:00'\r\ntitle: T\r\ndescription: D\r\n---\r\n", got,
                   sizeof got, &d), 0);
  CHECK_STR(got, "---\r\nfolio.source-hash: '" H "'\r\ntitle: T\r\ndescription: D\r\n---\r\n");
  /* An empty value gets one. */
  CHECK_INT(record("---\ntitle: T\ndescription: D\nfolio.source-hash:\n---\n", got, sizeof got, &d), 0);
  CHECK_STR(got, "---\ntitle: T\ndescription: D\nfolio.source-hash: " H "\n---\n");
  /* Added as the last line, after a block scalar and a comment. */
  CHECK_INT(record("\xEF\xBB\xBF---\ntitle: T\ndescription: |\n  two\n  lines\n# end\n---\n", got,
                   sizeof got, &d), 0);
  CHECK_STR(got, "\xEF\xBB\xBF---\ntitle: T\ndescription: |\n  two\n  lines\n# end\nfolio.source-hash: " H
                 "\n---\n");
  /* Already there: 1, nothing written. */
  CHECK_INT(record("---\ntitle: T\ndescription: D\nfolio.source-hash: " H "\n---\n", got, sizeof got, &d), 1);
  CHECK_INT((long)d.count, 0);
  /* Refused, with a diagnostic: YAML errors, no front matter,
   * a flow mapping, a block scalar. */
  CHECK_INT(record("---\ntitle: [T\ndescription: D\n---\n", got, sizeof got, &d), -1);
  CHECK_INT(record("# no front matter\n", got, sizeof got, &d), -1);
  CHECK_INT(record("---\ntitle: T\ndescription: D\nfolio.source-hash: |\n  sha256:00\n---\n", got,
                   sizeof got, &d), -1);
  CHECK_INT(record("---\n{title: T, description: D,\n folio.source-hash: x}\n---\n", got, sizeof got, &d),
            -1);
  CHECK((long)d.count >= 4);
  for (size_t i = 0; i < d.count; i++)
    CHECK(d.items[i].sev == SEV_ERROR);
  diag_list_free(&d);
}

/* The body hash of s is the SHA-256 of expected, the same text with only
 * the CRs that end a line (before LF) dropped. */
static bool hashes_as(const char *s, const char *expected) {
  char h[TRANSLATION_HASH_SIZE];
  translation_hash_body(s, strlen(s), h);
  return !strncmp(h, "sha256:", 7) && !strcmp(h + 7, sha(expected, strlen(expected)));
}

/* Bodies without CR are hashed in place, the others copied in pieces
 * between CRLFs: every position of CR counts. */
static void test_line_ends(void) {
  CHECK(hashes_as("abc", "abc"));
  CHECK(hashes_as("\r\n\r\n", "\n\n"));
  CHECK(hashes_as("\r\nx\r\n", "\nx\n"));
  CHECK(hashes_as("a\r\r\nb", "a\r\nb"));
  CHECK(hashes_as("a\rb\r", "a\rb\r"));
  CHECK(hashes_as("a\r\n\r", "a\n\r"));
  CHECK(hashes_as("\r", "\r"));
  CHECK(hashes_as("", ""));
}

int main(void) {
  RUN(test_vectors);
  RUN(test_body_hash);
  RUN(test_record);
  RUN(test_line_ends);
  return test_done();
}
