/* highlight: syntax highlighting of code blocks at build time, so that it
 * works without JavaScript and is tested like the rest of the output. Each
 * language Learn articles use has a small tokenizer that writes the code
 * HTML-escaped, with <span class="tok-KIND"> around the tokens worth a
 * colour. Every byte of the code appears exactly once, escaped; the output
 * depends only on the input; each tokenizer is one pass over the text.
 *
 * Token kinds (the CSS classes): tok-keyword, tok-string, tok-comment,
 * tok-number, tok-literal (true, null, ...), tok-variable, tok-key (JSON
 * and YAML keys), tok-tag, tok-attr (XML/HTML), tok-param (-Name,
 * --flag), tok-command (cmdlets, the command of a shell line), tok-meta
 * (decorators, directives, YAML anchors and tags, XML declarations). */
#ifndef FOLIO_HIGHLIGHT_H
#define FOLIO_HIGHLIGHT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef struct highlight_lang highlight_lang;

/* The language a code fence names ("json", "azurecli", "C#", "ps1"),
 * matched without regard to case; NULL when folio does not know it. A
 * known language may have a label but no tokenizer ("output", "http"). */
const highlight_lang *highlight_find(const char *name, size_t len);
/* What the page shows above the block: "JSON", "Azure CLI"; NULL for
 * plain text. */
const char *highlight_label(const highlight_lang *l);
/* The name used in class="language-..." (the name as Learn spells it). */
const char *highlight_name(const highlight_lang *l);
/* Write code[0..len) to out, HTML-escaped, with token spans; with l NULL
 * (or a language without a tokenizer), only escaped. */
void highlight_html(buf *out, const highlight_lang *l, const char *code, size_t len);
/* For the unit test: the keyword tables are sorted (lookups bisect). */
bool highlight_tables_sorted(void);

#endif
