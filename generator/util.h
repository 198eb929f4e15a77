/* util: allocation that exits on out-of-memory, and file-system helpers.
 * File helpers return 0 on success and -1 with errno set; they never print. */
#ifndef FOLIO_UTIL_H
#define FOLIO_UTIL_H

#include <stdbool.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Read a whole file; *out is malloc'd and NUL-terminated. */
int read_file(const char *path, char **out, size_t *len);
/* Write a whole file, creating parent folders. */
int write_file(const char *path, const char *data, size_t len);
int copy_file(const char *from, const char *to);
/* Write what remains readable from fd into the file to (created with its
 * folders). On -1, *read_failed says whether reading fd or writing failed. */
int copy_fd_to_file(int fd, const char *to, bool *read_failed);
/* The path an open descriptor names now (from /proc/self/fd), malloc'd, or
 * NULL with errno. */
char *fd_path(int fd);
int mkdir_p(const char *path);
int remove_tree(const char *path);
bool is_dir(const char *path);
bool is_file(const char *path);

/* Join two path pieces with one '/'; malloc'd. */
char *path_join(const char *a, const char *b);
/* Normalize "a/./b/../c" lexically; returns malloc'd string, or NULL when
 * the path climbs above its start (a leading "..").*/
char *path_normalize(const char *p);
/* Absolute path of p with every symbolic link resolved, like realpath(3),
 * but p need not exist: the part that does not exist yet is appended and
 * normalized lexically (which is what creating it would give). malloc'd, or
 * NULL with errno when an existing part cannot be resolved (EACCES, ELOOP). */
char *path_resolve(const char *p);
/* Whether the absolute normalized path is dir or lies inside it. */
bool path_is_within(const char *path, const char *dir);
/* Directory part of a relative path ("a/b.md" -> "a", "b.md" -> ""), malloc'd. */
char *path_dirname(const char *p);
/* The relative prefix that climbs from the folder of rel to its root:
 * "a/b.html" -> "../", "b.html" -> "". malloc'd. */
char *path_root_prefix(const char *rel);
/* Levenshtein distance, for "did you mean" hints; (size_t)-1 when either
 * string is longer than 256 bytes. ignore_case folds ASCII letters. */
size_t str_distance(const char *a, const char *b, bool ignore_case);
bool str_ends_with(const char *s, const char *suffix);
bool str_starts_with(const char *s, const char *prefix);
/* Whether s[0..len) is valid UTF-8 (no overlong forms, surrogates or code
 * points above U+10FFFF). When it is not, *bad is the offset of the first
 * invalid byte and *nbad the number of invalid bytes. */
bool utf8_valid(const char *s, size_t len, size_t *bad, size_t *nbad);
/* A copy of s[0..len) with each invalid byte replaced by U+FFFD, as cmark's
 * VALIDATE_UTF8 does; malloc'd and NUL-terminated, its length in *out_len. */
char *utf8_repair(const char *s, size_t len, size_t *out_len);

/* Relative URL from the page at from_file to to_file, both paths from the
 * same root ("de-de/a/b.html", "en-us/media/x.png" -> "../../en-us/media/x.png").
 * malloc'd. */
char *path_relative(const char *from_file, const char *to_file);
/* Decode %XX escapes in place; returns false on a malformed escape. */
bool percent_decode(char *s);
#endif
