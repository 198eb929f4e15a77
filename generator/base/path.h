/* path: lexical operations on '/'-separated paths (no file system access).
 * Every string returned is malloc'd and owned by the caller, except where
 * an arena is passed in. */
#ifndef FOLIO_PATH_H
#define FOLIO_PATH_H

#include <stdbool.h>

#include "arena.h"

/* Join two path pieces with one '/'. */
char *path_join(const char *a, const char *b);
/* Normalize "a/./b/../c" lexically; NULL when the path climbs above its
 * start (a leading ".."). */
char *path_normalize(const char *p);
/* Whether the absolute normalized path is dir or lies inside it. */
bool path_is_within(const char *path, const char *dir);
/* Directory part of a relative path ("a/b.md" -> "a", "b.md" -> ""). */
char *path_dirname(const char *p);
/* The relative prefix that climbs from the folder of rel to its root:
 * "a/b.html" -> "../", "b.html" -> "". */
char *path_root_prefix(const char *rel);
/* Relative URL from the page at from_file to to_file, both paths from the
 * same root ("de-de/a/b.html", "en-us/media/x.png" -> "../../en-us/media/x.png"). */
char *path_relative(const char *from_file, const char *to_file);
/* path_relative(from_file, to_dir/to_file) followed by suffix, in arena a,
 * without building the joined path; to_dir (no trailing slash) may be "". For
 * the many links a page or an article writes. */
char *path_relative_in(arena *a, const char *from_file, const char *to_dir, const char *to_file,
                       const char *suffix);

#endif
