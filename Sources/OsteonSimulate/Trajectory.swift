/// Counts from one simulation.
public struct SolverStatistics: Sendable, Codable, Equatable {
  public var steps = 0
  public var rejectedSteps = 0
  public var rightHandSideEvaluations = 0
  public var jacobianEvaluations = 0
  public var eventsFired = 0
  /// The linear solver of the Newton iterations: "dense" or "sparse" (KLU).
  public var linearSolver = LinearSolver.dense.rawValue
  /// KLU's factorizations of the iteration matrix (full and on the previous pivot
  /// order; 0 on the dense path).
  public var sparseFactorizations = 0
  /// The optimized library whose LAPACK factorized a large dense iteration matrix
  /// (OpenBLAS), or nil for GSL's own LU.
  public var denseLibrary: String?
  /// Wall time of the integration, in seconds.
  public var wallTime = 0.0

  public init() {}
}

/// The solution: values of the requested columns at each output time.
public struct Trajectory: Sendable {
  public enum RowKind: Int8, Sendable {
    case output = 0
    /// The state just before an event changed it.
    case beforeEvent = -1
    /// The state just after all events of that moment.
    case afterEvent = 1
  }

  public var columns: [String]
  public var times: [Double]
  /// Row-major: `values[row * columns.count + column]`.
  public var values: [Double]
  public var rowKinds: [RowKind]
  public var statistics: SolverStatistics
  /// Where the run ended, to start the next phase from (`SimulationProblem(model:from:end:)`).
  public var finalState: SimulationState? = nil

  public var rowCount: Int { times.count }

  public func value(row: Int, column: Int) -> Double { values[row * columns.count + column] }

  /// A column by id, or `nil` if it was not recorded.
  public func column(_ id: String) -> [Double]? {
    guard let index = columns.firstIndex(of: id) else { return nil }
    return (0..<rowCount).map { values[$0 * columns.count + index] }
  }

  /// The value of a column at an output time (the grid row, not an event row).
  public func value(_ id: String, at time: Double) -> Double? {
    guard let index = columns.firstIndex(of: id) else { return nil }
    guard let row = (0..<rowCount).first(where: { times[$0] == time && rowKinds[$0] == .output }) else { return nil }
    return values[row * columns.count + index]
  }
}

extension Trajectory {
  /// A trajectory of output rows made outside the simulator (sensitivities, tests).
  public init(columns: [String], times: [Double], values: [Double], statistics: SolverStatistics = SolverStatistics()) {
    self.columns = columns
    self.times = times
    self.values = values
    self.rowKinds = Array(repeating: .output, count: times.count)
    self.statistics = statistics
  }
}
