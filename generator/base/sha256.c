/* SHA-256 from FIPS 180-4 section 6.2, written out here rather than pulled
 * from a crypto library: folio needs one digest, for change detection. It
 * hashes every article's bytes several times per build, so on x86-64 CPUs
 * with the SHA extensions the compression runs on those instructions; the
 * portable C code is the path everywhere else. */
#include "sha256.h"

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#include <stdatomic.h>
#endif

/* 16-byte aligned for the vector loads of the accelerated path. */
static _Alignas(16) const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

static inline uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/* One round with the working variables named in place instead of shifted
 * through eight assignments; eight rounds rotate the names back. */
#define ROUND(a, b, c, d, e, f, g, h, i)                                                          \
  do {                                                                                          \
    uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + (g ^ (e & (f ^ g))) + K[i] + w[i]; \
    uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) | (c & (a | b)));            \
    d += t1;                                                                                    \
    h = t1 + t2;                                                                                \
  } while (0)

static void block(uint32_t hs[8], const unsigned char *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
           (uint32_t)p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = hs[0], b = hs[1], c = hs[2], d = hs[3], e = hs[4], f = hs[5], g = hs[6], h = hs[7];
  for (int i = 0; i < 64; i += 8) {
    ROUND(a, b, c, d, e, f, g, h, i);
    ROUND(h, a, b, c, d, e, f, g, i + 1);
    ROUND(g, h, a, b, c, d, e, f, i + 2);
    ROUND(f, g, h, a, b, c, d, e, i + 3);
    ROUND(e, f, g, h, a, b, c, d, i + 4);
    ROUND(d, e, f, g, h, a, b, c, i + 5);
    ROUND(c, d, e, f, g, h, a, b, i + 6);
    ROUND(b, c, d, e, f, g, h, a, i + 7);
  }
  hs[0] += a, hs[1] += b, hs[2] += c, hs[3] += d, hs[4] += e, hs[5] += f, hs[6] += g, hs[7] += h;
}

/* A compression function: nblocks 64-byte blocks at p into the state h. */
typedef void compress_fn(uint32_t h[8], const unsigned char *p, size_t nblocks);

static void compress_portable(uint32_t h[8], const unsigned char *p, size_t nblocks) {
  for (; nblocks; nblocks--, p += 64)
    block(h, p);
}

#ifdef SHA256_X86
/* The SHA extensions keep the state in two vectors named by their lanes
 * from the highest: ABEF and CDGH. SHA256RNDS2 does two rounds, reading the
 * two words of message + constant from the low lanes of its third operand;
 * after it the new CDGH is the old ABEF, so two calls with the vectors
 * swapped do four rounds and restore the names. SHA256MSG1 and SHA256MSG2
 * compute the schedule four words at a time:
 *   W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16]
 * MSG1 adds s0 of the next word to each of W[t-16..t-13], the W[t-7..t-4]
 * are added by hand (an alignr of the two newest vectors), and MSG2 adds the
 * s1 terms, which for the upper two words depend on the two it has just
 * made. Only this function is compiled for the extensions; sha256() calls
 * it after checking the CPU has them. */
__attribute__((target("sha,sse4.1,ssse3")))
static void compress_shani(uint32_t h[8], const unsigned char *p, size_t nblocks) {
  /* Each 32-bit lane's bytes reversed: the message words are big-endian. */
  const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
  /* From h[0..7] = A..H (lane 0 first in memory) to ABEF and CDGH. */
  __m128i dcba = _mm_loadu_si128((const __m128i *)h);      /* lanes 0..3: A B C D */
  __m128i hgfe = _mm_loadu_si128((const __m128i *)(h + 4)); /* lanes 0..3: E F G H */
  __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);             /* B A D C */
  __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);             /* H G F E */
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);            /* F E B A */
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);         /* H G D C */
  for (; nblocks; nblocks--, p += 64) {
    __m128i abef_in = abef, cdgh_in = cdgh;
    /* m0..m3: the schedule's last sixteen words, oldest first. */
    __m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), bswap);
    __m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), bswap);
    __m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), bswap);
    __m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), bswap);
    for (int t = 0; t < 64; t += 4) {
      __m128i wk = _mm_add_epi32(m0, _mm_load_si128((const __m128i *)(K + t)));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
      if (t < 48) {
        __m128i w = _mm_add_epi32(_mm_sha256msg1_epu32(m0, m1), _mm_alignr_epi8(m3, m2, 4));
        w = _mm_sha256msg2_epu32(w, m3);
        m0 = m1, m1 = m2, m2 = m3, m3 = w;
      } else {
        m0 = m1, m1 = m2, m2 = m3;
      }
    }
    abef = _mm_add_epi32(abef, abef_in);
    cdgh = _mm_add_epi32(cdgh, cdgh_in);
  }
  /* Back to A..H. */
  __m128i feba = _mm_shuffle_epi32(abef, 0x1B); /* A B E F */
  __m128i ghcd = _mm_shuffle_epi32(cdgh, 0xB1); /* G H C D */
  _mm_storeu_si128((__m128i *)h, _mm_blend_epi16(feba, ghcd, 0xF0));
  _mm_storeu_si128((__m128i *)(h + 4), _mm_alignr_epi8(ghcd, feba, 8));
}

static bool cpu_has_sha(void) {
  unsigned a, b, c, d;
  /* SSSE3 (pshufb, palignr) and SSE4.1 (pblendw) are used beside SHA. */
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1))
    return false;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
    return false;
  return (b & bit_SHA) != 0;
}

/* -1 until the first call; then whether to use compress_shani. Threads
 * racing on the first call all compute and store the same value. */
static _Atomic int use_shani = -1;

bool sha256_accelerated(void) {
  int v = atomic_load_explicit(&use_shani, memory_order_relaxed);
  if (v < 0) {
    v = cpu_has_sha();
    atomic_store_explicit(&use_shani, v, memory_order_relaxed);
  }
  return v;
}
#else
bool sha256_accelerated(void) { return false; }
#endif

static void digest(compress_fn *compress, const void *data, size_t len, unsigned char out[32]) {
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const unsigned char *p = data;
  size_t n = len % 64;
  if (len >= 64) {
    compress(h, p, len / 64);
    p += len - n;
  }
  /* Padding: 0x80, zeros, then the length in bits, big-endian. */
  unsigned char tail[128] = {0};
  if (n)
    memcpy(tail, p, n);
  tail[n] = 0x80;
  size_t tlen = n + 9 <= 64 ? 64 : 128;
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++)
    tail[tlen - 1 - i] = (unsigned char)(bits >> (8 * i));
  compress(h, tail, tlen / 64);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (unsigned char)(h[i] >> 24);
    out[4 * i + 1] = (unsigned char)(h[i] >> 16);
    out[4 * i + 2] = (unsigned char)(h[i] >> 8);
    out[4 * i + 3] = (unsigned char)h[i];
  }
}

void sha256_portable(const void *data, size_t len, unsigned char out[32]) {
  digest(compress_portable, data, len, out);
}

void sha256(const void *data, size_t len, unsigned char out[32]) {
#ifdef SHA256_X86
  if (sha256_accelerated()) {
    digest(compress_shani, data, len, out);
    return;
  }
#endif
  digest(compress_portable, data, len, out);
}
