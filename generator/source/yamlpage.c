/* The three schemas, as Learn repositories write them:
 *   FAQ:     metadata, title, summary, sections: [{name, questions:
 *            [{question, answer}]}], additionalContent
 *   Landing: metadata, title, summary, landingContent: [{title, linkLists:
 *            [{linkListType, links: [{text, url}]}]}]
 *   Hub:     metadata, title, summary, brand, highlightedContent,
 *            productDirectory, conceptualContent, tools ({title, summary,
 *            items: [card]}) and additionalContent ({sections: [...],
 *            footer})
 * One reader of cards serves Landing and Hub (title, summary, imageSrc, url,
 * itemType, links, linkLists, footerLink). */
#include "yamlpage.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "frontmatter.h"
#include "yamldoc.h"

typedef struct {
  arena *a;
  const char *path;
  const char *text;
  size_t len;
  size_t *line_start; /* byte offset of each line (index 0 = line 1) */
  size_t nlines;
  diag_list *diags;
} reader;

const char *yamlpage_kind_name(page_kind kind) {
  switch (kind) {
  case PAGE_FAQ: return "FAQ";
  case PAGE_LANDING: return "Landing";
  case PAGE_HUB: return "Hub";
  default: return "Markdown";
  }
}

static void error_at(reader *r, const ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void error_at(reader *r, const ynode *n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = arena_vprintf(r->a, fmt, ap);
  va_end(ap);
  diag_add(r->diags, r->path, n->line, n->col, SEV_ERROR, "yaml-page-invalid", "%s", msg);
}

static const char *key_of(const ynode *k) { return k->kind == YNODE_SCALAR ? k->scalar : ""; }

static void unknown_key(reader *r, const ynode *k, const char *where, const char *known) {
  diag_add(r->diags, r->path, k->line, k->col, SEV_WARNING, "yaml-page-unknown-key",
           "unknown key '%s' in %s is ignored (known: %s)", key_of(k), where, known);
}

/* Text of a scalar, or NULL after an error (a list or mapping where text
 * belongs). A null is no text, without an error. */
static const char *text_of(reader *r, const ynode *v, const char *key) {
  if (v->kind != YNODE_SCALAR) {
    error_at(r, v, "'%s' must be text, not %s", key, ynode_kind_name(v));
    return NULL;
  }
  return ynode_is_null(v) ? NULL : v->scalar;
}

/* Where the text of scalar v starts: a block scalar (| or >) on the lines
 * after its indicator, at their indentation; a quoted one after its quote. */
static yp_markdown markdown_of(reader *r, const ynode *v, const char *key) {
  yp_markdown m = {0};
  m.text = text_of(r, v, key);
  if (!m.text)
    return m;
  m.line = v->line;
  if (v->style == '|' || v->style == '>') {
    m.line = v->line + 1;
    /* From the line after the indicator (0-based index v->line) on. */
    for (size_t l = (size_t)v->line; l < r->nlines; l++) {
      const char *p = r->text + r->line_start[l];
      const char *end = l + 1 < r->nlines ? r->text + r->line_start[l + 1] : r->text + r->len;
      size_t ind = 0;
      while (p + ind < end && p[ind] == ' ')
        ind++;
      if (p + ind < end && p[ind] != '\n' && p[ind] != '\r') {
        m.col_offset = (int)ind;
        break;
      }
    }
  } else {
    m.col_offset = v->col - (v->style ? 0 : 1);
  }
  return m;
}

static void read_link_fields(reader *r, const ynode *e, yp_link *l) {
  for (size_t i = 0; i + 1 < e->count; i += 2) {
    const ynode *k = e->items[i], *v = e->items[i + 1];
    const char *key = key_of(k);
    if (!strcmp(key, "url")) {
      l->url = text_of(r, v, key);
      l->line = v->line;
      l->col = v->col + (v->style == '"' || v->style == '\'');
    } else if (!strcmp(key, "text")) {
      l->text = text_of(r, v, key);
    } else if (!strcmp(key, "itemType")) {
      l->item_type = text_of(r, v, key);
    } else {
      unknown_key(r, k, "a link", "text, url, itemType");
    }
  }
  if (!l->url)
    error_at(r, e, "a link needs a url");
}

static void read_links(reader *r, const ynode *v, yp_list *list) {
  if (v->kind != YNODE_SEQ) {
    error_at(r, v, "'%s' must be a list of links (- text: ..., url: ...), not %s", "links",
             ynode_kind_name(v));
    return;
  }
  for (size_t i = 0; i < v->count; i++) {
    const ynode *e = v->items[i];
    if (e->kind != YNODE_MAP) {
      error_at(r, e, "a link must be a mapping with text and url, not %s", ynode_kind_name(e));
      continue;
    }
    yp_link l = {0};
    read_link_fields(r, e, &l);
    if (l.url)
      ARENA_PUSH(r->a, list->links, list->nlinks, list->cap, l);
  }
}

static void read_card(reader *r, const ynode *e, yp_group *g) {
  if (e->kind != YNODE_MAP) {
    error_at(r, e, "an item must be a mapping (title, links, ...), not %s", ynode_kind_name(e));
    return;
  }
  yp_card c = {0};
  for (size_t i = 0; i + 1 < e->count; i += 2) {
    const ynode *k = e->items[i], *v = e->items[i + 1];
    const char *key = key_of(k);
    if (!strcmp(key, "title")) {
      c.title = text_of(r, v, key);
    } else if (!strcmp(key, "summary")) {
      c.summary = markdown_of(r, v, key);
    } else if (!strcmp(key, "imageSrc")) {
      c.image.url = text_of(r, v, key);
      c.image.line = v->line;
      c.image.col = v->col + (v->style == '"' || v->style == '\'');
    } else if (!strcmp(key, "url")) {
      c.url.url = text_of(r, v, key);
      c.url.line = v->line;
      c.url.col = v->col + (v->style == '"' || v->style == '\'');
    } else if (!strcmp(key, "itemType")) {
      c.url.item_type = text_of(r, v, key);
    } else if (!strcmp(key, "links")) {
      yp_list list = {0};
      read_links(r, v, &list);
      ARENA_PUSH(r->a, c.lists, c.nlists, c.cap, list);
    } else if (!strcmp(key, "linkLists")) {
      if (v->kind != YNODE_SEQ) {
        error_at(r, v, "'%s' must be a list (- linkListType: ..., links: [...]), not %s",
                 "linkLists", ynode_kind_name(v));
        continue;
      }
      for (size_t j = 0; j < v->count; j++) {
        const ynode *le = v->items[j];
        if (le->kind != YNODE_MAP) {
          error_at(r, le, "a link list must be a mapping (linkListType, links), not %s", ynode_kind_name(le));
          continue;
        }
        yp_list list = {0};
        const ynode *links = NULL;
        for (size_t m = 0; m + 1 < le->count; m += 2) {
          const ynode *lk = le->items[m], *lv = le->items[m + 1];
          if (!strcmp(key_of(lk), "linkListType"))
            list.type = text_of(r, lv, "linkListType");
          else if (!strcmp(key_of(lk), "links"))
            links = lv;
          else
            unknown_key(r, lk, "a link list", "linkListType, links");
        }
        if (!links)
          error_at(r, le, "a link list needs links");
        else
          read_links(r, links, &list);
        ARENA_PUSH(r->a, c.lists, c.nlists, c.cap, list);
      }
    } else if (!strcmp(key, "footerLink")) {
      if (v->kind != YNODE_MAP)
        error_at(r, v, "'%s' must be a mapping with text and url, not %s", "footerLink",
                 ynode_kind_name(v));
      else
        read_link_fields(r, v, &c.footer);
    } else {
      unknown_key(r, k, "an item", "title, summary, imageSrc, url, itemType, links, linkLists, "
                                   "footerLink");
    }
  }
  if (!c.title)
    error_at(r, e, "an item needs a title");
  c.url.text = c.title;
  c.image.text = NULL;
  ARENA_PUSH(r->a, g->cards, g->ncards, g->cap, c);
}

static void read_cards(reader *r, const ynode *v, const char *key, yp_group *g) {
  if (v->kind != YNODE_SEQ) {
    error_at(r, v, "'%s' must be a list of items, not %s", key, ynode_kind_name(v));
    return;
  }
  for (size_t i = 0; i < v->count; i++)
    read_card(r, v->items[i], g);
}

/* A Hub section: {title, summary, items: [...]}. */
static void read_group(reader *r, yaml_page *p, const char *key, const ynode *v) {
  if (v->kind != YNODE_MAP) {
    error_at(r, v, "'%s' must be a mapping (title, summary, items), not %s", key,
             ynode_kind_name(v));
    return;
  }
  yp_group g = {.key = key};
  const ynode *items = NULL;
  for (size_t i = 0; i + 1 < v->count; i += 2) {
    const ynode *k = v->items[i], *val = v->items[i + 1];
    const char *name = key_of(k);
    if (!strcmp(name, "title"))
      g.title = text_of(r, val, name);
    else if (!strcmp(name, "summary"))
      g.summary = markdown_of(r, val, name);
    else if (!strcmp(name, "items"))
      items = val;
    else
      unknown_key(r, k, key, "title, summary, items");
  }
  if (!items)
    error_at(r, v, "'%s' needs items", key);
  else
    read_cards(r, items, "items", &g);
  ARENA_PUSH(r->a, p->groups, p->ngroups, p->capgroups, g);
}

static void read_question(reader *r, const ynode *e, yp_section *s) {
  if (e->kind != YNODE_MAP) {
    error_at(r, e, "a question must be a mapping with question and answer, not %s", ynode_kind_name(e));
    return;
  }
  yp_question q = {0};
  q.line = e->line;
  q.col = e->col;
  bool has_answer = false;
  for (size_t i = 0; i + 1 < e->count; i += 2) {
    const ynode *k = e->items[i], *v = e->items[i + 1];
    const char *key = key_of(k);
    if (!strcmp(key, "question")) {
      const char *t = text_of(r, v, key);
      if (t) {
        /* A block scalar ends with a newline; the question is one line. */
        size_t n = strlen(t);
        while (n && (t[n - 1] == '\n' || t[n - 1] == ' ' || t[n - 1] == '\r'))
          n--;
        q.question = arena_strndup(r->a, t, n);
        q.line = v->style == '|' || v->style == '>' ? v->line + 1 : v->line;
        q.col = markdown_of(r, v, key).col_offset + 1;
      }
    } else if (!strcmp(key, "answer")) {
      q.answer = markdown_of(r, v, key);
      has_answer = true;
    } else {
      unknown_key(r, k, "a question", "question, answer");
    }
  }
  if (!q.question || !q.question[0]) {
    error_at(r, e, "this question has no question text");
    return;
  }
  if (!has_answer)
    error_at(r, e, "the question '%s' has no answer", q.question);
  ARENA_PUSH(r->a, s->questions, s->nquestions, s->cap, q);
}

static void read_sections(reader *r, yaml_page *p, const ynode *v) {
  if (v->kind != YNODE_SEQ) {
    error_at(r, v, "'%s' must be a list of sections (- name: ..., questions: [...]), not %s",
             "sections", ynode_kind_name(v));
    return;
  }
  for (size_t i = 0; i < v->count; i++) {
    const ynode *e = v->items[i];
    if (e->kind != YNODE_MAP) {
      error_at(r, e, "a section must be a mapping with name and questions, not %s", ynode_kind_name(e));
      continue;
    }
    yp_section s = {0};
    s.line = e->line;
    s.col = e->col;
    const ynode *questions = NULL;
    for (size_t j = 0; j + 1 < e->count; j += 2) {
      const ynode *k = e->items[j], *val = e->items[j + 1];
      const char *key = key_of(k);
      if (!strcmp(key, "name")) {
        s.name = text_of(r, val, key);
        s.line = val->line;
        s.col = val->col;
      } else if (!strcmp(key, "questions")) {
        questions = val;
      } else {
        unknown_key(r, k, "a section", "name, questions");
      }
    }
    if (!questions) {
      error_at(r, e, "this section has no questions");
    } else if (questions->kind != YNODE_SEQ) {
      error_at(r, questions, "'%s' must be a list (- question: ..., answer: ...), not %s",
               "questions", ynode_kind_name(questions));
    } else {
      for (size_t j = 0; j < questions->count; j++)
        read_question(r, questions->items[j], &s);
    }
    ARENA_PUSH(r->a, p->sections, p->nsections, p->capsections, s);
  }
}

/* metadata: the page's front matter. */
static void read_metadata(reader *r, const ynode *v, frontmatter *fm) {
  if (v->kind != YNODE_MAP) {
    error_at(r, v, "'%s' must be a mapping of keys to values, not %s", "metadata",
             ynode_kind_name(v));
    return;
  }
  for (size_t i = 0; i + 1 < v->count; i += 2) {
    ynode *k = v->items[i], *val = v->items[i + 1];
    if (k->kind != YNODE_SCALAR) {
      error_at(r, k, "metadata keys must be plain text");
      continue;
    }
    if (ynode_get(v, k->scalar) != val) {
      error_at(r, k, "metadata key '%s' is given twice", k->scalar);
      continue;
    }
    meta_entry e = {k->scalar, val};
    ARENA_PUSH(r->a, fm->meta, fm->nmeta, fm->capmeta, e);
    if (!strcmp(k->scalar, "description")) {
      fm->description = text_of(r, val, "description");
    } else if (!strcmp(k->scalar, "ms.date")) {
      if (val->kind != YNODE_SCALAR ||
          frontmatter_parse_date(val->scalar, &fm->year, &fm->month, &fm->day) < 0) {
        diag_add(r->diags, r->path, val->line, val->col, SEV_ERROR, "invalid-date",
                 "ms.date '%s' is not a date: write MM/DD/YYYY, for example 05/18/2020",
                 val->kind == YNODE_SCALAR ? val->scalar : "...");
      }
    }
  }
}

/* The byte offset where line (1-based) starts. */
static size_t offset_of_line(const reader *r, int line) {
  if (line < 1)
    return 0;
  return (size_t)line - 1 < r->nlines ? r->line_start[line - 1] : r->len;
}

int yamlpage_parse(arena *a, const char *path, page_kind kind, const char *text, size_t len,
                   yaml_page **out, frontmatter *fm, diag_list *diags) {
  memset(fm, 0, sizeof *fm);
  *out = NULL;
  reader r = {.a = a, .path = path, .text = text, .len = len, .diags = diags};
  size_t cap = 0;
  for (size_t i = 0; i <= len; i++)
    if (i == 0 || text[i - 1] == '\n')
      ARENA_PUSH(a, r.line_start, r.nlines, cap, i);
  ynode *doc = yamldoc_load(a, text, len, path, 0, diags);
  if (!doc)
    return -1;
  if (doc->kind != YNODE_MAP) {
    diag_add(diags, path, doc->line, doc->col, SEV_ERROR, "yaml-page-invalid",
             "a YamlMime:%s page is a mapping (title, metadata, ...), not %s",
             yamlpage_kind_name(kind), ynode_kind_name(doc));
    return -1;
  }
  yaml_page *p = arena_alloc(a, sizeof *p);
  p->kind = kind;
  const char *known = kind == PAGE_FAQ
                          ? "metadata, title, summary, sections, additionalContent"
                      : kind == PAGE_LANDING
                          ? "metadata, title, summary, landingContent"
                          : "metadata, title, summary, brand, highlightedContent, "
                            "productDirectory, conceptualContent, tools, additionalContent";
  bool has_body = false;
  for (size_t i = 0; i + 1 < doc->count; i += 2) {
    const ynode *k = doc->items[i], *v = doc->items[i + 1];
    const char *key = key_of(k);
    if (ynode_get(doc, key) != v) {
      error_at(&r, k, "key '%s' is given twice", key);
    } else if (!strcmp(key, "metadata")) {
      read_metadata(&r, v, fm);
      p->meta_start = offset_of_line(&r, k->line);
      p->meta_end = i + 2 < doc->count ? offset_of_line(&r, doc->items[i + 2]->line) : len;
    } else if (!strcmp(key, "title")) {
      p->title = text_of(&r, v, key);
    } else if (!strcmp(key, "summary")) {
      p->summary = markdown_of(&r, v, key);
    } else if (kind == PAGE_FAQ && !strcmp(key, "sections")) {
      read_sections(&r, p, v);
      has_body = true;
    } else if (kind == PAGE_FAQ && !strcmp(key, "additionalContent")) {
      p->additional = markdown_of(&r, v, key);
    } else if (kind == PAGE_LANDING && !strcmp(key, "landingContent")) {
      yp_group g = {.key = "landingContent"};
      read_cards(&r, v, key, &g);
      ARENA_PUSH(a, p->groups, p->ngroups, p->capgroups, g);
      has_body = true;
    } else if (kind == PAGE_HUB && !strcmp(key, "brand")) {
      p->brand = text_of(&r, v, key);
    } else if (kind == PAGE_HUB &&
               (!strcmp(key, "highlightedContent") || !strcmp(key, "productDirectory") ||
                !strcmp(key, "conceptualContent") || !strcmp(key, "tools"))) {
      read_group(&r, p, arena_strdup(a, key), v);
      has_body = true;
    } else if (kind == PAGE_HUB && !strcmp(key, "additionalContent")) {
      if (v->kind != YNODE_MAP) {
        error_at(&r, v, "'%s' must be a mapping (sections, footer), not %s", key,
                 ynode_kind_name(v));
        continue;
      }
      has_body = true;
      for (size_t j = 0; j + 1 < v->count; j += 2) {
        const ynode *ak = v->items[j], *av = v->items[j + 1];
        if (!strcmp(key_of(ak), "footer")) {
          p->additional = markdown_of(&r, av, "footer");
        } else if (!strcmp(key_of(ak), "sections")) {
          if (av->kind != YNODE_SEQ) {
            error_at(&r, av, "'%s' must be a list of sections, not %s", "sections",
                     ynode_kind_name(av));
            continue;
          }
          for (size_t m = 0; m < av->count; m++)
            read_group(&r, p, "additionalContent", av->items[m]);
        } else {
          unknown_key(&r, ak, "additionalContent", "sections, footer");
        }
      }
    } else {
      unknown_key(&r, k, arena_printf(a, "a YamlMime:%s page", yamlpage_kind_name(kind)), known);
    }
  }
  if (!p->title)
    diag_add(diags, path, 1, 1, SEV_ERROR, "missing-title",
             "this YamlMime:%s page has no 'title' (its heading and the page title)",
             yamlpage_kind_name(kind));
  if (!fm->description)
    diag_add(diags, path, 1, 1, SEV_ERROR, "missing-description",
             "this page has no 'description' under metadata: (search engines and link previews "
             "use it)");
  if (!has_body && kind != PAGE_HUB)
    diag_add(diags, path, 1, 1, SEV_ERROR, "yaml-page-invalid", "a YamlMime:%s page needs '%s'",
             yamlpage_kind_name(kind), kind == PAGE_FAQ ? "sections" : "landingContent");
  fm->title = p->title;
  fm->body_line = 1;
  *out = p;
  /* A part in the wrong shape costs only that part: the rest of the page
   * is still built and its links checked. Without a title or description
   * the page is unusable, as an article is. */
  return p->title && fm->description ? 0 : -1;
}
