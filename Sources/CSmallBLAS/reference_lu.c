// GSL 2.7's LU factorization and solve, ported for where libgsl's own cannot be
// reached (GSL linked statically: Osteon's gsl_linalg_LU_decomp and
// gsl_linalg_LU_solve are then the only ones in the program). The same checks and
// errors, the same recursive splitting into blocks above 24 columns, and the BLAS
// calls GSL's matrix wrappers make, by name: idamax, dswap, dtrsm and dgemm are
// libgslcblas's, dscal, dger and dtrsv Osteon's (which forward large sizes to their
// own reference ports), exactly as GSL's code reaches them. So a factorization too
// large for small_lu.c has GSL's bits in a static build as in a dynamic one.
//
// One deviation: a GSL that reports zero pivots (2.8) stops a blocked factorization
// at the first block holding one, with its pivot vector partly unset; this completes
// it and reports the column of the last zero pivot.

#include <float.h>
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>

#include "kernels.h"
#include "small_blas.h"

/// A block of a row-major matrix, as a gsl_matrix view describes it.
typedef struct {
  double *data;
  size_t rows;
  size_t columns;
  size_t stride;
} block;

static block part(block whole, size_t row, size_t column, size_t rows, size_t columns) {
  return (block){whole.data + row * whole.stride + column, rows, columns, whole.stride};
}

static double *at(block matrix, size_t row, size_t column) { return matrix.data + row * matrix.stride + column; }

static void swap_rows(block matrix, size_t first, size_t second) {
  cblas_dswap((int)matrix.columns, at(matrix, first, 0), 1, at(matrix, second, 0), 1);
}

/// Row interchanges `pivots[0..<count]` applied to `matrix`, in order.
static void apply_pivots(block matrix, const size_t *pivots, size_t count) {
  for (size_t i = 0; i < count; i++) {
    if (pivots[i] != i) swap_rows(matrix, i, pivots[i]);
  }
}

/// GSL's split of n columns: multiples of 8 from 16 on.
static size_t split(size_t n) { return n >= 16 ? ((n + 8) / 16) * 8 : n / 2; }

/// Column counts up to which GSL factorizes without blocks.
enum { unblocked_limit = 24 };

/// LAPACK's DGETF2 as GSL writes it (LU_decomp_L2): the status, 0 or with
/// `report_zero_pivots` the column of the last zero pivot counted from 1.
static int factor_unblocked(block matrix, size_t *pivots, int report_zero_pivots) {
  const size_t m = matrix.rows;
  const size_t n = matrix.columns;
  const size_t count = m < n ? m : n;
  const int stride = (int)matrix.stride;
  int status = GSL_SUCCESS;
  for (size_t j = 0; j < count; j++) {
    const size_t pivot = j + cblas_idamax((int)(m - j), at(matrix, j, j), stride);
    pivots[j] = pivot;
    if (report_zero_pivots && *at(matrix, pivot, j) == 0.0) {
      status = (int)j + 1;
    } else {
      if (pivot != j) swap_rows(matrix, j, pivot);
      if (j < m - 1) {
        const double diagonal = *at(matrix, j, j);
        if (fabs(diagonal) >= DBL_MIN) {
          cblas_dscal((int)(m - j - 1), 1.0 / diagonal, at(matrix, j + 1, j), stride);
        } else {
          for (size_t i = 1; i < m - j; i++) *at(matrix, j + i, j) /= diagonal;
        }
      }
    }
    if (j + 1 < count) {
      cblas_dger(CblasRowMajor, (int)(m - j - 1), (int)(n - j - 1), -1.0, at(matrix, j + 1, j), stride,
                 at(matrix, j, j + 1), 1, at(matrix, j + 1, j + 1), stride);
    }
  }
  return status;
}

