import OsteonSyntax

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Term {
  /// The exact symbolic derivative d(self)/dx, simplified.
  ///
  /// `derivativeOfSlot(n)` gives d(slot n)/dx: `nil` for 0, `.one` for x itself, and for
  /// an intermediate quantity (an assignment-rule value, a reaction rate) typically a
  /// `.slot(m)` that holds its derivative, so the result may read slots.
  ///
  /// The derivative follows the evaluation semantics of `evaluate`, including missing
  /// arguments (NaN, so constant) and extra arguments (ignored). Where the function is not
  /// differentiable the result is a one-sided or conventional value:
  /// - comparisons, logic, `floor`, `ceil`, `quotient`: 0 (piecewise constant; the jumps
  ///   have no derivative);
  /// - `factorial(u)` = Γ(u+1): 0. The derivative of the gamma function (Γ·ψ) is not
  ///   provided; 0 is exact only where factorial is used as intended, on integers;
  /// - `abs(u)`: `u'` where u > 0, `-u'` where u < 0, 0 at u = 0;
  /// - `min`/`max`: the derivative of the argument that evaluation selects (the same
  ///   comparisons, ties resolved the same way);
  /// - `piecewise`: the derivative of the selected branch (conditions unchanged);
  /// - `rem(a, b)`: `a' − quotient(a, b)·b'` (the jumps are ignored).
  /// Outside a function's real domain the result evaluates to NaN or ±inf as the
  /// function itself does.
  public func derivative(_ derivativeOfSlot: (Int) -> Term?) -> Term {
    rawDerivative(derivativeOfSlot).simplified()
  }

  /// The derivative built with light local simplification (so that a derivative that is
  /// identically zero is the constant 0), not yet `simplified()`.
  private func rawDerivative(_ d: (Int) -> Term?) -> Term {
    switch self {
    case .constant:
      return .zero
    case .slot(let index):
      return d(index) ?? .zero
    case .negate(let inner):
      return DerivativeBuilder.negate(inner.rawDerivative(d))
    case .not:
      return .zero
    case .binary(let op, let u, let v):
      switch op {
      case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual, .and, .or:
        return .zero
      case .add:
        return DerivativeBuilder.add(u.rawDerivative(d), v.rawDerivative(d))
      case .subtract:
        return DerivativeBuilder.subtract(u.rawDerivative(d), v.rawDerivative(d))
      case .multiply:
        return DerivativeBuilder.product(u, u.rawDerivative(d), v, v.rawDerivative(d))
      case .divide:
        return DerivativeBuilder.quotient(u, u.rawDerivative(d), v, v.rawDerivative(d))
      case .power:
        return DerivativeBuilder.power(u, u.rawDerivative(d), v, v.rawDerivative(d))
      }
    case .call(let function, let arguments):
      return callDerivative(function, arguments, d)
    case .piecewise(let branches, let otherwise):
      return DerivativeBuilder.piecewise(
        branches.map { Branch(value: $0.value.rawDerivative(d), condition: $0.condition) },
        otherwise: otherwise.rawDerivative(d))
    }
  }

  private func callDerivative(_ function: BuiltinFunction, _ arguments: [Term], _ d: (Int) -> Term?) -> Term {
    typealias B = DerivativeBuilder
    // As in `BuiltinFunction.evaluate`: a missing argument is NaN, a constant.
    func argument(_ index: Int) -> Term { index < arguments.count ? arguments[index] : .constant(.nan) }
    func derivativeOf(_ index: Int) -> Term { index < arguments.count ? arguments[index].rawDerivative(d) : .zero }
    let u = argument(0)

    switch function {
    // Piecewise constant, or logical/relational: 0 wherever a derivative exists.
    // `rateOf` is lowered away before terms exist.
    case .floor, .ceil, .quotient, .factorial, .and, .or, .xor, .not, .implies, .lt, .leq, .gt, .geq, .eq, .neq,
      .rateOf:
      return .zero
    case .plus:
      return arguments.reduce(Term.zero) { B.add($0, $1.rawDerivative(d)) }
    case .times:
      // Σ_i u_i' · Π_{j≠i} u_j
      var sum = Term.zero
      for (index, factor) in arguments.enumerated() {
        let factorDerivative = factor.rawDerivative(d)
        if B.isZero(factorDerivative) { continue }
        var term = factorDerivative
        for (other, otherFactor) in arguments.enumerated() where other != index { term = B.multiply(term, otherFactor) }
        sum = B.add(sum, term)
      }
      return sum
    case .minus:
      if arguments.count == 1 { return B.negate(derivativeOf(0)) }
      return B.subtract(derivativeOf(0), derivativeOf(1))
    case .divide:
      return B.quotient(u, derivativeOf(0), argument(1), derivativeOf(1))
    case .pow:
      return B.power(u, derivativeOf(0), argument(1), derivativeOf(1))
    case .piecewise:
      var branches: [Branch] = []
      var index = 0
      while index + 1 < arguments.count {
        branches.append(Branch(value: arguments[index], condition: arguments[index + 1]))
        index += 2
      }
      let otherwise = arguments.count % 2 == 1 ? arguments[arguments.count - 1] : Term.constant(.nan)
      return Term.piecewise(branches, otherwise: otherwise).rawDerivative(d)
    case .min, .max:
      // evaluate: acc = a0; acc = min(acc, a_k) picks a_k iff a_k < acc;
      // max(acc, a_k) picks a_k iff a_k >= acc (Swift.min/max tie rules).
      guard !arguments.isEmpty else { return .zero }
      var result = derivativeOf(0)
      for index in 1..<arguments.count {
        let previous = index == 1 ? arguments[0] : Term.call(function, Array(arguments[0..<index]))
        let candidate = arguments[index]
        let condition: Term =
          function == .min ? .binary(.less, candidate, previous) : .binary(.greaterEqual, candidate, previous)
        result = B.piecewise([Branch(value: candidate.rawDerivative(d), condition: condition)], otherwise: result)
      }
      return result
    case .rem:
      // fmod(a, b) = a − trunc(a/b)·b
      let db = derivativeOf(1)
      return B.subtract(derivativeOf(0), B.multiply(.call(.quotient, [u, argument(1)]), db))
    case .log where arguments.count == 2:
      // log(b, x) = ln(x) / ln(b)
      let base = u
      let x = argument(1)
      return B.quotient(
        .call(.ln, [x]), B.divide(derivativeOf(1), x), .call(.ln, [base]), B.divide(derivativeOf(0), base))
    case .root where arguments.count == 2:
      // r = root(n, x) = ±|x|^(1/n): r' = r·(x'/(n·x) − n'·ln|x|/n²), for both signs of x.
      let n = u
      let x = argument(1)
      let dn = derivativeOf(0)
      let dx = derivativeOf(1)
      let r = Term.call(.root, [n, x])
      let fromX = B.divide(dx, B.multiply(n, x))
      let fromN = B.divide(B.multiply(dn, .call(.ln, [.call(.abs, [x])])), B.square(n))
      return B.multiply(r, B.subtract(fromX, fromN))
    case .abs, .exp, .ln, .log, .log10, .sqrt, .root, .sqr, .sin, .cos, .tan, .sec, .csc, .cot, .sinh, .cosh, .tanh,
      .sech, .csch, .coth, .asin, .acos, .atan, .asec, .acsc, .acot, .asinh, .acosh, .atanh, .asech, .acsch, .acoth:
      return Self.chainRule(function, u, derivativeOf(0))
    }
  }

  /// f(u)' = f'(u)·u' for the functions of one argument.
  private static func chainRule(_ function: BuiltinFunction, _ u: Term, _ du: Term) -> Term {
    typealias B = DerivativeBuilder
    if B.isZero(du) { return .zero }
    func c(_ value: Double) -> Term { .constant(value) }
    func f(_ name: BuiltinFunction) -> Term { .call(name, [u]) }
    let u2 = B.square(u)
    switch function {
    case .abs:
      return B.piecewise(
        [
          Branch(value: du, condition: .binary(.greater, u, .zero)),
          Branch(value: B.negate(du), condition: .binary(.less, u, .zero)),
        ], otherwise: .zero)
    case .exp: return B.multiply(f(.exp), du)
    case .ln, .log: return B.divide(du, u)
    case .log10: return B.divide(du, B.multiply(u, c(log(10))))
    case .sqrt, .root: return B.divide(du, B.multiply(c(2), f(.sqrt)))
    case .sqr: return B.multiply(B.multiply(c(2), u), du)
    case .sin: return B.multiply(f(.cos), du)
    case .cos: return B.negate(B.multiply(f(.sin), du))
    case .tan: return B.divide(du, B.square(f(.cos)))
    case .sec: return B.multiply(B.multiply(f(.sec), f(.tan)), du)
    case .csc: return B.negate(B.multiply(B.multiply(f(.csc), f(.cot)), du))
    case .cot: return B.negate(B.divide(du, B.square(f(.sin))))
    case .sinh: return B.multiply(f(.cosh), du)
    case .cosh: return B.multiply(f(.sinh), du)
    case .tanh: return B.divide(du, B.square(f(.cosh)))
    case .sech: return B.negate(B.multiply(B.multiply(f(.sech), f(.tanh)), du))
    case .csch: return B.negate(B.multiply(B.multiply(f(.csch), f(.coth)), du))
    case .coth: return B.negate(B.divide(du, B.square(f(.sinh))))
    case .asin: return B.divide(du, .call(.sqrt, [B.subtract(.one, u2)]))
    case .acos: return B.negate(B.divide(du, .call(.sqrt, [B.subtract(.one, u2)])))
    case .atan: return B.divide(du, B.add(.one, u2))
    // asec(u) = acos(1/u), acsc(u) = asin(1/u): ±u'/(u²·√(1 − 1/u²)), valid for u < −1 too.
    case .asec: return B.divide(du, B.multiply(u2, .call(.sqrt, [B.subtract(.one, B.divide(.one, u2))])))
    case .acsc:
      return B.negate(B.divide(du, B.multiply(u2, .call(.sqrt, [B.subtract(.one, B.divide(.one, u2))]))))
    // acot(u) = atan(1/u): −u'/(1 + u²) for u ≠ 0.
    case .acot: return B.negate(B.divide(du, B.add(.one, u2)))
    case .asinh: return B.divide(du, .call(.sqrt, [B.add(u2, .one)]))
    case .acosh: return B.divide(du, .call(.sqrt, [B.subtract(u2, .one)]))
    case .atanh, .acoth: return B.divide(du, B.subtract(.one, u2))
    // asech(u) = acosh(1/u), real for 0 < u ≤ 1: −u'/(u·√(1 − u²)).
    case .asech: return B.negate(B.divide(du, B.multiply(u, .call(.sqrt, [B.subtract(.one, u2)]))))
    // acsch(u) = asinh(1/u): −u'/(u²·√(1 + 1/u²)), both signs of u.
    case .acsch: return B.negate(B.divide(du, B.multiply(u2, .call(.sqrt, [B.add(.one, B.divide(.one, u2))]))))
    default:
      // Functions of several arguments and piecewise-constant ones are handled by
      // `callDerivative`, which only passes the functions above.
      return .constant(.nan)
    }
  }
}

