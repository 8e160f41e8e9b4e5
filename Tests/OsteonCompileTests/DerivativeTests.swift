import OsteonSyntax
import OsteonTestSupport
import Testing

@testable import OsteonCompile

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Helpers

private let x = Term.slot(0)
private let y = Term.slot(1)
private func c(_ value: Double) -> Term { .constant(value) }
private func call(_ function: BuiltinFunction, _ arguments: Term...) -> Term { .call(function, arguments) }
private func pow(_ base: Term, _ exponent: Term) -> Term { .binary(.power, base, exponent) }
private func bin(_ op: BinaryOperator, _ lhs: Term, _ rhs: Term) -> Term { .binary(op, lhs, rhs) }
private func + (lhs: Term, rhs: Term) -> Term { .binary(.add, lhs, rhs) }
private func - (lhs: Term, rhs: Term) -> Term { .binary(.subtract, lhs, rhs) }
private func * (lhs: Term, rhs: Term) -> Term { .binary(.multiply, lhs, rhs) }
private func / (lhs: Term, rhs: Term) -> Term { .binary(.divide, lhs, rhs) }
private prefix func - (operand: Term) -> Term { .negate(operand) }
private let xy = x * y

/// Slot 0 is x, slot 1 is y; other slots are NaN.
private func point(_ xValue: Double, _ yValue: Double) -> (Int) -> Double {
  { $0 == 0 ? xValue : $0 == 1 ? yValue : .nan }
}

/// d/dx with respect to slot 0.
private func dx(_ term: Term) -> Term { term.derivative { $0 == 0 ? .one : nil } }

/// Central finite difference of `f` at `x0`, step 1e-6·max(1, |x0|).
private func centralDifference(at x0: Double, _ f: (Double) -> Double) -> Double {
  let h = 1e-6 * Swift.max(1, Swift.abs(x0))
  return (f(x0 + h) - f(x0 - h)) / (2 * h)
}

/// 1e-6 relative, or 1e-8 absolute near zero.
private func agree(_ symbolic: Double, _ numeric: Double) -> Bool {
  let difference = Swift.abs(symbolic - numeric)
  return difference <= 1e-8 || difference <= 1e-6 * Swift.max(Swift.abs(symbolic), Swift.abs(numeric))
}

/// Every built-in function and operator a term uses.
private func functions(in term: Term) -> (
  functions: Set<BuiltinFunction>, operators: Set<BinaryOperator>, other: Set<String>
) {
  var functions: Set<BuiltinFunction> = []
  var operators: Set<BinaryOperator> = []
  var other: Set<String> = []
  func walk(_ term: Term) {
    switch term {
    case .constant, .slot: break
    case .negate(let inner):
      other.insert("negate")
      walk(inner)
    case .not(let inner):
      other.insert("not")
      walk(inner)
    case .binary(let op, let lhs, let rhs):
      operators.insert(op)
      walk(lhs)
      walk(rhs)
    case .call(let function, let arguments):
      functions.insert(function)
      arguments.forEach(walk)
    case .piecewise(let branches, let otherwise):
      other.insert("piecewise")
      for branch in branches {
        walk(branch.value)
        walk(branch.condition)
      }
      walk(otherwise)
    }
  }
  walk(term)
  return (functions, operators, other)
}

// MARK: - The table

struct DerivativeCase: Sendable, CustomTestStringConvertible {
  let name: String
  let term: Term
  let x: ClosedRange<Double>
  let y: ClosedRange<Double>
  var testDescription: String { name }
}

private func entry(_ name: String, _ term: Term, x: ClosedRange<Double>, y: ClosedRange<Double>) -> DerivativeCase {
  DerivativeCase(name: name, term: term, x: x, y: y)
}

private let pos = 0.2...2.0
private let sym = -1.5...1.5

