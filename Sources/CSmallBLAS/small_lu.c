// LU factorization and solve for the small iteration matrices of GSL's implicit
// steppers (msbdf, bsimp and the implicit Runge–Kutta methods call only these two).
//
// GSL's versions are general: the factorization allocates its pivot vector on the
// heap and reaches every element through vector views and CBLAS calls, and the solve
// goes through a copy, a cycle-following permutation and two CBLAS triangular solves.
// For the n of a network (a few to a few dozen) that bookkeeping costs more than the
// arithmetic. These do the same arithmetic directly: the factorization is GSL's
// unblocked Gaussian elimination with partial pivoting, operation for operation. Up
// to 24 unknowns, where GSL itself uses that algorithm, L, U, the permutation, the
// sign and the status are GSL's bit for bit, singular matrices included; from 25 to
// OSTEON_SMALL_LIMIT GSL splits the matrix into blocks, which sums the same products
// in another order, so the factors agree to rounding. The solve rounds as Osteon's
// cblas_dtrsv does.
//
// Like the CBLAS kernels, they take GSL's names and come first in the dynamic
// linker's search order: libgsl reaches its own exported functions through the PLT
// (as Debian builds it; a libgsl linked with -Bsymbolic-functions binds them
// internally and keeps its own, which the call counts show). Anything outside the
// small square case, and every argument error, goes to GSL's own functions when the
// process has them, else to the local ports of reference_lu.c.

#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_version.h>
#include <math.h>
#include <stdlib.h>

#include "small_blas.h"
#include "kernels.h"

typedef int (*lu_decomp_function)(gsl_matrix *, gsl_permutation *, int *);
typedef int (*lu_solve_function)(const gsl_matrix *, const gsl_permutation *, const gsl_vector *, gsl_vector *);

// The public header spells GSL's types as `void *`, so that Swift sees each GSL
// type once (through CGSL).
int osteon_reference_LU_decomp(void *matrix, void *permutation, int *signum) {
  static void *cache;
  lu_decomp_function library = (lu_decomp_function)osteon_next_definition(&cache, "gsl_linalg_LU_decomp");
  return library ? library(matrix, permutation, signum) : osteon_local_LU_decomp(matrix, permutation, signum);
}

int osteon_reference_LU_solve(const void *factors, const void *permutation, const void *b, void *x) {
  static void *cache;
  lu_solve_function library = (lu_solve_function)osteon_next_definition(&cache, "gsl_linalg_LU_solve");
  return library ? library(factors, permutation, b, x) : osteon_local_LU_solve(factors, permutation, b, x);
}

int osteon_gsl_reports_zero_pivots(void) {
  // 0: not yet read; 1: divides by a zero pivot (GSL 2.7 and older); 2: reports it.
  static int known;
  int answer = __atomic_load_n(&known, __ATOMIC_RELAXED);
  if (!answer) {
    const char *text = gsl_version;
    char *end = NULL;
    const long major = text ? strtol(text, &end, 10) : 0;
    const long minor = end && *end == '.' ? strtol(end + 1, NULL, 10) : 0;
    answer = major > 2 || (major == 2 && minor >= 8) ? 2 : 1;
    __atomic_store_n(&known, answer, __ATOMIC_RELAXED);
  }
  return answer == 2;
}

// MARK: - Factorization

/// Gaussian elimination with partial pivoting in place, as GSL's unblocked
/// factorization does it; the status GSL gives (0, or with `report_zero_pivots` the
/// column of the last zero pivot counted from 1).
__attribute__((always_inline)) static inline int eliminate_rows(ptrdiff_t n, double *a, ptrdiff_t ld,
                                                                size_t *pivots, int report_zero_pivots) {
  int status = GSL_SUCCESS;
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
    pivots[j] = (size_t)pivot;
    // GSL 2.8 notes a zero pivot and leaves its column unscaled; 2.7 divides by it
    // (through the small-pivot branch below), filling L with infinities and NaN.
    const int zero = report_zero_pivots && a[pivot * ld + j] == 0.0;
    if (zero) status = (int)j + 1;
    if (pivot != j && !zero) {
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
    double pivot_row[OSTEON_SMALL_LIMIT];
    for (ptrdiff_t k = j + 1; k < n; k++) pivot_row[k] = a[j * ld + k];
    for (ptrdiff_t i = j + 1; i < n; i++) {
      double *row = a + i * ld;
      double multiplier = row[j];
      if (!zero) {
        multiplier = tiny ? multiplier / diagonal : multiplier * reciprocal;
        row[j] = multiplier;
      }
      const double factor = -multiplier;
      for (ptrdiff_t k = j + 1; k < n; k++) row[k] += pivot_row[k] * factor;
    }
  }
  return status;
}

