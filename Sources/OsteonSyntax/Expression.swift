/// A mathematical expression as written in a network file, with the source range
/// of every node so that later stages can point at the exact term at fault.
public struct Expression: Sendable, Hashable {
  public indirect enum Kind: Sendable, Hashable {
    case number(Double)
    case constant(MathConstant)
    /// Simulation time (`time`).
    case time
    /// A reference to a compartment, species, parameter or reaction (its rate).
    case symbol(String)
    /// A built-in or user-defined function applied to arguments.
    case call(String, [Expression])
    case negate(Expression)
    case not(Expression)
    case binary(BinaryOperator, Expression, Expression)
  }

  public var kind: Kind
  public var range: SourceRange

  public init(_ kind: Kind, range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}

/// Named constants of the language.
public enum MathConstant: String, Sendable, Hashable, CaseIterable {
  case pi
  case exponentiale
  case avogadro
  case `true`
  case `false`
  case infinity = "inf"
  case notANumber = "NaN"

  public var value: Double {
    switch self {
    case .pi: return Double.pi
    case .exponentiale: return 2.718281828459045
    case .avogadro: return 6.02214179e23  // SBML Level 3's value, not CODATA 2018's
    case .true: return 1
    case .false: return 0
    case .infinity: return Double.infinity
    case .notANumber: return Double.nan
    }
  }

  /// The constant a reserved word names, if any: libAntimony's spellings (`inf`,
  /// `infinity`, `nan`, `notanumber`, `NAN`) and the `INF` and `NaN` it writes.
  /// `Inf` and `Infinity` are ordinary ids there, as in the SBML test suite.
  public init?(word: String) {
    switch word {
    case "pi": self = .pi
    case "exponentiale": self = .exponentiale
    case "avogadro": self = .avogadro
    case "true": self = .true
    case "false": self = .false
    case "inf", "infinity", "INF": self = .infinity
    case "NaN", "nan", "NAN", "notanumber": self = .notANumber
    default: return nil
    }
  }
}

/// Binary operators, from loosest to tightest binding: `||` and `&&` (equal, as in
/// libSBML), comparisons, `+ -`, `* /`, `^` (right-associative).
public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
  case or = "||"
  case and = "&&"
  case less = "<"
  case lessEqual = "<="
  case greater = ">"
  case greaterEqual = ">="
  case equal = "=="
  case notEqual = "!="
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
  case power = "^"

  /// Binding strength; larger binds tighter.
  public var precedence: Int {
    switch self {
    // libSBML's infix parser (and so Antimony) gives `&&` and `||` the same
    // precedence, grouping left to right: `a || b && c` is `(a || b) && c`.
    case .or, .and: return 2
    case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return 3
    case .add, .subtract: return 4
    case .multiply, .divide: return 5
    case .power: return 7
    }
  }

  public var isComparison: Bool { precedence == 3 }
  public var isLogical: Bool { self == .and || self == .or }
}

extension Expression {
  public static func number(_ value: Double, _ range: SourceRange = .none) -> Expression {
    Expression(.number(value), range: range)
  }

  public static func symbol(_ name: String, _ range: SourceRange = .none) -> Expression {
    Expression(.symbol(name), range: range)
  }

  /// The id when the expression is a plain reference to one.
  public var symbolName: String? {
    if case .symbol(let name) = kind { return name }
    return nil
  }

  /// The numeric value when the expression is a plain literal (or a negated one).
  public var literalValue: Double? {
    switch kind {
    case .number(let value): return value
    case .constant(let constant): return constant.value
    case .negate(let inner): return inner.literalValue.map { -$0 }
    default: return nil
    }
  }

  /// Calls `visit` on this node and every node below it, parents first.
  public func forEachNode(_ visit: (Expression) -> Void) {
    visit(self)
    switch kind {
    case .number, .constant, .time, .symbol: break
    case .call(_, let arguments): for argument in arguments { argument.forEachNode(visit) }
    case .negate(let inner), .not(let inner): inner.forEachNode(visit)
    case .binary(_, let lhs, let rhs):
      lhs.forEachNode(visit)
      rhs.forEachNode(visit)
    }
  }

  /// Every symbol referenced, with the range of each reference, in reading order.
  public var symbolReferences: [(name: String, range: SourceRange)] {
    var found: [(name: String, range: SourceRange)] = []
    forEachNode { node in
      if case .symbol(let name) = node.kind { found.append((name, node.range)) }
    }
    return found
  }

  /// A copy with every node transformed bottom-up by `transform`.
  public func rewritten(_ transform: (Expression) -> Expression) -> Expression {
    var copy = self
    switch kind {
    case .number, .constant, .time, .symbol: break
    case .call(let name, let arguments):
      copy.kind = .call(name, arguments.map { $0.rewritten(transform) })
    case .negate(let inner): copy.kind = .negate(inner.rewritten(transform))
    case .not(let inner): copy.kind = .not(inner.rewritten(transform))
    case .binary(let op, let lhs, let rhs):
      copy.kind = .binary(op, lhs.rewritten(transform), rhs.rewritten(transform))
    }
    return transform(copy)
  }
}
