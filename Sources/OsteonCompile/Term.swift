import OsteonSyntax

/// An expression of the compile stage: every name is resolved to a slot of the
/// value buffer (time, states, parameters, rule values, reaction rates, …) and
/// user functions are inlined. Terms are what the symbolic differentiation works on
/// and what the bytecode compiler lowers.
public indirect enum Term: Sendable, Hashable {
  case constant(Double)
  /// The value stored in slot `n` of the value buffer.
  case slot(Int)
  case negate(Term)
  /// Logical not: 1 when the operand is 0, else 0.
  case not(Term)
  /// Arithmetic, comparison (1 or 0) and logical (`&&`, `||` on 0/1) operators.
  case binary(BinaryOperator, Term, Term)
  /// A built-in function other than `piecewise` (see `BuiltinFunction`); logical
  /// and relational built-ins (`and`, `lt`, …) are lowered to operators before this.
  case call(BuiltinFunction, [Term])
  /// The first value whose condition is non-zero, else `otherwise`.
  case piecewise([Branch], otherwise: Term)

  public struct Branch: Sendable, Hashable {
    public var value: Term
    public var condition: Term

    public init(value: Term, condition: Term) {
      self.value = value
      self.condition = condition
    }
  }
}

extension Term {
  public static let zero = Term.constant(0)
  public static let one = Term.constant(1)

  public var constantValue: Double? {
    if case .constant(let value) = self { return value }
    return nil
  }

  /// Slots this term reads.
  public func forEachSlot(_ visit: (Int) -> Void) {
    switch self {
    case .constant: break
    case .slot(let index): visit(index)
    case .negate(let inner), .not(let inner): inner.forEachSlot(visit)
    case .binary(_, let lhs, let rhs):
      lhs.forEachSlot(visit)
      rhs.forEachSlot(visit)
    case .call(_, let arguments): for argument in arguments { argument.forEachSlot(visit) }
    case .piecewise(let branches, let otherwise):
      for branch in branches {
        branch.value.forEachSlot(visit)
        branch.condition.forEachSlot(visit)
      }
      otherwise.forEachSlot(visit)
    }
  }

  /// Number of nodes, a measure of evaluation cost.
  public var size: Int {
    switch self {
    case .constant, .slot: return 1
    case .negate(let inner), .not(let inner): return 1 + inner.size
    case .binary(_, let lhs, let rhs): return 1 + lhs.size + rhs.size
    case .call(_, let arguments): return 1 + arguments.reduce(0) { $0 + $1.size }
    case .piecewise(let branches, let otherwise):
      return 1 + otherwise.size + branches.reduce(0) { $0 + $1.value.size + $1.condition.size }
    }
  }
}