let derivativeCases: [DerivativeCase] = [
  // Operators
  entry("-(x*y)", -xy, x: sym, y: sym),
  entry("x + y*x", x + y * x, x: sym, y: sym),
  entry("x*y - x", xy - x, x: sym, y: sym),
  entry("y - x", y - x, x: sym, y: sym),
  entry("x*y*x", xy * x, x: sym, y: sym),
  entry("x / y", x / y, x: pos, y: pos),
  entry("y / x", y / x, x: pos, y: pos),
  entry("(x*y)/(x+y)", xy / (x + y), x: pos, y: pos),
  entry("x^3", pow(x, c(3)), x: sym, y: sym),
  entry("x^2", pow(x, c(2)), x: sym, y: sym),
  entry("x^-2", pow(x, c(-2)), x: pos, y: pos),
  entry("x^0.5", pow(x, c(0.5)), x: pos, y: pos),
  entry("x^y (constant exponent)", pow(x, y), x: pos, y: -2...2),
  entry("x^(x*y) (general)", pow(x, xy), x: pos, y: -2...2),
  entry("y^x (constant base)", pow(y, x), x: sym, y: 0.3...3),
  entry("2^(x*y)", pow(c(2), xy), x: sym, y: sym),
  entry("(x*y)^1", pow(xy, c(1)), x: sym, y: sym),
  entry("(x+y)^(y)", pow(x + y, y), x: pos, y: pos),
  entry("!(x < y)", .not(bin(.less, x, y)), x: 0...1, y: 2...3),
  entry("x < y", bin(.less, x, y), x: 0...1, y: 2...3),
  entry("x <= y", bin(.lessEqual, x, y), x: 0...1, y: 2...3),
  entry("x > y", bin(.greater, x, y), x: 0...1, y: 2...3),
  entry("x >= y", bin(.greaterEqual, x, y), x: 0...1, y: 2...3),
  entry("x == y", bin(.equal, x, y), x: 0...1, y: 2...3),
  entry("x != y", bin(.notEqual, x, y), x: 0...1, y: 2...3),
  entry("x && y", bin(.and, x, y), x: 0.5...1, y: 2...3),
  entry("x || y", bin(.or, x - c(2), y), x: 0.5...1, y: 2...3),
  entry(
    "piecewise(x*x if x > y, sin(x*y))",
    .piecewise([.init(value: x * x, condition: bin(.greater, x, y))], otherwise: call(.sin, xy)),
    x: -2...2, y: -0.5...0.5),
  entry(
    "piecewise(x*y if x < -1, exp(x) if x < 1, y)",
    .piecewise(
      [.init(value: xy, condition: bin(.less, x, c(-1))), .init(value: call(.exp, x), condition: bin(.less, x, c(1)))],
      otherwise: y * x * x), x: -3...3, y: sym),
  // Built-in functions
  entry("abs(x - y) (negative)", call(.abs, x - y), x: 0...1, y: 2...3),
  entry("abs(x*y) (positive)", call(.abs, xy), x: pos, y: pos),
  entry("abs(x*y) (mixed)", call(.abs, xy + c(0.05)), x: sym, y: sym),
  entry("exp(x*y)", call(.exp, xy), x: sym, y: sym),
  entry("ln(x*y)", call(.ln, xy), x: pos, y: pos),
  entry("log(x*y)", call(.log, xy), x: pos, y: pos),
  entry("log(y, x)", call(.log, y, x), x: 0.2...5, y: 1.5...4),
  entry("log(x, y)", call(.log, x, y), x: 1.5...4, y: 0.2...5),
  entry("log(x+1, x*y)", call(.log, x + .one, xy), x: 0.5...3, y: 0.5...3),
  entry("log(x, y, 7) (extra argument ignored)", call(.log, x * x, y, c(7)), x: pos, y: pos),
  entry("log10(x*y)", call(.log10, xy), x: pos, y: pos),
  entry("sqrt(x*y)", call(.sqrt, xy), x: pos, y: pos),
  entry("pow(x, y)", call(.pow, x, y), x: pos, y: -2...2),
  entry("pow(x, x*y)", call(.pow, x, xy), x: pos, y: -2...2),
  entry("pow(y, x)", call(.pow, y, x), x: sym, y: 0.3...3),
  entry("pow(x, 3)", call(.pow, x, c(3)), x: sym, y: sym),
  entry("root(x*y)", call(.root, xy), x: pos, y: pos),
  entry("root(3, x*y) (positive)", call(.root, c(3), xy), x: 0.3...2, y: 0.3...2),
  entry("root(3, x*y) (negative)", call(.root, c(3), xy), x: 0.3...2, y: -2 ... -0.3),
  entry("root(y, x)", call(.root, y, x), x: 0.3...3, y: 2...4),
  entry("root(x, y)", call(.root, x, y), x: 1.5...4, y: 0.3...3),
  entry("root(x, x*y)", call(.root, x, xy), x: 1.5...4, y: 0.3...3),
  entry("sqr(x*y)", call(.sqr, xy), x: sym, y: sym),
  entry("floor(x*y)", call(.floor, xy), x: 0.1...0.3, y: 1.1...2),
  entry("ceil(x*y)", call(.ceil, xy), x: 0.1...0.3, y: 1.1...2),
  entry("quotient(x+y, 4)", call(.quotient, x + y, c(4)), x: 0.1...1, y: 1...2),
  entry("rem(x*y + 5, x)", call(.rem, xy + c(5), x), x: 1.8...2.2, y: 0.1...0.2),
  entry("rem(x*y, 3)", call(.rem, xy, c(3)), x: 0.5...1, y: 1...2),
  entry("min(x*y)", call(.min, xy), x: sym, y: sym),
  entry("min(x, y)", call(.min, x, y), x: -2...2, y: -2...2),
  entry("min(x, y, x*y)", call(.min, x, y, xy), x: -2...2, y: -2...2),
  entry("max(x, y)", call(.max, x, y), x: -2...2, y: -2...2),
  entry("max(x, y, 0.5*x*y, -x)", call(.max, x, y, c(0.5) * xy, -x), x: -2...2, y: -2...2),
  entry("sin(x*y)", call(.sin, xy), x: sym, y: sym),
  entry("sin(x, y) (extra argument ignored)", call(.sin, x, y), x: sym, y: sym),
  entry("cos(x*y)", call(.cos, xy), x: sym, y: sym),
  entry("tan(x*y)", call(.tan, xy), x: -1...1, y: -1...1),
  entry("sec(x*y)", call(.sec, xy), x: -1...1, y: -1...1),
  entry("csc(x*y)", call(.csc, xy), x: 0.3...1.5, y: 0.5...2),
  entry("cot(x*y)", call(.cot, xy), x: 0.3...1.5, y: 0.5...2),
  entry("sinh(x*y)", call(.sinh, xy), x: sym, y: sym),
  entry("cosh(x*y)", call(.cosh, xy), x: sym, y: sym),
  entry("tanh(x*y)", call(.tanh, xy), x: sym, y: sym),
  entry("sech(x*y)", call(.sech, xy), x: sym, y: sym),
  entry("csch(x*y)", call(.csch, xy), x: 0.3...1.5, y: 0.5...2),
  entry("csch(x*y) (negative)", call(.csch, xy), x: 0.3...1.5, y: -2 ... -0.5),
  entry("coth(x*y)", call(.coth, xy), x: 0.3...1.5, y: 0.5...2),
  entry("asin(x*y)", call(.asin, xy), x: -0.9...0.9, y: -0.9...0.9),
  entry("acos(x*y)", call(.acos, xy), x: -0.9...0.9, y: -0.9...0.9),
  entry("atan(x*y)", call(.atan, xy), x: -2...2, y: -2...2),
  entry("asec(x*y)", call(.asec, xy), x: 1.2...2, y: 1.1...2),
  entry("asec(x*y) (negative)", call(.asec, xy), x: 1.2...2, y: -2 ... -1.1),
  entry("acsc(x*y)", call(.acsc, xy), x: 1.2...2, y: 1.1...2),
  entry("acsc(x*y) (negative)", call(.acsc, xy), x: 1.2...2, y: -2 ... -1.1),
  entry("acot(x*y)", call(.acot, xy), x: 0.3...2, y: 0.3...2),
  entry("acot(x*y) (negative)", call(.acot, xy), x: 0.3...2, y: -2 ... -0.3),
  entry("asinh(x*y)", call(.asinh, xy), x: -2...2, y: -2...2),
  entry("acosh(x*y)", call(.acosh, xy), x: 1.2...2, y: 1.1...2),
  entry("atanh(x*y)", call(.atanh, xy), x: -0.9...0.9, y: -0.9...0.9),
  entry("asech(x*y)", call(.asech, xy), x: 0.3...0.9, y: 0.3...0.9),
  entry("acsch(x*y)", call(.acsch, xy), x: 0.3...2, y: 0.5...2),
  entry("acsch(x*y) (negative)", call(.acsch, xy), x: 0.3...2, y: -2 ... -0.5),
  entry("acoth(x*y)", call(.acoth, xy), x: 1.2...2, y: 1.1...2),
  entry("acoth(x*y) (negative)", call(.acoth, xy), x: 1.2...2, y: -2 ... -1.1),
  entry(
    "piecewise(x*x, x > y, sin(x))", call(.piecewise, x * x, call(.gt, x, y), call(.sin, x)), x: -2...2, y: -0.5...0.5),
  entry("piecewise(x*x, x > y) (no otherwise)", call(.piecewise, x * x, call(.gt, x, y)), x: 1...2, y: -1...0),
  entry("and(x, y)", call(.and, x, y), x: 0.5...1, y: 2...3),
  entry("or(x, y)", call(.or, x, y), x: 0.5...1, y: 2...3),
  entry("xor(x, y)", call(.xor, x, y), x: 0.5...1, y: 2...3),
  entry("not(x)", call(.not, x), x: 0.5...1, y: 2...3),
  entry("implies(x, y)", call(.implies, x, y), x: 0.5...1, y: 2...3),
  entry("lt(x, y, 4)", call(.lt, x, y, c(4)), x: 0...1, y: 2...3),
  entry("leq(x, y)", call(.leq, x, y), x: 0...1, y: 2...3),
  entry("gt(x, y)", call(.gt, x, y), x: 0...1, y: 2...3),
  entry("geq(x, y)", call(.geq, x, y), x: 0...1, y: 2...3),
  entry("eq(x, y)", call(.eq, x, y), x: 0...1, y: 2...3),
  entry("neq(x, y)", call(.neq, x, y), x: 0...1, y: 2...3),
  entry("plus(x, y*x, 3)", call(.plus, x, y * x, c(3)), x: sym, y: sym),
  entry("times(x, y, x+1)", call(.times, x, y, x + .one), x: sym, y: sym),
  entry("times(x, x, x, y)", call(.times, x, x, x, y), x: sym, y: sym),
  entry("minus(x*y)", call(.minus, xy), x: sym, y: sym),
  entry("minus(x, y*x)", call(.minus, x, y * x), x: sym, y: sym),
  entry("divide(x*y, x+y)", call(.divide, xy, x + y), x: pos, y: pos),
]

