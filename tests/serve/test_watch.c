/* The watcher over a temporary project: each step changes files the way a
 * person or an editor does, then checks the one report that follows. The
 * changes of a step are made before watch_wait is called, so the kernel has
 * queued all of their events by then: the report is exact, not timed. */
#include "serve_test.h"

#include <pthread.h>
#include <stdarg.h>

#include "watch.h"

static char *dir;

/* Check that the next report is exactly the paths given (relative to dir,
 * sorted), NULL-terminated. */
static bool expect_(int line, watch *w, ...) {
  watch_changes c;
  int rc = watch_wait(w, 5000, &c);
  bool ok = test_check_int_(rc, 1, __FILE__, line, "watch_wait", "1");
  va_list ap;
  va_start(ap, w);
  size_t i = 0;
  const char *rel;
  while ((rel = va_arg(ap, const char *))) {
    const char *want = test_path(dir, rel);
    ok &= test_check_str_(i < c.count ? c.paths[i] : NULL, want, __FILE__, line, "path", rel);
    i++;
  }
  va_end(ap);
  ok &= test_check_int_((long long)c.count, (long long)i, __FILE__, line, "count", "expected");
  ok &= test_check_(!c.overflow, __FILE__, line, "!overflow");
  if (!ok)
    for (size_t k = 0; k < c.count; k++)
      fprintf(stderr, "    reported: %s\n", c.paths[k]);
  watch_changes_free(&c);
  return ok;
}
#define EXPECT(w, ...) expect_(__LINE__, (w), __VA_ARGS__, (const char *)NULL)

/* Nothing is reported within ms. */
static void expect_none_(int line, watch *w, int ms) {
  watch_changes c;
  int rc = watch_wait(w, ms, &c);
  if (!test_check_int_(rc, 0, __FILE__, line, "watch_wait", "0"))
    for (size_t k = 0; k < c.count; k++)
      fprintf(stderr, "    reported: %s\n", c.paths[k]);
  watch_changes_free(&c);
}
#define EXPECT_NONE(w, ms) expect_none_(__LINE__, (w), (ms))

static void rename_in(const char *from, const char *to) {
  char a[4096];
  snprintf(a, sizeof a, "%s", test_path(dir, from));
  if (rename(a, test_path(dir, to)) < 0) {
    perror(from);
    exit(2);
  }
}

static void make_project(void) {
  dir = test_mkdtemp();
  test_write(dir, "folio.yml", "title: x\n");
  test_write(dir, "notes.txt", "not watched\n");
  test_write(dir, "content/a.md", "# a\n");
  test_write(dir, "content/en-us/b.md", "# b\n");
  test_write(dir, "templates/page.html", "{{ body }}\n");
  test_write(dir, "site/index.html", "old site\n");
}

static watch *open_project(const watch_options *o) {
  const char *paths[] = {test_path(dir, "content"), test_path(dir, "templates"),
                         test_path(dir, "folio.yml")};
  char err[256];
  watch *w = NULL;
  if (watch_open(&w, paths, 3, o, err, sizeof err) < 0) {
    fprintf(stderr, "watch_open: %s\n", err);
    exit(2);
  }
  return w;
}

