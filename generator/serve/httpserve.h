/* httpserve: the HTTP side of `folio serve`. Serves one built site folder on
 * loopback, injects the live-reload script into HTML on the fly and streams
 * rebuild notices as server-sent events. The server copies every string it
 * is given; the caller keeps ownership of its own. */
#ifndef FOLIO_HTTPSERVE_H
#define FOLIO_HTTPSERVE_H

#include <stddef.h>

typedef struct httpserve httpserve;

typedef struct {
  const char *host; /* address to bind; NULL means "127.0.0.1" */
  unsigned port;    /* 0 picks a free port (httpserve_port says which) */
  const char *root; /* the site folder served first */
  /* Most event-stream clients at once (each holds a thread); 0 means 64. */
  unsigned max_event_clients;
} httpserve_options;

/* Start serving on threads of the server's own (one per connection), until
 * httpserve_stop. Only GET and HEAD are answered; a folder's URL serves its
 * index.html (without the slash, a redirect to it); a missing file gets the
 * site's 404.html (that of the locale folder the path starts with, when it
 * has one) with status 404, and so does a path that is refused (see
 * httpserve_decode_path) or that meets a symbolic link, which is never
 * followed. Returns 0 and the server in *out, or -1 with a one-line reason
 * in err (errsz bytes, may be 0). */
int httpserve_start(httpserve **out, const httpserve_options *opt, char *err, size_t errsz);

/* The port actually bound. */
unsigned httpserve_port(const httpserve *s);

/* Serve a new build: every request that starts after this returns resolves
 * all of its paths (file, index.html, 404 page) in root; requests already
 * running finish in the old folder. Responses that have begun keep the files
 * they opened, so the caller may delete the old folder at once (but must not
 * rewrite its files in place). Returns 0, or -1 with a reason in err when
 * root is not a readable folder (the old root stays in service). */
int httpserve_set_root(httpserve *s, const char *root, char *err, size_t errsz);

/* Send json (one JSON object, copied) to every client of /__folio/events as
 * an `event: build`, and keep it as the state new clients receive first (as
 * `event: state`, which updates the overlay but never reloads). The script
 * /__folio/reload.js understands this shape:
 *
 *   {"ok": true,                        // false when the build failed
 *    "changed": ["/en-us/index.html"],  // site paths; "*" means every page
 *    "diagnostics": [{"page": "/en-us/index.html", "file": "content/en-us/index.md",
 *                     "line": 3, "col": 5, "severity": "error", "message": "..."}]}
 *
 * A page reloads when its own path is in "changed"; it shows an overlay of
 * diagnostics when the build failed or one of its own is an error (a
 * diagnostic whose "page" is "*" belongs to every page), and hides
 * the overlay after a later build where neither holds. A page whose own
 * path changed reloads even when it has errors: the `state` event it gets on
 * reconnecting shows them. Returns 0, or -1 when out of memory. */
int httpserve_notify(httpserve *s, const char *json);

/* Close every event stream, stop accepting, wait for the server's threads
 * and free it. s may be NULL. */
void httpserve_stop(httpserve *s);

/* The Content-Type the server sends for path (by extension). */
const char *httpserve_content_type(const char *path);

/* Decode the path of a request target (without the query) into out (outsz
 * bytes): percent-decoded once, without the leading slash ("" for "/"), a
 * trailing slash kept, repeated slashes merged. Returns 0, or -1 for a path
 * the server refuses: not absolute, a bad escape, NUL or another control
 * character, a backslash or an encoded slash, a "." or ".." segment (encoded
 * or not), or longer than outsz. */
int httpserve_decode_path(const char *target, char *out, size_t outsz);

#endif
