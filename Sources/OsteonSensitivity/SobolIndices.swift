/// Sobol indices of one output: first-order S1 and total ST per group (a factor
/// without a group is its own), optionally second-order S2 per pair, with
/// bootstrap confidence intervals, and the indices on the first N/4, N/2 and N base
/// samples to judge convergence.
public struct SobolIndices: Sendable {
  public var output: String
  /// Group names, in the order of the indices.
  public var groups: [String]
  public var firstOrder: [Estimate]
  public var total: [Estimate]
  /// S2 for pairs (i, j), i < j, in row order; empty without second order.
  public var secondOrder: [(i: Int, j: Int, estimate: Estimate)]
  /// Base samples used: those whose every run succeeded with a finite output.
  public var validSamples: Int
  /// Base samples left out, their runs failed or gave a non-finite output.
  public var excludedSamples: Int
  /// Output variance over A and B.
  public var variance: Double
  /// Indices on the first n base samples (n = N/4, N/2, N): (n, S1, ST) per group.
  public var convergence: [(samples: Int, firstOrder: [Double], total: [Double])]
}
