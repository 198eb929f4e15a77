/* json: the strict reader (what jansson alone accepts and what we add:
 * duplicate keys, depth, byte columns) and the writer (layout, escaping,
 * UTF-8). */
#include <math.h>
#include <string.h>

#include "json.h"
#include "test.h"

static json_t *read_str(const char *s, int depth, json_read_error *err) {
  return json_read_strict(s, strlen(s), depth, err);
}

/* Rejected, at line:col, with a message that contains want. */
#define CHECK_REJECTED(text, depth, line_, col_, want)                                         \
  do {                                                                                         \
    json_read_error e_;                                                                        \
    json_t *j_ = read_str((text), (depth), &e_);                                               \
    if (CHECK(j_ == NULL)) {                                                                   \
      CHECK_INT(e_.line, (line_));                                                             \
      CHECK_INT(e_.col, (col_));                                                               \
      if (!CHECK(strstr(e_.message, (want)) != NULL))                                          \
        fprintf(stderr, "    message: %s\n", e_.message);                                      \
    }                                                                                          \
    json_decref(j_);                                                                           \
  } while (0)

static void test_read_accepts_json(void) {
  json_read_error e;
  json_t *j = read_str("{\"a\": [1, -2, 3.5, true, null, \"\\u00e9\\n\"], \"b\": {}}", 8, &e);
  if (CHECK(j)) {
    CHECK(json_is_array(json_object_get(j, "a")));
    CHECK_INT(json_integer_value(json_array_get(json_object_get(j, "a"), 1)), -2);
    CHECK_STR(json_string_value(json_array_get(json_object_get(j, "a"), 5)), "\xc3\xa9\n");
  }
  json_decref(j);
  j = read_str("[]\n", 1, &e);
  CHECK(j != NULL);
  json_decref(j);
}

static void test_read_rejects_duplicates(void) {
  /* The second key, at its opening quote; also when spelled with escapes. */
  CHECK_REJECTED("{\"a\": 1, \"a\": 2}", 8, 1, 10, "duplicate key \"a\"");
  CHECK_REJECTED("{\n  \"id\": \"x\",\n  \"id\": \"y\"\n}", 8, 3, 3, "duplicate key \"id\"");
  CHECK_REJECTED("{\"a\": 1, \"\\u0061\": 2}", 8, 1, 10, "duplicate key \"\\u0061\"");
  CHECK_REJECTED("{\"\xc3\xa9\": 1, \"\xc3\xa9\": 2}", 8, 1, 11, "duplicate key");
  /* In a nested object too; equal keys in two objects are fine. */
  CHECK_REJECTED("{\"r\": [{\"k\": 1}, {\"k\": 1, \"k\": 2}]}", 8, 1, 27, "duplicate key \"k\"");
}

/* YAML and JSON5 forms that a YAML reader would take for JSON; the column
 * is the first byte of the token jansson stopped at. */
static void test_read_rejects_yaml_and_json5(void) {
  CHECK_REJECTED("{a: 1}", 8, 1, 2, "expected");
  CHECK_REJECTED("{'a': 1}", 8, 1, 2, "expected");
  CHECK_REJECTED("{\"a\": 1,}", 8, 1, 9, "expected");
  CHECK_REJECTED("{\"a\": 1} # c", 8, 1, 10, "end of file expected");
  CHECK_REJECTED("{\"a\": 1} // c", 8, 1, 10, "end of file expected");
  CHECK_REJECTED("{\"a\": &x 1}", 8, 1, 7, "invalid token");
  CHECK_REJECTED("{\"a\": !!str 1}", 8, 1, 7, "invalid token");
  CHECK_REJECTED("a: 1\n", 8, 1, 1, "expected");
  CHECK_REJECTED("{\"a\": NaN}", 8, 1, 7, "invalid token");
  CHECK_REJECTED("{\"a\": 12abc}", 8, 1, 9, "'}' expected near 'abc'");
  CHECK_REJECTED("{\"a\": 99999999999999999999}", 8, 1, 7, "too big integer");
  CHECK_REJECTED("{\"a\": \"\\u0000\"}", 8, 1, 7, "\\u0000 in a string is not allowed");
  CHECK_REJECTED("{\"a\": \"\xff\"}", 8, 1, 8, "byte 0xff is not UTF-8");
  CHECK_REJECTED("{\"a\": \"x\ty\"}", 8, 1, 9, "control character 0x9");
  CHECK_REJECTED("\xef\xbb\xbf{}", 8, 1, 1, "expected");
  CHECK_REJECTED("", 8, 1, 1, "expected");
}

