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
  public func evaluate(_ a: [Double]) -> Double {
    func arg(_ i: Int) -> Double { i < a.count ? a[i] : .nan }
    switch self {
    case .abs: return Swift.abs(arg(0))
    case .exp: return Glibc.exp(arg(0))
    case .ln: return Glibc.log(arg(0))
    case .log: return a.count == 2 ? Glibc.log(arg(1)) / Glibc.log(arg(0)) : Glibc.log(arg(0))
    case .log10: return Glibc.log10(arg(0))
    case .sqrt: return Glibc.sqrt(arg(0))
    case .pow: return Glibc.pow(arg(0), arg(1))
    case .root: return a.count == 2 ? Self.root(arg(0), arg(1)) : Glibc.sqrt(arg(0))
    case .sqr: return arg(0) * arg(0)
    case .floor: return Glibc.floor(arg(0))
    case .ceil: return Glibc.ceil(arg(0))
    case .factorial: return Glibc.tgamma(arg(0) + 1)
    case .min:
      return a.isEmpty ? .nan : a.dropFirst().reduce(arg(0)) { $1.isNaN || $0.isNaN ? .nan : Swift.min($0, $1) }
    case .max:
      return a.isEmpty ? .nan : a.dropFirst().reduce(arg(0)) { $1.isNaN || $0.isNaN ? .nan : Swift.max($0, $1) }
    case .sin: return Glibc.sin(arg(0))
    case .cos: return Glibc.cos(arg(0))
    case .tan: return Glibc.tan(arg(0))
    case .sec: return 1 / Glibc.cos(arg(0))
    case .csc: return 1 / Glibc.sin(arg(0))
    case .cot: return 1 / Glibc.tan(arg(0))
    case .sinh: return Glibc.sinh(arg(0))
    case .cosh: return Glibc.cosh(arg(0))
    case .tanh: return Glibc.tanh(arg(0))
    case .sech: return 1 / Glibc.cosh(arg(0))
    case .csch: return 1 / Glibc.sinh(arg(0))
    case .coth: return 1 / Glibc.tanh(arg(0))
    case .asin: return Glibc.asin(arg(0))
    case .acos: return Glibc.acos(arg(0))
    case .atan: return Glibc.atan(arg(0))
    case .asec: return Glibc.acos(1 / arg(0))
    case .acsc: return Glibc.asin(1 / arg(0))
    case .acot: return Glibc.atan(1 / arg(0))
    case .asinh: return Glibc.asinh(arg(0))
    case .acosh: return Glibc.acosh(arg(0))
    case .atanh: return Glibc.atanh(arg(0))
    case .asech: return Glibc.acosh(1 / arg(0))
    case .acsch: return Glibc.asinh(1 / arg(0))
    case .acoth: return Glibc.atanh(1 / arg(0))
    case .quotient: return Glibc.trunc(arg(0) / arg(1))
    case .rem: return Glibc.fmod(arg(0), arg(1))
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
    case .lt: return Self.chain(a, <)
    case .leq: return Self.chain(a, <=)
    case .gt: return Self.chain(a, >)
    case .geq: return Self.chain(a, >=)
    case .eq: return Self.chain(a, ==)
    case .neq: return Self.chain(a, !=)
    case .plus: return a.reduce(0, +)
    case .times: return a.reduce(1, *)
    case .minus: return a.count == 1 ? -arg(0) : arg(0) - arg(1)
    case .divide: return arg(0) / arg(1)
    case .rateOf: return .nan  // lowered to the rate's own term before evaluation
    }
  }

  /// n-th root, real for negative x when n is an odd integer.
  static func root(_ n: Double, _ x: Double) -> Double {
    if x < 0, n == n.rounded(), Int(exactly: n).map({ $0 % 2 != 0 }) ?? false {
      return -Glibc.pow(-x, 1 / n)
    }
    return Glibc.pow(x, 1 / n)
  }

  static func chain(_ a: [Double], _ relation: (Double, Double) -> Bool) -> Double {
    guard a.count >= 2 else { return 1 }
    for index in 0..<(a.count - 1) where !relation(a[index], a[index + 1]) { return 0 }
    return 1
  }
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
    case .power: return Glibc.pow(x, y)
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
