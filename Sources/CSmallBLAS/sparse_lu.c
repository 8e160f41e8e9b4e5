// Sparse LU for the iteration matrix of GSL's msbdf on large sparse networks, through
// the same door as small_lu.c: msbdf builds M = I − γJ with gsl_matrix_memcpy and
// gsl_matrix_scale, factorizes it with gsl_linalg_LU_decomp and solves with
// gsl_linalg_LU_solve, all reached through the PLT. While a stepper has bound a
// context on this thread (osteon_lu_context_bind), those four calls on n × n
// matrices touch only the entries of the pattern (identity ∪ Jacobian pattern) and
// the factorization is KLU's: symbolic analysis once per context, numeric
// refactorization on the same pivot order per call (a full factorization when the
// reciprocal pivot growth estimate says the old order has gone bad), as CVODE's KLU
// linear solver does. Entries of M outside the pattern are never read, so they are
// never written either.
//
// Like GSL 2.7's dense LU on a singular matrix, a singular factorization is not an
// error of the factorization: the solve that uses it reports GSL_EDOM ("matrix is
// singular"), and msbdf rejects the step and retries with a smaller one.

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_odeiv2.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <suitesparse/klu.h>

#include "kernels.h"
#include "lu_context.h"
#include "small_blas.h"

_Thread_local osteon_lu_context *osteon_lu_active OSTEON_FAST_TLS;

osteon_lu_context *osteon_lu_context_sparse(int n, int count, const int *entry_rows, const int *entry_columns) {
  if (n <= 0 || count < n) return NULL;
  osteon_lu_context *lu = calloc(1, sizeof *lu);
  if (!lu) return NULL;
  lu->n = n;
  lu->count = count;
  lu->column_starts = calloc((size_t)n + 1, sizeof(int));
  lu->rows = malloc((size_t)count * sizeof(int));
  lu->positions = malloc((size_t)count * sizeof(size_t));
  lu->values = calloc((size_t)count, sizeof(double));
  lu->work = calloc((size_t)n, sizeof(double));
  int *fill = calloc((size_t)n, sizeof(int));
  int valid = lu->column_starts && lu->rows && lu->positions && lu->values && lu->work && fill;
  // Counting sort by column: the entries arrive in any order, each once.
  for (int k = 0; valid && k < count; k++) {
    if (entry_rows[k] < 0 || entry_rows[k] >= n || entry_columns[k] < 0 || entry_columns[k] >= n) valid = 0;
    else lu->column_starts[entry_columns[k] + 1]++;
  }
  for (int j = 0; valid && j < n; j++) lu->column_starts[j + 1] += lu->column_starts[j];
  for (int k = 0; valid && k < count; k++) {
    const int j = entry_columns[k];
    const int slot = lu->column_starts[j] + fill[j]++;
    lu->rows[slot] = entry_rows[k];
    lu->positions[slot] = (size_t)entry_rows[k] * (size_t)n + (size_t)j;
  }
  free(fill);
  if (valid) {
    klu_defaults(&lu->common);
    lu->symbolic = klu_analyze(n, lu->column_starts, lu->rows, &lu->common);
    valid = lu->symbolic != NULL;
  }
  if (!valid) {
    osteon_lu_context_free(lu);
    return NULL;
  }
  return lu;
}

void osteon_lu_context_free(osteon_lu_context *lu) {
  if (!lu) return;
  if (osteon_lu_active == lu) osteon_lu_active = NULL;
  if (lu->numeric) klu_free_numeric(&lu->numeric, &lu->common);
  if (lu->symbolic) klu_free_symbolic(&lu->symbolic, &lu->common);
  free(lu->column_starts);
  free(lu->rows);
  free(lu->positions);
  free(lu->values);
  free(lu->pivots);
  free(lu->work);
  free(lu);
}

void osteon_lu_context_restart(osteon_lu_context *lu) {
  if (!lu) return;
  if (lu->numeric) klu_free_numeric(&lu->numeric, &lu->common);
  lu->factored = NULL;
  lu->usable = 0;
  osteon_lu_counts none = {0};
  lu->counts = none;
}

osteon_lu_context *osteon_lu_context_bind(osteon_lu_context *lu) {
  osteon_lu_context *previous = osteon_lu_active;
  osteon_lu_active = lu;
  return previous;
}

osteon_lu_counts osteon_lu_context_statistics(const osteon_lu_context *lu) {
  osteon_lu_counts none = {0};
  return lu ? lu->counts : none;
}

/// The bound context when `matrix` is one of its n × n matrices (msbdf's dfdy and M):
/// rows exactly n apart for KLU's pattern positions, at least n apart for LAPACK.
static inline osteon_lu_context *serving(const gsl_matrix *matrix) {
  osteon_lu_context *lu = osteon_lu_active;
  if (!lu || !matrix || !matrix->data) return NULL;
  const size_t n = (size_t)lu->n;
  const int rows_fit = lu->dense ? matrix->tda >= n : matrix->tda == n;
  return matrix->size1 == n && matrix->size2 == n && rows_fit ? lu : NULL;
}

