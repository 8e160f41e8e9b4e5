import OsteonSyntax

extension Term {
  /// An equivalent term with constants folded and algebraic identities applied.
  ///
  /// Folding evaluates every node whose operands are all constants with the reference
  /// semantics (`evaluate`), except where that would turn finite operands into NaN or
  /// ±inf (`1/0`, `ln(0)`, `sqrt(-1)`, overflow): such a node is kept, so that a later
  /// stage can still report it, and an identity never drops a subterm that contains
  /// one (`(1/0)*0` stays as it is).
  ///
  /// The identities: `x+0`, `0+x`, `x-0` → `x`; `0-x` → `-x`; `x*1`, `1*x`, `x/1` → `x`;
  /// `x*(-1)`, `(-1)*x`, `x/(-1)` → `-x`; `x*0`, `0*x` → `0`; `0/x` → `0` (x not the
  /// constant 0); `x^1` → `x`; `x^0`, `1^x` → `1`; `--x` → `x`; `-(c)` → `-c`;
  /// `-(c*x)` → `(-c)*x`; `x-(-y)` → `x+y`; `x+(-y)` → `x-y`; `(-x)+y` → `y-x`;
  /// `(-x)*(-y)` → `x*y`; `(-x)/(-y)` → `x/y`; `c*(-x)`, `(-x)*c` → `(-c)*x`;
  /// `c1*(c2*x)`, `c1*(x*c2)`, `(c2*x)*c1`, `(x*c2)*c1` → `(c1*c2)*x`; `!!b` → `b` for
  /// a 0/1-valued `b`; `0&&x`, `x&&0` → `0`; `c||x`, `x||c` → `1` for c ≠ 0;
  /// `c&&x`, `0||x` (and mirrored) → `x` when x is 0/1-valued, else `x != 0`;
  /// piecewise: constant-false conditions are dropped, a constant-true condition makes
  /// its value the `otherwise` (later branches are unreachable), no branches left →
  /// `otherwise`, every value equal to `otherwise` → `otherwise`.
  ///
  /// Each pass is a single bottom-up walk (recursion as deep as the term); passes repeat
  /// until nothing changes, at most four times.
  public func simplified() -> Term {
    var current = self
    for _ in 0..<4 {
      let next = TermSimplifier.simplify(current).term
      if next == current { return next }
      current = next
    }
    return current
  }

  /// Whether the term only ever evaluates to 0 or 1.
  var isBooleanValued: Bool {
    switch self {
    case .constant(let value): return value == 0 || value == 1
    case .not: return true
    case .binary(let op, _, _): return op.isComparison || op.isLogical
    case .call(let function, _):
      switch function {
      case .and, .or, .xor, .not, .implies, .lt, .leq, .gt, .geq, .eq, .neq: return true
      default: return false
      }
    case .piecewise(let branches, let otherwise):
      return otherwise.isBooleanValued && branches.allSatisfy { $0.value.isBooleanValued }
    case .slot, .negate: return false
    }
  }
}

/// A simplified term, and whether it keeps a constant subterm whose folding failed
/// (division by zero, domain error, overflow); identities must not drop such a subterm.
private struct Simplified {
  var term: Term
  var fault: Bool
}

private enum TermSimplifier {
  static func simplify(_ term: Term) -> Simplified {
    switch term {
    case .constant, .slot:
      return Simplified(term: term, fault: false)
    case .negate(let inner):
      let operand = simplify(inner)
      return Simplified(term: negate(operand.term), fault: operand.fault)
    case .not(let inner):
      let operand = simplify(inner)
      return Simplified(term: not(operand.term), fault: operand.fault)
    case .binary(let op, let lhs, let rhs):
      return binary(op, simplify(lhs), simplify(rhs))
    case .call(let function, let arguments):
      return call(function, arguments.map(simplify))
    case .piecewise(let branches, let otherwise):
      return piecewise(branches, otherwise: otherwise)
    }
  }

  // MARK: Folding

  /// The folded constant, or nil when folding finite operands gives NaN or ±inf.
  static func fold(_ result: Double, operands: [Double]) -> Term? {
    if result.isFinite || !operands.allSatisfy(\.isFinite) { return .constant(result) }
    return nil
  }

  // MARK: Unary

  static func negate(_ operand: Term) -> Term {
    switch operand {
    case .constant(let value): return .constant(-value)
    case .negate(let inner): return inner
    case .binary(.multiply, .constant(let factor), let rest): return multiply(.constant(-factor), rest)
    default: return .negate(operand)
    }
  }

  static func not(_ operand: Term) -> Term {
    switch operand {
    case .constant(let value): return .constant(value == 0 ? 1 : 0)
    case .not(let inner) where inner.isBooleanValued: return inner
    default: return .not(operand)
    }
  }

  /// `x` itself when it is 0/1-valued, else `x != 0`: what `c && x` is for c ≠ 0.
  static func truth(_ operand: Term) -> Term {
    operand.isBooleanValued ? operand : .binary(.notEqual, operand, .zero)
  }

  // MARK: Binary

