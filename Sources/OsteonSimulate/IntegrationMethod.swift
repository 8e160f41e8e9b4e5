import CGSL

/// A GSL `odeiv2` stepping method.
public enum IntegrationMethod: String, CaseIterable, Sendable {
  /// Variable-order BDF (stiff); the default.
  case msbdf
  /// Bulirsch–Stoer with Bader–Deuflhard semi-implicit extrapolation (stiff).
  case bsimp
  /// Implicit Gaussian 4th-order Runge–Kutta (stiff).
  case rk4imp
  /// Explicit Runge–Kutta–Fehlberg 4(5).
  case rkf45
  /// Explicit Runge–Kutta Cash–Karp 4(5).
  case rkck
  /// Explicit Runge–Kutta Prince–Dormand 8(9).
  case rk8pd
  /// Variable-order Adams (non-stiff).
  case msadams

  var stepType: UnsafePointer<gsl_odeiv2_step_type>? {
    switch self {
    case .msbdf: return osteon_step_msbdf()
    case .bsimp: return osteon_step_bsimp()
    case .rk4imp: return osteon_step_rk4imp()
    case .rkf45: return osteon_step_rkf45()
    case .rkck: return osteon_step_rkck()
    case .rk8pd: return osteon_step_rk8pd()
    case .msadams: return osteon_step_msadams()
    }
  }

  /// Multistep methods keep a history of steps (and need GSL's driver).
  public var isMultistep: Bool {
    switch self {
    case .msbdf, .msadams: return true
    default: return false
    }
  }

  /// Methods that use the Jacobian.
  public var isImplicit: Bool {
    switch self {
    case .msbdf, .bsimp, .rk4imp: return true
    default: return false
    }
  }
}