/// The elimination, with the size a compile-time constant for the sizes of most
/// networks (inlined into the factorization, as the compiler chose before the
/// sparse check came first there).
__attribute__((always_inline)) static inline int eliminate(ptrdiff_t n, double *a, ptrdiff_t ld, size_t *pivots, int report_zero_pivots) {
#define OSTEON_ELIMINATE(size) \
  case size:                   \
    return eliminate_rows(size, a, ld, pivots, report_zero_pivots);
  switch (n) {
    OSTEON_SMALL_SIZES(OSTEON_ELIMINATE)
    default:
      return eliminate_rows(n, a, ld, pivots, report_zero_pivots);
  }
#undef OSTEON_ELIMINATE
}

int gsl_linalg_LU_decomp(gsl_matrix *matrix, gsl_permutation *permutation, int *signum) {
  // The iteration matrix of a stepper that bound KLU or an optimized LAPACK (sparse_lu.c).
  if (__builtin_expect(osteon_lu_active != NULL, 0) && osteon_lu_claims(matrix)) return osteon_lu_decomp(matrix, permutation, signum);
  if (!matrix || !permutation || !signum || !matrix->data || !permutation->data ||
      matrix->size1 != matrix->size2 || permutation->size != matrix->size1 || matrix->size1 == 0 ||
      matrix->size1 > OSTEON_SMALL_LIMIT || matrix->tda < matrix->size2) {
    return osteon_reference_LU_decomp(matrix, permutation, signum);
  }
  osteon_counts.lu_decomp++;
  const ptrdiff_t n = (ptrdiff_t)matrix->size1;
  size_t pivots[OSTEON_SMALL_LIMIT];
  const int status = eliminate(n, matrix->data, (ptrdiff_t)matrix->tda, pivots, osteon_gsl_reports_zero_pivots());
  *signum = osteon_permutation_from_pivots(permutation->data, (size_t)n, pivots, (size_t)n);
  return status;
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

/// A damaged permutation goes to the reference, which reports it; a zero pivot is
/// GSL's error, and x is left alone.
__attribute__((noinline, cold)) static int refuse_solve(const gsl_matrix *factors,
                                                        const gsl_permutation *permutation, const gsl_vector *b,
                                                        gsl_vector *x) {
  const size_t n = factors->size1;
  for (size_t i = 0; i < n; i++) {
    if (permutation->data[i] >= n) return osteon_reference_LU_solve(factors, permutation, b, x);
  }
  osteon_counts.lu_solve++;
  GSL_ERROR("matrix is singular", GSL_EDOM);
}

int gsl_linalg_LU_solve(const gsl_matrix *factors, const gsl_permutation *permutation, const gsl_vector *b,
                        gsl_vector *x) {
  if (__builtin_expect(osteon_lu_active != NULL, 0) && osteon_lu_claims_factors(factors)) return osteon_lu_solve(factors, permutation, b, x);
  if (!factors || !permutation || !b || !x || !factors->data || !permutation->data || !b->data || !x->data ||
      factors->size1 != factors->size2 || permutation->size != factors->size1 || b->size != factors->size1 ||
      x->size != factors->size1 || factors->size1 == 0 || factors->size1 > OSTEON_SMALL_LIMIT ||
      factors->tda < factors->size2 || b->stride == 0 || x->stride == 0) {
    return osteon_reference_LU_solve(factors, permutation, b, x);
  }
  const ptrdiff_t n = (ptrdiff_t)factors->size1;
  const ptrdiff_t ld = (ptrdiff_t)factors->tda;
  const double *a = factors->data;
  const size_t *p = permutation->data;
  for (ptrdiff_t i = 0; i < n; i++) {
    if (a[i * ld + i] == 0.0 || p[i] >= (size_t)n) return refuse_solve(factors, permutation, b, x);
  }
  osteon_counts.lu_solve++;
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
  double v[OSTEON_SMALL_LIMIT];
  for (ptrdiff_t i = 0; i < n; i++) v[i] = bs[(ptrdiff_t)p[i] * b_stride];
  substitute(n, a, ld, v);
  for (ptrdiff_t i = 0; i < n; i++) xs[i * x_stride] = v[i];
  return GSL_SUCCESS;
}
