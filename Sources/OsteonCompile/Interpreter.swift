import OsteonSyntax

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Program {
  /// Runs the program on a value buffer (register file).
  @inline(__always)
  package func run(_ v: UnsafeMutablePointer<Double>) {
    Self.run(code: code, count: count, values: v)
  }

  /// The instructions, for callers that run the program without touching the
  /// object (no reference counting on the hot path). Valid while the program lives.
  package var instructionPointer: UnsafePointer<Instruction> { UnsafePointer(code) }

  /// Runs `count` instructions on a value buffer (register file).
  package static func run(code: UnsafePointer<Instruction>, count: Int, values v: UnsafeMutablePointer<Double>) {
    // Walks a pointer and reads each operand only where its operation needs it: the
    // dispatch is most of an interpreter's work at a few operations per term.
    var instruction = code
    let end = code + count
    while instruction < end {
      let d = Int(instruction.pointee.destination)
      switch instruction.pointee.operation {
      case .copy: v[d] = v[Int(instruction.pointee.a)]
      case .add: v[d] = v[Int(instruction.pointee.a)] + v[Int(instruction.pointee.b)]
      case .subtract: v[d] = v[Int(instruction.pointee.a)] - v[Int(instruction.pointee.b)]
      case .multiply: v[d] = v[Int(instruction.pointee.a)] * v[Int(instruction.pointee.b)]
      case .divide: v[d] = v[Int(instruction.pointee.a)] / v[Int(instruction.pointee.b)]
      case .power: v[d] = fastPower(v[Int(instruction.pointee.a)], v[Int(instruction.pointee.b)])
      case .negate: v[d] = -v[Int(instruction.pointee.a)]
      case .not: v[d] = v[Int(instruction.pointee.a)] == 0 ? 1 : 0
      case .less: v[d] = v[Int(instruction.pointee.a)] < v[Int(instruction.pointee.b)] ? 1 : 0
      case .lessEqual: v[d] = v[Int(instruction.pointee.a)] <= v[Int(instruction.pointee.b)] ? 1 : 0
      case .greater: v[d] = v[Int(instruction.pointee.a)] > v[Int(instruction.pointee.b)] ? 1 : 0
      case .greaterEqual: v[d] = v[Int(instruction.pointee.a)] >= v[Int(instruction.pointee.b)] ? 1 : 0
      case .equal: v[d] = v[Int(instruction.pointee.a)] == v[Int(instruction.pointee.b)] ? 1 : 0
      case .notEqual: v[d] = v[Int(instruction.pointee.a)] != v[Int(instruction.pointee.b)] ? 1 : 0
      case .and: v[d] = v[Int(instruction.pointee.a)] != 0 && v[Int(instruction.pointee.b)] != 0 ? 1 : 0
      case .or: v[d] = v[Int(instruction.pointee.a)] != 0 || v[Int(instruction.pointee.b)] != 0 ? 1 : 0
      case .reciprocal: v[d] = 1 / v[Int(instruction.pointee.a)]
      case .square:
        let x = v[Int(instruction.pointee.a)]
        v[d] = x * x
      case .call1: v[d] = Self.call1(instruction.pointee.function, v[Int(instruction.pointee.a)])
      case .call2:
        v[d] = Self.call2(instruction.pointee.function, v[Int(instruction.pointee.a)], v[Int(instruction.pointee.b)])
      case .jumpIfZero:
        if v[Int(instruction.pointee.a)] == 0 {
          instruction = code + d
          continue
        }
      case .jump:
        instruction = code + d
        continue
      case .multiplyAdd:
        v[d] = v[Int(instruction.pointee.a)] * v[Int(instruction.pointee.b)] + v[Int(instruction.pointee.c)]
      case .multiplySubtract:
        v[d] = v[Int(instruction.pointee.a)] * v[Int(instruction.pointee.b)] - v[Int(instruction.pointee.c)]
      case .subtractMultiply:
        v[d] = v[Int(instruction.pointee.c)] - v[Int(instruction.pointee.a)] * v[Int(instruction.pointee.b)]
      }
      instruction += 1
    }
  }

  static func call1(_ function: UInt8, _ x: Double) -> Double {
    switch FunctionCode(rawValue: function) {
    case .abs: return Swift.abs(x)
    case .exp: return exp(x)
    case .ln: return log(x)
    case .log10: return log10(x)
    case .sqrt: return sqrt(x)
    case .sin: return sin(x)
    case .cos: return cos(x)
    case .tanh: return tanh(x)
    case .some(let code): return code.builtin.evaluate([x])
    case nil: return .nan
    }
  }

  static func call2(_ function: UInt8, _ x: Double, _ y: Double) -> Double {
    guard let code = FunctionCode(rawValue: function) else { return .nan }
    switch code {
    case .minimum: return x.isNaN || y.isNaN ? .nan : Swift.min(x, y)
    case .maximum: return x.isNaN || y.isNaN ? .nan : Swift.max(x, y)
    default: return code.builtin.evaluate([x, y])
    }
  }
}

/// `pow` with the common exponents of kinetic models (Hill coefficients and orders
/// read from parameters: 1, 2, 3, -1, 0.5, …) done by multiplication, which is exact
/// where `pow` is and many times cheaper.
@inline(__always)
public func fastPower(_ x: Double, _ y: Double) -> Double {
  if y == 1 { return x }
  if y == 2 { return x * x }
  if y == 0 { return 1 }
  if y == -1 { return 1 / x }
  if y == 0.5 { return x >= 0 ? x.squareRoot() : pow(x, y) }
  if y == 3 { return x * x * x }
  if y == 4 {
    let square = x * x
    return square * square
  }
  return pow(x, y)
}
