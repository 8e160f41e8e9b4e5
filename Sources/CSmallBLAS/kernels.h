// Helpers shared by the CBLAS kernels and the LU functions: the lookup of the
// library's own definitions, the call counts, and the row-major triangular solves
// (shared so that cblas_dtrsv and the LU solve round identically).
#ifndef OSTEON_KERNELS_H
#define OSTEON_KERNELS_H

#include <stddef.h>

#include "small_blas.h"

/// ELF: initial-exec thread-local storage, reached in one instruction, no call.
#if defined(__ELF__)
#define OSTEON_FAST_TLS __attribute__((tls_model("initial-exec")))
#else
#define OSTEON_FAST_TLS
#endif

/// This thread's counts.
extern _Thread_local osteon_kernel_counts osteon_counts OSTEON_FAST_TLS;

/// The linear-solver context bound on this thread (sparse_lu.c), NULL otherwise: the
/// LU functions test it before anything else.
extern _Thread_local osteon_lu_context *osteon_lu_active OSTEON_FAST_TLS;

/// Row interchanges (row i swapped with row pivots[i], in order) → the permutation of
/// `size` entries GSL stores, and its sign.
__attribute__((always_inline)) static inline int osteon_permutation_from_pivots(size_t *p, size_t size, const size_t *pivots, size_t count) {
  for (size_t i = 0; i < size; i++) p[i] = i;
  int sign = 1;
  for (size_t i = 0; i < count; i++) {
    const size_t k = pivots[i];
    if (p[k] != p[i]) {
      const size_t swap = p[k];
      p[k] = p[i];
      p[i] = swap;
      sign = -sign;
    }
  }
  return sign;
}

/// The GSL linked (at run time) reports a zero pivot of an LU factorization by its
/// column, counted from 1, as GSL 2.8 does, instead of dividing by it (2.7 and older).
int osteon_gsl_reports_zero_pivots(void);

/// Expands CASE(2) … CASE(12): the sizes for which a switch on n gives a kernel a
/// compile-time size (the compiler then unrolls its short loops into straight-line
/// code).
#define OSTEON_SMALL_SIZES(CASE) \
  CASE(2) CASE(3) CASE(4) CASE(5) CASE(6) CASE(7) CASE(8) CASE(9) CASE(10) CASE(11) CASE(12)

/// Asks for a loop to be unrolled completely. The triangular solves are instantiated
/// with compile-time sizes (see `substitute` in small_lu.c), where this gives
/// straight-line code past the compiler's own size limit; with a run-time size the
/// request cannot be met and is dropped without a warning.
#if defined(__clang__)
#define OSTEON_UNROLL _Pragma("clang loop unroll(full)")
#pragma clang diagnostic ignored "-Wpass-failed"
#else
#define OSTEON_UNROLL
#endif

/// The next definition of `name` after this executable's (libgslcblas's or libgsl's),
/// or NULL when the process has none (GSL linked statically); looked up once, a racing
/// second lookup finds the same.
void *osteon_next_definition(void **cache, const char *name);

// Solves L·x = v in place for a row-major lower triangle (unit diagonal when
// `nonunit` is 0). Row by row: only the newest unknown is on the critical path; the
// rest of each row's dot product is summed while the previous unknown is still
// being computed, and the diagonal is applied as a reciprocal.
__attribute__((always_inline)) static inline void osteon_lower_solve(ptrdiff_t n, const double *a, ptrdiff_t ld,
                                                                    double *v, ptrdiff_t s, int nonunit) {
  double previous = nonunit ? v[0] * (1.0 / a[0]) : v[0];
  v[0] = previous;
  OSTEON_UNROLL for (ptrdiff_t i = 1; i < n; i++) {
    const double *row = a + i * ld;
    double s0 = 0.0;
    double s1 = 0.0;
    ptrdiff_t j = 0;
    OSTEON_UNROLL for (; j + 2 <= i - 1; j += 2) {
      s0 += row[j] * v[j * s];
      s1 += row[j + 1] * v[(j + 1) * s];
    }
    if (j < i - 1) s0 += row[j] * v[j * s];
    const double t = (v[i * s] - (s0 + s1)) - row[i - 1] * previous;
    previous = nonunit ? t * (1.0 / row[i]) : t;
    v[i * s] = previous;
  }
}

// Solves U·x = v in place for a row-major upper triangle, from the last row up.
__attribute__((always_inline)) static inline void osteon_upper_solve(ptrdiff_t n, const double *a, ptrdiff_t ld,
                                                                    double *v, ptrdiff_t s, int nonunit) {
  const ptrdiff_t last = n - 1;
  double previous = nonunit ? v[last * s] * (1.0 / a[last * ld + last]) : v[last * s];
  v[last * s] = previous;
  OSTEON_UNROLL for (ptrdiff_t i = last - 1; i >= 0; i--) {
    const double *row = a + i * ld;
    double s0 = 0.0;
    double s1 = 0.0;
    ptrdiff_t j = i + 2;
    OSTEON_UNROLL for (; j + 2 <= n; j += 2) {
      s0 += row[j] * v[j * s];
      s1 += row[j + 1] * v[(j + 1) * s];
    }
    if (j < n) s0 += row[j] * v[j * s];
    const double t = (v[i * s] - (s0 + s1)) - row[i + 1] * previous;
    previous = nonunit ? t * (1.0 / row[i]) : t;
    v[i * s] = previous;
  }
}

#endif
