#include "config.h"

#include <errno.h>
#include <regex.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "version.h"
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

/* "1048576", "512 KiB", "16MiB", "1 GiB": a byte count from 1 up. */
static bool parse_bytes(const char *s, unsigned long long *out) {
  if (*s < '0' || *s > '9')
    return false;
  errno = 0;
  char *end;
  unsigned long long n = strtoull(s, &end, 10);
  if (errno || n == 0)
    return false;
  while (*end == ' ')
    end++;
  unsigned shift = !*end                  ? 0
                   : !strcmp(end, "KiB") ? 10
                   : !strcmp(end, "MiB") ? 20
                   : !strcmp(end, "GiB") ? 30
                                          : 99;
  if (shift == 99 || n > (~0ULL >> shift))
    return false;
  *out = n << shift;
  return true;
}

static void load_limits(const ynode *v, const char *file, site_config *cfg, diag_list *diags) {
  if (v->kind != YNODE_MAP) {
    diag_add(diags, file, v->line, v->col, SEV_ERROR, "config-invalid",
             "'limits' must be a mapping (file_bytes, media_bytes)");
    return;
  }
  for (size_t j = 0; j + 1 < v->count; j += 2) {
    ynode *k = v->items[j], *n = v->items[j + 1];
    const char *name = k->kind == YNODE_SCALAR ? k->scalar : "";
    unsigned long long *slot = !strcmp(name, "file_bytes")    ? &cfg->file_bytes
                               : !strcmp(name, "media_bytes") ? &cfg->media_bytes
                                                              : NULL;
    if (!slot) {
      diag_add(diags, file, k->line, k->col, SEV_ERROR, "config-unknown-key",
               "unknown key 'limits.%s' (known: file_bytes, media_bytes)", name);
    } else if (n->kind != YNODE_SCALAR || !parse_bytes(n->scalar, slot)) {
      diag_add(diags, file, n->line, n->col, SEV_ERROR, "config-invalid",
               "'limits.%s' must be a number of bytes from 1 up, with an optional KiB, MiB or "
               "GiB (got '%s')",
               name, n->kind == YNODE_SCALAR ? n->scalar : ynode_kind_name(n));
    }
  }
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

bool config_parse_duration(const char *s, long *seconds) {
  size_t digits = strspn(s, "0123456789");
  if (!digits || digits > 9)
    return false;
  long n = strtol(s, NULL, 10), unit = 1;
  const char *u = s + digits;
  if (!strcmp(u, "d"))
    unit = 24 * 60 * 60;
  else if (!strcmp(u, "h"))
    unit = 60 * 60;
  else if (!strcmp(u, "m"))
    unit = 60;
  else if (*u && strcmp(u, "s"))
    return false;
  if (n > 10L * 365 * 24 * 60 * 60 / unit)
    return false;
  *seconds = n * unit;
  return true;
}

/* A whole number in [min, max] for external.<key>; false after an error. */
static bool int_in(const ynode *v, const char *file, const char *key, long min, long max,
                   long *out, diag_list *d) {
  const char *s = v->kind == YNODE_SCALAR ? v->scalar : "";
  size_t len = strlen(s);
  long n = len && len < 10 && strspn(s, "0123456789") == len ? strtol(s, NULL, 10) : -1;
  if (n < min || n > max) {
    diag_add(d, file, v->line, v->col, SEV_ERROR, "config-invalid",
             "'external.%s' must be a whole number from %ld to %ld", key, min, max);
    return false;
  }
  *out = n;
  return true;
}

/* exclude: [regex, ...]: each pattern must compile as the checker will
 * compile it (POSIX extended), so that a typo stops the run here, at its
 * line, rather than half-way through the network check. */
static void read_exclude(arena *a, const char *file, const ynode *v, external_check_config *x,
                         diag_list *diags) {
  if (v->kind != YNODE_SEQ) {
    diag_add(diags, file, v->line, v->col, SEV_ERROR, "config-invalid",
             "'external.exclude' must be a list of regular expressions, e.g. "
             "['^https://example\\.com/private/']");
    return;
  }
  x->exclude = arena_alloc(a, (v->count + 1) * sizeof *x->exclude);
  x->nexclude = 0;
  for (size_t i = 0; i < v->count; i++) {
    const char *pat = scalar(v->items[i], file, "external.exclude", diags);
    if (!pat)
      continue;
    regex_t rx;
    int rc = regcomp(&rx, pat, REG_EXTENDED | REG_NOSUB);
    if (rc) {
      char why[256];
      regerror(rc, &rx, why, sizeof why);
      diag_add(diags, file, v->items[i]->line, v->items[i]->col, SEV_ERROR, "config-invalid",
               "'%s' is not a valid regular expression (POSIX extended): %s", pat, why);
      continue;
    }
    regfree(&rx);
    x->exclude[x->nexclude++] = pat;
  }
}

/* external: the settings of `folio check --external`. */
static void read_external(arena *a, const char *file, const ynode *v, external_check_config *x,
                          diag_list *diags) {
  if (v->kind != YNODE_MAP) {
    diag_add(diags, file, v->line, v->col, SEV_ERROR, "config-invalid",
             "'external' must be a mapping (exclude, concurrency, per_host, timeout, retries, "
             "max_age, check_fragments, user_agent)");
    return;
  }
  for (size_t j = 0; j + 1 < v->count; j += 2) {
    const ynode *k = v->items[j], *e = v->items[j + 1];
    const char *key = k->kind == YNODE_SCALAR ? k->scalar : "";
    long n;
    if (ynode_get(v, key) != e) {
      diag_add(diags, file, k->line, k->col, SEV_ERROR, "config-invalid",
               "key 'external.%s' is given twice", key);
    } else if (!strcmp(key, "exclude")) {
      read_exclude(a, file, e, x, diags);
    } else if (!strcmp(key, "concurrency")) {
      if (int_in(e, file, key, 1, 1024, &n, diags))
        x->concurrency = (int)n;
    } else if (!strcmp(key, "per_host")) {
      if (int_in(e, file, key, 1, 1024, &n, diags))
        x->per_host = (int)n;
    } else if (!strcmp(key, "retries")) {
      if (int_in(e, file, key, 0, 20, &n, diags))
        x->retries = (int)n;
    } else if (!strcmp(key, "timeout")) {
      /* Seconds, fractions allowed: 0.5 is half a second. */
      char *end = NULL;
      double t = e->kind == YNODE_SCALAR && e->scalar[0] ? strtod(e->scalar, &end) : 0;
      if (!end || *end || !(t >= 0.001 && t <= 600)) /* NaN fails too */
        diag_add(diags, file, e->line, e->col, SEV_ERROR, "config-invalid",
                 "'external.timeout' must be a number of seconds greater than 0 and at most "
                 "600, e.g. 20 or 2.5");
      else
        x->timeout_ms = (long)(t * 1000 + 0.5);
    } else if (!strcmp(key, "max_age")) {
      const char *s = scalar(e, file, "external.max_age", diags);
      if (s && !config_parse_duration(s, &x->max_age_s))
        diag_add(diags, file, e->line, e->col, SEV_ERROR, "config-invalid",
                 "'external.max_age' must be a duration such as 1d, 12h, 30m or a number of "
                 "seconds (got '%s')",
                 s);
    } else if (!strcmp(key, "check_fragments")) {
      const char *s = e->kind == YNODE_SCALAR ? e->scalar : "";
      if (!strcmp(s, "true") || !strcmp(s, "false"))
        x->check_fragments = !strcmp(s, "true");
      else
        diag_add(diags, file, e->line, e->col, SEV_ERROR, "config-invalid",
                 "'external.check_fragments' must be true or false");
    } else if (!strcmp(key, "user_agent")) {
      const char *s = scalar(e, file, "external.user_agent", diags);
      bool printable = s != NULL;
      for (const char *c = s; printable && *c; c++)
        printable = (unsigned char)*c >= 0x20 && *c != 0x7f;
      if (s && (!printable || strlen(s) > 256))
        diag_add(diags, file, e->line, e->col, SEV_ERROR, "config-invalid",
                 "'external.user_agent' must be one line of at most 256 characters");
      else if (s)
        x->user_agent = s;
    } else {
      diag_add(diags, file, k->line, k->col, SEV_ERROR, "config-unknown-key",
               "unknown key 'external.%s' (known: exclude, concurrency, per_host, timeout, "
               "retries, max_age, check_fragments, user_agent)",
               key);
    }
  }
}

/* A folder or file path of folio.yml as written, made relative and tidy:
 * "./articles/" -> "articles". */
static const char *tidy_rel(arena *a, const char *p) {
  while (p[0] == '.' && p[1] == '/')
    p += 2;
  while (*p == '/')
    p++;
  size_t n = strlen(p);
  while (n && p[n - 1] == '/')
    n--;
  if (n == 1 && p[0] == '.')
    n = 0;
  return arena_strndup(a, p, n);
}

/* redirects: {file: PATH or [PATH, ...], source_root: PATH} */
static void read_redirects(arena *a, const char *file, const ynode *v, site_config *cfg,
                           diag_list *diags) {
  if (v->kind != YNODE_MAP) {
    diag_add(diags, file, v->line, v->col, SEV_ERROR, "config-invalid",
             "'redirects' must be a mapping (file, source_root)");
    return;
  }
  for (size_t j = 0; j + 1 < v->count; j += 2) {
    ynode *k = v->items[j], *val = v->items[j + 1];
    const char *name = k->kind == YNODE_SCALAR ? k->scalar : "";
    if (!strcmp(name, "file")) {
      size_t n = val->kind == YNODE_SEQ ? val->count : 1;
      cfg->redirect_files = arena_alloc(a, (n + 1) * sizeof *cfg->redirect_files);
      cfg->nredirect_files = 0;
      cfg->redirect_files_given = true;
      for (size_t i = 0; i < n; i++) {
        const char *f = scalar(val->kind == YNODE_SEQ ? val->items[i] : val, file,
                               "redirects.file", diags);
        if (f)
          cfg->redirect_files[cfg->nredirect_files++] = resolve(a, cfg->root, f);
      }
    } else if (!strcmp(name, "source_root")) {
      /* An empty source_root (the project is the content folder) is allowed. */
      if (val->kind != YNODE_SCALAR)
        diag_add(diags, file, val->line, val->col, SEV_ERROR, "config-invalid",
                 "'redirects.source_root' must be a folder path, not %s", ynode_kind_name(val));
      else
        cfg->redirect_root = tidy_rel(a, ynode_is_null(val) ? "" : val->scalar);
    } else {
      diag_add(diags, file, k->line, k->col, SEV_ERROR, "config-unknown-key",
               "unknown key 'redirects.%s' (known: file, source_root)", name);
    }
  }
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
  cfg->extcheck = (external_check_config){
      .concurrency = 32,
      .per_host = 4,
      .timeout_ms = 20000,
      .retries = 3,
      .max_age_s = 24 * 60 * 60,
      .user_agent = "folio/" FOLIO_VERSION " (+link checker)",
  };
  cfg->file_bytes = CONFIG_FILE_BYTES;
  cfg->media_bytes = CONFIG_MEDIA_BYTES;
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
        /* folio.yml comes with the content (a pull request can change it):
         * what is published and what a build replaces stay inside the
         * project, and the output folder is not the project itself. Locales
         * and templates may be shared from outside (../_shared). */
        bool confined = slot == &output || slot == &content;
        char *norm = s && s[0] != '/' ? path_normalize(s) : NULL;
        if (s && confined && (!norm || (slot == &output && !*norm)))
          diag_add(diags, file, pv->line, pv->col, SEV_ERROR, "config-invalid",
                   "'paths.%s' must be a folder inside the project, relative to it (got '%s')%s",
                   name, s,
                   slot == &output ? "; only -o on the command line may write the site elsewhere"
                                   : "");
        else if (s)
          *slot = s;
        free(norm);
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
    } else if (!strcmp(key, "external")) {
      read_external(a, file, v, &cfg->extcheck, diags);
    } else if (!strcmp(key, "url_schemes")) {
      read_url_schemes(a, file, v, cfg, diags);
    } else if (!strcmp(key, "redirects")) {
      read_redirects(a, file, v, cfg, diags);
    } else if (!strcmp(key, "video_hosts")) {
      read_video_hosts(a, file, v, cfg, diags);
    } else if (!strcmp(key, "untranslated")) {
      const char *s = scalar(v, file, key, diags);
      if (s && strcmp(s, "fallback") && strcmp(s, "none"))
        diag_add(diags, file, v->line, v->col, SEV_ERROR, "config-invalid",
                 "'untranslated' must be 'fallback' or 'none' (got '%s')", s);
      else if (s)
        cfg->untranslated = s;
    } else if (!strcmp(key, "limits")) {
      load_limits(v, file, cfg, diags);
    } else {
      diag_add(diags, file, k->line, k->col, SEV_ERROR, "config-unknown-key",
               "unknown key '%s' (known: title, base_url, source_locale, locales, paths, "
               "external_links, external, url_schemes, video_hosts, untranslated, limits, redirects)",
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
  if (!cfg->redirect_files_given) {
    cfg->redirect_files = arena_alloc(a, sizeof *cfg->redirect_files);
    cfg->redirect_files[0] = resolve(a, root, ".openpublishing.redirection.json");
    cfg->nredirect_files = 1;
  }
  if (!cfg->redirect_root) {
    const char *c = tidy_rel(a, content);
    const char *l = cfg->source_locale ? cfg->source_locale : "";
    cfg->redirect_root = *c ? arena_printf(a, "%s/%s", c, l) : l;
  }
  cfg->content_dir = resolve(a, root, content);
  cfg->locales_dir = resolve(a, root, locales_dir);
  cfg->templates_dir = resolve(a, root, templates);
  cfg->output_dir = resolve(a, root, output);
  return diag_count(diags, SEV_ERROR) > before ? -1 : 0;
}

const char *config_base_path(const site_config *cfg) {
  const char *u = cfg->base_url ? cfg->base_url : "/";
  const char *s = strstr(u, "://");
  if (!s)
    return u[0] == '/' ? u : "/";
  const char *p = strchr(s + 3, '/');
  return p ? p : "/";
}

int config_locale_index(const site_config *cfg, const char *locale) {
  for (size_t i = 0; i < cfg->nlocales; i++)
    if (!strcmp(cfg->locales[i], locale))
      return (int)i;
  return -1;
}
