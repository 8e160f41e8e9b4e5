#ifndef OSTEON_CGSL_SHIM_H
#define OSTEON_CGSL_SHIM_H

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_odeiv2.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_version.h>

// Swift 6 rejects direct use of GSL's mutable stepper-type globals; these
// accessors hand them out as plain values.
static inline const gsl_odeiv2_step_type *osteon_step_msbdf(void) { return gsl_odeiv2_step_msbdf; }
static inline const gsl_odeiv2_step_type *osteon_step_bsimp(void) { return gsl_odeiv2_step_bsimp; }
static inline const gsl_odeiv2_step_type *osteon_step_rk4imp(void) { return gsl_odeiv2_step_rk4imp; }
static inline const gsl_odeiv2_step_type *osteon_step_rkf45(void) { return gsl_odeiv2_step_rkf45; }
static inline const gsl_odeiv2_step_type *osteon_step_rkck(void) { return gsl_odeiv2_step_rkck; }
static inline const gsl_odeiv2_step_type *osteon_step_rk8pd(void) { return gsl_odeiv2_step_rk8pd; }
static inline const gsl_odeiv2_step_type *osteon_step_msadams(void) { return gsl_odeiv2_step_msadams; }

// The multidimensional root finder of steady states (Powell's hybrid method with
// the exact Jacobian, scaled), through an accessor for the same reason.
static inline const gsl_multiroot_fdfsolver_type *osteon_multiroot_hybridsj(void) {
  return gsl_multiroot_fdfsolver_hybridsj;
}

// The Sobol low-discrepancy generator (Saltelli designs), through an accessor for the same reason.
static inline const gsl_qrng_type *osteon_qrng_sobol(void) { return gsl_qrng_sobol; }

// The version of the GSL linked at run time (for manifests), not of the headers.
static inline const char *osteon_gsl_version(void) { return gsl_version; }

#endif
