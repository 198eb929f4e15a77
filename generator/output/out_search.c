/* The index is written by hand as JavaScript: every string goes through
 * put_js, which keeps the files valid UTF-8 and safe inside a script.
 * Page ids follow the titles (then URLs), so that ranking ties break by
 * title as they did when the page script sorted the whole index; terms
 * are sorted by their bytes (code point order). Nothing depends on -j.
 *
 * There is no <locale>/search.json any more: it was the whole index in one
 * file (15 MB per locale at 2,000 articles), costly to write and read by no
 * part of folio. A tool that wants the pages' text has the pages; one that
 * wants the index reads these files (each is JSON inside one call). */
#include "out_search.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "pool.h"
#include "util.h"

#define REPLACEMENT 0xfffd

/* The UTF-8 bytes of code point c; U+FFFD for NUL, a surrogate or a number
 * past U+10FFFF, which are not characters (and not valid UTF-8). */
static void put_utf8(buf *b, unsigned long c) {
  if (c == 0 || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
    c = REPLACEMENT;
  utf8proc_uint8_t bytes[4];
  buf_put(b, (const char *)bytes, (size_t)utf8proc_encode_char((utf8proc_int32_t)c, bytes));
}

static void put_space(buf *out) {
  if (out->len && out->data[out->len - 1] != ' ')
    buf_putc(out, ' ');
}

/* The value of a numeric character reference's digits ("x41" or "65", n
 * bytes), capped past U+10FFFF; -1 when they are not digits. */
static long numeric_ref(const char *s, size_t n) {
  int base = 10;
  if (n && (*s == 'x' || *s == 'X')) {
    base = 16;
    s++;
    n--;
  }
  if (!n)
    return -1;
  long v = 0;
  for (size_t i = 0; i < n; i++) {
    int d = s[i] >= '0' && s[i] <= '9'   ? s[i] - '0'
            : base == 16 && s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10
            : base == 16 && s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 10
                                                       : -1;
    if (d < 0)
      return -1;
    if (v <= 0x10ffff)
      v = v * base + d;
  }
  return v;
}

/* The bytes that end a run of plain text in out_search_text. */
static const bool text_stop[256] = {['\0'] = 1, ['<'] = 1, ['&'] = 1, [' '] = 1,
                                    ['\n'] = 1, ['\t'] = 1, ['\r'] = 1};

void out_search_text(const char *html, buf *out) {
  const char *p = html;
  while (*p) {
    if (*p == '<') {
      /* A tag separates words ("<td>a</td><td>b</td>" is "a b"). */
      const char *e = strchr(p, '>');
      if (!e)
        break;
      put_space(out);
      p = e + 1;
    } else if (*p == '&') {
      const char *e = strchr(p, ';');
      size_t n = e ? (size_t)(e - p) : 0;
      long c = -1;
      if (n == 4 && !memcmp(p, "&amp", 4))
        c = '&';
      else if (n == 3 && !memcmp(p, "&lt", 3))
        c = '<';
      else if (n == 3 && !memcmp(p, "&gt", 3))
        c = '>';
      else if (n == 5 && !memcmp(p, "&quot", 5))
        c = '"';
      else if (n == 5 && !memcmp(p, "&apos", 5))
        c = '\'';
      else if (n == 5 && !memcmp(p, "&nbsp", 5))
        c = ' ';
      else if (n > 2 && n < 34 && p[1] == '#')
        c = numeric_ref(p + 2, n - 2);
      if (c >= 0) {
        if (c == ' ')
          put_space(out);
        else
          put_utf8(out, (unsigned long)c);
        p = e + 1;
      } else {
        buf_putc(out, *p++);
      }
    } else if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
      put_space(out);
      p++;
    } else {
      /* A run of plain text (to the next '<', '&', blank or the end),
       * copied in one piece; runs are words, too short for strcspn. */
      const char *e = p + 1;
      while (!text_stop[(unsigned char)*e])
        e++;
      buf_put(out, p, (size_t)(e - p));
      p = e;
    }
  }
  while (out->len && out->data[out->len - 1] == ' ')
    out->len--;
  size_t lead = 0;
  while (lead < out->len && out->data[lead] == ' ')
    lead++;
  if (lead) {
    memmove(out->data, out->data + lead, out->len - lead);
    out->len -= lead;
  }
}

