/* libFuzzer target: folio.yml, which comes with the content (a pull
 * request can change it), read by config_load from a project folder.
 * It must never crash; a refusal must say why; and what it accepts must
 * keep the published and replaced folders (content, output) inside the
 * project, at least one valid locale first, and limits above zero. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[] = "/tmp/folio-fuzz-config-XXXXXX";

static void must_be_inside(const char *dir) {
  if (!dir || !path_is_within(dir, root))
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char file[sizeof root + 16];
  if (!file[0]) {
    if (!mkdtemp(root))
      abort();
    snprintf(file, sizeof file, "%s/folio.yml", root);
  }
  FILE *f = fopen(file, "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f))
    abort();
  arena *a = arena_new();
  diag_list d = {0};
  site_config cfg;
  int rc = config_load(a, root, &cfg, &d);
  if (rc < 0 && !diag_count(&d, SEV_ERROR))
    abort();
  for (size_t i = 0; i < d.count; i++) {
    size_t bad, nbad;
    if (!utf8_valid(d.items[i].message, strlen(d.items[i].message), &bad, &nbad))
      abort();
  }
  if (rc == 0) {
    must_be_inside(cfg.content_dir);
    must_be_inside(cfg.output_dir);
    if (!strcmp(cfg.output_dir, root) || cfg.nlocales < 1 || !cfg.locales[0][0])
      abort();
    if (!cfg.file_bytes || !cfg.media_bytes)
      abort();
  }
  diag_list_free(&d);
  arena_free(a);
  return 0;
}