// MARK: - Derivative tests

@Suite("Derivative")
struct DerivativeTests {
  @Test(arguments: derivativeCases)
  func matchesCentralDifference(_ testCase: DerivativeCase) {
    let derivative = dx(testCase.term)
    var generator = SplitMix64(seed: UInt64(truncatingIfNeeded: testCase.name.utf8.reduce(17) { $0 &* 31 &+ Int($1) }))
    for _ in 0..<6 {
      let xValue = Double.random(in: testCase.x, using: &generator)
      let yValue = Double.random(in: testCase.y, using: &generator)
      let symbolic = derivative.evaluate(point(xValue, yValue))
      let numeric = centralDifference(at: xValue) { testCase.term.evaluate(point($0, yValue)) }
      #expect(symbolic.isFinite, "\(testCase.name) at x=\(xValue), y=\(yValue): \(derivative)")
      #expect(
        agree(symbolic, numeric),
        "\(testCase.name) at x=\(xValue), y=\(yValue): symbolic \(symbolic), numeric \(numeric); \(derivative)")
    }
  }

  @Test func tableCoversEveryOperatorAndFunction() {
    var covered: Set<BuiltinFunction> = []
    var operators: Set<BinaryOperator> = []
    var other: Set<String> = []
    for testCase in derivativeCases {
      let found = functions(in: testCase.term)
      covered.formUnion(found.functions)
      operators.formUnion(found.operators)
      other.formUnion(found.other)
    }
    // factorial has its own test: its derivative is 0 by convention, not Γ'.
    // rateOf never reaches a term: lowering replaces it by the rate's own term.
    let missing = Set(BuiltinFunction.allCases).subtracting(covered).subtracting([.factorial, .rateOf])
    #expect(missing.isEmpty, "not covered: \(missing.map(\.rawValue).sorted())")
    #expect(Set(BinaryOperator.allCases).subtracting(operators).isEmpty)
    #expect(other == ["negate", "not", "piecewise"])
  }

  @Test func factorialAndStepFunctionsHaveZeroDerivative() {
    #expect(dx(call(.factorial, xy)) == .zero)
    #expect(dx(call(.floor, x)) == .zero)
    #expect(dx(call(.ceil, x)) == .zero)
    #expect(dx(call(.quotient, x, y)) == .zero)
    #expect(dx(bin(.less, x, y)) == .zero)
    #expect(dx(.not(x)) == .zero)
  }

  @Test func constantsAndOtherSlotsHaveZeroDerivative() {
    #expect(dx(c(3)) == .zero)
    #expect(dx(y) == .zero)
    #expect(dx(call(.sin, y) * pow(y, y)) == .zero)
    #expect(dx(x) == .one)
    #expect(dx(c(3) * x) == c(3))
  }

  @Test func powerRuleKeepsThePower() {
    // n·u^(n−1)·u' with n−1 folded, and u^(n−1) kept as a power (not u^n/u).
    #expect(dx(pow(x, c(3))) == c(3) * pow(x, c(2)))
    #expect(dx(pow(x, c(2))) == c(2) * x)
    #expect(dx(pow(x, y)) == y * pow(x, y - .one))
    // At x = 0 the power form is exact where u^n/u would divide by zero.
    #expect(dx(pow(x, c(3))).evaluate(point(0, 0)) == 0)
  }

  @Test func everyFunctionWithoutArgumentsIsConstant() {
    for function in BuiltinFunction.allCases {
      #expect(dx(.call(function, [])) == .zero, "\(function)")
    }
  }

  @Test func oddArgumentCountsDoNotCrash() {
    for function in BuiltinFunction.allCases {
      for count in 0...4 {
        let arguments = (0..<count).map { $0 % 2 == 0 ? x + c(Double($0) + 2) : xy + c(3) }
        let derivative = dx(.call(function, arguments))
        _ = derivative.evaluate(point(0.7, 0.4))
        _ = derivative.size
      }
    }
  }

  @Test func chainRuleThroughIntermediateSlot() {
    // slot 2 holds g(x, y) = x² + y, slot 5 holds dg/dx = 2x.
    let g = Term.slot(2)
    let term = g * x + call(.sin, g) + pow(g, c(3)) / y + call(.max, g, x)
    let derivative = term.derivative { index in
      switch index {
      case 0: return .one
      case 2: return .slot(5)
      default: return nil
      }
    }
    var reads: Set<Int> = []
    derivative.forEachSlot { reads.insert($0) }
    #expect(reads.contains(5))
    func values(_ xValue: Double, _ yValue: Double) -> (Int) -> Double {
      { index in
        switch index {
        case 0: return xValue
        case 1: return yValue
        case 2: return xValue * xValue + yValue
        case 5: return 2 * xValue
        default: return .nan
        }
      }
    }
    var generator = SplitMix64(seed: 5)
    for _ in 0..<20 {
      let xValue = Double.random(in: -2...2, using: &generator)
      let yValue = Double.random(in: 0.5...2, using: &generator)
      let symbolic = derivative.evaluate(values(xValue, yValue))
      let numeric = centralDifference(at: xValue) { term.evaluate(values($0, yValue)) }
      #expect(agree(symbolic, numeric), "x=\(xValue) y=\(yValue): \(symbolic) vs \(numeric)")
    }
  }

  @Test func randomSmoothTermsMatchCentralDifference() {
    var generator = SplitMix64(seed: 2024)
    var compared = 0
    for _ in 0..<200 {
      let term = randomSmoothTerm(depth: 5, using: &generator)
      let derivative = dx(term)
      for _ in 0..<3 {
        let xValue = Double.random(in: -2...2, using: &generator)
        let yValue = Double.random(in: -2...2, using: &generator)
        let numeric = centralDifference(at: xValue) { term.evaluate(point($0, yValue)) }
        guard numeric.isFinite else { continue }
        let symbolic = derivative.evaluate(point(xValue, yValue))
        compared += 1
        #expect(agree(symbolic, numeric), "\(term) at x=\(xValue) y=\(yValue): \(symbolic) vs \(numeric)")
      }
    }
    #expect(compared > 500)
  }

  @Test func bigTermsAreQuick() {
    // A left-leaning sum of 3000 terms, each with an identity to remove.
    var chain = Term.zero
    for index in 0..<3000 {
      chain = chain + (index % 2 == 0 ? x * .one : call(.sin, Term.slot(index % 7)) * c(0))
    }
    let simplified = chain.simplified()
    #expect(simplified.size == 1500 * 2 - 1)
    let derivative = dx(chain)
    #expect(derivative == c(1500) || derivative.evaluate(point(1, 1)) == 1500)
    // A balanced tree of 2^16 leaves.
    var level = (0..<(1 << 16)).map { Term.slot($0 % 3) }
    while level.count > 1 {
      level = stride(from: 0, to: level.count, by: 2).map { level[$0] * .one + level[$0 + 1] }
    }
    #expect(level[0].simplified().size == (1 << 17) - 1)
  }
}

