extension Parser {
  /// Parses one expression. It ends at `,` `:` `;` a line end, `)` or a keyword such
  /// as `after`, which the caller then reads.
  mutating func parseExpression() throws -> Expression {
    expressionNodes = 0
    nesting = 0
    return try parseOr()
  }

  mutating func countNode(at range: SourceRange) throws {
    expressionNodes += 1
    if expressionNodes > Self.maximumExpressionNodes {
      try fail("expression is too long (more than \(Self.maximumExpressionNodes) operations)", at: range)
    }
  }

  /// `&&` and `||` share one precedence level and group left to right, as in
  /// libSBML's infix syntax that Antimony uses.
  mutating func parseOr() throws -> Expression {
    var lhs = try parseComparison()
    while true {
      let op: BinaryOperator
      if current.kind == .orOr || isWord(current, "or") {
        op = .or
      } else if current.kind == .andAnd || isWord(current, "and") {
        op = .and
      } else {
        return lhs
      }
      let opToken = current
      advance()
      let rhs = try parseComparison()
      try countNode(at: opToken.range)
      lhs = Expression(.binary(op, lhs, rhs), range: lhs.range.joined(rhs.range))
    }
  }

  static func comparison(_ kind: TokenKind) -> BinaryOperator? {
    switch kind {
    case .less: return .less
    case .lessEqual: return .lessEqual
    case .greater: return .greater
    case .greaterEqual: return .greaterEqual
    case .equalEqual: return .equal
    case .notEqual: return .notEqual
    default: return nil
    }
  }

  /// `a < b < c` means `a < b && b < c`, as n-ary relations do in MathML.
  mutating func parseComparison() throws -> Expression {
    let first = try parseAdditive()
    guard Self.comparison(current.kind) != nil else { return first }
    var result: Expression?
    var lhs = first
    while let op = Self.comparison(current.kind) {
      let opToken = current
      advance()
      let rhs = try parseAdditive()
      try countNode(at: opToken.range)
      let link = Expression(.binary(op, lhs, rhs), range: lhs.range.joined(rhs.range))
      if let previous = result {
        result = Expression(.binary(.and, previous, link), range: previous.range.joined(link.range))
      } else {
        result = link
      }
      lhs = rhs
    }
    return result ?? first
  }

  mutating func parseAdditive() throws -> Expression {
    var lhs = try parseMultiplicative()
    while current.kind == .plus || current.kind == .minus {
      let op: BinaryOperator = current.kind == .plus ? .add : .subtract
      let opToken = current
      advance()
      let rhs = try parseMultiplicative()
      try countNode(at: opToken.range)
      lhs = Expression(.binary(op, lhs, rhs), range: lhs.range.joined(rhs.range))
    }
    return lhs
  }

  /// `*`, `/` and `%` share one precedence and group left to right. `a % b` is the
  /// remainder with the sign of `a`, the `rem` that libAntimony writes for it.
  mutating func parseMultiplicative() throws -> Expression {
    var lhs = try parseUnary()
    while current.kind == .star || current.kind == .slash || current.kind == .percent {
      let opToken = current
      advance()
      if opToken.kind == .star, current.kind == .star, current.start == opToken.end {
        try fail("`**` is not an operator; write `^` for a power", at: opToken.range.joined(current.range))
      }
      let rhs = try parseUnary()
      try countNode(at: opToken.range)
      let range = lhs.range.joined(rhs.range)
      switch opToken.kind {
      case .percent: lhs = Expression(.call(BuiltinFunction.rem.rawValue, [lhs, rhs]), range: range)
      case .star: lhs = Expression(.binary(.multiply, lhs, rhs), range: range)
      default: lhs = Expression(.binary(.divide, lhs, rhs), range: range)
      }
    }
    return lhs
  }

  mutating func parseUnary() throws -> Expression {
    let token = current
    let isNotWord = isWord(token, "not") && peek(1).kind != .leftParen
    guard token.kind == .minus || token.kind == .plus || token.kind == .bang || isNotWord else {
      return try parsePower()
    }
    advance()
    try enterNesting(at: token.range)
    defer { nesting -= 1 }
    let operand = try parseUnary()
    try countNode(at: token.range)
    let range = token.range.joined(operand.range)
    switch token.kind {
    case .minus: return Expression(.negate(operand), range: range)
    case .plus: return operand
    default: return Expression(.not(operand), range: range)
    }
  }

