/* url: the one door for URLs that reach the output. Content is untrusted, so
 * every URL that ends up in an href or src attribute, whatever construct it
 * came from, is classified here the way a browser reads it, its scheme
 * checked against an allowlist, and escaped here. Nothing allocates except
 * where a buf is given; the buf belongs to the caller. */
#ifndef FOLIO_URL_H
#define FOLIO_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef enum {
  URL_EMPTY,         /* nothing but blanks */
  URL_FRAGMENT,      /* #id */
  URL_RELATIVE,      /* a/b.md, ../x.png, ?q */
  URL_SITE_ABSOLUTE, /* /path */
  URL_NETWORK,       /* //host/path: the page's scheme */
  URL_SCHEME,        /* scheme:... */
} url_form;

/* Longest scheme folio looks at; a longer one is never allowed. */
#define URL_SCHEME_MAX 32

/* The form of u as a browser would take it: leading and trailing C0 controls
 * and spaces are ignored and tabs and newlines inside are dropped, so
 * "java\tscript:" is the javascript: scheme. When the form is URL_SCHEME,
 * scheme receives it in lower case (truncated names are never allowed). */
url_form url_classify(const char *u, char scheme[URL_SCHEME_MAX + 1]);

/* Schemes documentation links use and folio allows by default. */
extern const char *const url_default_schemes[];
/* Schemes that run code or read local files: never allowed, whatever
 * folio.yml says (javascript, vbscript, data, file, blob, filesystem, and
 * the old livescript and mocha). */
bool url_scheme_is_dangerous(const char *scheme);

typedef struct {
  const char *const *extra; /* schemes folio.yml adds (lower case), or NULL */
  size_t nextra;
} url_policy;

/* Whether u may be written into an attribute: no scheme (relative, site,
 * fragment, network), or an allowed one. data: is refused for images too:
 * documentation ships its images as files, and a data: URL is a place to
 * hide content from review. */
bool url_is_allowed(const url_policy *p, const char *u);

/* Append u for a double-quoted attribute value: tabs and newlines dropped,
 * blanks trimmed, spaces and other bytes a URL cannot hold as they are
 * percent-encoded, and & < > " ' written as entities. Only call it with a
 * URL url_is_allowed accepted. */
void url_put_attr(buf *b, const char *u);

/* Longest host name url_https_host reads (DNS allows 253). */
#define URL_HOST_MAX 253

/* Whether u is an absolute https:// URL with a plain host name (letters,
 * digits, '-', '.'; an optional :port; no user name, no backslash), as an
 * embedded player's src must be; host receives the name in lower case.
 * Blanks around u are ignored, as url_put_attr drops them. */
bool url_https_host(const char *u, char host[URL_HOST_MAX + 1]);

/* Decode %XX escapes in place; false on a malformed escape. */
bool percent_decode(char *s);

#endif