/* s (n bytes) as a JavaScript string literal, which is also JSON. Invalid
 * UTF-8 (a lone surrogate among it) becomes U+FFFD, so the file is valid
 * UTF-8; '<' is escaped, so no "</script" or "<!--" ever appears, and so
 * are U+2028 and U+2029, line ends to older JavaScript. */
/* How put_js takes each byte: 0 as it is, 1 escaped (controls, '"', '\\',
 * '<', DEL), 2 the start of a UTF-8 sequence to read. */
static const unsigned char js_class[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

static void put_js(buf *b, const char *s, size_t n) {
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s, *end = p + n;
  buf_putc(b, '"');
  while (p < end) {
    /* A run of characters written as they are (plain ASCII, well-formed
     * UTF-8 but U+2028 and U+2029), copied in one piece. */
    const utf8proc_uint8_t *run = p;
    for (;;) {
      while (p < end && !js_class[*p])
        p++;
      if (p == end || js_class[*p] == 1)
        break;
      utf8proc_int32_t c;
      utf8proc_ssize_t len = utf8proc_iterate(p, end - p, &c);
      if (len < 0 || c == 0x2028 || c == 0x2029)
        break;
      p += len;
    }
    buf_put(b, (const char *)run, (size_t)(p - run));
    if (p == end)
      break;
    if (*p < 0x80) {
      char c = (char)*p++;
      switch (c) {
      case '"': buf_puts(b, "\\\""); break;
      case '\\': buf_puts(b, "\\\\"); break;
      case '\n': buf_puts(b, "\\n"); break;
      case '\r': buf_puts(b, "\\r"); break;
      case '\t': buf_puts(b, "\\t"); break;
      case '<': buf_puts(b, "\\u003c"); break;
      default: buf_printf(b, "\\u%04x", (unsigned)c); /* other controls, DEL */
      }
      continue;
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t len = utf8proc_iterate(p, end - p, &c);
    if (len < 0) {
      put_utf8(b, REPLACEMENT);
      p++;
    } else { /* U+2028 or U+2029 */
      buf_printf(b, "\\u%04x", (unsigned)c);
      p += len;
    }
  }
  buf_putc(b, '"');
}

static void puts_js(buf *b, const char *s) { put_js(b, s ? s : "", s ? strlen(s) : 0); }

/* --- Terms: the page script's fold() and terms(), in C. --- */

/* An ASCII byte as part of a word: letters lowercased, digits; 0 for a
 * separator. */
static const char ascii_word[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 0, 0, 0, 0, 0, 0,
    0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 0, 0, 0, 0, 0,
    0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 0, 0, 0, 0, 0,
};

/* Accents and Arabic short vowels, dropped after decomposition. */
static bool dropped(utf8proc_int32_t c) {
  return (c >= 0x300 && c <= 0x36f) || (c >= 0x64b && c <= 0x65f) || c == 0x670;
}

/* Scripts written without spaces between words: each character is a term. */
static bool cjk(utf8proc_int32_t c) {
  return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff) ||
         (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
         (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff66 && c <= 0xff9f) ||
         (c >= 0x20000 && c <= 0x2ffff);
}

static bool word_char(utf8proc_int32_t c) {
  utf8proc_category_t k = utf8proc_category(c);
  return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
         (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

typedef struct {
  char bytes[OUT_SEARCH_MAX_TERM * 4 + 1];
  size_t len, chars;
  void (*fn)(void *ctx, const char *term, size_t len);
  void *ctx;
} word;

static void word_add(word *w, utf8proc_int32_t c) {
  if (w->chars == OUT_SEARCH_MAX_TERM)
    return;
  w->len += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)w->bytes + w->len);
  w->chars++;
}

static void word_end(word *w) {
  if (w->len) {
    w->bytes[w->len] = '\0';
    w->fn(w->ctx, w->bytes, w->len);
  }
  w->len = w->chars = 0;
}

/* One folded character: part of a word, a word alone, or a separator. */
static void fold_char(word *w, utf8proc_int32_t c) {
  if (dropped(c))
    return;
  c = utf8proc_tolower(c);
  if (c == 0x3c2)
    c = 0x3c3; /* the final sigma folds to sigma */
  if (!word_char(c)) {
    word_end(w);
  } else if (cjk(c)) {
    word_end(w);
    word_add(w, c);
    word_end(w);
  } else {
    word_add(w, c);
  }
}

void out_search_terms(const char *s, void (*fn)(void *ctx, const char *term, size_t len),
                      void *ctx) {
  word w = {.fn = fn, .ctx = ctx};
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)(s ? s : ""), *end = p + strlen((const char *)p);
  while (p < end) {
    if (*p < 0x80) {
      /* Most text: a run of ASCII, no table look-ups and no encoding; the
       * word's lengths in locals while the run lasts. */
      size_t len = w.len, chars = w.chars;
      do {
        char c = ascii_word[*p++];
        if (c) {
          if (chars < OUT_SEARCH_MAX_TERM) {
            w.bytes[len++] = c;
            chars++;
          }
        } else if (len) {
          w.len = len;
          word_end(&w);
          len = chars = 0;
        }
      } while (p < end && *p < 0x80);
      w.len = len;
      w.chars = chars;
      continue;
    }
    utf8proc_int32_t c, parts[32];
    utf8proc_ssize_t len = utf8proc_iterate(p, end - p, &c);
    if (len < 0) { /* U+FFFD, a symbol: a separator */
      word_end(&w);
      p++;
      continue;
    }
    p += len;
    utf8proc_ssize_t n = utf8proc_decompose_char(c, parts, 32, UTF8PROC_DECOMPOSE, NULL);
    if (n < 1 || n > 32) {
      parts[0] = c;
      n = 1;
    }
    for (utf8proc_ssize_t i = 0; i < n; i++)
      fold_char(&w, parts[i]);
  }
  word_end(&w);
}

/* --- The inverted index. --- */

enum { FIELD_TITLE = 1, FIELD_HEADING = 2, FIELD_DESCRIPTION = 4, MAX_COUNT = 5 };

typedef struct {
  const char *s; /* in the index arena */
  size_t len;
  uint64_t hash;  /* of its bytes (term_hash) */
  uint32_t *post; /* page id << 6 | weight, by page id */
  size_t npost, cap;
  size_t page; /* 1 + the page that last met this term */
  unsigned fields, count;
} term;

typedef struct {
  arena *mem;
  /* Term -> 1 + its index in terms (0: free), open addressing; a probe
   * compares hashes and lengths before bytes. */
  size_t *slots, nslots;
  term *terms;
  size_t nterms, cap;
  size_t *touched; /* terms of the current page */
  size_t ntouched, captouched;
  size_t page;    /* current page id */
  unsigned field; /* current field, 0 for the text */
  bool own;       /* a pool thread's own table: terms folded, no postings */
  size_t pages;   /* pages an own table has seen */
} inverted;

static void *grow(void *p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap)
    return p;
  size_t n = *cap ? *cap * 2 : 16;
  while (n < need)
    n *= 2;
  p = xrealloc(p, n * size);
  *cap = n;
  return p;
}