  /// `^` binds tighter than unary minus (`-2^2` is -4) and groups to the right.
  mutating func parsePower() throws -> Expression {
    let base = try parsePrimary()
    guard current.kind == .caret else { return base }
    let opToken = current
    advance()
    try enterNesting(at: opToken.range)
    defer { nesting -= 1 }
    let exponent = try parseUnary()
    try countNode(at: opToken.range)
    return Expression(.binary(.power, base, exponent), range: base.range.joined(exponent.range))
  }

  mutating func enterNesting(at range: SourceRange) throws {
    nesting += 1
    if nesting > Self.maximumNesting {
      try fail("expression is nested too deeply (more than \(Self.maximumNesting) levels)", at: range)
    }
  }

  mutating func parsePrimary() throws -> Expression {
    let token = current
    switch token.kind {
    case .number:
      advance()
      guard let value = Double(text(token)) else {
        try fail("`\(text(token))` is not a number", at: token.range)
      }
      // A unit right after a number (`0.00015 mole/C` is 0.00015 mole divided by C):
      // units do not enter the maths.
      // An id that a value, rule or call follows is the next statement's start.
      let startsStatement = [.leftParen, .equals, .colonEquals, .prime, .colon].contains(peek(1).kind)
      if current.kind == .identifier, current.start > token.end, ReservedWords.role(of: text(current)) == nil,
        !startsStatement
      {
        advance()
      }
      return Expression(.number(value), range: token.range)
    case .leftParen:
      advance()
      try enterNesting(at: token.range)
      defer { nesting -= 1 }
      let inner = try parseOr()
      guard current.kind == .rightParen else {
        try fail(
          "expected `)` to close the `(` opened at column \(file.location(of: token.start).column), found \(describe(current))",
          at: current.range)
      }
      let close = current
      advance()
      var grouped = inner
      grouped.range = token.range.joined(close.range)
      return grouped
    case .identifier:
      return try parseIdentifierExpression()
    default:
      try failUnexpected(token, expected: "expected an expression")
    }
  }

  mutating func parseIdentifierExpression() throws -> Expression {
    if dottedPathEnd(from: index) > index + 1 {
      // `A.OBp`: a quantity of an instance.
      let path = try name("")
      return Expression(.symbol(path.text), range: path.range)
    }
    let token = current
    let spelled = text(token)
    advance()
    if current.kind == .leftParen {
      return try parseCall(spelled, nameToken: token)
    }
    if spelled == "time" { return Expression(.time, range: token.range) }
    if let constant = MathConstant(word: spelled) { return Expression(.constant(constant), range: token.range) }
    if let role = ReservedWords.role(of: spelled) {
      if ReservedWords.keywords.contains(spelled) {
        try fail("expected an expression, found the keyword `\(spelled)`", at: token.range)
      }
      error(
        "`\(spelled)` is \(role), not a value", at: token.range,
        hint: "`\(spelled)` is \(role); rename it, e.g. `\(spelled)_`")
    }
    return Expression(.symbol(spelled), range: token.range)
  }

  mutating func parseCall(_ function: String, nameToken: Token) throws -> Expression {
    let open = current
    advance()
    try enterNesting(at: open.range)
    defer { nesting -= 1 }
    if ReservedWords.unsupportedFunctions.contains(function) {
      let what = function == "delay" ? "`delay()`" : "the distribution `\(function)()`"
      error("\(what) is not supported yet", at: nameToken.range)
    }
    var arguments: [Expression] = []
    if current.kind != .rightParen {
      while true {
        arguments.append(try parseOr())
        if current.kind == .comma {
          advance()
          continue
        }
        break
      }
    }
    guard current.kind == .rightParen else {
      try fail(
        "expected `,` or `)` in the arguments of `\(function)`, found \(describe(current))", at: current.range)
    }
    let close = current
    advance()
    return Expression(.call(function, arguments), range: nameToken.range.joined(close.range))
  }
}
