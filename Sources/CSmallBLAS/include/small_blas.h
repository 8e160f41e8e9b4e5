#ifndef OSTEON_SMALL_BLAS_H
#define OSTEON_SMALL_BLAS_H

// CBLAS kernels for the small dense systems of a BDF Newton iteration. GSL's linear
// algebra calls them instead of the reference versions in libgslcblas: the
// executable's definitions of cblas_dtrsv, cblas_dger, cblas_dnrm2, cblas_dcopy and
// cblas_dscal come first in the dynamic linker's search order (or, linked statically,
// stand in for libgslcblas's). So do gsl_linalg_LU_decomp and gsl_linalg_LU_solve
// (small_lu.c). Only sizes up to OSTEON_SMALL_LIMIT are served here; larger ones, and
// invalid arguments, go to the library's own routine when the process has one, and
// otherwise to a local port of GSL 2.7's that rounds as it does (reference_blas.c,
// reference_lu.c), so that a static and a dynamic build compute the same bits.

#include <stddef.h>

/// The largest vector length or matrix dimension the kernels serve.
#define OSTEON_SMALL_LIMIT 64

/// Calls the kernels served under the names GSL calls, on this thread (the counts
/// prove that the interposition is in effect: a libgsl linked with
/// -Bsymbolic-functions, or a two-level namespace, bypasses it).
typedef struct {
  unsigned long long dtrsv;
  unsigned long long dger;
  unsigned long long dnrm2;
  unsigned long long dcopy;
  unsigned long long dscal;
  unsigned long long lu_decomp;
  unsigned long long lu_solve;
} osteon_kernel_counts;

osteon_kernel_counts osteon_small_kernel_counts(void);

/// 1 when the library's own definition of `name` (libgslcblas's or libgsl's) can be
/// found past Osteon's, as in a dynamic build; 0 when local ports stand in for it.
int osteon_library_has(const char *name);

/// The library's own versions when the process has them, else the local ports.
void osteon_reference_dtrsv(int order, int uplo, int trans, int diag, int n, const double *a, int lda,
                            double *x, int incx);
void osteon_reference_dger(int order, int m, int n, double alpha, const double *x, int incx, const double *y,
                           int incy, double *a, int lda);
double osteon_reference_dnrm2(int n, const double *x, int incx);

/// GSL 2.7's reference CBLAS routines, ported operation for operation (invalid
/// arguments are reported through cblas_xerbla, as libgslcblas does).
void osteon_local_dtrsv(int order, int uplo, int trans, int diag, int n, const double *a, int lda, double *x,
                        int incx);
void osteon_local_dger(int order, int m, int n, double alpha, const double *x, int incx, const double *y, int incy,
                       double *a, int lda);
double osteon_local_dnrm2(int n, const double *x, int incx);

/// libgsl's own gsl_linalg_LU_decomp and gsl_linalg_LU_solve when the process has
/// them, else the local ports (arguments are a gsl_matrix, gsl_permutation and
/// gsl_vector; the header spells them `void *` so that Swift sees each GSL type once,
/// through CGSL).
int osteon_reference_LU_decomp(void *matrix, void *permutation, int *signum);
int osteon_reference_LU_solve(const void *factors, const void *permutation, const void *b, void *x);

/// GSL 2.7's LU factorization (recursive, blocked above 24 columns) and solve,
/// ported: the same checks, errors and arithmetic, the BLAS calls made by name.
int osteon_local_LU_decomp(void *matrix, void *permutation, int *signum);
int osteon_local_LU_solve(const void *factors, const void *permutation, const void *b, void *x);

/// The kernels themselves (no size limit, not counted).
void osteon_small_dtrsv(int order, int uplo, int trans, int diag, int n, const double *a, int lda, double *x,
                        int incx);
void osteon_small_dger(int order, int m, int n, double alpha, const double *x, int incx, const double *y,
                       int incy, double *a, int lda);
double osteon_small_dnrm2(int n, const double *x, int incx);
void osteon_small_dcopy(int n, const double *x, int incx, double *y, int incy);
void osteon_small_dscal(int n, double alpha, double *x, int incx);

// MARK: - The linear solver of a stepper (sparse_lu.c, dense_lu.c)

/// What a stepper binds on its thread while GSL steps: KLU on the pattern of its
/// iteration matrix, or LAPACK's dense LU from an optimized library.
typedef struct osteon_lu_context osteon_lu_context;

/// What a context did: full factorizations (with a fresh pivot order),
/// refactorizations on the previous order (KLU), solves, singular matrices, and
/// copies of the Jacobian into the iteration matrix that touched only the pattern.
typedef struct {
  unsigned long long factorizations;
  unsigned long long refactorizations;
  unsigned long long solves;
  unsigned long long singular;
  unsigned long long pattern_copies;
} osteon_lu_counts;

/// KLU for n × n iteration matrices whose entries can be non-zero only at
/// (rows[k], columns[k]), k < count, each position once and every diagonal position
/// among them; runs KLU's symbolic analysis. NULL when the pattern is invalid or the
/// analysis fails.
osteon_lu_context *osteon_lu_context_sparse(int n, int count, const int *rows, const int *columns);

/// LAPACK's dgetrf and dgetrs from the optimized library for n × n iteration matrices;
/// NULL without one.
osteon_lu_context *osteon_lu_context_dense(int n);

/// The optimized library opened at run time (its file name), or NULL when there is
/// none or OSTEON_REFERENCE_BLAS is set.
const char *osteon_optimized_lapack(void);

void osteon_lu_context_free(osteon_lu_context *lu);
/// As just made, for another run on the same pattern: no factorization held (the
/// next is fresh, so a run's pivot order never comes from the run before), counts
/// cleared; KLU's symbolic analysis is kept. NULL does nothing.
void osteon_lu_context_restart(osteon_lu_context *lu);

/// Binds `lu` (or NULL) on this thread, so that GSL's calls of gsl_linalg_LU_decomp
/// and gsl_linalg_LU_solve on its n × n matrices go to it (and, for KLU, those of
/// gsl_matrix_memcpy and gsl_matrix_scale touch only the pattern); returns what was
/// bound before.
osteon_lu_context *osteon_lu_context_bind(osteon_lu_context *lu);

osteon_lu_counts osteon_lu_context_statistics(const osteon_lu_context *lu);

/// 1 when libgsl's own calls of gsl_linalg_LU_decomp reach the bound context (a
/// two-state msbdf run with one bound, once per process); 0 when a libgsl binds its
/// calls internally. Only then may GSL's Jacobian matrix be left unzeroed outside
/// the pattern.
int osteon_sparse_reaches_gsl(void);

/// Whether the bound context serves this gsl_matrix, and whether it holds the
/// factorization of these factors.
int osteon_lu_claims(const void *matrix);
int osteon_lu_claims_factors(const void *factors);

/// The factorization and solve of a claimed matrix (gsl_matrix, gsl_permutation,
/// gsl_vector arguments, as GSL's LU functions take them).
int osteon_lu_decomp(void *matrix, void *permutation, int *signum);
int osteon_lu_solve(const void *factors, const void *permutation, const void *b, void *x);

#endif