/// Constructors that apply the identities needed to keep derivatives small while they are
/// built (0 and 1 operands); `simplified()` does the rest.
enum DerivativeBuilder {
  static func isZero(_ term: Term) -> Bool { term.constantValue == 0 }
  static func isOne(_ term: Term) -> Bool { term.constantValue == 1 }

  static func negate(_ a: Term) -> Term {
    switch a {
    case .constant(let value): return .constant(-value)
    case .negate(let inner): return inner
    default: return .negate(a)
    }
  }

  static func add(_ a: Term, _ b: Term) -> Term {
    if isZero(a) { return b }
    if isZero(b) { return a }
    return .binary(.add, a, b)
  }

  static func subtract(_ a: Term, _ b: Term) -> Term {
    if isZero(b) { return a }
    if isZero(a) { return negate(b) }
    return .binary(.subtract, a, b)
  }

  static func multiply(_ a: Term, _ b: Term) -> Term {
    if isZero(a) || isZero(b) { return .zero }
    if isOne(a) { return b }
    if isOne(b) { return a }
    return .binary(.multiply, a, b)
  }

  static func divide(_ a: Term, _ b: Term) -> Term {
    if isZero(a) { return .zero }
    if isOne(b) { return a }
    return .binary(.divide, a, b)
  }

