import OsteonSyntax

/// How a quantity gets its value at the start of a simulation.
public enum InitialValue: Sendable, Hashable {
  /// A number written in the file.
  case number(Double)
  /// An initial assignment (`x = k1*S0`), evaluated once at the start.
  case expression(Expression)
}

/// A rule that holds at all times.
public enum Rule: Sendable, Hashable {
  /// `x := expr`: x equals the expression at every moment.
  case assignment(Expression)
  /// `x' = expr`: x changes at this rate.
  case rate(Expression)

  public var expression: Expression {
    switch self {
    case .assignment(let expression), .rate(let expression): return expression
    }
  }
}

/// What an id in the network names.
public enum SymbolKind: String, Sendable, Hashable {
  case compartment
  case species
  case parameter
  case reaction
}
