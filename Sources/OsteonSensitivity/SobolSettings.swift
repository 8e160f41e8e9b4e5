/// Settings of a Sobol (Saltelli) design and its analysis.
public struct SobolSettings: Sendable, Equatable {
  /// Base samples N (a power of two): N·(D+2) runs for D groups, N·(2D+2) with
  /// second-order indices.
  public var samples = 1024
  public var secondOrder = false
  /// Bootstrap resamples for the confidence intervals.
  public var resamples = 1000
  /// Confidence level of the intervals.
  public var confidence = 0.95

  public init() {}
}
