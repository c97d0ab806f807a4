// The C edge of SECSim: GSL's headers, plus small inline functions so that Swift
// never touches a C global directly (GSL's generator-type pointers are mutable
// globals, which Swift 6 strict concurrency rejects) and never depends on the
// layout of GSL's private generator state structs.
#ifndef SECSIM_CGSL_SHIM_H
#define SECSIM_CGSL_SHIM_H

#include <stdint.h>
#include <string.h>
// GSL's own header-inline functions (gsl_rng_get, gsl_rng_uniform, gsl_rng_uniform_pos,
// gsl_rng_uniform_int, ...) are compiled into their callers instead of called in libgsl:
// the same code (libgsl builds them from these headers), one call less per draw.
#ifndef HAVE_INLINE
#define HAVE_INLINE 1
#endif
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_cdf.h>

// Generator and quasi-random types.
static inline const gsl_rng_type *secsim_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *secsim_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_qrng_type *secsim_qrng_sobol(void) { return gsl_qrng_sobol; }
static inline const gsl_qrng_type *secsim_qrng_halton(void) { return gsl_qrng_halton; }

// GSL's default error handler aborts the process; SECSim checks return codes instead.
static inline void secsim_gsl_handler_off(void) { (void)gsl_set_error_handler_off(); }

// Mirror of GSL 2.x's private state of mt19937 (rng/mt.c): 624 words, each below
// 2^32 although stored in unsigned long, and the index of the next word.
typedef struct { unsigned long mt[624]; int mti; } secsim_mt19937_state;
// Mirror of GSL's private state of taus / taus2 (rng/taus.c).
typedef struct { unsigned long s1, s2, s3; } secsim_taus_state;

/// The 624 state words of an mt19937 generator, through gsl_rng_state, to be filled
/// in place (each below 2^32, not all zero in the significant bits: the caller
/// guarantees it) and then restarted with secsim_rng_mt19937_restart; NULL if the
/// generator is not mt19937-shaped. The words stay where they are for the generator's
/// life (gsl_rng_alloc allocates the state once).
static inline unsigned long *secsim_rng_mt19937_words(gsl_rng *r) {
  if (r->type != gsl_rng_mt19937 || gsl_rng_size(r) != sizeof(secsim_mt19937_state)) return NULL;
  return ((secsim_mt19937_state *)gsl_rng_state(r))->mt;
}

/// Marks an mt19937 state whose words were just filled as fresh: the next draw
/// regenerates the whole block, as after gsl_rng_set. Only for a generator whose
/// secsim_rng_mt19937_words was not NULL.
static inline void secsim_rng_mt19937_restart(gsl_rng *r) {
  ((secsim_mt19937_state *)gsl_rng_state(r))->mti = 624;
}

/// Fills a taus2 generator's state (s1 > 1, s2 > 7, s3 > 15; the caller guarantees
/// it) through gsl_rng_state. Returns 0, or -1 if the generator is not taus2-shaped.
static inline int secsim_rng_fill_taus2(gsl_rng *r, uint32_t s1, uint32_t s2, uint32_t s3) {
  if (r->type != gsl_rng_taus2 || gsl_rng_size(r) != sizeof(secsim_taus_state)) return -1;
  secsim_taus_state *s = (secsim_taus_state *)gsl_rng_state(r);
  s->s1 = s1; s->s2 = s2; s->s3 = s3;
  return 0;
}

/// n draws of gsl_rng_uniform(r) into out[0..<n], in order: one call from Swift for
/// a party's assessment variates (GSL's inline gsl_rng_uniform, HAVE_INLINE above).
static inline void secsim_rng_uniform_fill(const gsl_rng *r, double *out, long n) {
  for (long i = 0; i < n; i++) out[i] = gsl_rng_uniform(r);
}

#endif
