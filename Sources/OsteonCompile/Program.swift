import OsteonSyntax

/// One bytecode operation. Operands are slots of the value buffer.
public struct Instruction: Sendable, Hashable {
  public enum Operation: UInt8, Sendable {
    case copy  // v[d] = v[a]
    case add, subtract, multiply, divide, power
    case negate, not
    case less, lessEqual, greater, greaterEqual, equal, notEqual, and, or
    case reciprocal  // v[d] = 1 / v[a]
    case square  // v[d] = v[a] * v[a]
    case call1  // v[d] = function(v[a])
    case call2  // v[d] = function(v[a], v[b])
    case jumpIfZero  // if v[a] == 0 { pc = d }
    case jump  // pc = d
    // Fused by `ProgramOptimizer` from a product used once by a sum; each operation
    // still rounds, so results equal those of the separate instructions.
    case multiplyAdd  // v[d] = v[a] * v[b] + v[c]
    case multiplySubtract  // v[d] = v[a] * v[b] - v[c]
    case subtractMultiply  // v[d] = v[c] - v[a] * v[b]
  }

  public var operation: Operation
  public var function: UInt8
  public var destination: Int32
  public var a: Int32
  public var b: Int32
  /// Third operand of the fused operations.
  public var c: Int32 = 0

  public init(operation: Operation, function: UInt8 = 0, destination: Int32, a: Int32, b: Int32 = 0, c: Int32 = 0) {
    self.operation = operation
    self.function = function
    self.destination = destination
    self.a = a
    self.b = b
    self.c = c
  }
}

/// Built-ins the interpreter calls by code (the `function` field of `call1`/`call2`).
enum FunctionCode: UInt8, CaseIterable {
  case abs, exp, ln, log10, sqrt, floor, ceil, factorial
  case sin, cos, tan, sec, csc, cot, sinh, cosh, tanh, sech, csch, coth
  case asin, acos, atan, asec, acsc, acot, asinh, acosh, atanh, asech, acsch, acoth
  // two arguments
  case logBase, root, quotient, remainder, minimum, maximum

  var builtin: BuiltinFunctionName {
    switch self {
    case .logBase: return .log
    case .remainder: return .rem
    case .minimum: return .min
    case .maximum: return .max
    default: return BuiltinFunctionName(rawValue: "\(self)") ?? .abs
    }
  }
}

typealias BuiltinFunctionName = BuiltinFunction

/// Compiled code: instructions in an unsafe buffer, freed with the program.
public final class Program: @unchecked Sendable {
  let code: UnsafeMutablePointer<Instruction>
  public let count: Int

  init(_ instructions: [Instruction]) {
    count = instructions.count
    code = .allocate(capacity: max(1, instructions.count))
    code.initialize(from: instructions, count: instructions.count)
  }

  deinit {
    code.deallocate()
  }

  public var instructions: [Instruction] { Array(UnsafeBufferPointer(start: code, count: count)) }
}
