import OsteonSyntax

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension BuiltinFunction {
  /// The value of the function at numeric arguments, with SBML's meanings:
  /// `log(b, x)` is the base-b logarithm, `root(n, x)` the n-th root, `quotient`
  /// truncates toward zero, `rem` has the sign of the dividend. Relational and
  /// logical forms return 1 or 0.
  public func evaluate(_ a: [Double]) -> Double { evaluateBuiltin(self, a) }
}

// The evaluation lives outside the type: inside it, the cases `.exp`, `.log`, `.pow`, …
// would shadow the C library's functions of the same names, which are called here
// unqualified so that the platform's libm (glibc's, Darwin's) is the one used.
private func evaluateBuiltin(_ function: BuiltinFunction, _ a: [Double]) -> Double {
  func arg(_ i: Int) -> Double { i < a.count ? a[i] : .nan }
  switch function {
  case .abs: return Swift.abs(arg(0))
  case .exp: return exp(arg(0))
  case .ln: return log(arg(0))
  case .log: return a.count == 2 ? log(arg(1)) / log(arg(0)) : log(arg(0))
  case .log10: return log10(arg(0))
  case .sqrt: return sqrt(arg(0))
  case .pow: return pow(arg(0), arg(1))
  case .root: return a.count == 2 ? realRoot(arg(0), arg(1)) : sqrt(arg(0))
  case .sqr: return arg(0) * arg(0)
  case .floor: return floor(arg(0))
  case .ceil: return ceil(arg(0))
  case .factorial: return tgamma(arg(0) + 1)
  case .min:
    return a.isEmpty ? .nan : a.dropFirst().reduce(arg(0)) { $1.isNaN || $0.isNaN ? .nan : Swift.min($0, $1) }
  case .max:
    return a.isEmpty ? .nan : a.dropFirst().reduce(arg(0)) { $1.isNaN || $0.isNaN ? .nan : Swift.max($0, $1) }
  case .sin: return sin(arg(0))
  case .cos: return cos(arg(0))
  case .tan: return tan(arg(0))
  case .sec: return 1 / cos(arg(0))
  case .csc: return 1 / sin(arg(0))
  case .cot: return 1 / tan(arg(0))
  case .sinh: return sinh(arg(0))
  case .cosh: return cosh(arg(0))
  case .tanh: return tanh(arg(0))
  case .sech: return 1 / cosh(arg(0))
  case .csch: return 1 / sinh(arg(0))
  case .coth: return 1 / tanh(arg(0))
  case .asin: return asin(arg(0))
  case .acos: return acos(arg(0))
  case .atan: return atan(arg(0))
  case .asec: return acos(1 / arg(0))
  case .acsc: return asin(1 / arg(0))
  case .acot: return atan(1 / arg(0))
  case .asinh: return asinh(arg(0))
  case .acosh: return acosh(arg(0))
  case .atanh: return atanh(arg(0))
  case .asech: return acosh(1 / arg(0))
  case .acsch: return asinh(1 / arg(0))
  case .acoth: return atanh(1 / arg(0))
  case .quotient: return trunc(arg(0) / arg(1))
  case .rem: return fmod(arg(0), arg(1))
  case .piecewise:
    var index = 0
    while index + 1 < a.count {
      if a[index + 1] != 0 { return a[index] }
      index += 2
    }
    return a.count % 2 == 1 ? a[a.count - 1] : .nan
  case .and: return a.allSatisfy { $0 != 0 } ? 1 : 0
  case .or: return a.contains { $0 != 0 } ? 1 : 0
  case .xor: return a.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } % 2 == 1 ? 1 : 0
  case .not: return arg(0) == 0 ? 1 : 0
  case .implies: return arg(0) == 0 || arg(1) != 0 ? 1 : 0
  case .lt: return chain(a, <)
  case .leq: return chain(a, <=)
  case .gt: return chain(a, >)
  case .geq: return chain(a, >=)
  case .eq: return chain(a, ==)
  case .neq: return chain(a, !=)
  case .plus: return a.reduce(0, +)
  case .times: return a.reduce(1, *)
  case .minus: return a.count == 1 ? -arg(0) : arg(0) - arg(1)
  case .divide: return arg(0) / arg(1)
  case .rateOf: return .nan  // lowered to the rate's own term before evaluation
  }
}

/// n-th root, real for negative x when n is an odd integer.
private func realRoot(_ n: Double, _ x: Double) -> Double {
  if x < 0, n == n.rounded(), Int(exactly: n).map({ $0 % 2 != 0 }) ?? false {
    return -pow(-x, 1 / n)
  }
  return pow(x, 1 / n)
}

private func chain(_ a: [Double], _ relation: (Double, Double) -> Bool) -> Double {
  guard a.count >= 2 else { return 1 }
  for index in 0..<(a.count - 1) where !relation(a[index], a[index + 1]) { return 0 }
  return 1
}

extension BinaryOperator {
  /// The operator at numeric operands; comparisons and logic give 1 or 0.
  @inline(__always)
  public func apply(_ x: Double, _ y: Double) -> Double {
    switch self {
    case .add: return x + y
    case .subtract: return x - y
    case .multiply: return x * y
    case .divide: return x / y
    case .power: return pow(x, y)
    case .less: return x < y ? 1 : 0
    case .lessEqual: return x <= y ? 1 : 0
    case .greater: return x > y ? 1 : 0
    case .greaterEqual: return x >= y ? 1 : 0
    case .equal: return x == y ? 1 : 0
    case .notEqual: return x != y ? 1 : 0
    case .and: return x != 0 && y != 0 ? 1 : 0
    case .or: return x != 0 || y != 0 ? 1 : 0
    }
  }
}

extension Term {
  /// Evaluates by walking the tree: the reference semantics that compiled bytecode
  /// must reproduce. `value(n)` reads slot n.
  public func evaluate(_ value: (Int) -> Double) -> Double {
    switch self {
    case .constant(let number): return number
    case .slot(let index): return value(index)
    case .negate(let inner): return -inner.evaluate(value)
    case .not(let inner): return inner.evaluate(value) == 0 ? 1 : 0
    case .binary(let op, let lhs, let rhs):
      switch op {
      case .and: return lhs.evaluate(value) != 0 && rhs.evaluate(value) != 0 ? 1 : 0
      case .or: return lhs.evaluate(value) != 0 || rhs.evaluate(value) != 0 ? 1 : 0
      default: return op.apply(lhs.evaluate(value), rhs.evaluate(value))
      }
    case .call(let function, let arguments): return function.evaluate(arguments.map { $0.evaluate(value) })
    case .piecewise(let branches, let otherwise):
      for branch in branches where branch.condition.evaluate(value) != 0 { return branch.value.evaluate(value) }
      return otherwise.evaluate(value)
    }
  }
}