static uint64_t term_hash(const char *s, size_t len) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (size_t i = 0; i < len; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return h;
}

/* The slot of the term s (len bytes, hash h): where it is, or the free
 * slot where it goes. */
static size_t *term_slot(const inverted *ix, const char *s, size_t len, uint64_t h) {
  size_t mask = ix->nslots - 1, k = (size_t)h & mask;
  for (;; k = (k + 1) & mask) {
    size_t *slot = &ix->slots[k];
    if (!*slot)
      return slot;
    const term *t = &ix->terms[*slot - 1];
    if (t->hash == h && t->len == len && !memcmp(t->s, s, len))
      return slot;
  }
}

static void grow_slots(inverted *ix) {
  size_t n = ix->nslots ? ix->nslots * 2 : 1024;
  free(ix->slots);
  ix->slots = xcalloc(n, sizeof *ix->slots);
  ix->nslots = n;
  for (size_t i = 0; i < ix->nterms; i++) {
    const term *t = &ix->terms[i];
    *term_slot(ix, t->s, t->len, t->hash) = i + 1;
  }
}

static void meet(void *ctx, const char *s, size_t len) {
  inverted *ix = ctx;
  uint64_t h = term_hash(s, len);
  size_t *slot = term_slot(ix, s, len, h);
  size_t i;
  if (*slot) {
    i = *slot - 1;
  } else {
    i = ix->nterms++;
    ix->terms = grow(ix->terms, &ix->cap, ix->nterms, sizeof *ix->terms);
    ix->terms[i] = (term){.s = arena_strndup(ix->mem, s, len), .len = len, .hash = h};
    *slot = i + 1;
    if (ix->nterms * 2 > ix->nslots)
      grow_slots(ix);
  }
  term *t = &ix->terms[i];
  if (t->page != ix->page + 1) {
    t->page = ix->page + 1;
    t->fields = t->count = 0;
    ix->touched = grow(ix->touched, &ix->captouched, ix->ntouched + 1, sizeof *ix->touched);
    ix->touched[ix->ntouched++] = i;
  }
  if (ix->field)
    t->fields |= ix->field;
  else if (t->count < MAX_COUNT)
    t->count++;
}

