/// Morris screening measures of one output per factor: μ (mean elementary effect),
/// μ* (mean absolute effect, with a bootstrap interval) and σ (standard deviation
/// of the effects, n − 1 in the denominator), as SALib's `morris.analyze`.
/// Effects are differences over Δ in the unit hypercube.
public struct MorrisIndices: Sendable {
  public var output: String
  public var factors: [String]
  public var mean: [Double]
  public var absoluteMean: [Estimate]
  public var standardDeviation: [Double]
  /// Elementary effects per factor that entered (both runs succeeded, finite outputs).
  public var effects: [Int]
}
