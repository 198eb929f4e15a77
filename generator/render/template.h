/* template: a small logic-less template engine in the Mustache style.
 *   {{name}}        value, HTML-escaped      {{{name}}}  value as is (raw)
 *   {{#name}}..{{/name}}  section: once per list item, once for a true value
 *   {{^name}}..{{/name}}  inverted section: when the value is false or empty
 *   {{> partial}}   templates/partials/partial.html   {{! comment }}
 * Names are dotted paths (page.title) looked up from the innermost section
 * outwards; "." is the current item. A name that resolves nowhere is an error
 * naming the template file and line, never an empty string.
 * Values (tvalue) are built by the caller in an arena it owns. */
#ifndef FOLIO_TEMPLATE_H
#define FOLIO_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"

typedef enum { TV_NULL, TV_BOOL, TV_STR, TV_LIST, TV_MAP } tv_kind;

typedef struct tvalue tvalue;
struct tvalue {
  tv_kind kind;
  bool b;
  const char *s;
  tvalue **items;    /* list items, or map values */
  const char **keys; /* map keys */
  size_t n, cap;
  bool open;         /* map of user data: a missing key is empty, not an error */
};

tvalue *tv_str(arena *a, const char *s); /* NULL s gives TV_NULL */
tvalue *tv_bool(arena *a, bool b);
tvalue *tv_list(arena *a);
tvalue *tv_map(arena *a);
void tv_push(arena *a, tvalue *list, tvalue *item);
void tv_set(arena *a, tvalue *map, const char *key, tvalue *value);
void tv_set_str(arena *a, tvalue *map, const char *key, const char *s);
void tv_set_bool(arena *a, tvalue *map, const char *key, bool b);
tvalue *tv_get(const tvalue *map, const char *key);

typedef struct template_set template_set;

/* Load every *.html in dir and dir/partials; NULL after errors in diags. */
template_set *template_load_dir(const char *dir, diag_list *diags);
/* Compile one template from memory (tests). */
template_set *template_load_string(const char *name, const char *text, diag_list *diags);
/* Add a partial from memory to a set (tests). Returns 0 or -1. */
int template_add_partial(template_set *ts, const char *name, const char *text, diag_list *diags);
void template_free(template_set *ts);
bool template_exists(const template_set *ts, const char *name);

/* Render template name ("page.html") with ctx into out; -1 after an error. */
int template_render(const template_set *ts, const char *name, const tvalue *ctx, buf *out,
                    diag_list *diags);

#endif
