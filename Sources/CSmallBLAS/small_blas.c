// CBLAS kernels for small dense systems, in place of libgslcblas's reference ones.
//
// A BDF step of GSL's msbdf solves with the LU factors of the iteration matrix once
// per Newton iteration (cblas_dtrsv, twice), measures the correction (cblas_dnrm2)
// and refactorizes now and then (cblas_dger). The reference kernels accumulate each
// row's dot product in one register and divide by the diagonal, so a triangular solve
// waits on long chains of dependent operations, and dnrm2 divides once per element.
// These kernels keep only the newest unknown on the critical path, multiply by
// reciprocals computed off it, and sum squares directly when nothing can overflow or
// underflow. Results agree with the reference to rounding (dger, dcopy and dscal
// bit for bit).
//
// GSL is linked against CBLAS by name, as its manual intends: the executable's
// definitions below come first in the dynamic linker's search order, or stand in for
// libgslcblas's when it is linked statically. They serve vectors and matrices of up
// to OSTEON_SMALL_LIMIT; anything larger, and invalid arguments, go to the library's
// own routine when the process has one (another program's BLAS keeps its own), else
// to the local ports of reference_blas.c.

#define _GNU_SOURCE
#include "small_blas.h"
#include "kernels.h"

#include <dlfcn.h>
#include <gsl/gsl_cblas.h>
#include <math.h>
#include <string.h>

typedef void (*dtrsv_function)(int, int, int, int, int, const double *, int, double *, int);
typedef void (*dger_function)(int, int, int, double, const double *, int, const double *, int, double *, int);
typedef double (*dnrm2_function)(int, const double *, int);
typedef void (*dcopy_function)(int, const double *, int, double *, int);
typedef void (*dscal_function)(int, double, double *, int);

_Thread_local osteon_kernel_counts osteon_counts OSTEON_FAST_TLS;

osteon_kernel_counts osteon_small_kernel_counts(void) { return osteon_counts; }

/// What a lookup that found nothing caches, so that it is not repeated.
static char not_found;

void *osteon_next_definition(void **cache, const char *name) {
  void *found = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
  if (!found) {
    found = dlsym(RTLD_NEXT, name);
    if (!found) found = &not_found;
    __atomic_store_n(cache, found, __ATOMIC_RELEASE);
  }
  return found == &not_found ? NULL : found;
}

int osteon_library_has(const char *name) { return dlsym(RTLD_NEXT, name) != NULL; }

// The first element of a strided BLAS vector (negative strides run backwards).
static inline ptrdiff_t first_index(int n, int inc) { return inc > 0 ? 0 : (ptrdiff_t)(n - 1) * (-inc); }

// MARK: - Triangular solve

void osteon_small_dtrsv(int order, int uplo, int trans, int diag, int n, const double *a, int lda, double *x,
                        int incx) {
  const int valid_order = order == CblasRowMajor || order == CblasColMajor;
  const int valid_uplo = uplo == CblasUpper || uplo == CblasLower;
  const int valid_trans = trans == CblasNoTrans || trans == CblasTrans || trans == CblasConjTrans;
  const int valid_diag = diag == CblasUnit || diag == CblasNonUnit;
  if (!valid_order || !valid_uplo || !valid_trans || !valid_diag || n < 0 || lda < (n > 1 ? n : 1) || incx == 0) {
    osteon_reference_dtrsv(order, uplo, trans, diag, n, a, lda, x, incx);
    return;
  }
  if (n == 0) return;
  // A column-major matrix is the transpose of the same memory read row-major.
  int transposed = trans != CblasNoTrans;
  int upper = uplo == CblasUpper;
  if (order == CblasColMajor) {
    transposed = !transposed;
    upper = !upper;
  }
  const int nonunit = diag == CblasNonUnit;
  double *v = x + first_index(n, incx);
  const ptrdiff_t s = incx;
  const ptrdiff_t ld = lda;
  if (!transposed) {
    if (!upper) {
      osteon_lower_solve(n, a, ld, v, s, nonunit);
    } else {
      osteon_upper_solve(n, a, ld, v, s, nonunit);
    }
    return;
  }
  // op(A) = Aᵀ: column j of op(A) is row j of A, so update the remaining unknowns
  // from each new one (contiguous, independent updates).
  if (upper) {
    // Aᵀ is lower: forward substitution.
    for (ptrdiff_t j = 0; j < n; j++) {
      const double *row = a + j * ld;
      if (nonunit) v[j * s] *= 1.0 / row[j];
      const double xj = v[j * s];
      for (ptrdiff_t i = j + 1; i < n; i++) v[i * s] -= row[i] * xj;
    }
  } else {
    for (ptrdiff_t j = n - 1; j >= 0; j--) {
      const double *row = a + j * ld;
      if (nonunit) v[j * s] *= 1.0 / row[j];
      const double xj = v[j * s];
      for (ptrdiff_t i = 0; i < j; i++) v[i * s] -= row[i] * xj;
    }
  }
}

