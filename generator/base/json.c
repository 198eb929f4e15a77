/* Strict JSON reading on jansson, and a writer that lays out and escapes
 * JSON on a buf. */
#include "json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "strutil.h"
#include "text.h"

/* ---- reading ---- */

static void set_error(json_read_error *err, const char *text, size_t len, size_t off,
                      const char *msg) {
  str_position(text, len, off, &err->line, &err->col);
  snprintf(err->message, sizeof err->message, "%s", msg);
}

/* The nesting depth, before jansson builds anything: the offset of the
 * first bracket deeper than max, or (size_t)-1. Strings are skipped with
 * their escapes; a string does not run past the end of its line (JSON has
 * no raw line breaks in strings), so a stray quote cannot hide brackets
 * from this scan beyond one line. */
static size_t too_deep(const char *text, size_t len, int max) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < len; i++) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        i++;
      else if (c == '"' || c == '\n')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max)
        return i;
    } else if ((c == '}' || c == ']') && depth > 0) {
      depth--;
    }
  }
  return (size_t)-1;
}

/* The string token of the line around end that ends just before end: where
 * jansson stopped on a duplicate key. Lines start outside strings (JSON
 * strings hold no raw line breaks), so a scan from the line's start finds
 * the token's first byte. */
static size_t key_start(const char *text, size_t end) {
  size_t start = end;
  while (start > 0 && text[start - 1] != '\n')
    start--;
  size_t open = end;
  bool in_string = false;
  for (size_t i = start; i < end; i++) {
    if (in_string) {
      if (text[i] == '\\')
        i++;
      else if (text[i] == '"') {
        in_string = false;
        if (i + 1 == end)
          return open;
      }
    } else if (text[i] == '"') {
      in_string = true;
      open = i;
    }
  }
  return end;
}

json_t *json_read_strict(const char *text, size_t len, int max_depth, json_read_error *err) {
  memset(err, 0, sizeof *err);
  size_t deep = too_deep(text, len, max_depth);
  if (deep != (size_t)-1) {
    char msg[64];
    snprintf(msg, sizeof msg, "nested deeper than %d levels", max_depth);
    set_error(err, text, len, deep, msg);
    return NULL;
  }
  json_error_t e;
  json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
  if (doc)
    return doc;
  size_t end = e.position > 0 ? (size_t)e.position : 0;
  if (end > len)
    end = len;
  arena *tmp = arena_new();
  if (json_error_code(&e) == json_error_duplicate_key) {
    size_t start = key_start(text, end);
    const char *key = arena_strndup(tmp, text + start, end - start);
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg,
             "duplicate key %s in one object (JSON readers differ on which value counts)",
             text_for_display(tmp, key, 80));
    set_error(err, text, len, start, msg);
  } else if (json_error_code(&e) == json_error_null_character) {
    set_error(err, text, len, key_start(text, end), "\\u0000 in a string is not allowed");
  } else if (!strncmp(e.text, "control character", 17)) {
    /* A raw control character in a string: jansson stops just before it. */
    set_error(err, text, len, end, text_for_display(tmp, e.text, sizeof err->message - 1));
  } else if (json_error_code(&e) == json_error_invalid_utf8) {
    /* jansson stops just before the byte. */
    char msg[64];
    snprintf(msg, sizeof msg, "byte 0x%02x is not UTF-8",
             end < len ? (unsigned char)text[end] : 0);
    set_error(err, text, len, end, msg);
  } else {
    /* jansson's position is just past the token it stopped at, which its
     * message quotes ("... near 'abc'"): point at the token's first byte
     * when the quote is whole, else at its last. */
    size_t at = end > 0 ? end - 1 : 0;
    const char *near = strstr(e.text, " near '");
    if (near) {
      near += 7;
      size_t n = strlen(near);
      if (n > 0 && near[n - 1] == '\'')
        n--;
      if (n > 0 && n <= end && !memcmp(text + end - n, near, n))
        at = end - n;
    }
    set_error(err, text, len, at, text_for_display(tmp, e.text, sizeof err->message - 1));
  }
  arena_free(tmp);
  return NULL;
}

/* ---- writing ---- */

/* The length of the one code point at s (n bytes left), or 0 when the
 * bytes there are not UTF-8. */