  static func square(_ a: Term) -> Term { .binary(.power, a, .constant(2)) }

  /// (u·v)' = u'·v + u·v'
  static func product(_ u: Term, _ du: Term, _ v: Term, _ dv: Term) -> Term {
    add(multiply(du, v), multiply(u, dv))
  }

  /// (u/v)' = (u'·v − u·v')/v², written u'/v when v' = 0.
  static func quotient(_ u: Term, _ du: Term, _ v: Term, _ dv: Term) -> Term {
    if isZero(dv) { return divide(du, v) }
    if isZero(du) { return negate(divide(multiply(u, dv), square(v))) }
    return divide(subtract(multiply(du, v), multiply(u, dv)), square(v))
  }

  /// (u^v)': n·u^(n−1)·u' for a constant exponent, a^v·ln(a)·v' for a constant base,
  /// else u^v·(v'·ln(u) + v·u'/u).
  static func power(_ u: Term, _ du: Term, _ v: Term, _ dv: Term) -> Term {
    if isZero(dv) {
      if isZero(du) { return .zero }
      let exponent: Term
      if let n = v.constantValue { exponent = .constant(n - 1) } else { exponent = .binary(.subtract, v, .one) }
      return multiply(multiply(v, .binary(.power, u, exponent)), du)
    }
    let value = Term.binary(.power, u, v)
    if isZero(du) { return multiply(multiply(value, .call(.ln, [u])), dv) }
    return multiply(value, add(multiply(dv, .call(.ln, [u])), divide(multiply(v, du), u)))
  }

  /// A piecewise, or the common value when every branch has the same one.
  static func piecewise(_ branches: [Term.Branch], otherwise: Term) -> Term {
    if branches.allSatisfy({ $0.value == otherwise }) { return otherwise }
    return .piecewise(branches, otherwise: otherwise)
  }
}
