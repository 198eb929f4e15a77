/* yamlbody: a YAML page (yamlpage.h) through the Markdown pipeline. Every
 * Markdown field becomes HTML with the passes an article body gets; every
 * URL is resolved and checked as a link of the page (resolve_url) and
 * recorded for the anchor check; FAQ sections and questions get heading ids
 * from their text the way headings do, so that faq.yml#question-slug links
 * resolve. The page's headings are its sections, questions and card titles,
 * and its body HTML (for search, and the {{{page.content}}} of templates)
 * is assembled from the parts. */
#ifndef FOLIO_YAMLBODY_H
#define FOLIO_YAMLBODY_H

#include "markdown_env.h"
#include "model.h"

/* Fill art->yaml's html and hrefs, art->headings, art->links and
 * art->body_html. Returns 0, or -1 after an error in art->diags. */
int yamlbody_render(const markdown_env *env, article *art);

#endif
