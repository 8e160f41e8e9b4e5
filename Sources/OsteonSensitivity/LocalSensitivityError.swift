/// Why local sensitivities could not be computed.
public struct LocalSensitivityError: Error, CustomStringConvertible, Sendable {
  public var message: String
  /// Simulation time at which it stopped (integration failures).
  public var time: Double?

  public init(_ message: String, time: Double? = nil) {
    self.message = message
    self.time = time
  }

  public var description: String {
    (time.map { "sensitivities failed at t = \($0): " } ?? "") + message
  }
}
