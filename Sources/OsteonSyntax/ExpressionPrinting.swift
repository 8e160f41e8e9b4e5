extension Expression: CustomStringConvertible {
  /// Plain maths with as few parentheses as the precedence rules allow.
  public var description: String { printed(parentPrecedence: 0) }

  private static let unaryPrecedence = 6

  private func printed(parentPrecedence: Int) -> String {
    switch kind {
    case .number(let value): return Self.format(value)
    case .constant(let constant): return constant.rawValue
    case .time: return "time"
    case .symbol(let name): return name
    case .call(let name, let arguments):
      return name + "(" + arguments.map { $0.printed(parentPrecedence: 0) }.joined(separator: ", ") + ")"
    case .negate(let inner):
      let text = "-" + inner.printed(parentPrecedence: Self.unaryPrecedence)
      return parentPrecedence > Self.unaryPrecedence - 1 ? "(" + text + ")" : text
    case .not(let inner):
      let text = "!" + inner.printed(parentPrecedence: Self.unaryPrecedence)
      return parentPrecedence > Self.unaryPrecedence - 1 ? "(" + text + ")" : text
    case .binary(let op, let lhs, let rhs):
      let own = op.precedence
      let left: String
      let right: String
      if op == .power {
        // right-associative: only the left side needs parentheses at equal precedence
        left = lhs.printed(parentPrecedence: own + 1)
        right = rhs.printed(parentPrecedence: own)
      } else {
        left = lhs.printed(parentPrecedence: own)
        right = rhs.printed(parentPrecedence: own + 1)
      }
      let separator: String
      switch op {
      case .multiply, .divide, .power: separator = op.rawValue
      default: separator = " " + op.rawValue + " "
      }
      let text = left + separator + right
      return own < parentPrecedence ? "(" + text + ")" : text
    }
  }

  /// Shortest text that reads back as the same double.
  public static func format(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    if value == value.rounded(), abs(value) < 1e15 {
      return String(Int64(value))
    }
    return "\(value)"
  }
}