/* The page's postings, and (terms not NULL) its terms as a digest has
 * them. */
static void post_page(inverted *ix, size_t id, buf *terms) {
  for (size_t k = 0; k < ix->ntouched; k++) {
    term *t = &ix->terms[ix->touched[k]];
    unsigned weight = t->fields << 3 | t->count;
    if (!ix->own) {
      t->post = grow(t->post, &t->cap, t->npost + 1, sizeof *t->post);
      t->post[t->npost++] = (uint32_t)(id << 6 | weight);
    }
    if (terms) {
      buf_put(terms, t->s, t->len + 1);
      buf_putc(terms, (char)weight);
    }
  }
}

static void index_page(inverted *ix, const out_search_page *p, const char *text, size_t id,
                       buf *terms) {
  ix->page = id;
  ix->ntouched = 0;
  ix->field = FIELD_TITLE;
  out_search_terms(p->title, meet, ix);
  ix->field = FIELD_HEADING;
  for (size_t h = 0; h < p->nheadings; h++)
    out_search_terms(p->headings[h], meet, ix);
  ix->field = FIELD_DESCRIPTION;
  out_search_terms(p->description, meet, ix);
  ix->field = 0;
  out_search_terms(text, meet, ix);
  post_page(ix, id, terms);
}

/* Whether s is one JSON string as put_js writes it: it goes into a page
 * file as it is. */
static bool js_string(const char *s, size_t n) {
  if (n < 2 || s[0] != '"' || s[n - 1] != '"')
    return false;
  for (size_t i = 1; i < n - 1; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\\')
      i++;
    else if (c == '"' || c == '<' || c < 0x20 || c == 0x7f ||
             (c == 0xe2 && i + 2 < n - 1 && (unsigned char)s[i + 1] == 0x80 &&
              ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)))
      return false;
  }
  return true;
}

/* Whether d is one index_page could have made, as far as its bytes tell:
 * a digest comes from a file. */
static bool digest_sound(const out_search_digest *d) {
  if (!d->terms && d->terms_len)
    return false;
  if (!js_string(d->snippet, d->snippet_len))
    return false;
  const char *p = d->terms ? d->terms : "", *end = p + d->terms_len;
  for (const char *q = p; q < end;) {
    const char *nul = memchr(q, '\0', (size_t)(end - q));
    if (!nul || nul == q || nul + 1 >= end || (size_t)(nul - q) > OUT_SEARCH_MAX_TERM * 4)
      return false;
    unsigned char w = (unsigned char)nul[1];
    if (w < 1 || w > 63 || (w & 7) > MAX_COUNT)
      return false;
    q = nul + 2;
  }
  return true;
}

/* Indexes a sound digest's terms as page id, each with its weight. False
 * when a term comes twice (the postings would be wrong): then some terms
 * may have been met, and the page must be indexed again from scratch. */
static bool index_digest(inverted *ix, const out_search_digest *d, size_t id) {
  const char *p = d->terms ? d->terms : "", *end = p + d->terms_len;
  ix->page = id;
  ix->ntouched = 0;
  ix->field = 0;
  while (p < end) {
    size_t len = strlen(p), before = ix->ntouched;
    unsigned char w = (unsigned char)p[len + 1];
    meet(ix, p, len);
    if (ix->ntouched == before)
      return false; /* met before on this page */
    term *t = &ix->terms[ix->touched[before]];
    t->fields = w >> 3;
    t->count = w & 7;
    p += len + 2;
  }
  post_page(ix, id, NULL);
  return true;
}

static const char digits[] = OUT_SEARCH_DIGITS;

static void put_postings(buf *b, const term *t) {
  long prev = -1;
  buf_putc(b, '"');
  for (size_t i = 0; i < t->npost; i++) {
    long id = (long)(t->post[i] >> 6);
    unsigned long gap = (unsigned long)(id - prev - 1);
    prev = id;
    while (gap >= 32) {
      buf_putc(b, digits[32 + (gap & 31)]);
      gap >>= 5;
    }
    buf_putc(b, digits[gap]);
    buf_putc(b, digits[t->post[i] & 63]);
  }
  buf_putc(b, '"');
}