static void test_files(void) {
  watch *w = open_project(NULL);
  EXPECT_NONE(w, 50);

  test_write(dir, "content/a.md", "# a, edited\n");
  EXPECT(w, "content/a.md");

  test_write(dir, "content/new.md", "# new\n");
  test_write(dir, "templates/page.html", "<main>{{ body }}</main>\n");
  EXPECT(w, "content/new.md", "templates/page.html");

  /* Several saves of one file in a burst: one path. */
  for (int i = 0; i < 20; i++)
    test_write(dir, "content/a.md", "# again\n");
  EXPECT(w, "content/a.md");

  /* An editor that writes a hidden copy, keeps a backup and a swap file,
   * then renames the copy over the file. */
  test_write(dir, "content/.a.md.swp", "swap");
  test_write(dir, "content/a.md~", "# a, edited\n");
  test_write(dir, "content/#a.md#", "autosave");
  test_write(dir, "content/4913", "");
  unlink(test_path(dir, "content/4913"));
  test_write(dir, "content/.goutputstream-XYZ", "# a, saved\n");
  rename_in("content/.goutputstream-XYZ", "content/a.md");
  EXPECT(w, "content/a.md");

  /* Delete and create again. */
  unlink(test_path(dir, "content/en-us/b.md"));
  test_write(dir, "content/en-us/b.md", "# b again\n");
  EXPECT(w, "content/en-us/b.md");

  /* Rename: both names. */
  rename_in("content/a.md", "content/c.md");
  EXPECT(w, "content/a.md", "content/c.md");

  unlink(test_path(dir, "content/c.md"));
  EXPECT(w, "content/c.md");

  /* folio.yml is watched, the other files beside it are not; replacing it
   * by a rename is seen. */
  test_write(dir, "notes.txt", "still not watched\n");
  EXPECT_NONE(w, 200);
  test_write(dir, ".folio.yml.tmp", "title: y\n");
  rename_in(".folio.yml.tmp", "folio.yml");
  test_write(dir, "notes.txt", "still not\n");
  EXPECT(w, "folio.yml");
  watch_close(w);
}

static void test_folders(void) {
  watch *w = open_project(NULL);
  /* A new folder and the file written in it at once (perhaps before its
   * watch was in place: the scan of the new folder finds it). */
  mkdir(test_path(dir, "content/fr-fr"), 0755);
  test_write(dir, "content/fr-fr/x.md", "# x\n");
  EXPECT(w, "content/fr-fr", "content/fr-fr/x.md");

  /* Nested folders made in one go. */
  test_write(dir, "content/fr-fr/sub/deeper/z.md", "# z\n");
  EXPECT(w, "content/fr-fr/sub", "content/fr-fr/sub/deeper", "content/fr-fr/sub/deeper/z.md");

  /* The new folders are watched. */
  test_write(dir, "content/fr-fr/sub/deeper/z.md", "# z, edited\n");
  EXPECT(w, "content/fr-fr/sub/deeper/z.md");

  /* A folder renamed: its old and new names; the files in it are watched
   * under the new name. */
  rename_in("content/fr-fr/sub", "content/fr-fr/moved");
  EXPECT(w, "content/fr-fr/moved", "content/fr-fr/moved/deeper",
         "content/fr-fr/moved/deeper/z.md", "content/fr-fr/sub");
  test_write(dir, "content/fr-fr/moved/deeper/z.md", "# z, moved\n");
  EXPECT(w, "content/fr-fr/moved/deeper/z.md");

  /* Hidden folders are not watched. */
  test_write(dir, "content/.git/index", "x");
  EXPECT_NONE(w, 200);
  watch_close(w);
}

static void test_ignored_output(void) {
  /* The whole project, without the output folder and what a build writes
   * beside it. */
  const char *ignore[] = {test_path(dir, "site")};
  watch_options o = {.ignore = ignore, .nignore = 1};
  const char *paths[] = {dir};
  char err[256];
  watch *w = NULL;
  if (!CHECK_INT(watch_open(&w, paths, 1, &o, err, sizeof err), 0))
    return;
  test_write(dir, "site/index.html", "new site\n");
  test_write(dir, "site/en-us/page.html", "new\n");
  test_write(dir, ".site.folio-tmp.123/index.html", "tmp\n");
  EXPECT_NONE(w, 200);
  /* The watch is alive: a change elsewhere is reported, alone. */
  test_write(dir, "notes.txt", "now watched\n");
  EXPECT(w, "notes.txt");
  watch_close(w);
}

