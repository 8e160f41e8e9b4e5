// GSL 2.7's reference CBLAS routines that Osteon's kernels stand in for, ported
// operation for operation (the same loops, the same order of additions, divisions
// where GSL divides), so that they round exactly as libgslcblas does. They serve
// where the library's own routine cannot be reached: with GSL linked statically,
// Osteon's definitions are the only ones in the program.
//
// Arguments are checked as libgslcblas checks them (the last invalid one is
// reported) and reported through cblas_xerbla, which prints and aborts.

#include "small_blas.h"

#include <gsl/gsl_cblas.h>
#include <math.h>

/// The first element of a strided vector (negative strides run backwards).
static inline ptrdiff_t offset(ptrdiff_t n, ptrdiff_t inc) { return inc > 0 ? 0 : (n - 1) * (-inc); }

void osteon_local_dtrsv(int order, int uplo, int trans_a, int diag, int n, const double *a, int lda, double *x,
                        int incx) {
  int position = 0;
  if (order != CblasRowMajor && order != CblasColMajor) position = 1;
  if (uplo != CblasUpper && uplo != CblasLower) position = 2;
  if (trans_a != CblasNoTrans && trans_a != CblasTrans && trans_a != CblasConjTrans) position = 3;
  if (diag != CblasNonUnit && diag != CblasUnit) position = 4;
  if (n < 0) position = 5;
  if (lda < (n > 1 ? n : 1)) position = 7;
  if (incx == 0) position = 9;
  if (position) {
    cblas_xerbla(position, "cblas_dtrsv", "");
    return;
  }
  if (n == 0) return;
  const int nonunit = diag == CblasNonUnit;
  const int trans = trans_a != CblasConjTrans ? trans_a : CblasTrans;
  const ptrdiff_t size = n;
  const ptrdiff_t ld = lda;
  const ptrdiff_t inc = incx;
  const ptrdiff_t first = offset(size, inc);
  const ptrdiff_t last = first + inc * (size - 1);
  // Row i of op(A) is row i of A (rows), or column i of A (columns).
  const int rows = trans == CblasNoTrans;
  const int row_major = order == CblasRowMajor;
  // op(A) upper triangular in the row-major view: back substitution.
  const int backwards = (row_major && rows && uplo == CblasUpper) || (!row_major && !rows && uplo == CblasLower) ||
                        (row_major && !rows && uplo == CblasLower) || (!row_major && rows && uplo == CblasUpper);
  const int along_rows = row_major == rows;
  if (backwards) {
    ptrdiff_t ix = last;
    if (nonunit) x[ix] = x[ix] / a[ld * (size - 1) + (size - 1)];
    ix -= inc;
    for (ptrdiff_t i = size - 2; i >= 0; i--) {
      double sum = x[ix];
      ptrdiff_t jx = ix + inc;
      for (ptrdiff_t j = i + 1; j < size; j++) {
        sum -= (along_rows ? a[ld * i + j] : a[ld * j + i]) * x[jx];
        jx += inc;
      }
      x[ix] = nonunit ? sum / a[ld * i + i] : sum;
      ix -= inc;
    }
  } else {
    ptrdiff_t ix = first;
    if (nonunit) x[ix] = x[ix] / a[0];
    ix += inc;
    for (ptrdiff_t i = 1; i < size; i++) {
      double sum = x[ix];
      ptrdiff_t jx = first;
      for (ptrdiff_t j = 0; j < i; j++) {
        sum -= (along_rows ? a[ld * i + j] : a[ld * j + i]) * x[jx];
        jx += inc;
      }
      x[ix] = nonunit ? sum / a[ld * i + i] : sum;
      ix += inc;
    }
  }
}

void osteon_local_dger(int order, int m, int n, double alpha, const double *x, int incx, const double *y, int incy,
                       double *a, int lda) {
  int position = 0;
  if (order != CblasRowMajor && order != CblasColMajor) position = 1;
  if (m < 0) position = 2;
  if (n < 0) position = 3;
  if (incx == 0) position = 6;
  if (incy == 0) position = 8;
  if (order == CblasRowMajor && lda < (n > 1 ? n : 1)) position = 10;
  if (order == CblasColMajor && lda < (m > 1 ? m : 1)) position = 10;
  if (position) {
    cblas_xerbla(position, "cblas_dger", "");
    return;
  }
  const ptrdiff_t ld = lda;
  if (order == CblasRowMajor) {
    ptrdiff_t ix = offset(m, incx);
    for (ptrdiff_t i = 0; i < m; i++) {
      const double scaled = alpha * x[ix];
      ptrdiff_t jy = offset(n, incy);
      for (ptrdiff_t j = 0; j < n; j++) {
        a[ld * i + j] += y[jy] * scaled;
        jy += incy;
      }
      ix += incx;
    }
  } else {
    ptrdiff_t jy = offset(n, incy);
    for (ptrdiff_t j = 0; j < n; j++) {
      const double scaled = alpha * y[jy];
      ptrdiff_t ix = offset(m, incx);
      for (ptrdiff_t i = 0; i < m; i++) {
        a[i + ld * j] += x[ix] * scaled;
        ix += incx;
      }
      jy += incy;
    }
  }
}

// The scaled sum of the reference BLAS: never overflows or underflows, 0 for a zero
// vector, and a non-positive stride or length gives 0.
double osteon_local_dnrm2(int n, const double *x, int incx) {
  if (n <= 0 || incx <= 0) return 0.0;
  if (n == 1) return fabs(x[0]);
  double scale = 0.0;
  double sum = 1.0;
  ptrdiff_t ix = 0;
  for (ptrdiff_t i = 0; i < n; i++) {
    const double value = x[ix];
    if (value != 0.0) {
      const double magnitude = fabs(value);
      if (scale < magnitude) {
        sum = 1.0 + sum * (scale / magnitude) * (scale / magnitude);
        scale = magnitude;
      } else {
        sum += (magnitude / scale) * (magnitude / scale);
      }
    }
    ix += incx;
  }
  return scale * sqrt(sum);
}
