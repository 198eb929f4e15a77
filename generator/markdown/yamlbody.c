/* The body HTML of a YAML page is built here from escaped text, URLs
 * written through url_put_attr and the HTML of the Markdown passes; no
 * string from the page reaches it unescaped. */
#include "yamlbody.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "markdown.h"
#include "resolve.h"
#include "slug.h"
#include "url.h"
#include "yamlpage.h"

typedef struct {
  const markdown_env *env;
  article *art;
  link_context lc;
  buf out;
  int rc;
} builder;

/* Render a Markdown field into its html (empty when absent). */
static void markdown(builder *b, yp_markdown *m) {
  if (!m->text) {
    m->html = "";
    return;
  }
  const char *html = markdown_render_fragment(b->env, b->art, m->text, strlen(m->text), m->line,
                                              m->col_offset);
  if (!html)
    b->rc = -1;
  m->html = html ? html : "";
}

/* Resolve and record one URL of the page, as linkref does for a Markdown
 * link; href stays NULL when the URL must not be written. */
static void link(builder *b, yp_link *l, bool image) {
  if (!l->url)
    return;
  article *art = b->art;
  link_resolution r;
  resolve_url(&b->lc, art, art->rel, l->url, image, art->mem, &r);
  link_ref ref = {
      .url = l->url,
      .line = l->line,
      .col = l->col,
      .image = image,
      .target = r.kind == LINK_ARTICLE ? r.target : NULL,
      .fragment = r.kind == LINK_ARTICLE ? r.fragment : NULL,
  };
  ARENA_PUSH(art->mem, art->links, art->nlinks, art->caplinks, ref);
  if (r.code)
    diag_add(&art->diags, art->path, l->line, l->col, r.sev, r.code, "%s", r.message);
  if (r.kind != LINK_BLOCKED)
    l->href = r.href ? r.href : l->url;
}

/* A heading id from text, unique in the page: slug, slug-1, slug-2, ...
 * as pass_headings makes them. */
static const char *add_heading(builder *b, int level, const char *text, int line) {
  article *art = b->art;
  const char *slug = slug_make(art->mem, text);
  const char *id = slug;
  for (int k = 1;; k++) {
    bool taken = false;
    for (size_t i = 0; i < art->nheadings && !taken; i++)
      taken = !strcmp(art->headings[i].id, id);
    if (!taken)
      break;
    id = arena_printf(art->mem, "%s-%d", slug, k);
  }
  heading h = {level, id, arena_strdup(art->mem, text), line, false};
  ARENA_PUSH(art->mem, art->headings, art->nheadings, art->capheadings, h);
  return id;
}

static void put_heading(builder *b, int level, const char *id, const char *text) {
  buf_printf(&b->out, "<h%d", level);
  if (id) {
    buf_puts(&b->out, " id=\"");
    buf_puts_html(&b->out, id);
    buf_putc(&b->out, '"');
  }
  buf_putc(&b->out, '>');
  buf_puts_html(&b->out, text);
  buf_printf(&b->out, "</h%d>\n", level);
}

static void put_link(builder *b, const yp_link *l, const char *text) {
  if (l->href) {
    buf_puts(&b->out, "<a href=\"");
    url_put_attr(&b->out, l->href);
    buf_puts(&b->out, "\">");
    buf_puts_html(&b->out, text);
    buf_puts(&b->out, "</a>");
  } else {
    buf_puts_html(&b->out, text);
  }
}

static void faq(builder *b, yaml_page *p) {
  for (size_t i = 0; i < p->nsections; i++) {
    yp_section *s = &p->sections[i];
    if (s->name && *s->name) {
      s->id = add_heading(b, 2, s->name, s->line);
      put_heading(b, 2, s->id, s->name);
    }
    for (size_t k = 0; k < s->nquestions; k++) {
      yp_question *q = &s->questions[k];
      q->id = add_heading(b, 3, q->question, q->line);
      put_heading(b, 3, q->id, q->question);
      markdown(b, &q->answer);
      buf_puts(&b->out, q->answer.html);
    }
  }
}

static void card(builder *b, yp_card *c, int level) {
  link(b, &c->image, true);
  link(b, &c->url, false);
  c->id = c->title ? add_heading(b, level, c->title, c->url.line) : NULL;
  if (c->title) {
    buf_printf(&b->out, "<h%d id=\"", level);
    buf_puts_html(&b->out, c->id);
    buf_puts(&b->out, "\">");
    if (c->url.url)
      put_link(b, &c->url, c->title);
    else
      buf_puts_html(&b->out, c->title);
    buf_printf(&b->out, "</h%d>\n", level);
  }
  markdown(b, &c->summary);
  buf_puts(&b->out, c->summary.html);
  for (size_t i = 0; i < c->nlists; i++) {
    yp_list *l = &c->lists[i];
    buf_puts(&b->out, "<ul>\n");
    for (size_t k = 0; k < l->nlinks; k++) {
      link(b, &l->links[k], false);
      buf_puts(&b->out, "<li>");
      put_link(b, &l->links[k], l->links[k].text ? l->links[k].text : l->links[k].url);
      buf_puts(&b->out, "</li>\n");
    }
    buf_puts(&b->out, "</ul>\n");
  }
  if (c->footer.url) {
    link(b, &c->footer, false);
    buf_puts(&b->out, "<p>");
    put_link(b, &c->footer, c->footer.text ? c->footer.text : c->footer.url);
    buf_puts(&b->out, "</p>\n");
  }
}

static void groups(builder *b, yaml_page *p) {
  for (size_t i = 0; i < p->ngroups; i++) {
    yp_group *g = &p->groups[i];
    int level = 2;
    if (g->title) {
      g->id = add_heading(b, 2, g->title, 0);
      put_heading(b, 2, g->id, g->title);
      level = 3;
    }
    markdown(b, &g->summary);
    buf_puts(&b->out, g->summary.html);
    for (size_t k = 0; k < g->ncards; k++)
      card(b, &g->cards[k], level);
  }
}

int yamlbody_render(const markdown_env *env, article *art) {
  yaml_page *p = art->yaml;
  builder b = {.env = env, .art = art, .lc = {env->cfg, env->content, env->index}};
  put_heading(&b, 1, NULL, p->title);
  markdown(&b, &p->summary);
  buf_puts(&b.out, p->summary.html);
  if (p->kind == PAGE_FAQ)
    faq(&b, p);
  else
    groups(&b, p);
  markdown(&b, &p->additional);
  buf_puts(&b.out, p->additional.html);
  free(art->body_html);
  art->body_html = xstrndup(b.out.data ? b.out.data : "", b.out.len);
  buf_free(&b.out);
  return b.rc;
}
