import OsteonSimulate

/// Why a sample gave no outputs: the simulation's failure, kept with the sample.
public struct SampleFailure: Error, Sendable, Equatable {
  /// `SimulationError.Kind`'s raw value, or `evaluation` for a model that could
  /// not be evaluated at the point.
  public var kind: String
  /// Simulation time at which it stopped.
  public var time: Double
  /// The first line of the error.
  public var message: String

  public init(kind: String, time: Double, message: String) {
    self.kind = kind
    self.time = time
    self.message = message
  }

  init(_ error: SimulationError) {
    self.init(
      kind: error.kind.rawValue, time: error.time,
      message: String(error.message.split(separator: "\n").first ?? ""))
  }
}
