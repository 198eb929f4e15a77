/* extstatus: what checking one external URL can come to, shared by the
 * checker and its cache file. */
#ifndef FOLIO_EXTSTATUS_H
#define FOLIO_EXTSTATUS_H

typedef enum {
  EXTCHECK_OK,          /* 2xx, possibly after temporary redirects (302, 303, 307) */
  EXTCHECK_REDIRECTED,  /* works, but the first hop was a permanent redirect (301,
                           308): the caller should suggest moved_to instead */
  EXTCHECK_BROKEN,      /* 4xx; 5xx or 429 after retries; DNS or connection
                           failure; redirect loop; #fragment not on the page */
  EXTCHECK_TIMEOUT,     /* no complete answer within the time limits */
  EXTCHECK_EXCLUDED,    /* matched an exclusion pattern: never requested */
  EXTCHECK_UNSUPPORTED, /* not an http(s) URL, or malformed: never requested */
} extcheck_status;

#endif
