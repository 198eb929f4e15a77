/* Zone pivots, as on Learn: the :::zone blocks of an article that belong to
 * one pivot group get one selector, above the first of them, and the page
 * shows one pivot at a time. The groups are the ones the front matter names
 * (zone_pivot_groups: a, b), defined with their titles in the locale's
 * zone-pivot-groups.yml; zones whose pivot is in none of them are grouped
 * with the zones beside them (the zones at the top level are one choice,
 * the zones inside one zone another).
 *
 * Everything works without JavaScript: the selector is written hidden and
 * every zone is shown, each under a label naming its pivot, which is also
 * what a printed page shows. folio.js shows the selector, keeps one pivot
 * of each group visible, and keeps the choice in ?pivots= and
 * localStorage. A group with fewer than two pivots on the page needs no
 * choice, and its zones stay as they are. */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "frontmatter.h"
#include "passes.h"
#include "pivots.h"
#include "strmap.h"

/* A UI string; a project whose locale files predate it gets the English. */
static const char *ui(pass_context *ctx, const char *key, const char *english) {
  const char *s = l10n_string(&ctx->env->locales[ctx->art->locale], key);
  return s ? s : english;
}

typedef struct {
  const char **items;
  size_t n, cap;
} idlist;

/* The ids of a comma-separated list ("a, b"), trimmed, empty ones left out. */
static idlist split(arena *a, const char *s) {
  idlist l = {0};
  while (s && *s) {
    while (*s == ' ' || *s == '\t' || *s == ',')
      s++;
    const char *e = s;
    while (*e && *e != ',')
      e++;
    const char *t = e;
    while (t > s && (t[-1] == ' ' || t[-1] == '\t'))
      t--;
    if (t > s)
      ARENA_PUSH(a, l.items, l.n, l.cap, arena_strndup(a, s, (size_t)(t - s)));
    s = e;
  }
  return l;
}

/* The groups the front matter names that the locale defines; with report,
 * the ones it does not define are warnings at the front matter line. */
typedef struct {
  const zone_pivot_group **items;
  size_t n, cap;
} grouplist;

static grouplist declared(pass_context *ctx, bool report) {
  grouplist g = {0};
  const frontmatter *fm = &ctx->art->fm;
  for (size_t i = 0; i < fm->nmeta; i++) {
    if (strcmp(fm->meta[i].key, "zone_pivot_groups"))
      continue;
    const ynode *v = fm->meta[i].value;
    idlist ids = split(ctx->scratch, frontmatter_get(ctx->scratch, fm, "zone_pivot_groups"));
    const zone_pivot_groups *defs = &ctx->env->pivots[ctx->art->locale];
    for (size_t k = 0; k < ids.n; k++) {
      const zone_pivot_group *d = pivots_group(defs, ids.items[k]);
      if (d)
        ARENA_PUSH(ctx->scratch, g.items, g.n, g.cap, d);
      else if (report)
        diag_add(ctx->diags, ctx->art->path, v->line, v->col, SEV_WARNING, "pivot-unknown",
                 "zone_pivot_groups names '%s', which %s does not define", ids.items[k],
                 defs->file ? defs->file : "no zone-pivot-groups.yml (none found)");
    }
    break;
  }
  return g;
}

static const zone_pivot_group *group_of(const grouplist *g, const char *id) {
  for (size_t i = 0; i < g->n; i++)
    if (pivots_pivot(g->items[i], id))
      return g->items[i];
  return NULL;
}

int pass_zone_open(pass_context *ctx, cmark_node *opener, const char *pivot) {
  grouplist g = declared(ctx, false);
  idlist ids = split(ctx->scratch, pivot);
  for (size_t i = 0; g.n && i < ids.n; i++)
    if (!group_of(&g, ids.items[i])) {
      buf names = {0};
      for (size_t k = 0; k < g.n; k++)
        buf_printf(&names, "%s%s", k ? ", " : "", g.items[k]->id);
      pass_diag(ctx, opener, SEV_WARNING, "pivot-unknown",
                "pivot '%s' is in none of the article's zone_pivot_groups (%s)", ids.items[i],
                buf_cstr(&names));
      buf_free(&names);
    }
  pass_zone z = {pivot, NULL, -1};
  ARENA_PUSH(ctx->scratch, ctx->zones, ctx->nzones, ctx->capzones, z);
  return (int)ctx->nzones - 1;
}

