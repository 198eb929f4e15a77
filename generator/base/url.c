/* Browsers are lenient about URLs in ways attackers use: "JaVa\nScRiPt:",
 * " javascript:", "&#x6A;avascript:" (entities are decoded before the URL is
 * read). The HTML layer decodes entities before a URL gets here; this file
 * handles the rest, following the WHATWG URL parser's first steps. */
#include "url.h"

#include <string.h>
#include <strings.h>

const char *const url_default_schemes[] = {"http", "https", "mailto", "tel", "ftp", "ftps",
                                           "sftp", "ms-settings", "ms-windows-store", "vscode",
                                           "vscode-insiders", "ssh", "git", "irc", "news",
                                           "sms", "xmpp", NULL};

static const char *const dangerous[] = {"javascript", "vbscript", "data", "file", "blob",
                                        "filesystem", "livescript", "mocha", NULL};

static bool is_c0_or_space(unsigned char c) { return c <= 0x20; }
static bool is_tab_or_newline(unsigned char c) { return c == '\t' || c == '\n' || c == '\r'; }
static bool is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_scheme_char(unsigned char c) {
  return is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

bool url_scheme_is_dangerous(const char *scheme) {
  for (const char *const *d = dangerous; *d; d++)
    if (!strcasecmp(*d, scheme))
      return true;
  return false;
}

url_form url_classify(const char *u, char scheme[URL_SCHEME_MAX + 1]) {
  scheme[0] = '\0';
  const unsigned char *p = (const unsigned char *)u;
  while (*p && is_c0_or_space(*p))
    p++;
  if (!*p)
    return URL_EMPTY;
  if (*p == '#')
    return URL_FRAGMENT;
  /* A scheme: a letter, then letters, digits, + - . up to a ':' (tabs and
   * newlines in between are ignored, as browsers do). */
  if (is_alpha(*p)) {
    size_t n = 0;
    bool truncated = false;
    const unsigned char *s = p;
    for (; *s; s++) {
      if (is_tab_or_newline(*s))
        continue;
      if (!is_scheme_char(*s))
        break;
      if (n < URL_SCHEME_MAX)
        scheme[n++] = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
      else
        truncated = true;
    }
    scheme[n] = '\0';
    if (*s == ':') {
      if (truncated)
        scheme[0] = '\0'; /* never matches an allowed scheme */
      return URL_SCHEME;
    }
    scheme[0] = '\0';
  }
  /* "/" and "\" are the same to a browser in http(s) URLs. */
  const unsigned char *s = p;
  while (is_tab_or_newline(*s))
    s++;
  if (*s == '/' || *s == '\\') {
    const unsigned char *t = s + 1;
    while (is_tab_or_newline(*t))
      t++;
    return *t == '/' || *t == '\\' ? URL_NETWORK : URL_SITE_ABSOLUTE;
  }
  return URL_RELATIVE;
}

bool url_is_allowed(const url_policy *pol, const char *u) {
  char scheme[URL_SCHEME_MAX + 1];
  if (url_classify(u, scheme) != URL_SCHEME)
    return true;
  if (!scheme[0])
    return false;
  if (url_scheme_is_dangerous(scheme))
    return false;
  for (const char *const *s = url_default_schemes; *s; s++)
    if (!strcmp(*s, scheme))
      return true;
  for (size_t i = 0; pol && i < pol->nextra; i++)
    if (!strcasecmp(pol->extra[i], scheme))
      return true;
  return false;
}

void url_put_attr(buf *b, const char *u) {
  const unsigned char *p = (const unsigned char *)u, *end = p + strlen(u);
  while (p < end && is_c0_or_space(*p))
    p++;
  while (end > p && is_c0_or_space(end[-1]))
    end--;
  static const char hex[] = "0123456789ABCDEF";
  for (; p < end; p++) {
    unsigned char c = *p;
    if (is_tab_or_newline(c))
      continue;
    switch (c) {
    case '&': buf_puts(b, "&amp;"); break;
    case '<': buf_puts(b, "&lt;"); break;
    case '>': buf_puts(b, "&gt;"); break;
    case '"': buf_puts(b, "&quot;"); break;
    case '\'': buf_puts(b, "&#39;"); break;
    default:
      if (c <= 0x20 || c == 0x7f || c == '`') {
        char e[3] = {'%', hex[c >> 4], hex[c & 15]};
        buf_put(b, e, 3);
      } else {
        buf_putc(b, (char)c); /* UTF-8 is kept: browsers encode it themselves */
      }
    }
  }
}

bool url_https_host(const char *u, char host[URL_HOST_MAX + 1]) {
  host[0] = '\0';
  const unsigned char *p = (const unsigned char *)u;
  while (*p && is_c0_or_space(*p))
    p++;
  if (strncasecmp((const char *)p, "https://", 8))
    return false;
  p += 8;
  size_t n = 0;
  for (; *p && *p != '/' && *p != '?' && *p != '#' && *p != ':'; p++) {
    unsigned char c = *p;
    bool ok = is_alpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok || n == URL_HOST_MAX) /* '@' (a user name), '\\', '%', blanks, ... */
      return false;
    host[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  host[n] = '\0';
  if (*p == ':') /* a port: digits only, then the path */
    for (p++; *p && *p != '/' && *p != '?' && *p != '#'; p++)
      if (*p < '0' || *p > '9')
        return false;
  for (; *p; p++) /* the rest may not hide a second scheme-relative host */
    if (*p == '\\' || is_tab_or_newline(*p))
      return false;
  return n > 0 && host[0] != '.' && host[n - 1] != '.';
}

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

bool percent_decode(char *s) {
  char *out = s;
  for (; *s; s++) {
    if (*s == '%') {
      int h = hexval(s[1]), l = h >= 0 ? hexval(s[2]) : -1;
      if (h < 0 || l < 0)
        return false;
      *out++ = (char)(h * 16 + l);
      s += 2;
    } else {
      *out++ = *s;
    }
  }
  *out = '\0';
  return true;
}
