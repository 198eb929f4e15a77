/* sha256: the content hashes folio records (translation source hashes,
 * and cache keys). No allocation. */
#ifndef FOLIO_SHA256_H
#define FOLIO_SHA256_H

#include <stddef.h>

/* SHA-256 (FIPS 180-4) of data, as 32 bytes. */
void sha256(const void *data, size_t len, unsigned char out[32]);

#endif
