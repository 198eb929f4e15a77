#include "codes.h"

#include <stdlib.h>
#include <string.h>

#include "strutil.h"

/* Sorted by code (codes_find searches it). */
static const code_info table[] = {
    {"alert-marker-is-link", "warning", "A reference definition [!note]: ... turns an alert marker into a link; it is read as a marker, but rename the definition."},
    {"bookmark-not-found", "error", "A link's #fragment names no anchor (heading id or <a name>) in its target page."},
    {"cache-changed", "error", "A build cache entry could not be read back during the build (a read error, or a pack file cut short by another tool): build again."},
    {"case-collision", "error", "Two files whose output paths differ only in letter case would overwrite each other on case-insensitive file systems and servers."},
    {"case-mismatch", "warning", "A link names a file or anchor in another letter case; folio writes the file's own case, but the source should match it."},
    {"config-invalid", "error", "A folio.yml value has the wrong shape or an impossible value."},
    {"config-missing-key", "error", "folio.yml lacks a required key (title, locales)."},
    {"config-unknown-key", "error", "folio.yml has a key folio does not know (a typo, usually)."},
    {"config-unreadable", "error", "folio.yml cannot be read."},
    {"content-stray-file", "warning", "A file directly in the content folder, outside every locale folder, is ignored."},
    {"content-too-deep", "error", "Folders nested deeper than folio follows."},
    {"content-unreadable", "error", "A content folder cannot be read."},
    {"directive-nesting", "error", "A ::: directive closes in another block than it opened (a list item, a quote)."},
    {"directive-syntax", "error", "A ::: line cannot be read: a stray character, a missing quote or '='."},
    {"directive-unclosed", "error", "A :::zone, :::row, :::column or complex :::image has no -end line."},
    {"directive-unopened", "error", "A ::: -end line has no opening line."},
    {"duplicate-anchor", "warning", "Two anchors of a page share an id, so links reach only the first."},
    {"duplicate-page", "error", "x.md and x.yml (or index.md and index.yml) in one folder would both be x.html."},
    {"empty-link", "warning", "A link or image has no target."},
    {"external-cache-unwritable", "warning", "The cache of external link results (.folio/cache/external-links.tsv) could not be written; the next run asks every URL again."},
    {"external-check-failed", "error", "The external link check (--external) could not run, so external links were not checked."},
    {"external-fragment-not-found", "error", "An external link's #fragment names no id or <a name> on the page it points to (--external, check_fragments)."},
    {"external-link-broken", "error", "An external http(s) link does not work: an HTTP error such as 404, or no connection (--external)."},
    {"external-link-redirected", "warning", "An external link is permanently redirected (301, 308); the message names the URL to use instead (--external)."},
    {"external-link-timeout", "warning", "An external link did not answer within the time limit of external.timeout (--external)."},
    {"file-not-found", "error", "A link names an article or file that the site does not have."},
    {"file-too-large", "error", "A file is larger than folio's limit for it."},
    {"file-unreadable", "error", "An article cannot be read."},
    {"image-invalid-type", "error", "A :::image type is not content, complex or icon."},
    {"image-missing-source", "error", "A :::image has no source attribute."},
    {"image-not-found", "error", "An image names a file that the site does not have."},
    {"include-cycle", "error", "Includes include each other in a loop."},
    {"include-not-found", "error", "An [!INCLUDE] names a file that does not exist."},
    {"include-out-of-scope", "error", "An [!INCLUDE] path climbs out of its locale's content folder."},
    {"include-too-deep", "error", "Includes nested deeper than folio expands."},
    {"include-too-large", "error", "With its includes the article would grow past limits.file_bytes; the include is left out."},
    {"init-failed", "error", "folio init could not write the new project."},
    {"init-not-empty", "error", "folio init was given a folder that already has files."},
    {"insecure-link", "warning", "A link uses http:// rather than https://."},
    {"invalid-date", "warning", "ms.date is not a date in MM/DD/YYYY, M/D/YYYY or YYYY-MM-DD form; the page shows no date."},
    {"invalid-front-matter", "error", "The front matter is not a YAML mapping, or a key has the wrong shape."},
    {"invalid-utf8", "error", "A file is not valid UTF-8 (a Latin-1 file, say); the bad bytes are read as U+FFFD and the rest is still checked."},
    {"link-out-of-scope", "error", "A relative link climbs out of its locale's content folder."},
    {"link-redirected", "info", "A link names an article that moved; the redirection file sends it to the article's new place."},
    {"locale-folder-missing", "warning", "A locale in folio.yml has no content folder."},
    {"locale-invalid", "error", "A locale file value has the wrong shape."},
    {"locale-missing-string", "warning", "A locale file lacks UI strings the source locale has; they are shown in the source language."},
    {"locale-unknown-key", "error", "A locale file has a key folio does not know."},
    {"locale-unreadable", "error", "A locale file cannot be read."},
    {"missing-alt-text", "error or warning", "An image has no alt text for readers who cannot see it (an error for :::image, a warning for Markdown and HTML images)."},
    {"missing-description", "error", "The front matter has no description."},
    {"missing-front-matter", "error", "The article does not start with a --- front matter block."},
    {"missing-title", "error", "The front matter has no title."},
    {"orphan-article", "warning", "No toc.yml lists the article, so readers reach it only through links."},
    {"output-collision", "error", "Two source files would write the same output file (page.md and a page.html media file)."},
    {"output-not-folio-site", "error", "The output folder holds files but no .folio-site marker: folio replaces only an empty folder or a site it built."},
    {"output-outside-project", "error", "paths.output leads out of the project through a symbolic link."},
    {"output-overlaps-sources", "error", "The output folder is, contains or lies inside the project or its content, locales or templates folders."},
    {"output-symlink", "error", "The output folder is a symbolic link; folio does not replace it (give its target with -o)."},
    {"output-unwritable", "error", "The site cannot be written to the output folder."},
    {"pattern-invalid", "error", "A role-header pattern in a locale file is not a valid PCRE2 expression."},
    {"pattern-limit", "warning", "A role-header pattern hit PCRE2's match, depth or heap limit on a line."},
    {"pivot-groups-invalid", "error", "A zone-pivot-groups.yml has the wrong shape: a group or pivot without an id, an unknown key, an id listed twice."},
    {"pivot-unknown", "warning", "An article's zone_pivot_groups names a group zone-pivot-groups.yml does not define, or a :::zone pivot is in none of its groups."},
    {"policy-drift", "error or warning", "A translation states other rules than its source article (an error when it records the source's current hash, else a warning)."},
    {"policy-duplicate-id", "error", "Two articles state a rule with the same id."},
    {"policy-invalid", "error or warning", "A :::policy block's YAML has the wrong shape or an unknown key."},
    {"policy-missing-id", "error", "A :::policy block has no id attribute."},
    {"policy-translation-only", "warning", "A rule is stated only in a translation, not in the source locale's article; it is no rule."},
    {"policy-unknown-role", "error", "A :::policy block names a role that no glossary knows (a rule as authored: a typo must not ship)."},
    {"policy-unverified", "warning", "A translation's roles cannot be compared with the source's: names no glossary knows."},
    {"redirect-duplicate", "error", "The redirection file lists the same source path twice."},
    {"redirect-invalid", "error or warning", "A redirection entry has a value of the wrong type, lacks source_path or redirect_url, or its redirect_url's scheme is not allowed (a warning for a source path that is no article)."},
    {"redirect-loop", "error", "Redirects go round in a loop."},
    {"redirect-source-exists", "warning", "The source locale still has the article a redirect moves; it is published and the redirect is not."},
    {"redirect-target-not-found", "error", "A redirect_url of the redirection file names no page of the site and no external address."},
    {"redirect-unknown-key", "warning", "A redirection entry has a key the file format does not have."},
    {"redirects-none-apply", "warning", "The redirection file has redirections, but none under redirects.source_root (set it)."},
    {"redirects-unreadable", "error", "A redirection file folio.yml names cannot be read."},
    {"role-header-empty", "warning", "A role header names no role."},
    {"rules-invalid", "error", "A rules.json given to folio policy is not one folio can read."},
    {"symlink-loop", "error", "A symbolic link leads back to a folder on its own path; the folder is skipped."},
    {"symlink-outside-project", "error", "A symbolic link in the content leads outside the project; it is skipped."},
    {"table-too-wide", "warning", "A table row has more cells than folio lays out; it is shown as text."},
    {"template-missing", "error", "The templates folder lacks a template folio needs."},
    {"template-render", "error", "A template names a value that does not exist."},
    {"template-syntax", "error", "A template cannot be read: an unclosed tag or section."},
    {"template-unknown-partial", "error", "A template includes a partial that does not exist."},
    {"template-unreadable", "error", "A template file cannot be read."},
    {"toc-cycle", "error", "A toc.yml includes itself, directly or through other tocs."},
    {"toc-entry-not-found", "error", "A toc.yml entry names an article that does not exist."},
    {"toc-invalid", "error", "A toc.yml entry has the wrong shape (no name, not a mapping)."},
    {"toc-too-deep", "error", "toc files nested deeper than folio follows."},
    {"toc-unknown-key", "warning", "A toc.yml entry has a key folio does not know; it is ignored."},
    {"toc-unreadable", "error", "A toc.yml cannot be read."},
    {"unclosed-front-matter", "error", "The front matter's closing --- line is missing."},
    {"unknown-alert", "warning", "A > [!KIND] alert of a kind Learn does not have; it stays a quotation."},
    {"unknown-attribute", "warning", "A ::: directive has an attribute folio does not know; it is ignored."},
    {"unknown-directive", "error", "A ::: directive folio does not know."},
    {"unknown-locale", "error", "A content folder is not a locale of folio.yml."},
    {"unknown-role", "warning", "A role or audience header names a role the glossary does not know (kept under the slug of its name)."},
    {"unsafe-html", "warning", "Raw HTML that is not on folio's allowlist (scripts, frames, event handlers) was removed."},
    {"unsafe-url", "warning", "A URL with a scheme that can run code or is not allowed (javascript:, data:, file:) was removed."},
    {"unterminated-quote", "error", "A quoted attribute value has no closing quote."},
    {"untranslated-link", "info", "A translation links to an article that is not translated; the link goes to the source locale's page."},
    {"video-host-not-allowed", "warning", "A > [!VIDEO] URL is not https or its host is not in video_hosts; it is shown as a link."},
    {"yaml-alias", "error", "YAML aliases (*name) are not accepted: they can multiply a small file."},
    {"yaml-error", "error", "A YAML file or block cannot be parsed."},
    {"yaml-page-invalid", "error", "A part of a YAML page (FAQ, Landing, Hub) has the wrong shape; the rest of the page is still built."},
    {"yaml-page-unknown-key", "warning", "A YAML page has a key its schema does not have."},
    {"yaml-page-unknown-type", "warning", "A YAML page names a YamlMime schema folio does not read; the file is skipped."},
    {"yaml-syntax", "error", "A YAML file or block is not valid YAML (file:line:col of the problem)."},
    {"yaml-too-deep", "error", "YAML nested deeper than folio reads."},
};

static int cmp(const void *key, const void *entry) {
  return strcmp(key, ((const code_info *)entry)->code);
}

const code_info *codes_all(size_t *n) {
  *n = sizeof table / sizeof *table;
  return table;
}

const code_info *codes_find(const char *code) {
  return bsearch(code, table, sizeof table / sizeof *table, sizeof *table, cmp);
}

const char *codes_help(const char *code) {
  const code_info *c = codes_find(code);
  return c ? c->help : NULL;
}

const char *codes_nearest(const char *code) {
  const char *best = NULL;
  size_t bestd = strlen(code) / 2 + 2;
  for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
    size_t d = str_distance_within(code, table[i].code, true, bestd - 1);
    if (d < bestd) {
      bestd = d;
      best = table[i].code;
    }
  }
  return best;
}
