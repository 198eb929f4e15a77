/* LD_PRELOAD shim for tests/publish/copy.sh: copy_file_range fails with the
 * errno named in FOLIO_TEST_COPY_ERRNO (EXDEV, ENOSYS, EINVAL, EOPNOTSUPP,
 * EIO), after copying FOLIO_TEST_COPY_FIRST bytes in a first call when that
 * is set, as a kernel could; unset, the real function runs. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

ssize_t copy_file_range(int in, off_t *in_off, int out, off_t *out_off, size_t len,
                        unsigned flags) {
  static const struct {
    const char *name;
    int value;
  } errs[] = {{"EXDEV", EXDEV}, {"ENOSYS", ENOSYS}, {"EINVAL", EINVAL},
              {"EOPNOTSUPP", EOPNOTSUPP}, {"EIO", EIO}};
  ssize_t (*real)(int, off_t *, int, off_t *, size_t, unsigned) =
      (ssize_t(*)(int, off_t *, int, off_t *, size_t, unsigned))dlsym(RTLD_NEXT, "copy_file_range");
  const char *want = getenv("FOLIO_TEST_COPY_ERRNO");
  if (!want || !real)
    return real ? real(in, in_off, out, out_off, len, flags) : (errno = ENOSYS, -1);
  /* A first partial copy, once per file (the output is still empty). */
  const char *first = getenv("FOLIO_TEST_COPY_FIRST");
  if (first && lseek(out, 0, SEEK_CUR) == 0) {
    size_t n = (size_t)atol(first);
    if (n && n < len)
      return real(in, in_off, out, out_off, n, flags);
  }
  for (size_t i = 0; i < sizeof errs / sizeof *errs; i++)
    if (!strcmp(want, errs[i].name)) {
      errno = errs[i].value;
      return -1;
    }
  errno = EIO;
  return -1;
}