// MARK: - Rank-one update

// A += alpha·x·yᵀ for a row-major m×n matrix.
static void dger_row_major(int m, int n, double alpha, const double *x, int incx, const double *y, int incy,
                           double *a, int lda) {
  const double *xs = x + first_index(m, incx);
  const double *ys = y + first_index(n, incy);
  for (ptrdiff_t i = 0; i < m; i++) {
    const double t = alpha * xs[i * incx];
    double *row = a + i * (ptrdiff_t)lda;
    if (incy == 1) {
      for (ptrdiff_t j = 0; j < n; j++) row[j] += ys[j] * t;
    } else {
      for (ptrdiff_t j = 0; j < n; j++) row[j] += ys[j * incy] * t;
    }
  }
}

void osteon_small_dger(int order, int m, int n, double alpha, const double *x, int incx, const double *y,
                       int incy, double *a, int lda) {
  const int row_major = order == CblasRowMajor;
  const int leading = row_major ? n : m;
  if ((!row_major && order != CblasColMajor) || m < 0 || n < 0 || incx == 0 || incy == 0 ||
      lda < (leading > 1 ? leading : 1)) {
    osteon_reference_dger(order, m, n, alpha, x, incx, y, incy, a, lda);
    return;
  }
  if (m == 0 || n == 0) return;
  if (row_major) {
    dger_row_major(m, n, alpha, x, incx, y, incy, a, lda);
  } else {
    // Column-major A is the row-major n×m matrix Aᵀ, and Aᵀ += alpha·y·xᵀ.
    dger_row_major(n, m, alpha, y, incy, x, incx, a, lda);
  }
}

// MARK: - Euclidean norm

double osteon_small_dnrm2(int n, const double *x, int incx) {
  if (n <= 0 || incx <= 0) return 0.0;
  if (n == 1) return fabs(x[0]);
  double s0 = 0.0;
  double s1 = 0.0;
  ptrdiff_t i = 0;
  const ptrdiff_t s = incx;
  if (s == 1) {
    // The usual contiguous vector: the compiler pairs the two sums in one register.
    for (; i + 1 < n; i += 2) {
      s0 += x[i] * x[i];
      s1 += x[i + 1] * x[i + 1];
    }
  } else {
    for (; i + 1 < n; i += 2) {
      const double u = x[i * s];
      const double w = x[(i + 1) * s];
      s0 += u * u;
      s1 += w * w;
    }
  }
  if (i < n) s0 += x[i * s] * x[i * s];
  const double sum = s0 + s1;
  // Squares that overflow or fall towards the subnormal range lose the answer:
  // the reference's scaled sum handles those (and zero vectors) exactly.
  if (isfinite(sum) && sum >= 1e-280) return sqrt(sum);
  return osteon_local_dnrm2(n, x, incx);
}

// MARK: - Copy and scale

// Both are exact, so any implementation gives the reference's bits; these avoid
// the reference's per-element index arithmetic on the common unit stride.
void osteon_small_dcopy(int n, const double *x, int incx, double *y, int incy) {
  if (n <= 0) return;
  if (incx == 1 && incy == 1) {
    memmove(y, x, (size_t)n * sizeof(double));
    return;
  }
  const double *xs = x + first_index(n, incx);
  double *ys = y + first_index(n, incy);
  for (ptrdiff_t i = 0; i < n; i++) ys[i * incy] = xs[i * incx];
}