static void test_read_depth(void) {
  json_read_error e;
  json_t *j = read_str("[[[[]]]]", 4, &e);
  CHECK(j != NULL);
  json_decref(j);
  CHECK_REJECTED("[[[[[]]]]]", 4, 1, 5, "nested deeper than 4 levels");
  CHECK_REJECTED("{\"a\":\n [[{\"b\": [1]}]]}", 3, 2, 4, "nested deeper than 3 levels");
  /* Brackets in strings do not count. */
  j = read_str("[\"[[[[[[\", \"\\\"[[[[[\"]", 2, &e);
  CHECK(j != NULL);
  json_decref(j);
  /* Far deeper than jansson's own limit: an error, not a crash. */
  size_t n = 100000;
  char *deep = malloc(2 * n + 1);
  memset(deep, '[', n);
  memset(deep + n, ']', n);
  deep[2 * n] = '\0';
  CHECK_REJECTED(deep, 64, 1, 65, "nested deeper than 64 levels");
  free(deep);
}

static void test_put_string(void) {
  buf b = {0};
  CHECK(json_put_string(&b, "a\"b\\c\n\r\t\b\f\x01\x1f\x7f/", 14));
  CHECK_STR(buf_cstr(&b), "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\x7f/\"");
  b.len = 0;
  /* UTF-8 is kept; U+2028 and U+2029 are escaped for JavaScript. */
  CHECK(json_put_string(&b, "\xc3\xbc \xe2\x80\xa8 \xe2\x80\xa9 \xf0\x9f\x98\x80", 15));
  CHECK_STR(buf_cstr(&b), "\"\xc3\xbc \\u2028 \\u2029 \xf0\x9f\x98\x80\"");
  b.len = 0;
  /* Bytes that are not UTF-8 become U+FFFD and the call says so: a lone
   * continuation byte, a truncated sequence, an overlong form, a surrogate. */
  CHECK(!json_put_string(&b, "a\x80" "b\xc3" "c\xc0\xaf" "d\xed\xa0\x80", 11));
  CHECK_STR(buf_cstr(&b), "\"a\\ufffdb\\ufffdc\\ufffd\\ufffdd\\ufffd\\ufffd\\ufffd\"");
  b.len = 0;
  CHECK(json_put_string(&b, "x\0y", 3));
  CHECK_STR(buf_cstr(&b), "\"x\\u0000y\"");
  buf_free(&b);
}

static void test_writer_layout(void) {
  buf b = {0};
  json_writer w;
  json_writer_init(&w, &b, 2);
  json_write_object(&w, JSON_LAYOUT_BLOCK);
  json_write_key(&w, "n");
  json_write_int(&w, -3);
  json_write_key(&w, "list");
  json_write_array(&w, JSON_LAYOUT_LINE);
  json_write_string(&w, "a");
  json_write_string(&w, NULL);
  json_write_bool(&w, true);
  json_write_fixed(&w, 1.25, 3);
  json_write_fixed(&w, NAN, 3);
  json_write_end(&w);
  json_write_key(&w, "empty");
  json_write_array(&w, JSON_LAYOUT_BLOCK);
  json_write_end(&w);
  json_write_key(&w, "rows");
  json_write_array(&w, JSON_LAYOUT_BLOCK);
  json_write_object(&w, JSON_LAYOUT_LINE);
  json_write_key(&w, "k\"");
  json_write_string(&w, "v");
  json_write_end(&w);
  json_write_end(&w);
  json_write_end(&w);
  CHECK(json_writer_ok(&w));
  CHECK_STR(buf_cstr(&b), "{\n"
                          "  \"n\": -3,\n"
                          "  \"list\": [\"a\", null, true, 1.250, null],\n"
                          "  \"empty\": [],\n"
                          "  \"rows\": [\n"
                          "    {\"k\\\"\": \"v\"}\n"
                          "  ]\n"
                          "}");
  /* What it writes reads back. */
  json_read_error e;
  json_t *j = json_read_strict(b.data, b.len, 8, &e);
  CHECK(j != NULL);
  json_decref(j);
  /* Not UTF-8, or an unclosed container: not ok. */
  b.len = 0;
  json_writer_init(&w, &b, 0);
  json_write_array(&w, JSON_LAYOUT_LINE);
  json_write_string(&w, "\xff");
  json_write_end(&w);
  CHECK(!json_writer_ok(&w));
  CHECK_STR(buf_cstr(&b), "[\"\\ufffd\"]");
  json_writer_init(&w, &b, 0);
  json_write_array(&w, JSON_LAYOUT_LINE);
  CHECK(!json_writer_ok(&w));
  buf_free(&b);
}

int main(void) {
  RUN(test_read_accepts_json);
  RUN(test_read_rejects_duplicates);
  RUN(test_read_rejects_yaml_and_json5);
  RUN(test_read_depth);
  RUN(test_put_string);
  RUN(test_writer_layout);
  return test_done();
}
