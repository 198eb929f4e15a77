/* config: folio.yml, the project file. Every key is known; an unknown key or a
 * value of the wrong shape is an error at its line and column. All strings
 * live in the build arena passed to config_load. */
#ifndef FOLIO_CONFIG_H
#define FOLIO_CONFIG_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "url.h"

typedef struct {
  const char *prefix; /* site-absolute prefix, e.g. "/azure/" */
  const char *target; /* "https://learn.microsoft.com/{locale}/azure/" */
} external_root;

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
  /* video_hosts: hosts whose players > [!VIDEO url] may embed (lower case);
   * config_default_video_hosts unless folio.yml gives the list. */
  const char *const *video_hosts;
  size_t nvideo_hosts;
} site_config;

extern const char *const config_default_video_hosts[];

/* Returns 0, or -1 with errors in diags. */
int config_load(arena *a, const char *root, site_config *cfg, diag_list *diags);
/* Index of locale in cfg->locales, or -1. */
int config_locale_index(const site_config *cfg, const char *locale);

#endif