// MARK: - Simplification tests

extension DerivativeTests {
  /// Nested in `DerivativeTests` so that `--filter DerivativeTests` runs it too.
  @Suite("Simplification")
  struct Simplification {
    @Test func constantFolding() {
      #expect((c(2) + c(3)).simplified() == c(5))
      #expect(((c(1) + c(2)) * x).simplified() == c(3) * x)
      #expect(call(.sin, c(0)).simplified() == c(0))
      #expect(call(.max, c(1), c(4), c(2)).simplified() == c(4))
      #expect(bin(.less, c(1), c(2)).simplified() == .one)
      #expect(Term.not(c(0)).simplified() == .one)
      #expect(call(.root, c(3), c(-8)).simplified() == c(-2))
    }

    @Test func failingFoldsAreKept() {
      let divisionByZero = c(1) / c(0)
      #expect(divisionByZero.simplified() == divisionByZero)
      #expect((c(0) / c(0)).simplified() == c(0) / c(0))
      #expect(call(.ln, c(0)).simplified() == call(.ln, c(0)))
      #expect(call(.sqrt, c(-1)).simplified() == call(.sqrt, c(-1)))
      #expect(pow(c(10), c(400)).simplified() == pow(c(10), c(400)))
      // An identity does not drop a subterm that still has to report its error.
      #expect((divisionByZero * c(0)).simplified() == divisionByZero * c(0))
      #expect((c(0) * divisionByZero).simplified() == c(0) * divisionByZero)
      #expect((c(0) / (x + divisionByZero)).simplified() == c(0) / (x + divisionByZero))
      #expect(pow(divisionByZero, c(0)).simplified() == pow(divisionByZero, c(0)))
      // …and the faulty subterm's operands are still folded around it.
      #expect(((c(1) + c(1)) / (c(3) - c(3)) + x).simplified() == c(2) / c(0) + x)
      // Non-finite constants themselves fold normally.
      #expect((c(.infinity) + c(1)).simplified() == c(.infinity))
    }

