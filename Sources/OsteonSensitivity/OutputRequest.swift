import OsteonExperiment

/// A quantity a study analyses, as the study file asks for it.
public struct OutputRequest: Sendable {
  public enum Kind: Sendable, Equatable {
    /// A network's variable at the end of the simulated span (or, for a network
    /// without state variables, the rule's value).
    case finalValue(variable: String)
    /// A variable at every time of the grid: one output, and one set of indices, per time.
    case timeResolved(variable: String)
    /// An experiment's summary, evaluated on one arm.
    case summary(arm: String, name: String)
    /// An arm's variable on the experiment's output grid.
    case armTimeResolved(arm: String, variable: String)
  }

  public var kind: Kind
  /// Where the study file asks for it.
  public var path: KeyPath

  public init(_ kind: Kind, path: KeyPath = .root) {
    self.kind = kind
    self.path = path
  }
}
