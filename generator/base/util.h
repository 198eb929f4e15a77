/* util: file-system helpers. They return 0 on success and -1 with errno
 * set; they never print. Buffers they return are malloc'd (caller frees). */
#ifndef FOLIO_UTIL_H
#define FOLIO_UTIL_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>

#include "alloc.h"
#include "path.h"
#include "strutil.h"

/* Read a whole file; *out is malloc'd and NUL-terminated. */
int read_file(const char *path, char **out, size_t *len);
/* Write a whole file, creating parent folders. */
int write_file(const char *path, const char *data, size_t len);
/* The same, always into a new file: one already at path (a hard link into
 * another tree) is replaced, never written through. */
int write_file_new(const char *path, const char *data, size_t len);
int copy_file(const char *from, const char *to);
/* Write what remains readable from fd into the file to (created with its
 * folders). On -1, *read_failed says whether reading fd or writing failed. */
int copy_fd_to_file(int fd, const char *to, bool *read_failed);
/* The path an open descriptor names now (from /proc/self/fd), malloc'd, or
 * NULL with errno. */
char *fd_path(int fd);
/* Absolute path of p with every symbolic link resolved, like realpath(3),
 * but p need not exist: the part that does not exist yet is appended and
 * normalized lexically (which is what creating it would give). malloc'd, or
 * NULL with errno when an existing part cannot be resolved (EACCES, ELOOP). */
char *path_resolve(const char *p);
int mkdir_p(const char *path);
int remove_tree(const char *path);
bool is_dir(const char *path);
bool is_file(const char *path);
/* The names in an open folder (without "." and ".."), those keep accepts
 * (every one when keep is NULL; it is called in readdir's order), sorted
 * bytewise for a deterministic walk. Returns a malloc'd array of malloc'd
 * names, NULL when none; free with dir_names_free. d stays open. */
char **dir_names(DIR *d, bool (*keep)(const char *name, void *ctx), void *ctx, size_t *n);
void dir_names_free(char **names, size_t n);

#endif
