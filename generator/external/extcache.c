/* The file, after a first line that is EXTCACHE_MAGIC, has one entry per line
 * and seven fields separated by tabs:
 *
 *   url  checked  status  http_code  final_url  moved_to  message
 *
 * checked is in seconds since 1970 (UTC); status is ok, redirected, broken
 * or fragment (broken because the #fragment is missing); a missing URL is
 * "-". URLs never hold tabs or control characters (libcurl encodes them);
 * messages have theirs replaced by spaces when written. */
#include "extcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extalloc.h"

#define MAX_FILE_BYTES (64L * 1024 * 1024)
#define CLOCK_SLACK_S 60
#define NFIELDS 7

/* Entries remember the order they were added in, so that when a URL appears
 * twice the later one wins: the later line of a file, the later put. */
typedef struct {
  extcache_entry e;
  size_t order;
} ranked;

static const char *const status_words[] = {"ok", "redirected", "broken", "fragment"};

static bool is_url(const char *s) {
  return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

static bool has_control(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      return true;
  return false;
}

/* Decimal digits only, at most `max_digits` of them. */
static bool parse_uint(const char *s, size_t max_digits, unsigned long long *out) {
  size_t n = strlen(s);
  if (n == 0 || n > max_digits)
    return false;
  unsigned long long v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (unsigned long long)(s[i] - '0');
  }
  *out = v;
  return true;
}

static void entry_free(extcache_entry *e) {
  free(e->url);
  free(e->final_url);
  free(e->moved_to);
  free(e->message);
}

static char *dup_or_null(const char *s) { return s ? ext_xstrdup(s) : NULL; }

static void push(extcache *c, const extcache_entry *e) {
  if (c->count == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 64;
    c->items = ext_xrealloc(c->items, c->cap * sizeof *c->items);
  }
  extcache_entry *d = &c->items[c->count++];
  *d = *e;
  d->url = ext_xstrdup(e->url);
  d->final_url = dup_or_null(e->final_url);
  d->moved_to = dup_or_null(e->moved_to);
  d->message = ext_xstrdup(e->message ? e->message : "");
}

/* One line (without its newline) into e, pointing into line; false when the
 * line is not a valid entry. */
static bool parse_line(char *line, time_t now, extcache_entry *e) {
  char *f[NFIELDS];
  size_t n = 0;
  for (char *p = line;; p++) {
    if (n == NFIELDS)
      return false; /* too many fields */
    f[n++] = p;
    p = strchr(p, '\t');
    if (!p)
      break;
    *p = '\0';
  }
  if (n != NFIELDS || has_control(f[0]) || has_control(f[6]))
    return false;
  unsigned long long checked, code;
  if (!is_url(f[0]) || !parse_uint(f[1], 18, &checked) || !parse_uint(f[3], 3, &code))
    return false;
  if (checked > (unsigned long long)now + CLOCK_SLACK_S)
    return false;
  size_t st = 0;
  while (st < 4 && strcmp(f[2], status_words[st]) != 0)
    st++;
  if (st == 4)
    return false;
  for (int k = 4; k <= 5; k++)
    if (strcmp(f[k], "-") != 0 && (!is_url(f[k]) || has_control(f[k])))
      return false;
  *e = (extcache_entry){
      .url = f[0],
      .checked = (time_t)checked,
      .status = st == 0 ? EXTCHECK_OK : st == 1 ? EXTCHECK_REDIRECTED : EXTCHECK_BROKEN,
      .fragment_missing = st == 3,
      .http_code = (int)code,
      .final_url = strcmp(f[4], "-") ? f[4] : NULL,
      .moved_to = strcmp(f[5], "-") ? f[5] : NULL,
      .message = f[6],
  };
  /* What each status implies, so that a cached answer reads like a fresh one. */
  if (e->status == EXTCHECK_REDIRECTED && !e->moved_to)
    return false;
  if ((e->status == EXTCHECK_OK || e->status == EXTCHECK_REDIRECTED || e->fragment_missing) &&
      (code < 200 || code > 299))
    return false;
  return true;
}

static int by_url_then_latest(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  int c = strcmp(x->e.url, y->e.url);
  if (c)
    return c;
  return x->order < y->order ? 1 : x->order > y->order ? -1 : 0;
}

/* Sort items[0..count) (added in that order) by URL, keeping the last added
 * of each URL. */
static void normalize(extcache *c) {
  c->unsorted = false;
  if (c->count < 2)
    return;
  ranked *r = ext_xmalloc(c->count * sizeof *r);
  for (size_t i = 0; i < c->count; i++)
    r[i] = (ranked){c->items[i], i};
  qsort(r, c->count, sizeof *r, by_url_then_latest);
  size_t n = 0;
  for (size_t i = 0; i < c->count; i++) {
    if (n && strcmp(c->items[n - 1].url, r[i].e.url) == 0)
      entry_free(&r[i].e);
    else
      c->items[n++] = r[i].e;
  }
  c->count = n;
  c->unsorted = false;
  free(r);
}

