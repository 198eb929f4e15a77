/* model: the content set that discovery finds and the later stages fill in.
 * The content_set and everything it points to live in the build arena, except
 * what the per-article stages produce, which lives in that article's arena. */
#ifndef FOLIO_MODEL_H
#define FOLIO_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "yamldoc.h"

typedef struct {
  const char *key;
  ynode *value; /* scalar, list or mapping as written */
} meta_entry;

typedef struct {
  const char *title, *description;
  int year, month, day; /* ms.date; 0 when absent */
  meta_entry *meta;     /* every key, in file order */
  size_t nmeta, capmeta;
  size_t body_offset;   /* byte offset of the Markdown body */
  int body_line;        /* 1-based line where the body starts */
} frontmatter;

/* A heading (level 1-6) or an anchor (level 0: an <a name> or <a id>),
 * in the order pass_headings records them: the anchors outside headings,
 * then each heading followed by the anchors it holds. */
typedef struct {
  int level;
  const char *id;   /* anchor id */
  const char *text; /* plain text ("" for an anchor) */
  int line;
  bool explicit_id; /* an <a name> that is also the heading's slug, or an anchor */
} heading;

struct article;
struct yaml_page;

/* What an article is written in: Markdown with front matter, or one of
 * Learn's structured YAML pages (source/yamlpage.h), which become pages of
 * their own kind with the same place in links, tocs, search and sitemaps. */
typedef enum {
  PAGE_MARKDOWN, /* x.md */
  PAGE_FAQ,      /* ### YamlMime:FAQ */
  PAGE_LANDING,  /* ### YamlMime:Landing */
  PAGE_HUB,      /* ### YamlMime:Hub */
} page_kind;

typedef struct {
  const char *url;   /* as written */
  int line, col;     /* in file (the article, or the include it came from) */
  bool image;
  const char *file;  /* include file for messages, or NULL in the article */
  int via_line;      /* article line of the [!INCLUDE] when file is set */
  /* Set by pass_links when the link names an article of the site: resolve
   * checks the fragment (percent-decoded, NULL when none) against it. */
  const struct article *target;
  const char *fragment;
} link_ref;

/* A regular file's identity, size and times (stat's st_dev, st_ino,
 * st_size, st_mtim and st_ctim). */
typedef struct {
  uint64_t dev, ino, size, mtime_s, mtime_ns, ctime_s, ctime_ns;
} file_seen;

struct stat;
/* The file_seen of what stat returned. */
file_seen file_seen_of(const struct stat *st);

typedef struct article {
  int locale;           /* index into site_config.locales */
  page_kind kind;
  const char *rel;      /* path inside the locale folder: "billing/x.md" (or x.yml) */
  const char *path;     /* path for messages: "content/en-us/billing/x.md" */
  const char *abspath;  /* path to open */
  const char *url;      /* output path inside the locale folder: "billing/x.html" */
  /* The file as discovery's stat found it (links followed; in the build
   * arena, NULL when unknown): what the build cache compares with its
   * entry's stamp, without a second stat per article. A pointer: the
   * article array is copied as it grows. */
  const file_seen *found;
  /* Filled by the per-article stages, in the article's arena: */
  arena *mem;
  bool ok;              /* loaded and parsed */
  frontmatter fm;
  /* malloc'd, not in mem: released (NULL) once its page and its search text
   * are made, unless a fallback page still needs it; whoever frees mem frees
   * it (with search_text) */
  char *body_html;
  char *search_text; /* the body as search text (out_search_text), taken with the page; or NULL */
  const char *body_hash; /* "sha256:<hex>" of the Markdown body (translation.h); source locale only */
  heading *headings;
  size_t nheadings, capheadings;
  link_ref *links;
  size_t nlinks, caplinks;
  char *page_html;      /* the finished page, until published */
  size_t page_len;
  struct policy_article *policy; /* rules the article states (policy.h), in mem */
  struct yaml_page *yaml; /* a YAML page's parts (yamlpage.h), in mem; NULL for Markdown */
  diag_list diags;
} article;

typedef struct {
  int locale;
  const char *rel;  /* inside the locale folder */
  const char *path; /* for messages and to open */
  /* Include files only, read once by include_preload (build arena): */
  const char *text; /* NULL when the file could not be read */
  size_t len;
  int read_errno;
} content_file;

/* One entry of .openpublishing.redirection.json: the article that was at
 * rel (in every locale) now lives at url. */
typedef struct {
  const char *rel;      /* source path inside the locale folder: "old/x.md" */
  const char *url;      /* redirect_url as written */
  bool document_id;     /* redirect_document_id (read, kept, not used) */
  const char *file;     /* the redirection file, for messages */
  int line, col;        /* of the entry's source path */
  int url_line, url_col; /* of its redirect_url */
} redirect_entry;

/* One slot of the article index: 0 when empty, else 1 + the article's
 * index in content_set.articles, with the key's hash to skip most strcmps. */
typedef struct {
  unsigned hash;
  unsigned article; /* 1-based */
} content_slot;

typedef struct {
  article *articles; /* sorted by locale index, then rel; final once indexed */
  size_t narticles;
  /* Hash index over (locale, rel) of articles, built once by
   * content_index_articles (build arena); NULL in a set built without it,
   * whose lookups then bsearch. cap is 0 or a power of two. */
  content_slot *article_slots;
  size_t article_cap;
  content_file *media; /* images and other files copied as they are */
  size_t nmedia;
  content_file *includes; /* Markdown under includes/ folders */
  size_t nincludes;
  content_file *tocs; /* toc.yml / TOC.md in any letter case, any folder */
  size_t ntocs;
  redirect_entry *redirects; /* sorted by rel; filled after discovery (redirects.h) */
  size_t nredirects;
} content_set;

/* Index cs->articles by (locale, rel) for content_find_article. Call it
 * once the array is final (discover_content does); lookups only read the
 * index, so any number of threads may look up at once. The index lives in a. */
void content_index_articles(arena *a, content_set *cs);
/* The article at rel in locale (hash index, else binary search); NULL when
 * absent. */
article *content_find_article(const content_set *cs, int locale, const char *rel);
const content_file *content_find_file(const content_file *files, size_t n, int locale,
                                      const char *rel);
/* The article whose page is url ("dir/x.html"): dir/x.md, else dir/x.yml. */
article *content_find_by_url(const content_set *cs, int locale, const char *url);
/* The redirect whose source is rel, or NULL. */
const redirect_entry *content_find_redirect(const content_set *cs, const char *rel);
/* Whether rel names a toc file: toc.yml, toc.yaml or toc.md in any letter
 * case (the last part of the path is looked at). */
bool content_is_toc_name(const char *rel);

#endif
