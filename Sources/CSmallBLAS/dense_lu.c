// LAPACK's blocked LU from an optimized BLAS (OpenBLAS) for the large dense iteration
// matrices of GSL's msbdf, through the same door as sparse_lu.c: while a stepper has
// bound a dense context on this thread (osteon_lu_context_bind), gsl_linalg_LU_decomp
// and gsl_linalg_LU_solve on its n × n matrix go to dgetrf and dgetrs instead of
// GSL's LU over the reference CBLAS of libgslcblas (about (2/3)n³ operations per
// factorization, unvectorized).
//
// GSL stores matrices by rows; read by columns the same memory is Aᵀ, which dgetrf
// factorizes in place (Aᵀ = P·L·U), and dgetrs with trans = 'T' then solves A·x = b
// from those factors. The pivots live in the context, not in GSL's permutation
// (which is set to the identity), so only the solve of the context reads the
// factors. A zero pivot (dgetrf's info > 0) is reported by the solve as GSL_EDOM,
// as GSL's own solve reports a singular factorization.
//
// The library is opened at run time (libopenblas.so.0, Debian's libopenblas0), one
// thread per call since Osteon runs simulations in parallel itself; without it, or
// with OSTEON_REFERENCE_BLAS set in the environment, no dense context is made and
// GSL's own LU runs as before.

#include <dlfcn.h>
#include <gsl/gsl_matrix.h>
#include <pthread.h>
#include <stdlib.h>

#include "kernels.h"
#include "lu_context.h"
#include "small_blas.h"

typedef void (*getrf_function)(const int *, const int *, double *, const int *, int *, int *);
typedef void (*getrs_function)(const char *, const int *, const int *, const double *, const int *, const int *,
                               double *, const int *, int *);
typedef void (*set_threads_function)(int);

static getrf_function getrf;
static getrs_function getrs;
static const char *library_name;
static pthread_once_t opened = PTHREAD_ONCE_INIT;

static void open_library(void) {
  const char *refuse = getenv("OSTEON_REFERENCE_BLAS");
  if (refuse && *refuse && *refuse != '0') return;
  static const char *const candidates[] = {"libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"};
  for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++) {
    void *handle = dlopen(candidates[i], RTLD_NOW | RTLD_LOCAL);
    if (!handle) continue;
    getrf_function factor = (getrf_function)dlsym(handle, "dgetrf_");
    getrs_function solve = (getrs_function)dlsym(handle, "dgetrs_");
    if (!factor || !solve) {
      dlclose(handle);
      continue;
    }
    set_threads_function threads = (set_threads_function)dlsym(handle, "openblas_set_num_threads");
    if (threads) threads(1);
    getrf = factor;
    getrs = solve;
    library_name = candidates[i];
    return;
  }
}

const char *osteon_optimized_lapack(void) {
  pthread_once(&opened, open_library);
  return library_name;
}

osteon_lu_context *osteon_lu_context_dense(int n) {
  if (n <= 0 || !osteon_optimized_lapack()) return NULL;
  osteon_lu_context *lu = calloc(1, sizeof *lu);
  if (!lu) return NULL;
  lu->n = n;
  lu->dense = 1;
  lu->pivots = calloc((size_t)n, sizeof(int));
  lu->work = calloc((size_t)n, sizeof(double));
  if (!lu->pivots || !lu->work) {
    osteon_lu_context_free(lu);
    return NULL;
  }
  return lu;
}

void osteon_dense_factor(osteon_lu_context *lu, gsl_matrix *matrix) {
  const int n = lu->n;
  const int lda = (int)matrix->tda;
  int info = 0;
  getrf(&n, &n, matrix->data, &lda, lu->pivots, &info);
  lu->counts.factorizations++;
  lu->usable = info == 0;
  if (info != 0) lu->counts.singular++;
}

int osteon_dense_solve_in_place(osteon_lu_context *lu, const gsl_matrix *factors, double *v) {
  const int n = lu->n;
  const int lda = (int)factors->tda;
  const int one = 1;
  int info = 0;
  getrs("T", &n, &one, factors->data, &lda, lu->pivots, v, &n, &info);
  return info;
}