static int by_bytes(const void *a, const void *b) {
  const term *x = *(const term *const *)a, *y = *(const term *const *)b;
  return strcmp(x->s, y->s);
}

/* The shortest start of first that still sorts after last: what the
 * manifest needs to tell the shards apart. Cut at a character. */
static size_t separator(const term *last, const term *first) {
  size_t k = 0;
  while (k < last->len && k < first->len && last->s[k] == first->s[k])
    k++;
  while (k && ((unsigned char)first->s[k] & 0xc0) == 0x80)
    k--;
  k++;
  while (k < first->len && ((unsigned char)first->s[k] & 0xc0) == 0x80)
    k++;
  return k;
}

typedef struct {
  out_search_emit emit;
  void *ctx;
  uint64_t hash; /* of every file's hash but the manifest's: its version */
  int rc;
} sink;

static uint64_t file_hash(const buf *b) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < b->len; i++)
    h = (h ^ (unsigned char)b->data[i]) * 1099511628211ull;
  return h;
}

/* The version takes each file's hash, not its bytes: a page file carried
 * from the last build (its hash in its digest) is never made again. */
static void count_file(sink *s, uint64_t h) {
  for (int k = 0; k < 8; k++)
    s->hash = (s->hash ^ ((h >> (8 * k)) & 0xff)) * 1099511628211ull;
}

static uint64_t put_file(sink *s, const char *path, const buf *b) {
  uint64_t h = file_hash(b);
  count_file(s, h);
  if (!s->rc)
    s->rc = s->emit(s->ctx, path, b->data ? b->data : "", b->len);
  return h;
}

static void close_shard(sink *s, buf *shard, size_t i) {
  char path[64];
  buf_puts(shard, "\n]);\n");
  snprintf(path, sizeof path, "search/t%zu.js", i);
  put_file(s, path, shard);
  shard->len = 0;
}

/* The shards, each closed once it reaches OUT_SEARCH_SHARD_BYTES (at least
 * one, empty when there are no terms); their first keys go to keys. */
static void write_shards(sink *s, term **order, size_t n, buf *keys) {
  buf shard = {0}, entry = {0};
  size_t nshards = 1;
  bool empty = true;
  buf_puts(&shard, "folioSearchTerms(0,[");
  put_js(keys, "", 0);
  for (size_t i = 0; i < n && !s->rc; i++) {
    entry.len = 0;
    put_js(&entry, order[i]->s, order[i]->len);
    buf_putc(&entry, ',');
    put_postings(&entry, order[i]);
    if (!empty && shard.len + entry.len > OUT_SEARCH_SHARD_BYTES) {
      close_shard(s, &shard, nshards - 1);
      buf_printf(&shard, "folioSearchTerms(%zu,[", nshards++);
      buf_putc(keys, ',');
      put_js(keys, order[i]->s, separator(order[i - 1], order[i]));
      empty = true;
    }
    buf_puts(&shard, empty ? "\n" : ",\n");
    buf_put(&shard, entry.data, entry.len);
    empty = false;
  }
  close_shard(s, &shard, nshards - 1);
  buf_free(&shard);
  buf_free(&entry);
}

/* The page's snippet: the start of its text, as a JSON string. */
static void put_snippet(buf *b, const char *text) {
  const char *x = text ? text : "";
  size_t n = strlen(x);
  if (n > OUT_SEARCH_MAX_TEXT) {
    n = OUT_SEARCH_MAX_TEXT;
    while (n && ((unsigned char)x[n] & 0xc0) == 0x80)
      n--; /* not inside a UTF-8 sequence */
  }
  put_js(b, x, n);
}

/* The page file of page id into b. */
static void page_file(buf *b, const out_search_page *p, const char *snippet, size_t slen,
                      size_t id, const char *lang) {
  buf_printf(b, "folioSearchPage(%zu,{\"t\":", id);
  puts_js(b, p->title);
  buf_puts(b, ",\"u\":");
  puts_js(b, p->url);
  buf_puts(b, ",\"d\":");
  puts_js(b, p->description);
  buf_puts(b, ",\"h\":[");
  for (size_t h = 0; h < p->nheadings; h++) {
    buf_puts(b, h ? "," : "");
    puts_js(b, p->headings[h]);
  }
  buf_puts(b, "],\"x\":");
  buf_put(b, snippet, slen);
  if (p->lang && lang && strcmp(p->lang, lang)) {
    buf_puts(b, ",\"l\":");
    puts_js(b, p->lang);
  }
  buf_puts(b, "});\n");
}

