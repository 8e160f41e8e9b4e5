import OsteonCompile

/// How the Newton iterations of msbdf solve with the iteration matrix I − hγJ.
public enum LinearSolver: String, CaseIterable, Sendable {
  /// `sparse` for large sparse networks, `dense` otherwise (see `resolved`).
  case auto
  /// GSL's dense LU (Osteon's kernels up to 64 states, GSL's own above).
  case dense
  /// KLU (SuiteSparse) on the pattern of I − hγJ from the symbolic Jacobian.
  case sparse

  /// Above this many states `auto` considers the sparse solver.
  public static let denseLimit = 64
  /// `auto` chooses the sparse solver when at most this fraction of I − hγJ can be
  /// non-zero.
  public static let densityLimit = 0.25

  /// The solver a run of `method` on a network of this sparsity uses: `dense` or
  /// `sparse`. Only msbdf has a sparse path; other methods are always dense.
  public func resolved(for sparsity: JacobianSparsity, method: IntegrationMethod) -> LinearSolver {
    guard method == .msbdf, sparsity.stateCount > 0 else { return .dense }
    switch self {
    case .dense: return .dense
    case .sparse: return .sparse
    case .auto:
      return sparsity.stateCount > Self.denseLimit && sparsity.iterationDensity <= Self.densityLimit
        ? .sparse : .dense
    }
  }

  /// As `resolved(for:method:)`, without computing the pattern where the size alone decides.
  public func resolved(for model: CompiledModel, method: IntegrationMethod) -> LinearSolver {
    let n = model.layout.states.count
    guard method == .msbdf, n > 0, self != .dense else { return .dense }
    if self == .auto, n <= Self.denseLimit { return .dense }
    return resolved(for: model.jacobianSparsity, method: method)
  }
}