    @Test func additiveIdentities() {
      #expect((x + c(0)).simplified() == x)
      #expect((c(0) + x).simplified() == x)
      #expect((x - c(0)).simplified() == x)
      #expect((c(0) - x).simplified() == -x)
      #expect((x - -y).simplified() == x + y)
      #expect((x + -y).simplified() == x - y)
      #expect((-x + y).simplified() == y - x)
    }

    @Test func multiplicativeIdentities() {
      #expect((x * c(1)).simplified() == x)
      #expect((c(1) * x).simplified() == x)
      #expect((x * c(0)).simplified() == .zero)
      #expect((c(0) * x).simplified() == .zero)
      #expect((x / c(1)).simplified() == x)
      #expect((c(0) / x).simplified() == .zero)
      #expect((x * c(-1)).simplified() == -x)
      #expect((-x * -y).simplified() == x * y)
      #expect((-x / -y).simplified() == x / y)
      #expect((c(2) * (c(3) * x)).simplified() == c(6) * x)
      #expect((c(2) * (x * c(3))).simplified() == c(6) * x)
      #expect(((c(3) * x) * c(2)).simplified() == c(6) * x)
      #expect((c(2) * (c(0.5) * x)).simplified() == x)
      #expect((c(2) * -x).simplified() == c(-2) * x)
    }