static int by_title(const void *a, const void *b) {
  const out_search_page *x = *(const out_search_page *const *)a, *y = *(const out_search_page *const *)b;
  int c = strcmp(x->title ? x->title : "", y->title ? y->title : "");
  if (!c)
    c = strcmp(x->url ? x->url : "", y->url ? y->url : "");
  return c;
}

/* Pages are taken a chunk at a time on the pool: each thread finds a
 * page's digest (or reads its text and splits it into terms in a table of
 * its own), and writes its page file; the calling thread then meets the
 * terms in the index, in page order. A page's text is dropped once split:
 * a locale's texts are never all held at once. */
#define PAGE_CHUNK 64

/* A pool thread's own table of terms (see take_page); freed as the thread
 * ends, and by the calling thread when the index is written. */
static _Thread_local inverted *own_table;

static inverted *own_index(void) {
  if (!own_table) {
    own_table = xcalloc(1, sizeof *own_table);
    own_table->mem = arena_new();
    own_table->own = true;
    grow_slots(own_table);
  }
  return own_table;
}

static void free_own_index(void) {
  inverted *ix = own_table;
  if (!ix)
    return;
  free(ix->terms);
  free(ix->slots);
  free(ix->touched);
  arena_free(ix->mem);
  free(ix);
  own_table = NULL;
}

typedef struct {
  const out_search_page **order;
  const out_search_page *pages;
  size_t first;
  const char *lang;
  out_search_text_fn text;
  void *text_ctx;
  const out_search_page_digests *dg;
  out_search_emit emit;
  void *emit_ctx;
  bool stopped; /* a file failed in an earlier chunk: write no more */
  /* By slot of the chunk: */
  out_search_digest digests[PAGE_CHUNK];
  bool digested[PAGE_CHUNK]; /* found, and sound */
  bool written[PAGE_CHUNK];  /* page file handed to emit, with rc[k] */
  int rc[PAGE_CHUNK];
  buf terms[PAGE_CHUNK], snippets[PAGE_CHUNK], files[PAGE_CHUNK];
} chunk_job;

/* Whether the terms of sound digest d are each there once: met in the
 * thread's own table, as the index will meet them. */
static bool digest_terms_unique(inverted *own, const out_search_digest *d) {
  return index_digest(own, d, own->pages++);
}

static void take_page(void *ctx, size_t k) {
  chunk_job *j = ctx;
  const out_search_page *p = j->order[j->first + k];
  size_t i = (size_t)(p - j->pages), id = j->first + k;
  out_search_digest *d = &j->digests[k];
  inverted *own = own_index();
  j->digested[k] = j->dg && j->dg->find(j->dg->ctx, i, d) && digest_sound(d) &&
                   digest_terms_unique(own, d);
  if (!j->digested[k]) {
    char *fetched = NULL;
    const char *t = p->text;
    if (!t && j->text)
      t = fetched = j->text(j->text_ctx, i);
    buf *terms = &j->terms[k], *snippet = &j->snippets[k];
    terms->len = snippet->len = 0;
    index_page(own, p, t, own->pages++, terms);
    put_snippet(snippet, t);
    free(fetched);
    *d = (out_search_digest){terms->data, terms->len, snippet->data, snippet->len, -1, 0};
  }
  j->written[k] = false;
  j->rc[k] = 0;
  /* The same page at the same id: its file is the one the last build
   * wrote, carried by the calling thread when it is still as that build
   * left it. */
  if (j->stopped || (j->digested[k] && d->id == (long)id && j->dg->carry))
    return;
  buf *file = &j->files[k];
  file->len = 0;
  page_file(file, p, d->snippet, d->snippet_len, id, j->lang);
  char path[64];
  snprintf(path, sizeof path, "search/p%zu.js", id);
  d->file_hash = file_hash(file);
  d->id = (long)id;
  j->rc[k] = j->emit(j->emit_ctx, path, file->data ? file->data : "", file->len);
  j->written[k] = true;
}

int out_search_index(const out_search_page *pages, size_t npages, const char *locale,
                     const char *lang, out_search_emit emit, void *ctx) {
  return out_search_index_streamed(pages, npages, locale, lang, NULL, NULL, NULL, 1, emit, ctx);
}

