#ifndef OSTEON_SMALL_BLAS_H
#define OSTEON_SMALL_BLAS_H

// CBLAS kernels for the small dense systems of a BDF Newton iteration (n of a few
// to a few hundred). GSL's linear algebra calls them instead of the reference
// versions in libgslcblas: the executable's definitions of cblas_dtrsv, cblas_dger,
// cblas_dnrm2, cblas_dcopy and cblas_dscal come first in the dynamic linker's
// search order. So do gsl_linalg_LU_decomp and gsl_linalg_LU_solve for systems of up
// to 64 unknowns (small_lu.c).
// Argument combinations outside the fast paths go to libgslcblas unchanged.

#include <stddef.h>

/// 1 when this executable's kernels are the ones GSL calls (not libgslcblas's).
int osteon_small_blas_active(void);

/// libgslcblas's own versions, for tests that compare the two.
void osteon_reference_dtrsv(int order, int uplo, int trans, int diag, int n, const double *a, int lda,
                            double *x, int incx);
void osteon_reference_dger(int order, int m, int n, double alpha, const double *x, int incx, const double *y,
                           int incy, double *a, int lda);
double osteon_reference_dnrm2(int n, const double *x, int incx);

/// 1 when this executable's LU factorization and solve are the ones GSL's steppers
/// call (not libgsl's own).
int osteon_small_lu_active(void);

/// libgsl's own gsl_linalg_LU_decomp and gsl_linalg_LU_solve (arguments are a
/// gsl_matrix, gsl_permutation and gsl_vector), for tests that compare the two.
int osteon_reference_LU_decomp(void *matrix, void *permutation, int *signum);
int osteon_reference_LU_solve(const void *factors, const void *permutation, const void *b, void *x);

/// The kernels themselves, under the CBLAS names GSL links against.
void osteon_small_dtrsv(int order, int uplo, int trans, int diag, int n, const double *a, int lda, double *x,
                        int incx);
void osteon_small_dger(int order, int m, int n, double alpha, const double *x, int incx, const double *y,
                       int incy, double *a, int lda);
double osteon_small_dnrm2(int n, const double *x, int incx);
void osteon_small_dcopy(int n, const double *x, int incx, double *y, int incy);
void osteon_small_dscal(int n, double alpha, double *x, int incx);

#endif
