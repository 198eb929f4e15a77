/* config: folio.yml, the project file. Every key is known; an unknown key or a
 * value of the wrong shape is an error at its line and column. All strings
 * live in the build arena passed to config_load. */
#ifndef FOLIO_CONFIG_H
#define FOLIO_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "url.h"

typedef struct {
  const char *prefix; /* site-absolute prefix, e.g. "/azure/" */
  const char *target; /* "https://learn.microsoft.com/{locale}/azure/" */
} external_root;

/* external: how `folio check --external` checks http(s) links over the
 * network (the external layer's checker). */
typedef struct {
  const char **exclude;   /* POSIX extended regexes matched against each URL;
                             they compile (checked at load) */
  size_t nexclude;
  int concurrency;        /* requests in flight, all hosts together (1..1024) */
  int per_host;           /* requests in flight to one host (1..1024) */
  long timeout_ms;        /* one request; a URL gets three times this in all */
  int retries;            /* after the first attempt (0..20) */
  long max_age_s;         /* how long a cached result stays fresh */
  bool check_fragments;   /* fetch HTML pages and look for the #fragment */
  const char *user_agent; /* default "folio/VERSION (+link checker)" */
} external_check_config;

typedef struct {
  const char *root;          /* project folder (as given, e.g. ".") */
  const char *file;          /* path of folio.yml, for messages */
  const char *title;
  const char *base_url;      /* always ends with '/' */
  const char *source_locale;
  const char **locales;      /* source locale first */
  size_t nlocales;
  const char *content_dir;   /* resolved against root */
  const char *locales_dir;
  const char *templates_dir;
  const char *output_dir;
  external_root *external;
  size_t nexternal;
  /* What to do with an article missing in a target locale:
   * "fallback" (a page built from the source text) or "none". */
  const char *untranslated;
  url_policy urls;           /* url_schemes: schemes allowed besides the defaults */
  external_check_config extcheck; /* external: */
  /* limits: files larger than these are reported from their size before
   * they are read (file-too-large). Markdown and toc files, media files. */
  unsigned long long file_bytes, media_bytes;
  /* redirects: Learn's .openpublishing.redirection.json files (resolved
   * against root); given says folio.yml named them (then they must exist). */
  const char **redirect_files;
  size_t nredirect_files;
  bool redirect_files_given;
  /* The folder, relative to the project (the repository root, where
   * source_path values start), that holds the source locale's articles:
   * "content/en-us" unless redirects.source_root says otherwise. */
  const char *redirect_root;
  /* video_hosts: hosts whose players > [!VIDEO url] may embed (lower case);
   * config_default_video_hosts unless folio.yml gives the list. */
  const char *const *video_hosts;
  size_t nvideo_hosts;
} site_config;

/* The defaults of limits.file_bytes and limits.media_bytes. Markdown stays
 * at 4 MiB unless raised: cmark-gfm 0.29 has quadratic cases. */
#define CONFIG_FILE_BYTES (4ULL << 20)
#define CONFIG_MEDIA_BYTES (64ULL << 20)

extern const char *const config_default_video_hosts[];

/* Returns 0, or -1 with errors in diags. */
int config_load(arena *a, const char *root, site_config *cfg, diag_list *diags);
/* The path part of base_url ("https://x.example/docs/" -> "/docs/"), always
 * ending in '/'; a pointer into base_url. */
const char *config_base_path(const site_config *cfg);
/* Index of locale in cfg->locales, or -1. */
int config_locale_index(const site_config *cfg, const char *locale);
/* A duration: whole seconds ("3600"), or a number with a unit, "90s", "30m",
 * "12h", "7d". Returns false for anything else or more than 10 years. */
bool config_parse_duration(const char *s, long *seconds);

#endif
