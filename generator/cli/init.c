#include "init.h"

#include "buf.h"
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

static const char folio_yml[] =
    "# folio project settings: see the README for every key.\n"
    "title: My documentation\n"
    "base_url: https://docs.example.com/\n"
    "source_locale: en-us\n"
    "locales: [en-us]\n"
    "# Site-absolute links outside this site, mapped to external addresses:\n"
    "external_links:\n"
    "  /azure/: https://learn.microsoft.com/{locale}/azure/\n";

static const char index_md[] =
    "---\n"
    "title: Welcome\n"
    "description: The home page of a new folio documentation set.\n"
    "ms.date: 01/15/2026\n"
    "ms.topic: overview\n"
    "---\n"
    "# Welcome\n"
    "\n"
    "This site was created by `folio init`. Edit `content/en-us/index.md`, add\n"
    "articles next to it, list them in `content/en-us/toc.yml`, and run\n"
    "`folio build` to see the result in `site/`.\n"
    "\n"
    "> [!TIP]\n"
    "> Run `folio check` in CI to catch broken links before they ship.\n";

static const char toc_yml[] = "- name: Welcome\n  href: index.md\n";

static int copy_tree(const char *from, const char *to, diag_list *diags) {
  DIR *d = opendir(from);
  if (!d) {
    diag_add(diags, from, 0, 0, SEV_ERROR, "init-failed", "cannot read default files: %s",
             strerror(errno));
    return -1;
  }
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char *src = path_join(from, e->d_name);
    char *dst = path_join(to, e->d_name);
    if (is_dir(src)) {
      if (copy_tree(src, dst, diags) < 0)
        rc = -1;
    } else if (copy_file(src, dst) < 0) {
      diag_add(diags, dst, 0, 0, SEV_ERROR, "init-failed", "cannot write: %s", strerror(errno));
      rc = -1;
    }
    free(src);
    free(dst);
  }
  closedir(d);
  return rc;
}

static int put(const char *dir, const char *rel, const char *text, diag_list *diags) {
  char *p = path_join(dir, rel);
  int rc = write_file(p, text, strlen(text));
  if (rc < 0)
    diag_add(diags, p, 0, 0, SEV_ERROR, "init-failed", "cannot write: %s", strerror(errno));
  free(p);
  return rc;
}

static bool empty_or_missing(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return errno == ENOENT;
  struct dirent *e;
  bool empty = true;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      empty = false;
  closedir(d);
  return empty;
}

/* The glossary a new project starts with: neutral roles to rename, not
 * the bundled documentation's (Contoso's partner roles). */
static const char neutral_glossary[] =
    "# The role glossary: id -> the names articles use for it in this\n"
    "# language (the first is shown). Rename these to your product's roles.\n"
    "roles:\n"
    "  admin: [Administrator, Administrators, Admin]\n"
    "  editor: [Editor, Editors]\n"
    "  viewer: [Viewer, Viewers, Reader]\n"
    "audiences:\n"
    "  customer: [Customers, Customer]\n"
    "\n";

/* Copy the bundled locale file with its roles: and audiences: blocks
 * replaced by the neutral glossary. */
static int write_locale(const char *from, const char *to, diag_list *diags) {
  char *text;
  size_t len;
  if (read_file(from, &text, &len) < 0) {
    diag_add(diags, from, 0, 0, SEV_ERROR, "init-failed", "cannot read: %s", strerror(errno));
    return -1;
  }
  buf out = {0};
  bool skipping = false, glossary_written = false;
  for (const char *p = text, *end = text + len; p < end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl + 1 : end;
    /* A key or a comment at the left margin ends a block. */
    bool top_key = p[0] != ' ' && p[0] != '\n';
    if (top_key)
      skipping = !strncmp(p, "roles:", 6) || !strncmp(p, "audiences:", 10);
    if (skipping && !glossary_written) {
      buf_puts(&out, neutral_glossary);
      glossary_written = true;
    }
    if (!skipping)
      buf_put(&out, p, (size_t)(le - p));
    p = le;
  }
  free(text);
  int rc = write_file(to, out.data ? out.data : "", out.len);
  if (rc < 0)
    diag_add(diags, to, 0, 0, SEV_ERROR, "init-failed", "cannot write: %s", strerror(errno));
  buf_free(&out);
  return rc;
}

int init_project(const char *dir, const char *datadir, diag_list *diags) {
  if (!empty_or_missing(dir)) {
    diag_add(diags, dir, 0, 0, SEV_ERROR, "init-not-empty",
             "folder exists and is not empty; folio init only writes into a new folder");
    return -1;
  }
  if (mkdir_p(dir) < 0) {
    diag_add(diags, dir, 0, 0, SEV_ERROR, "init-failed", "cannot create: %s", strerror(errno));
    return -1;
  }
  char *templates = path_join(datadir, "templates");
  char *locale = path_join(datadir, "locales/en-us.yml");
  char *tdst = path_join(dir, "templates");
  char *ldst = path_join(dir, "locales/en-us.yml");
  int rc = 0;
  if (copy_tree(templates, tdst, diags) < 0)
    rc = -1;
  else if (write_locale(locale, ldst, diags) < 0)
    rc = -1;
  free(templates);
  free(locale);
  free(tdst);
  free(ldst);
  if (rc == 0 && (put(dir, "folio.yml", folio_yml, diags) < 0 ||
                  put(dir, "content/en-us/index.md", index_md, diags) < 0 ||
                  put(dir, "content/en-us/toc.yml", toc_yml, diags) < 0 ||
                  put(dir, ".gitignore", "/site/\n/.site.folio-*/\n/.folio/\n", diags) < 0))
    rc = -1;
  return rc;
}
