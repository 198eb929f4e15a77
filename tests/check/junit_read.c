/* Reads a JUnit XML report back with libxml2, as GitLab and Jenkins would:
 * it must parse, its totals must agree with its testcases, and it prints
 * what it found for the test script to compare with folio's JSON report:
 *   testcases=N failures=F suites=S */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long attr_num(xmlNode *n, const char *name) {
  xmlChar *v = xmlGetProp(n, BAD_CAST name);
  long r = v ? strtol((const char *)v, NULL, 10) : -1;
  xmlFree(v);
  return r;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: junit_read FILE\n");
    return 2;
  }
  xmlDoc *doc = xmlReadFile(argv[1], NULL, XML_PARSE_NONET);
  if (!doc) {
    fprintf(stderr, "junit_read: %s is not well-formed XML\n", argv[1]);
    return 1;
  }
  xmlNode *root = xmlDocGetRootElement(doc);
  int rc = 0;
  if (!root || strcmp((const char *)root->name, "testsuites")) {
    fprintf(stderr, "junit_read: the root is not <testsuites>\n");
    rc = 1;
  }
  long cases = 0, failures = 0, suites = 0;
  for (xmlNode *s = root ? root->children : NULL; s; s = s->next) {
    if (s->type != XML_ELEMENT_NODE)
      continue;
    if (strcmp((const char *)s->name, "testsuite")) {
      fprintf(stderr, "junit_read: unexpected <%s> in <testsuites>\n", s->name);
      rc = 1;
      continue;
    }
    suites++;
    long scases = 0, sfail = 0;
    for (xmlNode *c = s->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "testcase"))
        continue;
      scases++;
      for (xmlNode *f = c->children; f; f = f->next)
        if (f->type == XML_ELEMENT_NODE && !strcmp((const char *)f->name, "failure"))
          sfail++;
    }
    if (attr_num(s, "tests") != scases || attr_num(s, "failures") != sfail) {
      fprintf(stderr, "junit_read: a testsuite's totals disagree with its testcases\n");
      rc = 1;
    }
    cases += scases;
    failures += sfail;
  }
  if (root && (attr_num(root, "tests") != cases || attr_num(root, "failures") != failures)) {
    fprintf(stderr, "junit_read: <testsuites> totals disagree with the testcases\n");
    rc = 1;
  }
  printf("testcases=%ld failures=%ld suites=%ld\n", cases, failures, suites);
  xmlFreeDoc(doc);
  xmlCleanupParser();
  return rc;
}