int out_search_index_streamed(const out_search_page *pages, size_t npages, const char *locale,
                              const char *lang, out_search_text_fn text, void *text_ctx,
                              const out_search_page_digests *dg, int jobs, out_search_emit emit,
                              void *ctx) {
  /* Page ids in title order (then URL: unique within a locale). */
  const out_search_page **order = xmalloc((npages ? npages : 1) * sizeof *order);
  for (size_t i = 0; i < npages; i++)
    order[i] = &pages[i];
  qsort(order, npages, sizeof *order, by_title);

  inverted ix = {.mem = arena_new()};
  grow_slots(&ix);
  sink s = {.emit = emit, .ctx = ctx, .hash = 1469598103934665603ull};
  chunk_job *job = xcalloc(1, sizeof *job);
  *job = (chunk_job){.order = order, .pages = pages, .lang = lang, .text = text,
                     .text_ctx = text_ctx, .dg = dg, .emit = emit, .emit_ctx = ctx};
  for (size_t first = 0; first < npages; first += PAGE_CHUNK) {
    size_t n = npages - first < PAGE_CHUNK ? npages - first : PAGE_CHUNK;
    job->first = first;
    job->stopped = s.rc != 0;
    pool_run(jobs, n, take_page, job, free_own_index);
    for (size_t k = 0; k < n; k++) {
      const out_search_page *p = order[first + k];
      size_t id = first + k;
      out_search_digest *d = &job->digests[k];
      /* Checked on the pool thread the same way: cannot fail here. */
      if (!index_digest(&ix, d, id))
        abort();
      if (job->written[k]) {
        count_file(&s, d->file_hash);
        if (!s.rc)
          s.rc = job->rc[k];
      } else if (!s.rc) {
        char path[64];
        snprintf(path, sizeof path, "search/p%zu.js", id);
        if (job->digested[k] && d->id == (long)id && dg->carry &&
            dg->carry(dg->ctx, (size_t)(p - pages), path)) {
          count_file(&s, d->file_hash);
        } else {
          buf *file = &job->files[k];
          file->len = 0;
          page_file(file, p, d->snippet, d->snippet_len, id, lang);
          d->file_hash = put_file(&s, path, file);
          d->id = (long)id;
        }
      }
      if (dg)
        dg->keep(dg->ctx, (size_t)(p - pages), d);
    }
  }
  free_own_index();
  for (size_t k = 0; k < PAGE_CHUNK; k++) {
    buf_free(&job->terms[k]);
    buf_free(&job->snippets[k]);
    buf_free(&job->files[k]);
  }
  free(job);
  /* Every term but those only a refused digest met. */
  term **sorted = xmalloc((ix.nterms ? ix.nterms : 1) * sizeof *sorted);
  size_t nsorted = 0;
  for (size_t i = 0; i < ix.nterms; i++)
    if (ix.terms[i].npost)
      sorted[nsorted++] = &ix.terms[i];
  qsort(sorted, nsorted, sizeof *sorted, by_bytes);

  buf keys = {0};
  if (!s.rc)
    write_shards(&s, sorted, nsorted, &keys);

  buf m = {0};
  buf_printf(&m, "/* folio search index: the manifest (see out_search.h); loaded by "
                 "assets/folio-search.js */\nfolioSearchManifest({\"v\":2,\"version\":\"%016llx\","
                 "\"locale\":",
             (unsigned long long)s.hash);
  puts_js(&m, locale);
  buf_puts(&m, ",\"lang\":");
  puts_js(&m, lang);
  buf_printf(&m, ",\"pages\":%zu,\"shards\":[", npages);
  if (keys.len) /* none when a file failed */
    buf_put(&m, keys.data, keys.len);
  buf_puts(&m, "]});\n");
  if (!s.rc)
    s.rc = emit(ctx, "search-index.js", m.data, m.len);

  buf_free(&m);
  buf_free(&keys);

  for (size_t i = 0; i < ix.nterms; i++)
    free(ix.terms[i].post);
  free(ix.terms);
  free(ix.slots);
  free(ix.touched);
  free(sorted);
  free(order);
  arena_free(ix.mem);
  return s.rc;
}

/* --- The build's pages, per locale. --- */

typedef struct {
  const article **arts;
  out_search_page *pages;
  arena *mem;
  out_search_body_fn body;
  void *body_ctx;
} text_job;

/* The plain text of page i (on a pool thread): taken when its page was
 * laid out, else from its body HTML, held or handed by the body function. */
