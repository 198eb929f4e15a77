#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "yamldoc.h"

/* A locale id is lower-case language[-region], as content folders spell it. */
static int valid_locale(const char *s) {
  size_t n = strlen(s);
  if (n < 2 || n > 16)
    return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0 && i + 1 < n)))
      return 0;
  }
  return 1;
}

static const char *scalar(const ynode *n, const char *file, const char *key, diag_list *d) {
  if (n->kind != YNODE_SCALAR || ynode_is_null(n) || !n->scalar[0]) {
    diag_add(d, file, n->line, n->col, SEV_ERROR, "config-invalid",
             "'%s' must be a non-empty string, not %s", key,
             n->kind == YNODE_SCALAR ? "empty" : ynode_kind_name(n));
    return NULL;
  }
  return n->scalar;
}

static const char *resolve(arena *a, const char *root, const char *p) {
  if (p[0] == '/')
    return p;
  char *j = path_join(root, p);
  const char *r = arena_strdup(a, j);
  free(j);
  return r;
}

/* url_schemes: [ms-teams, zoommtg]: schemes links may use besides the
 * default ones (url.h). Those that run code or read files stay refused. */
static void read_url_schemes(arena *a, const char *file, const ynode *v, site_config *cfg,
                             diag_list *diags) {
  if (v->kind != YNODE_SEQ) {
    diag_add(diags, file, v->line, v->col, SEV_ERROR, "config-invalid",
             "'url_schemes' must be a list of scheme names, e.g. [ms-teams, zoommtg]");
    return;
  }
  const char **names = arena_alloc(a, (v->count + 1) * sizeof *names);
  size_t n = 0;
  for (size_t i = 0; i < v->count; i++) {
    const ynode *s = v->items[i];
    char scheme[URL_SCHEME_MAX + 1];
    const char *name = s->kind == YNODE_SCALAR ? s->scalar : "";
    char *probe = arena_printf(a, "%s:", name);
    if (s->kind != YNODE_SCALAR || url_classify(probe, scheme) != URL_SCHEME ||
        strlen(scheme) + 1 != strlen(probe)) {
      diag_add(diags, file, s->line, s->col, SEV_ERROR, "config-invalid",
               "'%s' is not a URL scheme name (letters, digits, +, - and . after a letter)",
               name);
    } else if (url_scheme_is_dangerous(scheme)) {
      diag_add(diags, file, s->line, s->col, SEV_ERROR, "config-invalid",
               "the '%s' scheme can run code or read local files and cannot be allowed", scheme);
    } else {
      names[n++] = arena_strdup(a, scheme);
    }
  }
  cfg->urls.extra = names;
  cfg->urls.nextra = n;
}

const char *const config_default_video_hosts[] = {
    "www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com", "learn.microsoft.com",
    "channel9.msdn.com", "www.microsoft.com", NULL};

/* video_hosts: [www.youtube-nocookie.com, player.vimeo.com]: host names,
 * written in lower case letters, digits, '-' and '.'. */
static void read_video_hosts(arena *a, const char *file, const ynode *v, site_config *cfg,
                             diag_list *diags) {
  if (v->kind != YNODE_SEQ) {
    diag_add(diags, file, v->line, v->col, SEV_ERROR, "config-invalid",
             "'video_hosts' must be a list of host names, e.g. [www.youtube-nocookie.com]");
    return;
  }
  const char **hosts = arena_alloc(a, (v->count + 1) * sizeof *hosts);
  size_t n = 0;
  for (size_t i = 0; i < v->count; i++) {
    const ynode *h = v->items[i];
    const char *name = h->kind == YNODE_SCALAR ? h->scalar : "";
    bool ok = *name && *name != '.' && *name != '-';
    for (const char *c = name; ok && *c; c++)
      ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '.';
    if (!ok)
      diag_add(diags, file, h->line, h->col, SEV_ERROR, "config-invalid",
               "'%s' is not a host name (lower-case letters, digits, '-' and '.', such as "
               "player.vimeo.com)",
               name);
    else
      hosts[n++] = name;
  }
  hosts[n] = NULL;
  cfg->video_hosts = hosts;
  cfg->nvideo_hosts = n;
}