    @Test func powerIdentities() {
      #expect(pow(x, c(1)).simplified() == x)
      #expect(pow(x, c(0)).simplified() == .one)
      #expect(pow(c(1), x).simplified() == .one)
      #expect(pow(c(2), c(3)).simplified() == c(8))
    }

    @Test func negationIdentities() {
      #expect((-(-x)).simplified() == x)
      #expect((-c(3)).simplified() == c(-3))
      #expect((-(-(-x))).simplified() == -x)
      #expect((-(c(2) * x)).simplified() == c(-2) * x)
    }

    @Test func piecewiseIdentities() {
      let p = Term.piecewise
      // A constant-true first condition: its value.
      #expect(p([.init(value: x, condition: .one)], y).simplified() == x)
      // Constant-false conditions are dropped; none left: otherwise.
      #expect(p([.init(value: x, condition: .zero)], y).simplified() == y)
      #expect(
        p([.init(value: x, condition: .zero), .init(value: y, condition: bin(.less, x, y))], .one).simplified()
          == p([.init(value: y, condition: bin(.less, x, y))], .one))
      // A constant-true later condition ends the branches.
      #expect(
        p(
          [
            .init(value: y, condition: bin(.less, x, y)), .init(value: x, condition: c(2)),
            .init(value: c(7), condition: x),
          ], .one
        )
        .simplified() == p([.init(value: y, condition: bin(.less, x, y))], x))
      // Conditions are simplified too: 1 < 2 is true.
      #expect(p([.init(value: x + c(0), condition: bin(.less, c(1), c(2)))], y).simplified() == x)
      // Every value equal to otherwise.
      #expect(p([.init(value: x, condition: bin(.less, x, y))], x).simplified() == x)
    }

    @Test func logicalIdentities() {
      #expect(bin(.and, c(1), c(0)).simplified() == .zero)
      #expect(bin(.and, c(2), c(3)).simplified() == .one)
      #expect(bin(.or, c(0), c(0)).simplified() == .zero)
      #expect(bin(.or, c(0), c(5)).simplified() == .one)
      #expect(bin(.and, c(0), x).simplified() == .zero)
      #expect(bin(.and, x, c(0)).simplified() == .zero)
      #expect(bin(.or, c(1), x).simplified() == .one)
      #expect(bin(.or, x, c(1)).simplified() == .one)
      #expect(bin(.and, c(1), bin(.less, x, y)).simplified() == bin(.less, x, y))
      #expect(bin(.or, c(0), bin(.less, x, y)).simplified() == bin(.less, x, y))
      #expect(bin(.or, c(0), x).simplified() == bin(.notEqual, x, .zero))
      #expect(Term.not(.not(bin(.less, x, y))).simplified() == bin(.less, x, y))
      #expect(Term.not(.not(x)).simplified() == .not(.not(x)))
    }

    @Test func simplifiedIsIdempotentOnItsResult() {
      var generator = SplitMix64(seed: 99)
      for _ in 0..<100 {
        let once = randomTerm(depth: 6, using: &generator).simplified()
        #expect(once.simplified() == once || "\(once)".contains("nan"))
      }
    }

    @Test func simplificationPreservesValues() {
      var generator = SplitMix64(seed: 42)
      var compared = 0
      var changed = 0
      for _ in 0..<200 {
        let term = randomTerm(depth: 6, using: &generator)
        let simplified = term.simplified()
        if simplified != term { changed += 1 }
        for _ in 0..<4 {
          let values = point(Double.random(in: -3...3, using: &generator), Double.random(in: -3...3, using: &generator))
          // Where the original is finite, and x*0 → 0, 0/x → 0 are exact (see below).
          guard term.evaluate(values).isFinite, identitiesAreExact(term, values) else { continue }
          let expected = term.evaluate(values)
          let actual = simplified.evaluate(values)
          compared += 1
          let scale = Swift.max(1, Swift.abs(expected))
          #expect(Swift.abs(expected - actual) <= 1e-9 * scale, "\(term) → \(simplified): \(expected) vs \(actual)")
        }
      }
      #expect(compared > 300)
      #expect(changed > 50)
    }
  }
}