static void test_limits(void) {
  watch_options o = {.max_paths = 3};
  watch *w = open_project(&o);
  for (int i = 0; i < 6; i++) {
    char name[32];
    snprintf(name, sizeof name, "content/many-%d.md", i);
    test_write(dir, name, "x");
  }
  watch_changes c;
  CHECK_INT(watch_wait(w, 5000, &c), 1);
  CHECK(c.overflow);
  CHECK(c.count <= 3);
  watch_changes_free(&c);
  /* The next report starts afresh. */
  test_write(dir, "content/many-0.md", "y");
  EXPECT(w, "content/many-0.md");
  watch_close(w);

  char err[256];
  const char *missing[] = {test_path(dir, "no-such-folder")};
  CHECK_INT(watch_open(&w, missing, 1, NULL, err, sizeof err), -1);
  CHECK(strstr(err, "no-such-folder") != NULL);
}

/* A save written in pieces: one report, once the writing has been quiet
 * for quiet_ms. */
typedef struct {
  long long gap_max, last_start;
} writer_times;

static void *slow_writer(void *arg) {
  writer_times *t = arg;
  int fd = open(test_path(dir, "content/slow.md"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  long long prev = 0;
  /* Five pieces, then the close (an event too). */
  for (int i = 0; i < 6; i++) {
    long long start = test_now_ms();
    if (i < 5 && write(fd, "part\n", 5) != 5)
      perror("write");
    if (i == 5)
      close(fd);
    long long end = test_now_ms();
    /* From the start of one step to the end of the next: the most the
     * watcher can see between two of their events. */
    if (prev && end - prev > t->gap_max)
      t->gap_max = end - prev;
    prev = start;
    t->last_start = start;
    if (i < 5)
      test_sleep_ms(20);
  }
  return NULL;
}

static void test_half_written(void) {
  watch_options o = {.quiet_ms = 200, .max_delay_ms = 10000};
  watch *w = open_project(&o);
  writer_times t = {0};
  pthread_t th;
  pthread_create(&th, NULL, slow_writer, &t);
  watch_changes c;
  CHECK_INT(watch_wait(w, 5000, &c), 1);
  long long reported = test_now_ms();
  pthread_join(th, NULL);
  if (t.gap_max + 20 < (long long)o.quiet_ms) {
    /* The writer never paused for the quiet period: one report, after the
     * last piece. (On a machine so loaded that it did pause, two reports
     * are right, and only the union is checked.) */
    CHECK(reported >= t.last_start + o.quiet_ms);
    if (CHECK_INT(c.count, 1))
      CHECK_STR(c.paths[0], test_path(dir, "content/slow.md"));
  } else {
    fprintf(stderr, "note: the writer paused %lld ms; checking the union only\n", t.gap_max);
  }
  watch_changes_free(&c);
  /* Whatever follows is the same file, and then nothing. */
  while (watch_wait(w, 300, &c) == 1) {
    if (CHECK_INT(c.count, 1))
      CHECK_STR(c.paths[0], test_path(dir, "content/slow.md"));
    watch_changes_free(&c);
  }
  watch_close(w);
}

static watch *interrupted;
static void *interrupter(void *arg) {
  (void)arg;
  test_sleep_ms(50);
  watch_interrupt(interrupted);
  return NULL;
}

static void test_interrupt(void) {
  interrupted = open_project(NULL);
  pthread_t th;
  pthread_create(&th, NULL, interrupter, NULL);
  long long t0 = test_now_ms();
  watch_changes c;
  CHECK_INT(watch_wait(interrupted, -1, &c), 0);
  CHECK(test_now_ms() - t0 < 5000);
  CHECK_INT(c.count, 0);
  pthread_join(th, NULL);
  watch_close(interrupted);
}

int main(void) {
  make_project();
  RUN(test_files);
  RUN(test_folders);
  RUN(test_ignored_output);
  RUN(test_limits);
  RUN(test_half_written);
  RUN(test_interrupt);
  test_rmdir(dir);
  return test_done();
}