int config_load(arena *a, const char *root, site_config *cfg, diag_list *diags) {
  memset(cfg, 0, sizeof *cfg);
  cfg->root = arena_strdup(a, root);
  char *path = path_join(root, "folio.yml");
  cfg->file = arena_strdup(a, path);
  free(path);
  const char *file = cfg->file;
  char *text;
  size_t len;
  if (read_file(file, &text, &len) < 0) {
    diag_add(diags, file, 0, 0, SEV_ERROR, "config-unreadable",
             "cannot read the project file: %s (is this a folio project? 'folio init DIR' creates one)",
             strerror(errno));
    return -1;
  }
  size_t before = diag_count(diags, SEV_ERROR);
  ynode *doc = yamldoc_load(a, text, len, file, 0, diags);
  free(text);
  if (!doc)
    return -1;
  if (doc->kind != YNODE_MAP) {
    diag_add(diags, file, doc->line, doc->col, SEV_ERROR, "config-invalid",
             "folio.yml must be a mapping of settings");
    return -1;
  }
  const char *content = "content", *locales_dir = "locales", *templates = "templates",
             *output = "site";
  cfg->untranslated = "fallback";
  cfg->video_hosts = config_default_video_hosts;
  cfg->nvideo_hosts = sizeof config_default_video_hosts / sizeof *config_default_video_hosts - 1;
  for (size_t i = 0; i + 1 < doc->count; i += 2) {
    ynode *k = doc->items[i], *v = doc->items[i + 1];
    const char *key = k->kind == YNODE_SCALAR ? k->scalar : "";
    if (ynode_get(doc, key) != v) { /* libyaml accepts repeated keys; we do not */
      diag_add(diags, file, k->line, k->col, SEV_ERROR, "config-invalid",
               "key '%s' is given twice", key);
      continue;
    }
    if (!strcmp(key, "title")) {
      cfg->title = scalar(v, file, key, diags);
    } else if (!strcmp(key, "base_url")) {
      const char *u = scalar(v, file, key, diags);
      if (u && !str_starts_with(u, "https://") && !str_starts_with(u, "http://") && strcmp(u, "/"))
        diag_add(diags, file, v->line, v->col, SEV_ERROR, "config-invalid",
                 "'base_url' must start with https:// or http:// (got '%s')", u);
      else if (u)
        cfg->base_url = str_ends_with(u, "/") ? u : arena_printf(a, "%s/", u);
    } else if (!strcmp(key, "source_locale")) {
      cfg->source_locale = scalar(v, file, key, diags);
    } else if (!strcmp(key, "locales")) {
      if (v->kind != YNODE_SEQ || v->count == 0) {
        diag_add(diags, file, v->line, v->col, SEV_ERROR, "config-invalid",
                 "'locales' must be a non-empty list of locale ids such as en-us");
        continue;
      }
      cfg->locales = arena_alloc(a, (v->count + 1) * sizeof *cfg->locales);
      for (size_t j = 0; j < v->count; j++) {
        const char *l = scalar(v->items[j], file, "locales", diags);
        if (!l)
          continue;
        if (!valid_locale(l)) {
          diag_add(diags, file, v->items[j]->line, v->items[j]->col, SEV_ERROR, "config-invalid",
                   "'%s' is not a locale id: write it lower-case, like en-us or de-de", l);
          continue;
        }
        for (size_t m = 0; m < cfg->nlocales; m++)
          if (!strcmp(cfg->locales[m], l))
            diag_add(diags, file, v->items[j]->line, v->items[j]->col, SEV_ERROR,
                     "config-invalid", "locale '%s' is listed twice", l);
        cfg->locales[cfg->nlocales++] = l;
      }
    } else if (!strcmp(key, "paths")) {
      if (v->kind != YNODE_MAP) {
        diag_add(diags, file, v->line, v->col, SEV_ERROR, "config-invalid",
                 "'paths' must be a mapping (content, locales, templates, output)");
        continue;
      }
      for (size_t j = 0; j + 1 < v->count; j += 2) {
        ynode *pk = v->items[j], *pv = v->items[j + 1];
        const char *name = pk->kind == YNODE_SCALAR ? pk->scalar : "";
        const char **slot = !strcmp(name, "content")     ? &content
                            : !strcmp(name, "locales")   ? &locales_dir
                            : !strcmp(name, "templates") ? &templates
                            : !strcmp(name, "output")    ? &output
                                                         : NULL;
        if (!slot) {
          diag_add(diags, file, pk->line, pk->col, SEV_ERROR, "config-unknown-key",
                   "unknown key 'paths.%s' (known: content, locales, templates, output)", name);
          continue;
        }
        const char *s = scalar(pv, file, name, diags);
        if (s)
          *slot = s;
      }
    } else if (!strcmp(key, "external_links")) {
      if (v->kind != YNODE_MAP) {
        diag_add(diags, file, v->line, v->col, SEV_ERROR, "config-invalid",
                 "'external_links' must map site-absolute prefixes to URLs, e.g. "
                 "\"/azure/\": \"https://learn.microsoft.com/{locale}/azure/\"");
        continue;
      }
      cfg->external = arena_alloc(a, (v->count / 2 + 1) * sizeof *cfg->external);
      for (size_t j = 0; j + 1 < v->count; j += 2) {
        ynode *pk = v->items[j], *pv = v->items[j + 1];
        if (pk->kind == YNODE_SCALAR && ynode_get(v, pk->scalar) != pv) {
          diag_add(diags, file, pk->line, pk->col, SEV_ERROR, "config-invalid",
                   "external link prefix '%s' is given twice", pk->scalar);
          continue;
        }
        const char *prefix = scalar(pk, file, "external_links", diags);
        const char *target = scalar(pv, file, prefix ? prefix : "external_links", diags);
        if (!prefix || !target)
          continue;
        if (prefix[0] != '/' || !str_ends_with(prefix, "/")) {
          diag_add(diags, file, pk->line, pk->col, SEV_ERROR, "config-invalid",
                   "external link prefix '%s' must start and end with '/'", prefix);
          continue;
        }
        if (!str_starts_with(target, "https://") && !str_starts_with(target, "http://")) {
          diag_add(diags, file, pv->line, pv->col, SEV_ERROR, "config-invalid",
                   "external link target '%s' must be an http(s) URL", target);
          continue;
        }
        cfg->external[cfg->nexternal++] = (external_root){prefix, target};
      }
    } else if (!strcmp(key, "url_schemes")) {
      read_url_schemes(a, file, v, cfg, diags);
    } else if (!strcmp(key, "video_hosts")) {
      read_video_hosts(a, file, v, cfg, diags);
    } else if (!strcmp(key, "untranslated")) {
      const char *s = scalar(v, file, key, diags);
      if (s && strcmp(s, "fallback") && strcmp(s, "none"))
        diag_add(diags, file, v->line, v->col, SEV_ERROR, "config-invalid",
                 "'untranslated' must be 'fallback' or 'none' (got '%s')", s);
      else if (s)
        cfg->untranslated = s;
    } else {
      diag_add(diags, file, k->line, k->col, SEV_ERROR, "config-unknown-key",
               "unknown key '%s' (known: title, base_url, source_locale, locales, paths, "
               "external_links, url_schemes, video_hosts, untranslated)",
               key);
    }
  }
  if (!cfg->title)
    diag_add(diags, file, 1, 1, SEV_ERROR, "config-missing-key", "'title' is required");
  if (!cfg->base_url)
    cfg->base_url = "/";
  if (!cfg->nlocales)
    diag_add(diags, file, 1, 1, SEV_ERROR, "config-missing-key",
             "'locales' is required: the list of locale folders under content/");
  if (!cfg->source_locale && cfg->nlocales)
    cfg->source_locale = cfg->locales[0];
  int src = cfg->source_locale ? config_locale_index(cfg, cfg->source_locale) : -1;
  if (cfg->source_locale && src < 0) {
    ynode *v = ynode_get(doc, "source_locale");
    diag_add(diags, file, v ? v->line : 1, v ? v->col : 1, SEV_ERROR, "config-invalid",
             "source_locale '%s' is not in 'locales'", cfg->source_locale);
  } else if (src > 0) {
    /* Keep the source locale first: every later stage relies on it. */
    const char *s = cfg->locales[src];
    memmove(cfg->locales + 1, cfg->locales, (size_t)src * sizeof *cfg->locales);
    cfg->locales[0] = s;
  }
  cfg->content_dir = resolve(a, root, content);
  cfg->locales_dir = resolve(a, root, locales_dir);
  cfg->templates_dir = resolve(a, root, templates);
  cfg->output_dir = resolve(a, root, output);
  return diag_count(diags, SEV_ERROR) > before ? -1 : 0;
}

int config_locale_index(const site_config *cfg, const char *locale) {
  for (size_t i = 0; i < cfg->nlocales; i++)
    if (!strcmp(cfg->locales[i], locale))
      return (int)i;
  return -1;
}
