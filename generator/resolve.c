#include "resolve.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static bool has_anchor(const article *art, const char *id) {
  for (size_t i = 0; i < art->nheadings; i++)
    if (!strcmp(art->headings[i].id, id))
      return true;
  return false;
}

static size_t distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 256 || lb > 256)
    return (size_t)-1;
  size_t row[257];
  for (size_t j = 0; j <= lb; j++)
    row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t corner = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t best = corner + cost;
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      corner = up;
    }
  }
  return row[lb];
}

const char *resolve_nearest_anchor(const article *art, const char *id) {
  const char *best = NULL;
  size_t bestd = (size_t)-1;
  for (size_t i = 0; i < art->nheadings; i++) {
    size_t d = distance(art->headings[i].id, id);
    if (d < bestd) {
      bestd = d;
      best = art->headings[i].id;
    }
  }
  /* Only suggest what is plausibly a typo. */
  return best && bestd <= strlen(id) / 2 + 1 ? best : NULL;
}

static void check_fragment(build *b, const article *from, const link_ref *l, const article *target,
                           const char *frag, diag_list *diags) {
  char *id = xstrdup(frag);
  percent_decode(id);
  if (*id && !has_anchor(target, id)) {
    const char *near = resolve_nearest_anchor(target, id);
    bool same = target == from;
    diag_add(diags, from->path, l->line, l->col, SEV_ERROR, "bookmark-not-found",
             "'#%s' is not an anchor in %s%s%s%s", id, same ? "this article" : target->path,
             near ? "; did you mean '#" : "", near ? near : "", near ? "'?" : "");
  }
  (void)b;
  free(id);
}

void resolve_links(build *b, diag_list *diags) {
  for (size_t i = 0; i < b->content.narticles; i++) {
    article *art = &b->content.articles[i];
    if (!art->ok)
      continue;
    for (size_t k = 0; k < art->nlinks; k++) {
      const link_ref *l = &art->links[k];
      const char *hash = strchr(l->url, '#');
      if (!hash || l->image)
        continue;
      if (hash == l->url) {
        check_fragment(b, art, l, art, hash + 1, &art->diags);
        continue;
      }
      size_t plen = strcspn(l->url, "?#");
      if (plen < 3 || strncmp(l->url + plen - 3, ".md", 3) || strstr(l->url, "://") ||
          l->url[0] == '/')
        continue;
      char *target = xstrndup(l->url, plen);
      percent_decode(target);
      char *dir = path_dirname(art->rel);
      char *joined = path_join(dir, target);
      char *rel = path_normalize(joined);
      free(dir);
      free(joined);
      free(target);
      if (rel) {
        const article *t = content_find_article(&b->content, art->locale, rel);
        if (!t)
          t = content_find_article(&b->content, 0, rel);
        if (t && t->ok)
          check_fragment(b, art, l, t, hash + 1, &art->diags);
      }
      free(rel);
    }
  }
  (void)diags;
}
