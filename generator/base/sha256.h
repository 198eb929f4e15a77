/* sha256: the content hashes folio records (translation source hashes,
 * and cache keys). No allocation. */
#ifndef FOLIO_SHA256_H
#define FOLIO_SHA256_H

#include <stdbool.h>
#include <stddef.h>

/* SHA-256 (FIPS 180-4) of data, as 32 bytes. Uses the x86-64 SHA
 * extensions when the CPU has them (chosen once, at the first call). */
void sha256(const void *data, size_t len, unsigned char out[32]);

/* The same digest computed by the portable C code alone: what sha256() runs
 * on CPUs without the extensions, public so that the unit test can compare
 * the two paths. */
void sha256_portable(const void *data, size_t len, unsigned char out[32]);

/* Whether sha256() uses the SHA extensions on this CPU. Thread-safe. */
bool sha256_accelerated(void);

#endif
