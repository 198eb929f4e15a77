/* util: file-system helpers. They return 0 on success and -1 with errno
 * set; they never print. Buffers they return are malloc'd (caller frees). */
#ifndef FOLIO_UTIL_H
#define FOLIO_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "alloc.h"
#include "path.h"
#include "strutil.h"

/* Read a whole file; *out is malloc'd and NUL-terminated. */
int read_file(const char *path, char **out, size_t *len);
/* Write a whole file, creating parent folders. */
int write_file(const char *path, const char *data, size_t len);
int copy_file(const char *from, const char *to);
int mkdir_p(const char *path);
int remove_tree(const char *path);
bool is_dir(const char *path);
bool is_file(const char *path);

#endif
