/* Compiled only by the layers.* tests: a base-layer file that reaches up
 * into the pipeline. The build must refuse it (base sees only base). */
#include "pipeline.h"

int layer_violation(void);
int layer_violation(void) { return 0; }
