/// The factors of a study and how they are grouped: the space that designs sample.
public struct ParameterSpace: Sendable {
  /// In the order the study file declares them (the design matrix's columns).
  public var factors: [Factor]

  public init(factors: [Factor]) {
    self.factors = factors
  }

  /// The groups in order of first appearance: a grouped factor joins its group, an
  /// ungrouped one is a group of its own named after it.
  public var groups: [(name: String, members: [Int])] {
    var groups: [(name: String, members: [Int])] = []
    for (index, factor) in factors.enumerated() {
      let name = factor.group ?? factor.id
      if let existing = groups.firstIndex(where: { $0.name == name }) {
        groups[existing].members.append(index)
      } else {
        groups.append((name, [index]))
      }
    }
    return groups
  }

  /// Values of every factor at a point of the unit hypercube.
  public func values(at unit: [Double]) -> [Double] {
    zip(factors, unit).map { $0.distribution.value(at: $1) }
  }
}
