/// A request the compiler cannot meet (a rate multiplier for a reaction the network
/// lacks). Networks themselves are checked where they are made: by the resolver, or
/// by `Network(_ parts:)` and `Network.edited(_:)`.
public struct CompilationError: Error, CustomStringConvertible, Sendable, Equatable {
  /// Every problem found, one sentence each.
  public var problems: [String]

  public var description: String {
    problems.count == 1 ? problems[0] : "\(problems.count) problems:\n  " + problems.joined(separator: "\n  ")
  }
}