/// The bound KLU context serving `matrix` (copies and scalings touch its pattern only).
static inline osteon_lu_context *serving_pattern(const gsl_matrix *matrix) {
  osteon_lu_context *lu = serving(matrix);
  return lu && !lu->dense ? lu : NULL;
}

// MARK: - Building M on the pattern

// Every call of these two goes here, not only a sparse run's: GSL 2.7 copies a
// matrix through a row view and a gsl_blas_dcopy per row and scales it through
// per-row calls too, which for the small iteration matrices of most networks costs
// several times the copying itself. Copies and products are exact, so the results
// are GSL's bit for bit. Argument errors go to GSL's own functions, which report them.
//
// Weak: a static link that pulls GSL's own copy and scale (they share an object
// with other matrix functions) then keeps GSL's, which copy and scale every entry;
// the factorization still reads only the pattern, so results are the same. In a
// dynamic link the executable's definitions come first all the same.
typedef int (*matrix_memcpy_function)(gsl_matrix *, const gsl_matrix *);
typedef int (*matrix_scale_function)(gsl_matrix *, double);

__attribute__((weak)) int gsl_matrix_memcpy(gsl_matrix *dest, const gsl_matrix *src) {
  if (__builtin_expect(osteon_lu_active != NULL, 0)) {
    osteon_lu_context *lu = serving_pattern(dest);
    if (lu && serving_pattern(src)) {
      lu->counts.pattern_copies++;
      const size_t *positions = lu->positions;
      double *to = dest->data;
      const double *from = src->data;
      for (int k = 0; k < lu->count; k++) to[positions[k]] = from[positions[k]];
      return GSL_SUCCESS;
    }
  }
  if (dest && src && dest->data && src->data && dest->size1 == src->size1 && dest->size2 == src->size2) {
    const size_t rows = src->size1;
    const size_t columns = src->size2;
    for (size_t i = 0; i < rows; i++) {
      memmove(dest->data + i * dest->tda, src->data + i * src->tda, columns * sizeof(double));
    }
    return GSL_SUCCESS;
  }
  static void *cache;
  matrix_memcpy_function library = (matrix_memcpy_function)osteon_next_definition(&cache, "gsl_matrix_memcpy");
  if (library) return library(dest, src);
  GSL_ERROR("matrix sizes are different", GSL_EBADLEN);
}

__attribute__((weak)) int gsl_matrix_scale(gsl_matrix *matrix, double x) {
  if (__builtin_expect(osteon_lu_active != NULL, 0)) {
    osteon_lu_context *lu = serving_pattern(matrix);
    if (lu) {
      const size_t *positions = lu->positions;
      double *a = matrix->data;
      for (int k = 0; k < lu->count; k++) a[positions[k]] *= x;
      return GSL_SUCCESS;
    }
  }
  if (matrix && matrix->data) {
    const size_t rows = matrix->size1;
    const size_t columns = matrix->size2;
    for (size_t i = 0; i < rows; i++) {
      double *row = matrix->data + i * matrix->tda;
      for (size_t j = 0; j < columns; j++) row[j] *= x;
    }
    return GSL_SUCCESS;
  }
  static void *cache;
  matrix_scale_function library = (matrix_scale_function)osteon_next_definition(&cache, "gsl_matrix_scale");
  return library ? library(matrix, x) : GSL_SUCCESS;
}

// MARK: - Factorization and solve

/// Below this reciprocal pivot growth estimate the pivot order of the last full
/// factorization is abandoned for a fresh one (CVODE's threshold: ε^(2/3)).
static const double refactor_limit = 3.7e-11;

/// KLU's factorization of the pattern's entries of `a`: a refactorization on the
/// previous pivot order while its pivot growth estimate allows, else a fresh one.
static void factor_on_pattern(osteon_lu_context *lu, const double *a) {
  for (int k = 0; k < lu->count; k++) lu->values[k] = a[lu->positions[k]];
  int fresh = lu->numeric == NULL;
  if (!fresh) {
    const int refactored = klu_refactor(lu->column_starts, lu->rows, lu->values, lu->symbolic, lu->numeric,
                                        &lu->common);
    if (refactored && lu->common.status == KLU_OK && klu_rcond(lu->symbolic, lu->numeric, &lu->common) &&
        lu->common.rcond >= refactor_limit) {
      lu->counts.refactorizations++;
    } else {
      klu_free_numeric(&lu->numeric, &lu->common);
      fresh = 1;
    }
  }
  if (fresh) {
    lu->numeric = klu_factor(lu->column_starts, lu->rows, lu->values, lu->symbolic, &lu->common);
    lu->counts.factorizations++;
  }
  lu->usable = lu->numeric != NULL && lu->common.status == KLU_OK;
  if (!lu->usable) {
    lu->counts.singular++;
    // A numeric object from a singular matrix is not refactorized: the next call starts afresh.
    if (lu->numeric) klu_free_numeric(&lu->numeric, &lu->common);
  }
}