void osteon_small_dscal(int n, double alpha, double *x, int incx) {
  if (n <= 0 || incx <= 0) return;
  if (incx == 1) {
    for (ptrdiff_t i = 0; i < n; i++) x[i] *= alpha;
  } else {
    for (ptrdiff_t i = 0; i < n; i++) x[i * incx] *= alpha;
  }
}

// MARK: - The CBLAS names GSL calls

void cblas_dtrsv(const enum CBLAS_ORDER order, const enum CBLAS_UPLO uplo, const enum CBLAS_TRANSPOSE trans,
                 const enum CBLAS_DIAG diag, const int n, const double *a, const int lda, double *x,
                 const int incx) {
  if (n < 0 || n > OSTEON_SMALL_LIMIT) {
    osteon_reference_dtrsv(order, uplo, trans, diag, n, a, lda, x, incx);
    return;
  }
  osteon_counts.dtrsv++;
  osteon_small_dtrsv(order, uplo, trans, diag, n, a, lda, x, incx);
}

void cblas_dger(const enum CBLAS_ORDER order, const int m, const int n, const double alpha, const double *x,
                const int incx, const double *y, const int incy, double *a, const int lda) {
  if (m < 0 || n < 0 || m > OSTEON_SMALL_LIMIT || n > OSTEON_SMALL_LIMIT) {
    osteon_reference_dger(order, m, n, alpha, x, incx, y, incy, a, lda);
    return;
  }
  osteon_counts.dger++;
  osteon_small_dger(order, m, n, alpha, x, incx, y, incy, a, lda);
}

double cblas_dnrm2(const int n, const double *x, const int incx) {
  if (n > OSTEON_SMALL_LIMIT) return osteon_reference_dnrm2(n, x, incx);
  osteon_counts.dnrm2++;
  return osteon_small_dnrm2(n, x, incx);
}

// Copies and scaling are exact: above the limit the library's own routine runs when
// there is one (it may be faster on long vectors), else the kernel.
void cblas_dcopy(const int n, const double *x, const int incx, double *y, const int incy) {
  static void *cache;
  if (n > OSTEON_SMALL_LIMIT) {
    dcopy_function library = (dcopy_function)osteon_next_definition(&cache, "cblas_dcopy");
    if (library) {
      library(n, x, incx, y, incy);
      return;
    }
  } else {
    osteon_counts.dcopy++;
  }
  osteon_small_dcopy(n, x, incx, y, incy);
}

void cblas_dscal(const int n, const double alpha, double *x, const int incx) {
  static void *cache;
  if (n > OSTEON_SMALL_LIMIT) {
    dscal_function library = (dscal_function)osteon_next_definition(&cache, "cblas_dscal");
    if (library) {
      library(n, alpha, x, incx);
      return;
    }
  } else {
    osteon_counts.dscal++;
  }
  osteon_small_dscal(n, alpha, x, incx);
}

// MARK: - Reference versions: the library's, else the local ports

void osteon_reference_dtrsv(int order, int uplo, int trans, int diag, int n, const double *a, int lda,
                            double *x, int incx) {
  static void *cache;
  dtrsv_function library = (dtrsv_function)osteon_next_definition(&cache, "cblas_dtrsv");
  if (library) {
    library(order, uplo, trans, diag, n, a, lda, x, incx);
  } else {
    osteon_local_dtrsv(order, uplo, trans, diag, n, a, lda, x, incx);
  }
}

void osteon_reference_dger(int order, int m, int n, double alpha, const double *x, int incx, const double *y,
                           int incy, double *a, int lda) {
  static void *cache;
  dger_function library = (dger_function)osteon_next_definition(&cache, "cblas_dger");
  if (library) {
    library(order, m, n, alpha, x, incx, y, incy, a, lda);
  } else {
    osteon_local_dger(order, m, n, alpha, x, incx, y, incy, a, lda);
  }
}

double osteon_reference_dnrm2(int n, const double *x, int incx) {
  static void *cache;
  dnrm2_function library = (dnrm2_function)osteon_next_definition(&cache, "cblas_dnrm2");
  return library ? library(n, x, incx) : osteon_local_dnrm2(n, x, incx);
}