void pass_zone_close(pass_context *ctx, int zone, cmark_node *container) {
  ctx->zones[zone].node = container;
  /* The index, not a pointer: ctx->zones may still grow and move. */
  cmark_node_set_user_data(container, (void *)(uintptr_t)(zone + 1));
}

/* A pivot id made readable when no title is defined: "partner-center" is
 * "Partner center". */
static const char *readable(arena *a, const char *id) {
  char *s = arena_strdup(a, id);
  for (char *p = s; *p; p++)
    if (*p == '-' || *p == '_')
      *p = ' ';
  if (*s >= 'a' && *s <= 'z')
    *s = (char)(*s - 'a' + 'A');
  return s;
}

typedef struct {
  const zone_pivot_group *def; /* NULL: zones side by side with no defined group */
  idlist ids;                  /* the pivots on the page, in the order to offer them */
  size_t first;                /* its first zone */
  const char *id;              /* data-pivot-group */
  strmap seen;                 /* the ids in ids */
} page_group;

static const char *title(pass_context *ctx, const page_group *g, const char *id) {
  const zone_pivot *p = pivots_pivot(g->def, id);
  return p && p->title ? p->title : readable(ctx->scratch, id);
}

/* The defined order first, then pivots the definition lacks as they come. */
static void order(pass_context *ctx, page_group *g) {
  if (!g->def)
    return;
  idlist o = {0};
  for (size_t i = 0; i < g->def->npivots; i++)
    if (strmap_get(&g->seen, g->def->pivots[i].id))
      ARENA_PUSH(ctx->scratch, o.items, o.n, o.cap, g->def->pivots[i].id);
  for (size_t i = 0; i < g->ids.n; i++)
    if (!pivots_pivot(g->def, g->ids.items[i]))
      ARENA_PUSH(ctx->scratch, o.items, o.n, o.cap, g->ids.items[i]);
  g->ids = o;
}

static void selector(pass_context *ctx, const page_group *g) {
  buf b = {0};
  buf_puts(&b, "<fieldset class=\"pivot-selector\" data-pivot-group=\"");
  buf_puts_html(&b, g->id);
  buf_puts(&b, "\" hidden>\n<legend>");
  const char *prompt = g->def && g->def->prompt ? g->def->prompt
                       : g->def && g->def->title ? g->def->title
                                                 : ui(ctx, "pivot_prompt", "Show the content for");
  buf_puts_html(&b, prompt);
  buf_puts(&b, "</legend>\n<div class=\"pivot-buttons\">");
  for (size_t i = 0; i < g->ids.n; i++) {
    buf_puts(&b, "<button type=\"button\" data-pivot=\"");
    buf_puts_html(&b, g->ids.items[i]);
    buf_printf(&b, "\" aria-pressed=\"%s\">", i ? "false" : "true");
    buf_puts_html(&b, title(ctx, g, g->ids.items[i]));
    buf_puts(&b, "</button>");
  }
  buf_puts(&b, "</div>\n</fieldset>");
  cmark_node *sel = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, ctx->cmem);
  cmark_node_set_on_enter(sel, arena_strdup(ctx->scratch, buf_cstr(&b)));
  cmark_node_set_on_exit(sel, "");
  cmark_node_insert_before(ctx->zones[g->first].node, sel);
  buf_free(&b);
}

