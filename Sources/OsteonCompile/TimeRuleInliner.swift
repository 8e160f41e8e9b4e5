/// Replaces the slots of rules and rates that read time but no state by their terms,
/// so that a comparison such as `T > 5` with `T := time/24` is seen as a function of
/// time and parameters alone (a `TimeSwitch`).
public struct TimeRuleInliner: Sendable {
  /// Inlined term of each rule or rate slot that reads no state.
  private let terms: [Int: Term]
  private let parameters: Range<Int>

  /// Terms larger than this stay as slot reads: inlining a deep chain of rules could
  /// otherwise grow without bound.
  static let largestInlined = 2_000

  init(observables: [(slot: Int, term: Term)], stateDependent: Set<Int>, parameters: Range<Int>) {
    self.parameters = parameters
    var terms: [Int: Term] = [:]
    // `observables` lists each rule after the rules it reads.
    for (slot, term) in observables where !stateDependent.contains(slot) {
      let inlined = Self.substitute(term, terms)
      if inlined.size <= Self.largestInlined { terms[slot] = inlined }
    }
    self.terms = terms
  }

  /// Whether a slot keeps its value between events: a parameter (what events set).
  public func isStatic(_ slot: Int) -> Bool { parameters.contains(slot) }

  /// The term with every time-only rule and rate read replaced by its term.
  public func inlined(_ term: Term) -> Term { Self.substitute(term, terms) }

  private static func substitute(_ term: Term, _ terms: [Int: Term]) -> Term {
    switch term {
    case .constant: return term
    case .slot(let slot): return terms[slot] ?? term
    case .negate(let inner): return .negate(substitute(inner, terms))
    case .not(let inner): return .not(substitute(inner, terms))
    case .binary(let op, let lhs, let rhs): return .binary(op, substitute(lhs, terms), substitute(rhs, terms))
    case .call(let function, let arguments): return .call(function, arguments.map { substitute($0, terms) })
    case .piecewise(let branches, let otherwise):
      return .piecewise(
        branches.map { Term.Branch(value: substitute($0.value, terms), condition: substitute($0.condition, terms)) },
        otherwise: substitute(otherwise, terms))
    }
  }
}