// MARK: - Random terms

/// Whether, at `values`, the identities that hold for real numbers give the IEEE value
/// too: `x*0` → 0 needs x finite (`inf*0` is NaN, which a comparison can hide: `NaN < 1`
/// is 0), and `0/x`, `x*0` → +0 lose the sign of a zero, which only shows through a
/// division by zero (`1/-0` is -inf, and `atan(-inf)` is finite). So: no evaluated
/// product of 0 and a non-finite number, no evaluated division by zero or 0/non-finite,
/// no power of zero with a negative exponent. Only the parts evaluation reaches count.
private func identitiesAreExact(_ term: Term, _ values: (Int) -> Double) -> Bool {
  switch term {
  case .constant, .slot: return true
  case .negate(let inner), .not(let inner): return identitiesAreExact(inner, values)
  case .binary(let op, let lhs, let rhs):
    guard identitiesAreExact(lhs, values), identitiesAreExact(rhs, values) else { return false }
    let a = lhs.evaluate(values)
    let b = rhs.evaluate(values)
    switch op {
    case .multiply: return !((a == 0 && !b.isFinite) || (b == 0 && !a.isFinite))
    case .divide: return b != 0 && !(a == 0 && !b.isFinite)
    case .power: return !(a == 0 && b < 0)
    default: return true
    }
  case .call(.pow, let arguments) where arguments.count == 2:
    guard arguments.allSatisfy({ identitiesAreExact($0, values) }) else { return false }
    return !(arguments[0].evaluate(values) == 0 && arguments[1].evaluate(values) < 0)
  case .call(_, let arguments): return arguments.allSatisfy { identitiesAreExact($0, values) }
  case .piecewise(let branches, let otherwise):
    for branch in branches {
      guard identitiesAreExact(branch.condition, values) else { return false }
      if branch.condition.evaluate(values) != 0 { return identitiesAreExact(branch.value, values) }
    }
    return identitiesAreExact(otherwise, values)
  }
}

