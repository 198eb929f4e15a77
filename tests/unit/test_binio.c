/* binio: what is written reads back; a truncated, overlong or foreign
 * input is refused (bad), never read past its end. Also the policy layer's
 * serializer for an article's rules, which the build cache stores. */
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "binio.h"
#include "buf.h"
#include "policy.h"
#include "test.h"

static void test_round_trip(void) {
  arena *a = arena_new();
  buf b = {0};
  binw_u32(&b, 7);
  binw_u64(&b, (uint64_t)1 << 40 | 3);
  binw_str(&b, "héllo");
  binw_str(&b, NULL);
  binw_str(&b, "");
  binr r = binr_make(b.data, b.len);
  CHECK_INT(binr_u32(&r), 7);
  CHECK(binr_u64(&r) == ((uint64_t)1 << 40 | 3));
  CHECK_STR(binr_str(&r, a), "héllo");
  CHECK(binr_str(&r, a) == NULL && !r.bad);
  CHECK_STR(binr_str(&r, a), "");
  CHECK(!r.bad && r.p == r.end);
  /* Past the end: bad, zeros and NULLs from then on. */
  CHECK_INT(binr_u32(&r), 0);
  CHECK(r.bad);
  CHECK(binr_str(&r, a) == NULL);
  buf_free(&b);
  arena_free(a);
}

static void test_truncated_and_overlong(void) {
  arena *a = arena_new();
  buf b = {0};
  binw_str(&b, "a string of some length");
  /* Every prefix of the record is refused. */
  for (size_t n = 0; n < b.len; n++) {
    binr r = binr_make(b.data, n);
    const char *s = binr_str(&r, a);
    CHECK(s == NULL && r.bad);
  }
  /* A length larger than the input. */
  buf c = {0};
  binw_u32(&c, 1000000);
  buf_puts(&c, "short");
  binr r = binr_make(c.data, c.len);
  CHECK(binr_str(&r, a) == NULL && r.bad);
  /* A count that the bytes left cannot hold. */
  r = binr_make(c.data, c.len);
  CHECK_INT(binr_count(&r, 4), 0);
  CHECK(r.bad);
  /* A NUL inside a string is not ours. */
  buf d = {0};
  binw_u32(&d, 3);
  buf_put(&d, "a\0b", 3);
  r = binr_make(d.data, d.len);
  CHECK(binr_str(&r, a) == NULL && r.bad);
  buf_free(&b);
  buf_free(&c);
  buf_free(&d);
  arena_free(a);
}

static void test_policy_article(void) {
  arena *a = arena_new();
  const char *roles[] = {"admin-agent", "sales-agent"};
  policy_rule rule = {.id = "billing:export", .kind = RULE_ACTION, .resource = "billing",
                      .action = "export", .allow = {roles, 2, 2}, .deflt = "off",
                      .article = "x.md", .anchor = "", .locale = "en-us",
                      .file = "content/en-us/x.md", .line = 12, .section = 2};
  policy_article pa = {&rule, 1, 1};
  buf b = {0};
  policy_article_write(&pa, &b);
  size_t used = 0;
  policy_article *back = NULL;
  if (CHECK(policy_article_read(a, b.data, b.len, &used, &back) == 0) && CHECK(back)) {
    CHECK_INT(used, b.len);
    CHECK_INT(back->count, 1);
    CHECK_STR(back->rules[0].id, "billing:export");
    CHECK_INT(back->rules[0].allow.count, 2);
    CHECK_STR(back->rules[0].allow.items[1], "sales-agent");
    CHECK(back->rules[0].audit == NULL);
    CHECK_STR(back->rules[0].deflt, "off");
    CHECK_INT(back->rules[0].line, 12);
    CHECK_INT(back->rules[0].section, 2);
  }
  for (size_t n = 0; n < b.len; n++)
    CHECK(policy_article_read(a, b.data, n, &used, &back) < 0);
  /* No rules at all. */
  b.len = 0;
  policy_article_write(NULL, &b);
  CHECK(policy_article_read(a, b.data, b.len, &used, &back) == 0 && back == NULL);
  buf_free(&b);
  arena_free(a);
}

int main(void) {
  RUN(test_round_trip);
  RUN(test_truncated_and_overlong);
  RUN(test_policy_article);
  return test_done();
}
