import OsteonExperiment

/// One uncertain input of a study: a parameter (or compartment size, or a species'
/// initial value) of the network, its distribution and its group.
public struct Factor: Sendable {
  /// The id in the network.
  public var id: String
  public var distribution: Distribution
  /// Factors of one group move together in Sobol designs and share one index;
  /// `nil`: a group of its own.
  public var group: String?
  /// Where the study file declares it.
  public var path: KeyPath

  public init(id: String, distribution: Distribution, group: String? = nil, path: KeyPath = .root) {
    self.id = id
    self.distribution = distribution
    self.group = group
    self.path = path
  }
}
