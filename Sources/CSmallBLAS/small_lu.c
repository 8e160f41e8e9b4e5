// LU factorization and solve for the small iteration matrices of GSL's implicit
// steppers (msbdf, bsimp and the implicit Runge–Kutta methods call only these two).
//
// GSL's versions are general: the factorization allocates its pivot vector on the
// heap and reaches every element through vector views and CBLAS calls, and the solve
// goes through a copy, a cycle-following permutation and two CBLAS triangular solves.
// For the n of a network (a few to a few dozen) that bookkeeping costs more than the
// arithmetic. These do the same arithmetic directly: the factorization is GSL's
// unblocked Gaussian elimination with partial pivoting, operation for operation. Up
// to 24 unknowns, where GSL itself uses that algorithm, L, U, the permutation and the
// sign are GSL's bit for bit; from 25 to 64 GSL splits the matrix into blocks, which
// sums the same products in another order, so the factors agree to rounding.
// Singular matrices go to GSL. The solve rounds as Osteon's cblas_dtrsv does.
//
// Like the CBLAS kernels, they take GSL's names and come first in the dynamic
// linker's search order: libgsl reaches its own exported functions through the PLT
// (as Debian builds it; a libgsl linked with -Bsymbolic-functions binds them
// internally and keeps its own, which is slower but gives the same results). Anything
// outside the small square case, and every error, goes to GSL's own functions, which
// report it their way.

#define _GNU_SOURCE
#include <dlfcn.h>
#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <string.h>

#include "small_blas.h"
#include "kernels.h"

/// Largest system handled here (its working copies live on the stack).
enum { small_lu_limit = 64 };

typedef int (*lu_decomp_function)(gsl_matrix *, gsl_permutation *, int *);
typedef int (*lu_solve_function)(const gsl_matrix *, const gsl_permutation *, const gsl_vector *, gsl_vector *);

// The public header spells GSL's types as `void *`, so that Swift sees each GSL
// type once (through CGSL).
int osteon_reference_LU_decomp(void *matrix, void *permutation, int *signum) {
  static void *cache;
  lu_decomp_function reference = (lu_decomp_function)osteon_next_definition(&cache, "gsl_linalg_LU_decomp");
  return reference ? reference(matrix, permutation, signum) : GSL_EUNIMPL;
}

int osteon_reference_LU_solve(const void *factors, const void *permutation, const void *b, void *x) {
  static void *cache;
  lu_solve_function reference = (lu_solve_function)osteon_next_definition(&cache, "gsl_linalg_LU_solve");
  return reference ? reference(factors, permutation, b, x) : GSL_EUNIMPL;
}

// MARK: - Factorization

/// Copies an n×n matrix between row strides (one block when both are n).
static void copy_rows(ptrdiff_t n, double *to, ptrdiff_t to_stride, const double *from, ptrdiff_t from_stride) {
  if (to_stride == n && from_stride == n) {
    memcpy(to, from, (size_t)(n * n) * sizeof(double));
    return;
  }
  for (ptrdiff_t i = 0; i < n; i++) memcpy(to + i * to_stride, from + i * from_stride, (size_t)n * sizeof(double));
}

/// Gaussian elimination with partial pivoting in place, as GSL's unblocked
/// factorization does it; 0 (with `a` half done) at a zero pivot.
__attribute__((always_inline)) static inline int eliminate_rows(ptrdiff_t n, double *a, ptrdiff_t ld,
                                                                ptrdiff_t *pivots) {
  for (ptrdiff_t j = 0; j < n; j++) {
    // The pivot: the first entry of largest magnitude on or below the diagonal
    // (NaN never wins, as in idamax).
    ptrdiff_t pivot = j;
    double largest = 0.0;
    for (ptrdiff_t i = j; i < n; i++) {
      const double magnitude = fabs(a[i * ld + j]);
      if (magnitude > largest) {
        largest = magnitude;
        pivot = i;
      }
    }
    if (a[pivot * ld + j] == 0.0) return 0;
    pivots[j] = pivot;
    if (pivot != j) {
      double *upper = a + j * ld;
      double *lower = a + pivot * ld;
      for (ptrdiff_t k = 0; k < n; k++) {
        const double swap = upper[k];
        upper[k] = lower[k];
        lower[k] = swap;
      }
    }
    // Column j of L (the entries below the pivot divided by it, through its
    // reciprocal unless that would overflow, as GSL does), each followed at once by
    // its row's rank-one update of the trailing block (rounded as dger with alpha = −1;
    // from a copy of the pivot row, which the compiler then knows no row overlaps).
    const double diagonal = a[j * ld + j];
    const int tiny = !(fabs(diagonal) >= DBL_MIN);
    const double reciprocal = 1.0 / diagonal;
    double pivot_row[small_lu_limit];
    for (ptrdiff_t k = j + 1; k < n; k++) pivot_row[k] = a[j * ld + k];
    for (ptrdiff_t i = j + 1; i < n; i++) {
      double *row = a + i * ld;
      const double multiplier = tiny ? row[j] / diagonal : row[j] * reciprocal;
      row[j] = multiplier;
      const double factor = -multiplier;
      for (ptrdiff_t k = j + 1; k < n; k++) row[k] += pivot_row[k] * factor;
    }
  }
  return 1;
}

/// The elimination, with the size a compile-time constant for the sizes of most
/// networks.
static int eliminate(ptrdiff_t n, double *a, ptrdiff_t ld, ptrdiff_t *pivots) {
#define OSTEON_ELIMINATE(size) \
  case size:                   \
    return eliminate_rows(size, a, ld, pivots);
  switch (n) {
    OSTEON_SMALL_SIZES(OSTEON_ELIMINATE)
    default:
      return eliminate_rows(n, a, ld, pivots);
  }
#undef OSTEON_ELIMINATE
}