size_t extcache_load(extcache *c, const char *path, time_t now) {
  /* O_NONBLOCK: a FIFO at the path must not hang the run; only a regular
   * file is read. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return 0;
  struct stat st;
  FILE *f = NULL;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_FILE_BYTES ||
      !(f = fdopen(fd, "r"))) {
    close(fd);
    return 0;
  }
  char *line = NULL;
  size_t cap = 0, skipped = 0, lineno = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, f)) >= 0) {
    if (len > 0 && line[len - 1] == '\n')
      line[--len] = '\0';
    if (len > 0 && line[len - 1] == '\r')
      line[--len] = '\0';
    if (lineno++ == 0) {
      if (strcmp(line, EXTCACHE_MAGIC) != 0)
        break; /* another format or version: start afresh */
      continue;
    }
    extcache_entry e;
    if (len == 0)
      continue;
    if (strlen(line) != (size_t)len || !parse_line(line, now, &e)) {
      skipped++; /* a NUL inside, or not an entry */
      continue;
    }
    push(c, &e);
  }
  free(line);
  fclose(f);
  normalize(c);
  return skipped;
}

static int by_key(const void *key, const void *item) {
  return strcmp(key, ((const extcache_entry *)item)->url);
}

const extcache_entry *extcache_find(extcache *c, const char *url) {
  if (c->unsorted)
    normalize(c);
  if (!c->count)
    return NULL;
  return bsearch(url, c->items, c->count, sizeof *c->items, by_key);
}

void extcache_put(extcache *c, const extcache_entry *e) {
  /* Appended, and sorted once when next needed: a run puts thousands. */
  push(c, e);
  c->unsorted = true;
}

void extcache_prune(extcache *c, time_t now, long max_age_s) {
  /* A stable filter: the order of additions, which normalize needs, stays. */
  size_t n = 0;
  for (size_t i = 0; i < c->count; i++) {
    if ((long long)now - (long long)c->items[i].checked >= (long long)max_age_s)
      entry_free(&c->items[i]);
    else
      c->items[n++] = c->items[i];
  }
  c->count = n;
}

static void put_message(FILE *f, const char *s) {
  for (; *s; s++)
    fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, f);
}

int extcache_save(extcache *c, const char *path) {
  if (c->unsorted)
    normalize(c);
  char *tmp = ext_xprintf("%s.tmpXXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    int err = errno;
    free(tmp);
    errno = err;
    return -1;
  }
  /* mkstemp makes the file private; the cache holds nothing secret. */
  (void)fchmod(fd, 0644);
  FILE *f = fdopen(fd, "w");
  if (!f) {
    int err = errno;
    close(fd);
    unlink(tmp);
    free(tmp);
    errno = err;
    return -1;
  }
  fprintf(f, "%s\n", EXTCACHE_MAGIC);
  for (size_t i = 0; i < c->count; i++) {
    const extcache_entry *e = &c->items[i];
    const char *fin = e->final_url ? e->final_url : "-";
    const char *mov = e->moved_to ? e->moved_to : "-";
    /* An entry the loader would refuse is not written. */
    if (!is_url(e->url) || has_control(e->url) || has_control(fin) || has_control(mov))
      continue;
    const char *word = e->fragment_missing                ? "fragment"
                       : e->status == EXTCHECK_OK         ? "ok"
                       : e->status == EXTCHECK_REDIRECTED ? "redirected"
                                                          : "broken";
    fprintf(f, "%s\t%lld\t%s\t%d\t%s\t%s\t", e->url, (long long)e->checked, word, e->http_code,
            fin, mov);
    put_message(f, e->message ? e->message : "");
    fputc('\n', f);
  }
  /* Every write is checked through the stream's error flag, then the data is
   * made durable before the rename makes it visible. */
  int rc = fflush(f) != 0 || ferror(f) || fsync(fd) != 0 ? -1 : 0;
  int err = errno;
  if (fclose(f) != 0 && rc == 0) {
    rc = -1;
    err = errno;
  }
  if (rc == 0 && rename(tmp, path) != 0) {
    rc = -1;
    err = errno;
  }
  if (rc != 0)
    unlink(tmp);
  free(tmp);
  errno = err;
  return rc;
}

void extcache_free(extcache *c) {
  for (size_t i = 0; i < c->count; i++)
    entry_free(&c->items[i]);
  free(c->items);
  *c = (extcache){0};
}