  static func binary(_ op: BinaryOperator, _ lhs: Simplified, _ rhs: Simplified) -> Simplified {
    let fault = lhs.fault || rhs.fault
    if let a = lhs.term.constantValue, let b = rhs.term.constantValue {
      if let folded = fold(op.apply(a, b), operands: [a, b]) { return Simplified(term: folded, fault: fault) }
      return Simplified(term: .binary(op, lhs.term, rhs.term), fault: true)
    }
    let x = lhs.term
    let y = rhs.term
    let term: Term
    switch op {
    case .add: term = add(x, y)
    case .subtract: term = subtract(x, y)
    case .multiply:
      if (x.constantValue == 0 && !rhs.fault) || (y.constantValue == 0 && !lhs.fault) {
        return .init(term: .zero, fault: false)
      }
      term = multiply(x, y)
    case .divide:
      if x.constantValue == 0, !rhs.fault { return .init(term: .zero, fault: false) }
      term = divide(x, y)
    case .power:
      if y.constantValue == 1 {
        term = x
      } else if (y.constantValue == 0 && !lhs.fault) || (x.constantValue == 1 && !rhs.fault) {
        return .init(term: .one, fault: false)
      } else {
        term = .binary(.power, x, y)
      }
    case .and:
      if (x.constantValue == 0 && !rhs.fault) || (y.constantValue == 0 && !lhs.fault) {
        return .init(term: .zero, fault: false)
      }
      // A constant 0 kept because the other operand carries a fault stays an `&&`.
      if let a = x.constantValue, a != 0 {
        term = truth(y)
      } else if let b = y.constantValue, b != 0 {
        term = truth(x)
      } else {
        term = .binary(.and, x, y)
      }
    case .or:
      if let a = x.constantValue, a != 0, !rhs.fault { return .init(term: .one, fault: false) }
      if let b = y.constantValue, b != 0, !lhs.fault { return .init(term: .one, fault: false) }
      if x.constantValue == 0 {
        term = truth(y)
      } else if y.constantValue == 0 {
        term = truth(x)
      } else {
        term = .binary(.or, x, y)
      }
    case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
      term = .binary(op, x, y)
    }
    return Simplified(term: term, fault: fault)
  }

  /// `x + y` for simplified operands, not both constant and neither a dropped zero's
  /// fault carrier (adding never drops an operand that could fail).
  static func add(_ x: Term, _ y: Term) -> Term {
    if x.constantValue == 0 { return y }
    if y.constantValue == 0 { return x }
    if case .negate(let inner) = y { return subtract(x, inner) }
    if case .negate(let inner) = x { return subtract(y, inner) }
    return .binary(.add, x, y)
  }

  static func subtract(_ x: Term, _ y: Term) -> Term {
    if y.constantValue == 0 { return x }
    if x.constantValue == 0 { return negate(y) }
    if case .negate(let inner) = y { return add(x, inner) }
    return .binary(.subtract, x, y)
  }

  /// `x * y` for simplified operands; the zero rules are applied by the caller, which
  /// knows about faults.
  static func multiply(_ x: Term, _ y: Term) -> Term {
    if let a = x.constantValue, let b = y.constantValue {
      if let folded = fold(a * b, operands: [a, b]) { return folded }
      return .binary(.multiply, x, y)
    }
    if x.constantValue == 1 { return y }
    if y.constantValue == 1 { return x }
    if x.constantValue == -1 { return negate(y) }
    if y.constantValue == -1 { return negate(x) }
    switch (x, y) {
    case (.negate(let a), .negate(let b)):
      return multiply(a, b)
    case (.constant(let c), .negate(let a)), (.negate(let a), .constant(let c)):
      return multiply(.constant(-c), a)
    case (.constant(let c1), .binary(.multiply, .constant(let c2), let rest)),
      (.constant(let c1), .binary(.multiply, let rest, .constant(let c2))),
      (.binary(.multiply, .constant(let c2), let rest), .constant(let c1)),
      (.binary(.multiply, let rest, .constant(let c2)), .constant(let c1)):
      let product = c1 * c2
      guard product.isFinite, product != 0 || !(c1 != 0 && c2 != 0) else { return .binary(.multiply, x, y) }
      return multiply(.constant(product), rest)
    default:
      return .binary(.multiply, x, y)
    }
  }

  static func divide(_ x: Term, _ y: Term) -> Term {
    if y.constantValue == 1 { return x }
    if y.constantValue == -1 { return negate(x) }
    if case .negate(let a) = x, case .negate(let b) = y { return divide(a, b) }
    return .binary(.divide, x, y)
  }

  // MARK: Calls

  static func call(_ function: BuiltinFunction, _ arguments: [Simplified]) -> Simplified {
    let fault = arguments.contains { $0.fault }
    let terms = arguments.map(\.term)
    let constants = terms.compactMap(\.constantValue)
    if constants.count == terms.count {
      if let folded = fold(function.evaluate(constants), operands: constants) {
        return Simplified(term: folded, fault: fault)
      }
      return Simplified(term: .call(function, terms), fault: true)
    }
    return Simplified(term: .call(function, terms), fault: fault)
  }

  // MARK: Piecewise

  static func piecewise(_ branches: [Term.Branch], otherwise: Term) -> Simplified {
    var kept: [Term.Branch] = []
    var fault = false
    var conditionFault = false
    var last: Simplified?
    for branch in branches {
      let condition = simplify(branch.condition)
      if let value = condition.term.constantValue {
        if value == 0 { continue }
        // Constant true (NaN counts as true, as in `evaluate`): the rest is unreachable.
        last = simplify(branch.value)
        break
      }
      let value = simplify(branch.value)
      kept.append(Term.Branch(value: value.term, condition: condition.term))
      fault = fault || value.fault || condition.fault
      conditionFault = conditionFault || condition.fault
    }
    let fallback = last ?? simplify(otherwise)
    if kept.isEmpty { return fallback }
    if !conditionFault, kept.allSatisfy({ $0.value == fallback.term }) { return fallback }
    return Simplified(term: .piecewise(kept, otherwise: fallback.term), fault: fault || fallback.fault)
  }
}
