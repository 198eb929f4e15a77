/* yamlpage: Learn's structured pages, written in YAML instead of Markdown.
 * The first line names the schema (### YamlMime:FAQ, Landing or Hub);
 * yamlpage_parse reads the rest into a model: FAQ sections of questions and
 * answers, and for Landing and Hub pages groups of cards with link lists.
 * Markdown fields (answers, summaries) and URLs keep their text and where it
 * is written; the markdown layer fills in their HTML and hrefs (yamlbody.h),
 * and the render layer lays the page out with its own template. The page's
 * metadata: mapping plays the part of an article's front matter. Everything
 * lives in the arena given (the article's). */
#ifndef FOLIO_YAMLPAGE_H
#define FOLIO_YAMLPAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/* A Markdown field. text is NULL when the field is absent. */
typedef struct {
  const char *text;
  int line;        /* file line of the text's first line */
  int col_offset;  /* added to a column inside the text (the block's indentation) */
  const char *html; /* set by the markdown layer */
} yp_markdown;

/* A link of a card or list: url as written, href as the page writes it. */
typedef struct {
  const char *text;      /* plain text, or NULL (an image, a card's own link) */
  const char *url;       /* NULL when absent */
  const char *item_type; /* itemType, or NULL */
  int line, col;         /* of the url */
  const char *href;      /* set by the markdown layer; NULL when not written (refused) */
} yp_link;

typedef struct {
  const char *type;      /* linkListType, or NULL */
  yp_link *links;
  size_t nlinks, cap;
} yp_list;

/* A card: a titled box of link lists (Landing), or one item of a Hub
 * section (highlighted link, product with links, tool, ...). */
typedef struct {
  const char *title;
  const char *id;        /* anchor of the title, set by the markdown layer */
  yp_markdown summary;
  yp_link image;         /* imageSrc */
  yp_link url;           /* the card's own link (text = title) */
  yp_list *lists;        /* Landing linkLists; a Hub card's links are one list */
  size_t nlists, cap;
  yp_link footer;        /* footerLink */
} yp_card;

/* A group of cards: Landing's landingContent, or one Hub section
 * (highlightedContent, productDirectory, conceptualContent, tools, and each
 * section of additionalContent). */
typedef struct {
  const char *key;       /* the YAML key, for a class name: "productDirectory" */
  const char *title;     /* NULL when none */
  const char *id;        /* anchor of the title, set by the markdown layer */
  yp_markdown summary;
  yp_card *cards;
  size_t ncards, cap;
} yp_group;

typedef struct {
  const char *question;  /* plain text */
  int line, col;
  yp_markdown answer;
  const char *id;        /* anchor, set by the markdown layer */
} yp_question;

typedef struct {
  const char *name;      /* NULL when the section has none */
  int line, col;
  const char *id;        /* anchor of a named section, set by the markdown layer */
  yp_question *questions;
  size_t nquestions, cap;
} yp_section;

typedef struct yaml_page {
  page_kind kind;
  const char *title;     /* the page's heading (title:) */
  yp_markdown summary;   /* Markdown on every kind */
  const char *brand;     /* Hub: brand, or NULL */
  yp_section *sections;  /* FAQ */
  size_t nsections, capsections;
  yp_group *groups;      /* Landing and Hub, in file order */
  size_t ngroups, capgroups;
  yp_markdown additional; /* FAQ additionalContent; Hub additionalContent.footer */
  /* Bytes of the metadata: block (its key to the next top-level key), left
   * out of the hash translations record: metadata is not text. */
  size_t meta_start, meta_end;
} yaml_page;

/* The schema name of a kind: "FAQ", "Landing", "Hub". */
const char *yamlpage_kind_name(page_kind kind);

/* Read a YAML page (text, len; path for messages). Fills *out and fm (title,
 * description, ms.date and every metadata: key, as front matter would).
 * Problems of structure are errors at their line and column, unknown keys
 * warnings. Returns 0, or -1 when the page cannot be built. */
int yamlpage_parse(arena *a, const char *path, page_kind kind, const char *text, size_t len,
                   yaml_page **out, frontmatter *fm, diag_list *diags);

#endif
