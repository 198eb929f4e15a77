#include "codes.h"

#include <string.h>

/* The codes of the link checker, whose meaning reports spell out. */
static const struct {
  const char *code, *help;
} code_help[] = {
    {"bookmark-not-found", "A link's #fragment names no anchor (heading id or <a name>) in its target page."},
    {"case-mismatch", "A link names a file or anchor in another letter case; folio writes the file's own case, but the source should match it."},
    {"duplicate-anchor", "Two anchors of a page share an id, so links reach only the first."},
    {"empty-link", "A link or image has no target."},
    {"file-not-found", "A link names an article or file that the site does not have."},
    {"image-not-found", "An image names a file that the site does not have."},
    {"insecure-link", "A link uses http:// rather than https://."},
    {"link-out-of-scope", "A relative link climbs out of its locale's content folder."},
    {"missing-alt-text", "An image has no alt text for readers who cannot see it."},
    {"orphan-article", "No toc.yml lists the article, so readers reach it only through links."},
    {"toc-entry-not-found", "A toc.yml entry names an article that does not exist."},
    {"untranslated-link", "A translation links to an article that is not translated; the link goes to the source locale's page."},
};

const char *codes_help(const char *code) {
  for (size_t i = 0; i < sizeof code_help / sizeof *code_help; i++)
    if (!strcmp(code_help[i].code, code))
      return code_help[i].help;
  return NULL;
}