int gsl_linalg_LU_decomp(gsl_matrix *matrix, gsl_permutation *permutation, int *signum) {
  if (!matrix || !permutation || !signum || !matrix->data || matrix->size1 != matrix->size2 ||
      permutation->size != matrix->size1 || matrix->size1 == 0 || matrix->size1 > small_lu_limit ||
      matrix->tda < matrix->size2) {
    return osteon_reference_LU_decomp(matrix, permutation, signum);
  }
  const ptrdiff_t n = (ptrdiff_t)matrix->size1;
  const ptrdiff_t ld = (ptrdiff_t)matrix->tda;
  double *a = matrix->data;
  // A singular matrix is left to GSL: how it reports a zero pivot changed between
  // versions (2.7 divides by it, later ones return its index), so the factorization
  // starts from a copy it can restore.
  double original[small_lu_limit * small_lu_limit];
  copy_rows(n, original, n, a, ld);
  ptrdiff_t pivots[small_lu_limit];
  if (!eliminate(n, a, ld, pivots)) {
    copy_rows(n, a, ld, original, n);
    return osteon_reference_LU_decomp(matrix, permutation, signum);
  }
  // Row interchanges → permutation, as GSL converts them.
  size_t *p = permutation->data;
  for (ptrdiff_t i = 0; i < n; i++) p[i] = (size_t)i;
  int sign = 1;
  for (ptrdiff_t i = 0; i < n; i++) {
    const ptrdiff_t k = pivots[i];
    if (p[k] != p[i]) {
      const size_t swap = p[k];
      p[k] = p[i];
      p[i] = swap;
      sign = -sign;
    }
  }
  *signum = sign;
  return GSL_SUCCESS;
}

// MARK: - Solve

/// Forward and back substitution in place, with the size a compile-time constant up
/// to 24 unknowns, so that each size is straight-line code (the rows are short, and
/// their loop bookkeeping would cost more than the arithmetic).
static void substitute(ptrdiff_t n, const double *a, ptrdiff_t ld, double *v) {
#define OSTEON_SUBSTITUTE(size)               \
  case size:                                  \
    osteon_lower_solve(size, a, ld, v, 1, 0); \
    osteon_upper_solve(size, a, ld, v, 1, 1); \
    return;
  switch (n) {
    OSTEON_SMALL_SIZES(OSTEON_SUBSTITUTE)
    OSTEON_SUBSTITUTE(13) OSTEON_SUBSTITUTE(14) OSTEON_SUBSTITUTE(15) OSTEON_SUBSTITUTE(16)
    OSTEON_SUBSTITUTE(17) OSTEON_SUBSTITUTE(18) OSTEON_SUBSTITUTE(19) OSTEON_SUBSTITUTE(20)
    OSTEON_SUBSTITUTE(21) OSTEON_SUBSTITUTE(22) OSTEON_SUBSTITUTE(23) OSTEON_SUBSTITUTE(24)
    default:
      osteon_lower_solve(n, a, ld, v, 1, 0);
      osteon_upper_solve(n, a, ld, v, 1, 1);
  }
#undef OSTEON_SUBSTITUTE
}

int gsl_linalg_LU_solve(const gsl_matrix *factors, const gsl_permutation *permutation, const gsl_vector *b,
                        gsl_vector *x) {
  if (!factors || !permutation || !b || !x || !factors->data || !b->data || !x->data ||
      factors->size1 != factors->size2 || permutation->size != factors->size1 || b->size != factors->size1 ||
      x->size != factors->size1 || factors->size1 == 0 || factors->size1 > small_lu_limit ||
      factors->tda < factors->size2 || b->stride == 0 || x->stride == 0) {
    return osteon_reference_LU_solve(factors, permutation, b, x);
  }
  const ptrdiff_t n = (ptrdiff_t)factors->size1;
  const ptrdiff_t ld = (ptrdiff_t)factors->tda;
  const double *a = factors->data;
  const size_t *p = permutation->data;
  // A zero pivot (GSL: "matrix is singular") or a damaged permutation: GSL's own
  // solve reports it, and x is left alone.
  for (ptrdiff_t i = 0; i < n; i++) {
    if (a[i * ld + i] == 0.0 || p[i] >= (size_t)n) return osteon_reference_LU_solve(factors, permutation, b, x);
  }
  const double *bs = b->data;
  const ptrdiff_t b_stride = (ptrdiff_t)b->stride;
  double *xs = x->data;
  const ptrdiff_t x_stride = (ptrdiff_t)x->stride;
  if (x_stride == 1 && b_stride == 1 && (xs + n <= bs || bs + n <= xs)) {
    // The usual case, b and x apart: solve in x itself.
    for (ptrdiff_t i = 0; i < n; i++) xs[i] = bs[p[i]];
    substitute(n, a, ld, xs);
    return GSL_SUCCESS;
  }
  // Through a local copy of P·b, so that b and x may share storage.
  double v[small_lu_limit];
  for (ptrdiff_t i = 0; i < n; i++) v[i] = bs[(ptrdiff_t)p[i] * b_stride];
  substitute(n, a, ld, v);
  for (ptrdiff_t i = 0; i < n; i++) xs[i * x_stride] = v[i];
  return GSL_SUCCESS;
}

int osteon_small_lu_active(void) {
  return dlsym(RTLD_DEFAULT, "gsl_linalg_LU_decomp") == (void *)&gsl_linalg_LU_decomp &&
         dlsym(RTLD_DEFAULT, "gsl_linalg_LU_solve") == (void *)&gsl_linalg_LU_solve;
}
