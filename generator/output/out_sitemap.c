/* Written with libxml2's xmlTextWriter, which escapes every value. Each
 * writer call's result is checked; a failure (out of memory) becomes one
 * diagnostic for that file. */
#include "out_sitemap.h"

#include <libxml/xmlwriter.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "util.h"

#define NS_SITEMAP "http://www.sitemaps.org/schemas/sitemap/0.9"
#define NS_XHTML "http://www.w3.org/1999/xhtml"

typedef struct {
  xmlTextWriterPtr w;
  int failed;
} writer;

static void chk(writer *w, int rc) {
  if (rc < 0)
    w->failed = 1;
}

static const xmlChar *X(const char *s) { return (const xmlChar *)s; }

static void element(writer *w, const char *name, const char *text) {
  chk(w, xmlTextWriterWriteElement(w->w, X(name), X(text)));
}

static void alternate(writer *w, const char *hreflang, const char *href) {
  chk(w, xmlTextWriterStartElement(w->w, X("xhtml:link")));
  chk(w, xmlTextWriterWriteAttribute(w->w, X("rel"), X("alternate")));
  chk(w, xmlTextWriterWriteAttribute(w->w, X("hreflang"), X(hreflang)));
  chk(w, xmlTextWriterWriteAttribute(w->w, X("href"), X(href)));
  chk(w, xmlTextWriterEndElement(w->w));
}

static int finish(writer *w, xmlBufferPtr xb, const publish_txn *txn, const char *rel,
                  diag_list *diags) {
  chk(w, xmlTextWriterEndDocument(w->w));
  xmlFreeTextWriter(w->w);
  int rc = 0;
  if (w->failed) {
    diag_add(diags, rel, 0, 0, SEV_ERROR, "output-unwritable", "could not write %s (libxml2)",
             rel);
    rc = -1;
  } else if (publish_write(txn, rel, (const char *)xmlBufferContent(xb),
                           (size_t)xmlBufferLength(xb), diags) < 0) {
    rc = -1;
  }
  xmlBufferFree(xb);
  return rc;
}

static int start(writer *w, xmlBufferPtr *xb) {
  *xb = xmlBufferCreate();
  w->w = *xb ? xmlNewTextWriterMemory(*xb, 0) : NULL;
  w->failed = 0;
  if (!w->w) {
    if (*xb)
      xmlBufferFree(*xb);
    return -1;
  }
  chk(w, xmlTextWriterSetIndent(w->w, 1));
  chk(w, xmlTextWriterSetIndentString(w->w, X("  ")));
  chk(w, xmlTextWriterStartDocument(w->w, "1.0", "UTF-8", NULL));
  return 0;
}

static int write_locale(const render_env *env, arena *a, int l, const publish_txn *txn,
                        diag_list *diags) {
  const char *rel = arena_printf(a, "%s/sitemap.xml", env->cfg->locales[l]);
  writer w;
  xmlBufferPtr xb;
  if (start(&w, &xb) < 0)
    return -1;
  chk(&w, xmlTextWriterStartElement(w.w, X("urlset")));
  chk(&w, xmlTextWriterWriteAttribute(w.w, X("xmlns"), X(NS_SITEMAP)));
  chk(&w, xmlTextWriterWriteAttribute(w.w, X("xmlns:xhtml"), X(NS_XHTML)));
  for (size_t i = 0; i < env->content->narticles; i++) {
    const article *art = &env->content->articles[i];
    if (art->locale != l || !art->ok)
      continue;
    chk(&w, xmlTextWriterStartElement(w.w, X("url")));
    element(&w, "loc", arena_printf(a, "%s%s/%s", env->cfg->base_url, env->cfg->locales[l], art->url));
    if (art->fm.year)
      element(&w, "lastmod",
              arena_printf(a, "%04d-%02d-%02d", art->fm.year, art->fm.month, art->fm.day));
    /* The hreflang set: every translation, this page included, as the
     * pages' own <link rel="alternate"> list it. */
    size_t n = 0;
    for (size_t k = 0; k < env->cfg->nlocales; k++) {
      const article *t = content_find_article(env->content, (int)k, art->rel);
      n += t && t->ok;
    }
    if (n > 1) {
      for (size_t k = 0; k < env->cfg->nlocales; k++) {
        const article *t = content_find_article(env->content, (int)k, art->rel);
        if (t && t->ok)
          alternate(&w, env->locales[k].lang,
                    arena_printf(a, "%s%s/%s", env->cfg->base_url, env->cfg->locales[k], t->url));
      }
      const article *src = content_find_article(env->content, 0, art->rel);
      if (src && src->ok)
        alternate(&w, "x-default",
                  arena_printf(a, "%s%s/%s", env->cfg->base_url, env->cfg->locales[0], src->url));
    }
    chk(&w, xmlTextWriterEndElement(w.w));
  }
  chk(&w, xmlTextWriterEndElement(w.w));
  return finish(&w, xb, txn, rel, diags);
}

static int write_index(const render_env *env, arena *a, const publish_txn *txn, diag_list *diags) {
  writer w;
  xmlBufferPtr xb;
  if (start(&w, &xb) < 0)
    return -1;
  chk(&w, xmlTextWriterStartElement(w.w, X("sitemapindex")));
  chk(&w, xmlTextWriterWriteAttribute(w.w, X("xmlns"), X(NS_SITEMAP)));
  for (size_t l = 0; l < env->cfg->nlocales; l++) {
    chk(&w, xmlTextWriterStartElement(w.w, X("sitemap")));
    element(&w, "loc", arena_printf(a, "%s%s/sitemap.xml", env->cfg->base_url, env->cfg->locales[l]));
    chk(&w, xmlTextWriterEndElement(w.w));
  }
  chk(&w, xmlTextWriterEndElement(w.w));
  return finish(&w, xb, txn, "sitemap.xml", diags);
}

int out_sitemap_write(const render_env *env, const publish_txn *txn, diag_list *diags) {
  bool absolute = str_starts_with(env->cfg->base_url, "https://") ||
                  str_starts_with(env->cfg->base_url, "http://");
  arena *a = arena_new();
  int rc = 0;
  buf robots = {0};
  buf_puts(&robots, "User-agent: *\nAllow: /\n");
  if (absolute) {
    for (size_t l = 0; l < env->cfg->nlocales; l++)
      if (write_locale(env, a, (int)l, txn, diags) < 0)
        rc = -1;
    if (write_index(env, a, txn, diags) < 0)
      rc = -1;
    buf_printf(&robots, "\nSitemap: %ssitemap.xml\n", env->cfg->base_url);
  }
  if (publish_write(txn, "robots.txt", robots.data, robots.len, diags) < 0)
    rc = -1;
  buf_free(&robots);
  arena_free(a);
  return rc;
}