private let randomConstants: [Double] = [0, 1, -1, 2, 0.5, 3, -2, 0, 1]
private let randomFunctions: [BuiltinFunction] = [.sin, .exp, .ln, .sqrt, .abs, .atan, .min, .max, .pow, .log, .floor]

/// A random tree of depth ≤ `depth` over slots 0 and 1, constants, every operator, some
/// functions and piecewise; weighted towards the shapes the identities look for.
private func randomTerm(depth: Int, using generator: inout SplitMix64) -> Term {
  if depth <= 1 || Int.random(in: 0..<5, using: &generator) == 0 {
    if Bool.random(using: &generator) { return .constant(randomConstants.randomElement(using: &generator) ?? 0) }
    return .slot(Int.random(in: 0...1, using: &generator))
  }
  func sub() -> Term { randomTerm(depth: depth - 1, using: &generator) }
  switch Int.random(in: 0..<12, using: &generator) {
  case 0: return .negate(sub())
  case 1: return .not(sub())
  case 2, 3, 4, 5, 6:
    let op = BinaryOperator.allCases.randomElement(using: &generator) ?? .add
    // Prefer arithmetic.
    let arithmetic: [BinaryOperator] = [.add, .subtract, .multiply, .divide, .power]
    let chosen = Bool.random(using: &generator) ? (arithmetic.randomElement(using: &generator) ?? .add) : op
    return .binary(chosen, sub(), sub())
  case 7, 8, 9:
    let function = randomFunctions.randomElement(using: &generator) ?? .sin
    switch function {
    case .min, .max: return .call(function, (0..<Int.random(in: 1...3, using: &generator)).map { _ in sub() })
    case .pow, .log: return .call(function, [sub(), sub()])
    default: return .call(function, [sub()])
    }
  default:
    let count = Int.random(in: 0...2, using: &generator)
    let branches = (0..<count).map { _ in Term.Branch(value: sub(), condition: sub()) }
    return .piecewise(branches, otherwise: sub())
  }
}

/// Random smooth terms (no kinks, no poles) over slots 0 and 1.
private func randomSmoothTerm(depth: Int, using generator: inout SplitMix64) -> Term {
  if depth <= 1 || Int.random(in: 0..<4, using: &generator) == 0 {
    if Int.random(in: 0..<3, using: &generator) == 0 { return .constant(Double.random(in: -2...2, using: &generator)) }
    return .slot(Int.random(in: 0...1, using: &generator))
  }
  func sub() -> Term { randomSmoothTerm(depth: depth - 1, using: &generator) }
  switch Int.random(in: 0..<9, using: &generator) {
  case 0: return sub() + sub()
  case 1: return sub() - sub()
  case 2, 3: return sub() * sub()
  case 4: return -sub()
  case 5: return .call([.sin, .cos, .atan, .tanh, .sqr].randomElement(using: &generator) ?? .sin, [sub()])
  case 6: return sub() / (c(2) + call(.sin, sub()))
  case 7: return pow(c(1.5) + call(.cos, sub()), sub() * c(0.5))
  default: return call(.exp, call(.sin, sub()))
  }
}