/// ReLAPACK's recursive DGETRF as GSL writes it (LU_decomp_L3), for m ≥ n.
static int factor_blocked(block matrix, size_t *pivots, int report_zero_pivots) {
  const size_t m = matrix.rows;
  const size_t n = matrix.columns;
  if (n <= unblocked_limit) return factor_unblocked(matrix, pivots, report_zero_pivots);
  const size_t n1 = split(n);
  const size_t n2 = n - n1;
  const size_t m2 = m - n1;
  const block a11 = part(matrix, 0, 0, n1, n1);
  const block a12 = part(matrix, 0, n1, n1, n2);
  const block a21 = part(matrix, n1, 0, m2, n1);
  const block a22 = part(matrix, n1, n1, m2, n2);
  const int stride = (int)matrix.stride;
  const int left = factor_blocked(part(matrix, 0, 0, m, n1), pivots, report_zero_pivots);
  apply_pivots(part(matrix, 0, n1, m, n2), pivots, n1);
  // A12 = A11⁻¹·A12, then A22 = A22 − A21·A12.
  cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, CblasNoTrans, CblasUnit, (int)n1, (int)n2, 1.0, a11.data,
              stride, a12.data, stride);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m2, (int)n2, (int)n1, -1.0, a21.data, stride,
              a12.data, stride, 1.0, a22.data, stride);
  const int right = factor_blocked(a22, pivots + n1, report_zero_pivots);
  apply_pivots(a21, pivots + n1, n2);
  for (size_t i = 0; i < n2; i++) pivots[n1 + i] += n1;
  return right ? right + (int)n1 : left;
}

int osteon_local_LU_decomp(void *opaque_matrix, void *opaque_permutation, int *signum) {
  gsl_matrix *matrix = opaque_matrix;
  gsl_permutation *permutation = opaque_permutation;
  const size_t m = matrix->size1;
  if (permutation->size != m) GSL_ERROR("permutation length must match matrix size1", GSL_EBADLEN);
  const size_t n = matrix->size2;
  const size_t count = m < n ? m : n;
  size_t *pivots = malloc((count ? count : 1) * sizeof *pivots);
  if (!pivots) GSL_ERROR("failed to allocate space for the pivots", GSL_ENOMEM);
  const block whole = {matrix->data, m, n, matrix->tda};
  const block left = part(whole, 0, 0, m, count);
  const int status = count ? factor_blocked(left, pivots, osteon_gsl_reports_zero_pivots()) : GSL_SUCCESS;
  if (m < n) {
    // The columns right of the square: pivoted, then L⁻¹ applied to them.
    const block right = part(whole, 0, m, m, n - m);
    apply_pivots(right, pivots, count);
    cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, CblasNoTrans, CblasUnit, (int)m, (int)(n - m), 1.0,
                left.data, (int)whole.stride, right.data, (int)whole.stride);
  }
  *signum = osteon_permutation_from_pivots(permutation->data, m, pivots, count);
  free(pivots);
  return status;
}

int osteon_local_LU_solve(const void *opaque_factors, const void *opaque_permutation, const void *opaque_b,
                          void *opaque_x) {
  const gsl_matrix *factors = opaque_factors;
  const gsl_permutation *permutation = opaque_permutation;
  const gsl_vector *b = opaque_b;
  gsl_vector *x = opaque_x;
  const size_t n = factors->size1;
  if (n != factors->size2) GSL_ERROR("LU matrix must be square", GSL_ENOTSQR);
  if (n != permutation->size) GSL_ERROR("permutation length must match matrix size", GSL_EBADLEN);
  if (n != b->size) GSL_ERROR("matrix size must match b size", GSL_EBADLEN);
  if (n != x->size) GSL_ERROR("matrix size must match solution size", GSL_EBADLEN);
  for (size_t i = 0; i < n; i++) {
    if (factors->data[i * factors->tda + i] == 0.0) GSL_ERROR("matrix is singular", GSL_EDOM);
  }
  // GSL would follow a damaged permutation out of bounds.
  const size_t *p = permutation->data;
  for (size_t i = 0; i < n; i++) {
    if (p[i] >= n) GSL_ERROR("permutation index outside the matrix", GSL_EINVAL);
  }
  // x = P·b, through a copy (b and x may share storage); moving values rounds nothing.
  double *permuted = malloc((n ? n : 1) * sizeof *permuted);
  if (!permuted) GSL_ERROR("failed to allocate space for the solution", GSL_ENOMEM);
  for (size_t i = 0; i < n; i++) permuted[i] = b->data[p[i] * b->stride];
  for (size_t i = 0; i < n; i++) x->data[i * x->stride] = permuted[i];
  free(permuted);
  cblas_dtrsv(CblasRowMajor, CblasLower, CblasNoTrans, CblasUnit, (int)n, factors->data, (int)factors->tda, x->data,
              (int)x->stride);
  cblas_dtrsv(CblasRowMajor, CblasUpper, CblasNoTrans, CblasNonUnit, (int)n, factors->data, (int)factors->tda,
              x->data, (int)x->stride);
  return GSL_SUCCESS;
}
