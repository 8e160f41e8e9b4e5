// The context a stepper binds on its thread while GSL steps, through which GSL's LU
// calls on its iteration matrix reach KLU (sparse_lu.c) or an optimized LAPACK
// (dense_lu.c). Private to CSmallBLAS.
#ifndef OSTEON_LU_CONTEXT_H
#define OSTEON_LU_CONTEXT_H

#include <gsl/gsl_matrix.h>
#include <stddef.h>
#include <suitesparse/klu.h>

#include "small_blas.h"

struct osteon_lu_context {
  int n;
  /// 1: LAPACK's dense LU (dense_lu.c); 0: KLU on the pattern.
  int dense;
  // KLU on the pattern.
  int count;
  /// The pattern in compressed-column form (KLU's): column starts and row indices.
  int *column_starts;
  int *rows;
  /// Row-major position (row · n + column) of each entry, for matrices with tda = n.
  size_t *positions;
  /// The entries' values, in compressed-column order.
  double *values;
  klu_common common;
  klu_symbolic *symbolic;
  klu_numeric *numeric;
  // LAPACK: the row interchanges of dgetrf.
  int *pivots;
  /// A vector of n for solves with strided or shared vectors.
  double *work;
  /// The matrix whose factorization the context holds (msbdf's M), and whether it is
  /// usable (not singular).
  const double *factored;
  int usable;
  osteon_lu_counts counts;
};

/// LAPACK's factorization of the claimed matrix (dense_lu.c): sets `usable`.
void osteon_dense_factor(osteon_lu_context *lu, gsl_matrix *matrix);
/// LAPACK's solve in place of `v` from the factors; 0 on success.
int osteon_dense_solve_in_place(osteon_lu_context *lu, const gsl_matrix *factors, double *v);

#endif