static size_t cp_len(const char *s, size_t n) {
  unsigned char c = (unsigned char)*s;
  size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  return k && k <= n && text_is_valid_utf8(s, k) ? k : 0;
}

bool json_put_string(buf *out, const char *s, size_t n) {
  bool ok = true;
  buf_putc(out, '"');
  size_t run = 0; /* the first byte not copied yet */
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    const char *esc = NULL;
    char hex[8];
    size_t k = 1;
    if (c >= 0x80) {
      k = cp_len(s + i, n - i);
      if (!k) {
        esc = "\\ufffd";
        ok = false;
        k = 1;
      } else if (k == 3 && c == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
                 ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
        /* U+2028 and U+2029 are JSON but end a line in JavaScript. */
        esc = (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
      }
    } else if (c == '"') {
      esc = "\\\"";
    } else if (c == '\\') {
      esc = "\\\\";
    } else if (c < 0x20) {
      switch (c) {
      case '\b': esc = "\\b"; break;
      case '\f': esc = "\\f"; break;
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      default:
        snprintf(hex, sizeof hex, "\\u%04x", c);
        esc = hex;
      }
    }
    if (esc) {
      buf_put(out, s + run, i - run);
      buf_puts(out, esc);
      run = i + k;
    }
    i += k;
  }
  buf_put(out, s + run, n - run);
  buf_putc(out, '"');
  return ok;
}

void json_writer_init(json_writer *w, buf *out, int indent) {
  memset(w, 0, sizeof *w);
  w->out = out;
  w->indent = indent;
}

static void newline(json_writer *w, int depth) {
  buf_putc(w->out, '\n');
  for (int i = 0; i < depth * w->indent; i++)
    buf_putc(w->out, ' ');
}

/* Before a value or a key: the separator and layout of the container. */
static void before(json_writer *w) {
  if (w->after_key) {
    w->after_key = false;
    return;
  }
  if (w->depth == 0)
    return;
  json_writer_level *l = &w->level[w->depth - 1];
  if (l->has_items)
    buf_putc(w->out, ',');
  if (l->inline_) {
    if (l->has_items)
      buf_putc(w->out, ' ');
  } else {
    newline(w, w->depth);
  }
  l->has_items = true;
}

static void open_container(json_writer *w, json_layout layout, char open, char close) {
  if (w->depth == JSON_WRITER_MAX_DEPTH) {
    w->failed = true;
    return;
  }
  before(w);
  buf_putc(w->out, open);
  json_writer_level *l = &w->level[w->depth++];
  l->inline_ = layout == JSON_LAYOUT_LINE;
  l->has_items = false;
  l->close = close;
}

void json_write_object(json_writer *w, json_layout layout) {
  open_container(w, layout, '{', '}');
}

void json_write_array(json_writer *w, json_layout layout) {
  open_container(w, layout, '[', ']');
}

void json_write_end(json_writer *w) {
  if (w->depth == 0) {
    w->failed = true;
    return;
  }
  w->depth--;
  if (!w->level[w->depth].inline_ && w->level[w->depth].has_items)
    newline(w, w->depth);
  buf_putc(w->out, w->level[w->depth].close);
}

void json_write_key(json_writer *w, const char *key) {
  before(w);
  if (!json_put_string(w->out, key, strlen(key)))
    w->failed = true;
  buf_puts(w->out, ": ");
  w->after_key = true;
}

void json_write_string(json_writer *w, const char *s) {
  if (!s) {
    json_write_null(w);
    return;
  }
  before(w);
  if (!json_put_string(w->out, s, strlen(s)))
    w->failed = true;
}

void json_write_int(json_writer *w, long long v) {
  before(w);
  buf_printf(w->out, "%lld", v);
}

void json_write_fixed(json_writer *w, double v, int decimals) {
  if (!isfinite(v)) {
    json_write_null(w);
    return;
  }
  before(w);
  buf_printf(w->out, "%.*f", decimals, v);
}

void json_write_bool(json_writer *w, bool v) {
  before(w);
  buf_puts(w->out, v ? "true" : "false");
}

void json_write_null(json_writer *w) {
  before(w);
  buf_puts(w->out, "null");
}

bool json_writer_ok(const json_writer *w) { return !w->failed && w->depth == 0; }
