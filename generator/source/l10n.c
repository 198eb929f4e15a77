#include "l10n.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

static const char *need_scalar(const ynode *v, const char *file, const char *key, diag_list *d) {
  if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
    diag_add(d, file, v->line, v->col, SEV_ERROR, "locale-invalid", "'%s' must be a string", key);
    return NULL;
  }
  return v->scalar;
}

static int by_key(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* policy_labels: { actions: {id: label}, requires: {...}, channels: {...} } */
static void read_policy_labels(locale_info *out, const ynode *v, const char *file,
                               diag_list *diags) {
  static const char *const kinds[] = {"actions", "requires", "channels"};
  if (v->kind != YNODE_MAP) {
    diag_add(diags, file, v->line, v->col, SEV_ERROR, "locale-invalid",
             "'policy_labels' must map actions, requires and channels to labels");
    return;
  }
  for (size_t i = 0; i + 1 < v->count; i += 2) {
    const ynode *k = v->items[i], *m = v->items[i + 1];
    const char *name = k->kind == YNODE_SCALAR ? k->scalar : "";
    size_t kind = 0;
    while (kind < 3 && strcmp(kinds[kind], name))
      kind++;
    if (kind == 3) {
      diag_add(diags, file, k->line, k->col, SEV_ERROR, "locale-unknown-key",
               "unknown key '%s' in policy_labels (known: actions, requires, channels)", name);
      continue;
    }
    if (m->kind != YNODE_MAP) {
      diag_add(diags, file, m->line, m->col, SEV_ERROR, "locale-invalid",
               "'policy_labels.%s' must map ids to labels", name);
      continue;
    }
    bool ok = true;
    for (size_t j = 0; j + 1 < m->count; j += 2)
      if (!need_scalar(m->items[j], file, name, diags) ||
          !need_scalar(m->items[j + 1], file, m->items[j]->scalar ? m->items[j]->scalar : name,
                       diags))
        ok = false;
    if (ok)
      out->policy_labels[kind] = m;
  }
}

int l10n_load(arena *a, const char *dir, const char *id, locale_info *out, diag_list *diags) {
  memset(out, 0, sizeof *out);
  out->id = id;
  char *name = arena_printf(a, "%s.yml", id);
  char *path = path_join(dir, name);
  out->file = arena_strdup(a, path);
  free(path);
  const char *file = out->file;
  char *text;
  size_t len;
  if (read_file(file, &text, &len) < 0) {
    diag_add(diags, file, 0, 0, SEV_ERROR, "locale-unreadable",
             "cannot read the locale file for '%s': %s", id, strerror(errno));
    return -1;
  }
  size_t before = diag_count(diags, SEV_ERROR);
  ynode *doc = yamldoc_load(a, text, len, file, 0, diags);
  free(text);
  if (!doc)
    return -1;
  if (doc->kind != YNODE_MAP) {
    diag_add(diags, file, doc->line, doc->col, SEV_ERROR, "locale-invalid",
             "a locale file must be a mapping");
    return -1;
  }
  out->doc = doc;
  out->dir = "ltr";
  for (size_t i = 0; i + 1 < doc->count; i += 2) {
    ynode *k = doc->items[i], *v = doc->items[i + 1];
    const char *key = k->kind == YNODE_SCALAR ? k->scalar : "";
    if (!strcmp(key, "name")) {
      out->name = need_scalar(v, file, key, diags);
    } else if (!strcmp(key, "lang")) {
      out->lang = need_scalar(v, file, key, diags);
    } else if (!strcmp(key, "dir")) {
      const char *d = need_scalar(v, file, key, diags);
      if (d && strcmp(d, "ltr") && strcmp(d, "rtl"))
        diag_add(diags, file, v->line, v->col, SEV_ERROR, "locale-invalid",
                 "'dir' must be ltr or rtl (got '%s')", d);
      else if (d)
        out->dir = d;
    } else if (!strcmp(key, "date_format")) {
      out->date_format = need_scalar(v, file, key, diags);
    } else if (!strcmp(key, "months")) {
      if (v->kind != YNODE_SEQ || v->count != 12) {
        diag_add(diags, file, v->line, v->col, SEV_ERROR, "locale-invalid",
                 "'months' must list the 12 month names");
        continue;
      }
      for (int m = 0; m < 12; m++)
        out->months[m] = need_scalar(v->items[m], file, "months", diags);
    } else if (!strcmp(key, "strings")) {
      if (v->kind != YNODE_MAP) {
        diag_add(diags, file, v->line, v->col, SEV_ERROR, "locale-invalid",
                 "'strings' must map UI string keys to text");
        continue;
      }
      size_t n = v->count / 2;
      const char **pairs = arena_alloc(a, 2 * n * sizeof *pairs);
      size_t used = 0;
      for (size_t j = 0; j + 1 < v->count; j += 2) {
        const char *sk = need_scalar(v->items[j], file, "strings", diags);
        const char *sv = need_scalar(v->items[j + 1], file, sk ? sk : "strings", diags);
        if (!sk || !sv)
          continue;
        pairs[2 * used] = sk;
        pairs[2 * used + 1] = sv;
        used++;
      }
      /* Sort pairs by key (pairs are adjacent, so sort an index). */
      qsort(pairs, used, 2 * sizeof *pairs, by_key);
      out->keys = arena_alloc(a, (used + 1) * sizeof *out->keys);
      out->values = arena_alloc(a, (used + 1) * sizeof *out->values);
      for (size_t j = 0; j < used; j++) {
        if (j && !strcmp(pairs[2 * j], pairs[2 * j - 2]))
          diag_add(diags, file, v->line, v->col, SEV_ERROR, "locale-invalid",
                   "UI string '%s' is defined twice", pairs[2 * j]);
        out->keys[j] = pairs[2 * j];
        out->values[j] = pairs[2 * j + 1];
      }
      out->nstrings = used;
    } else if (!strcmp(key, "policy_labels")) {
      read_policy_labels(out, v, file, diags);
    } else if (!strcmp(key, "roles") || !strcmp(key, "audiences") ||
               !strcmp(key, "patterns")) {
      /* Read by the policy stage. */
    } else {
      diag_add(diags, file, k->line, k->col, SEV_ERROR, "locale-unknown-key",
               "unknown key '%s' (known: name, lang, dir, date_format, months, strings, "
               "policy_labels, roles, audiences, patterns)",
               key);
    }
  }
  if (!out->name)
    diag_add(diags, file, 1, 1, SEV_ERROR, "locale-invalid", "'name' is required");
  if (!out->lang)
    out->lang = id;
  if (!out->date_format)
    out->date_format = "{year}-{mm}-{dd}";
  for (int m = 0; m < 12; m++)
    if (!out->months[m] && strstr(out->date_format, "{month}")) {
      diag_add(diags, file, 1, 1, SEV_ERROR, "locale-invalid",
               "date_format uses {month} but 'months' is missing");
      break;
    }
  return diag_count(diags, SEV_ERROR) > before ? -1 : 0;
}

void l10n_fill_missing(arena *a, const locale_info *source, locale_info *other,
                       diag_list *diags) {
  /* Both lists are sorted: merge them, taking the source's string where
   * the other locale has none. */
  size_t cap = source->nstrings + other->nstrings + 1;
  const char **keys = arena_alloc(a, cap * sizeof *keys);
  const char **values = arena_alloc(a, cap * sizeof *values);
  buf missing = {0};
  size_t n = 0, nmissing = 0, i = 0, j = 0;
  while (i < source->nstrings || j < other->nstrings) {
    int c = i == source->nstrings   ? 1
            : j == other->nstrings ? -1
                                   : strcmp(source->keys[i], other->keys[j]);
    if (c < 0) {
      keys[n] = source->keys[i];
      values[n++] = source->values[i];
      buf_printf(&missing, "%s%s", nmissing++ ? ", " : "", source->keys[i]);
      i++;
    } else {
      keys[n] = other->keys[j];
      values[n++] = other->values[j];
      i += c == 0;
      j++;
    }
  }
  if (nmissing) {
    other->keys = keys;
    other->values = values;
    other->nstrings = n;
    /* One warning for the file, not one error per key: a new locale
     * starts with a few strings and grows. */
    diag_add(diags, other->file, 1, 1, SEV_WARNING, "locale-missing-string",
             "%zu UI string%s missing and shown in %s (the source locale): %s", nmissing,
             nmissing == 1 ? " is" : "s are", source->id, buf_cstr(&missing));
  }
  buf_free(&missing);
}

const char *l10n_string(const locale_info *l, const char *key) {
  size_t lo = 0, hi = l->nstrings;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(key, l->keys[mid]);
    if (!c)
      return l->values[mid];
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

const char *l10n_policy_label(const locale_info *l, l10n_label_kind kind, const char *id) {
  const ynode *v = ynode_get(l->policy_labels[kind], id);
  return v && v->kind == YNODE_SCALAR ? v->scalar : NULL;
}

char *l10n_format_date(arena *a, const locale_info *l, int year, int month, int day) {
  buf b = {0};
  const char *f = l->date_format;
  while (*f) {
    if (*f == '{') {
      const char *end = strchr(f, '}');
      if (end) {
        size_t n = (size_t)(end - f - 1);
        const char *t = f + 1;
        if (n == 4 && !memcmp(t, "year", 4))
          buf_printf(&b, "%04d", year);
        else if (n == 5 && !memcmp(t, "month", 5))
          buf_puts(&b, l->months[month - 1] ? l->months[month - 1] : "");
        else if (n == 3 && !memcmp(t, "day", 3))
          buf_printf(&b, "%d", day);
        else if (n == 2 && !memcmp(t, "mm", 2))
          buf_printf(&b, "%02d", month);
        else if (n == 2 && !memcmp(t, "dd", 2))
          buf_printf(&b, "%02d", day);
        else
          buf_put(&b, f, n + 2);
        f = end + 1;
        continue;
      }
    }
    buf_putc(&b, *f++);
  }
  char *s = arena_strndup(a, b.data ? b.data : "", b.len);
  buf_free(&b);
  return s;
}