static char *page_text(void *ctx, size_t i) {
  text_job *j = ctx;
  const article *art = j->arts[i];
  char *fetched = NULL;
  const char *html = art->body_html;
  if (!html && j->body)
    html = fetched = j->body(j->body_ctx, art);
  buf text = {0};
  out_search_text(html ? html : "", &text);
  buf_putc(&text, '\0');
  free(fetched);
  return buf_detach(&text);
}

typedef struct {
  const publish_txn *txn;
  const char *locale;
  diag_list *diags;
  pthread_mutex_t *lock; /* page files are written from several threads */
} publish_sink;

static int publish_emit(void *ctx, const char *path, const char *data, size_t len) {
  publish_sink *p = ctx;
  char *rel = path_join(p->locale, path);
  diag_list mine = {0};
  int rc = publish_write(p->txn, rel, data, len, &mine);
  free(rel);
  if (mine.count) {
    pthread_mutex_lock(p->lock);
    diag_move(p->diags, &mine);
    pthread_mutex_unlock(p->lock);
  }
  diag_list_free(&mine);
  return rc;
}

static void add_page(text_job *j, size_t *n, const article *art, const char *lang) {
  out_search_page *p = &j->pages[*n];
  j->arts[*n] = art;
  *p = (out_search_page){.title = art->fm.title, .url = art->url,
                         .description = art->fm.description, .lang = lang,
                         .text = art->search_text};
  const char **h = arena_alloc(j->mem, (art->nheadings + 1) * sizeof *h);
  for (size_t i = 0; i < art->nheadings; i++)
    if (art->headings[i].level >= 2 && art->headings[i].level <= 3)
      h[p->nheadings++] = art->headings[i].text;
  p->headings = h;
  (*n)++;
}

/* out_search_digests by page of one locale. */
typedef struct {
  const out_search_digests *dg;
  int locale;
  const char *name; /* the locale's folder */
  const article **arts;
} locale_digests;

static bool find_digest(void *ctx, size_t i, out_search_digest *d) {
  const locale_digests *ld = ctx;
  return ld->dg->find(ld->dg->ctx, ld->locale, ld->arts[i], d);
}

static void keep_digest(void *ctx, size_t i, const out_search_digest *d) {
  const locale_digests *ld = ctx;
  ld->dg->keep(ld->dg->ctx, ld->locale, ld->arts[i], d);
}

static bool carry_file(void *ctx, size_t i, const char *path) {
  (void)i;
  const locale_digests *ld = ctx;
  char *rel = path_join(ld->name, path);
  bool carried = ld->dg->carry(ld->dg->ctx, ld->locale, rel);
  free(rel);
  return carried;
}

int out_search_write(const render_env *env, const fallback_page *fallbacks, size_t nfallbacks,
                     int jobs, const bool *skip, out_search_body_fn body, void *body_ctx,
                     const out_search_digests *digests, const publish_txn *txn,
                     diag_list *diags) {
  int rc = 0;
  pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  size_t cap = env->content->narticles + nfallbacks + 1;
  text_job j = {.arts = xmalloc(cap * sizeof *j.arts), .pages = xmalloc(cap * sizeof *j.pages),
                .body = body, .body_ctx = body_ctx};
  for (size_t l = 0; l < env->cfg->nlocales; l++) {
    if (skip && skip[l])
      continue;
    j.mem = arena_new();
    size_t n = 0;
    /* Real translations first, then the locale's fallback pages. */
    for (size_t i = 0; i < env->content->narticles; i++) {
      const article *art = &env->content->articles[i];
      if (art->locale == (int)l && art->ok)
        add_page(&j, &n, art, env->locales[l].lang);
    }
    for (size_t i = 0; i < nfallbacks; i++)
      if (fallbacks[i].locale == (int)l)
        add_page(&j, &n, fallbacks[i].source, env->locales[0].lang);
    publish_sink ps = {txn, env->cfg->locales[l], diags, &lock};
    locale_digests ld = {digests, (int)l, env->cfg->locales[l], j.arts};
    out_search_page_digests pd = {find_digest, keep_digest,
                                  digests && digests->carry ? carry_file : NULL, &ld};
    bool ok = out_search_index_streamed(j.pages, n, env->cfg->locales[l], env->locales[l].lang,
                                        page_text, &j, digests ? &pd : NULL, jobs, publish_emit,
                                        &ps) == 0;
    if (!ok)
      rc = -1;
    if (digests)
      digests->done(digests->ctx, (int)l, ok);
    arena_free(j.mem);
  }
  free(j.arts);
  free(j.pages);
  return rc;
}