int osteon_lu_decomp(void *matrix_pointer, void *permutation_pointer, int *signum) {
  gsl_matrix *matrix = matrix_pointer;
  gsl_permutation *permutation = permutation_pointer;
  osteon_lu_context *lu = serving(matrix);
  if (!lu) return osteon_reference_LU_decomp(matrix, permutation, signum);
  if (lu->dense) {
    osteon_dense_factor(lu, matrix);
  } else {
    factor_on_pattern(lu, matrix->data);
  }
  lu->factored = matrix->data;
  // The pivoting is KLU's or LAPACK's own; GSL's permutation stays the identity.
  if (permutation && permutation->data && permutation->size == matrix->size1) {
    for (size_t i = 0; i < permutation->size; i++) permutation->data[i] = i;
  }
  if (signum) *signum = 1;
  return GSL_SUCCESS;
}

int osteon_lu_solve(const void *factors_pointer, const void *permutation, const void *b_pointer, void *x_pointer) {
  const gsl_matrix *factors = factors_pointer;
  const gsl_vector *b = b_pointer;
  gsl_vector *x = x_pointer;
  osteon_lu_context *lu = serving(factors);
  if (!lu || factors->data != lu->factored || !b || !x || !b->data || !x->data || b->size != (size_t)lu->n ||
      x->size != (size_t)lu->n) {
    return osteon_reference_LU_solve(factors, permutation, b, x);
  }
  lu->counts.solves++;
  if (!lu->usable) GSL_ERROR("matrix is singular", GSL_EDOM);
  const int n = lu->n;
  double *v = lu->work;
  for (int i = 0; i < n; i++) v[i] = b->data[(size_t)i * b->stride];
  const int solved = lu->dense ? osteon_dense_solve_in_place(lu, factors, v) == 0
                               : klu_solve(lu->symbolic, lu->numeric, n, 1, v, &lu->common);
  if (!solved) GSL_ERROR("matrix is singular", GSL_EDOM);
  for (int i = 0; i < n; i++) x->data[(size_t)i * x->stride] = v[i];
  return GSL_SUCCESS;
}

int osteon_lu_claims(const void *matrix) { return serving(matrix) != NULL; }

int osteon_lu_claims_factors(const void *factors) {
  osteon_lu_context *lu = serving(factors);
  return lu && ((const gsl_matrix *)factors)->data == lu->factored;
}

// MARK: - Whether GSL's calls reach the replacement

static int probe_function(double t, const double y[], double f[], void *params) {
  (void)t;
  (void)params;
  f[0] = -y[0];
  f[1] = -2 * y[1];
  return GSL_SUCCESS;
}

static int probe_jacobian(double t, const double y[], double *dfdy, double dfdt[], void *params) {
  (void)t;
  (void)y;
  (void)params;
  dfdy[0] = -1;
  dfdy[1] = 0;
  dfdy[2] = 0;
  dfdy[3] = -2;
  dfdt[0] = 0;
  dfdt[1] = 0;
  return GSL_SUCCESS;
}

int osteon_sparse_reaches_gsl(void) {
  // 0: not yet known; 1: no; 2: yes.
  static int known;
  int answer = __atomic_load_n(&known, __ATOMIC_RELAXED);
  if (answer) return answer == 2;
  // A two-state msbdf run with a diagonal pattern bound: KLU factorizes only if
  // libgsl's calls of gsl_linalg_LU_decomp reach this executable's definition.
  const int rows[] = {0, 1};
  const int columns[] = {0, 1};
  osteon_lu_context *lu = osteon_lu_context_sparse(2, 2, rows, columns);
  answer = 1;
  if (lu) {
    gsl_odeiv2_system system = {probe_function, probe_jacobian, 2, NULL};
    gsl_odeiv2_driver *driver = gsl_odeiv2_driver_alloc_y_new(&system, gsl_odeiv2_step_msbdf, 1e-3, 1e-8, 1e-8);
    if (driver) {
      double t = 0;
      double y[2] = {1, 1};
      osteon_lu_context *previous = osteon_lu_context_bind(lu);
      const int status = gsl_odeiv2_driver_apply(driver, &t, 1.0, y);
      osteon_lu_context_bind(previous);
      if (status == GSL_SUCCESS && lu->counts.factorizations > 0 && fabs(y[0] - exp(-1.0)) < 1e-5) answer = 2;
      gsl_odeiv2_driver_free(driver);
    }
    osteon_lu_context_free(lu);
  }
  __atomic_store_n(&known, answer, __ATOMIC_RELAXED);
  return answer == 2;
}