static void zone_markup(pass_context *ctx, const page_group *g, const pass_zone *z) {
  buf b = {0};
  buf_puts(&b, "<div class=\"zone\" data-pivot=\"");
  buf_puts_html(&b, z->pivot);
  buf_puts(&b, "\" data-pivot-group=\"");
  buf_puts_html(&b, g->id);
  buf_puts(&b, "\">\n<p class=\"zone-label\">");
  idlist ids = split(ctx->scratch, z->pivot);
  for (size_t i = 0; i < ids.n; i++) {
    if (i)
      buf_puts(&b, ", ");
    buf_puts_html(&b, title(ctx, g, ids.items[i]));
  }
  buf_puts(&b, "</p>");
  cmark_node_set_on_enter(z->node, arena_strdup(ctx->scratch, buf_cstr(&b)));
  buf_free(&b);
}

void pass_zones(pass_context *ctx, cmark_node *doc) {
  grouplist defs = declared(ctx, true);
  if (!ctx->nzones)
    return;

  /* The zone each zone is in. */
  int *open = arena_alloc(ctx->scratch, ctx->nzones * sizeof *open);
  size_t depth = 0;
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *x = cmark_iter_get_node(it);
    if (cmark_node_get_type(x) != CMARK_NODE_CUSTOM_BLOCK || !cmark_node_get_user_data(x))
      continue;
    int z = (int)((uintptr_t)cmark_node_get_user_data(x) - 1);
    if (ev == CMARK_EVENT_ENTER) {
      ctx->zones[z].parent = depth ? open[depth - 1] : -1;
      open[depth++] = z;
    } else if (ev == CMARK_EVENT_EXIT) {
      depth--;
    }
  }
  cmark_iter_free(it);

  /* Each zone joins the group of its first pivot: a defined group, or the
   * group of the zones beside it (in the same zone, or at the top). Maps,
   * not scans: an article may have many zones. */
  page_group *groups = NULL;
  size_t ng = 0, capg = 0;
  size_t *member = arena_alloc(ctx->scratch, ctx->nzones * sizeof *member);
  size_t *by_parent = arena_alloc(ctx->scratch, (ctx->nzones + 1) * sizeof *by_parent);
  int implicit = 0;
  size_t *by_def = arena_alloc(ctx->scratch, (defs.n + 1) * sizeof *by_def);
  for (size_t i = 0; i <= ctx->nzones; i++)
    by_parent[i] = SIZE_MAX;
  for (size_t i = 0; i < defs.n; i++)
    by_def[i] = SIZE_MAX;
  for (size_t i = 0; i < ctx->nzones; i++) {
    pass_zone *z = &ctx->zones[i];
    member[i] = SIZE_MAX;
    idlist ids = split(ctx->scratch, z->pivot);
    if (!z->node || !ids.n)
      continue;
    const zone_pivot_group *def = group_of(&defs, ids.items[0]);
    size_t d = 0;
    while (def && defs.items[d] != def)
      d++;
    size_t *slot = def ? &by_def[d] : &by_parent[z->parent + 1];
    if (*slot == SIZE_MAX) {
      page_group pg = {def, {0}, i, NULL, {0}};
      pg.id = def ? def->id
              : implicit++ ? arena_printf(ctx->scratch, "zone-pivots-%d", implicit)
                           : "zone-pivots";
      strmap_init(&pg.seen, ctx->scratch);
      ARENA_PUSH(ctx->scratch, groups, ng, capg, pg);
      *slot = ng - 1;
    }
    page_group *g = &groups[*slot];
    for (size_t k = 0; k < ids.n; k++)
      if (!strmap_get(&g->seen, ids.items[k])) {
        strmap_set(&g->seen, ids.items[k], 1);
        ARENA_PUSH(ctx->scratch, g->ids.items, g->ids.n, g->ids.cap, ids.items[k]);
      }
    member[i] = *slot;
  }
  for (size_t g = 0; g < ng; g++)
    if (groups[g].ids.n >= 2) {
      order(ctx, &groups[g]);
      selector(ctx, &groups[g]);
    }
  for (size_t i = 0; i < ctx->nzones; i++)
    if (member[i] != SIZE_MAX && groups[member[i]].ids.n >= 2)
      zone_markup(ctx, &groups[member[i]], &ctx->zones[i]);
}
