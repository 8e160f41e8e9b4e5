/// Thrown inside the parser after a diagnostic has been recorded, to abandon the
/// current statement; the statement loop then skips to the next one.
struct ParseAbandoned: Error {}

/// Recursive-descent parser for the core of the Antimony language. It never stops
/// at the first problem: each bad statement is reported and skipped, so one run
/// lists every error of a file.
public struct Parser {
  let file: SourceFile
  var tokens: [Token]
  var index = 0
  var diagnostics: [Diagnostic] = []
  /// Dotted names (`A.x`) read so far: models without any skip the flattener's path checks.
  var dottedNames = 0
  /// Parenthesis and unary nesting of the expression being read.
  var nesting = 0
  /// Operator nodes in the expression being read.
  var expressionNodes = 0
  var unnamedModelCount = 0
  /// Non-ASCII names already warned about.
  var warnedNames: Set<String> = []

  static let maximumNesting = 100
  static let maximumExpressionNodes = 20_000

  init(file: SourceFile) {
    self.file = file
    var lexer = Lexer(bytes: file.bytes)
    self.tokens = lexer.tokenize()
    self.diagnostics = lexer.diagnostics
  }

  /// Parses a whole file. The tree holds everything that could be read; the
  /// diagnostics say what could not.
  public static func parse(_ file: SourceFile) -> (tree: SyntaxTree, diagnostics: [Diagnostic]) {
    var parser = Parser(file: file)
    let tree = parser.parseFile()
    return (tree, parser.diagnostics)
  }

  // MARK: - Token access

  var current: Token { tokens[index] }

  func peek(_ ahead: Int) -> Token {
    let target = index + ahead
    return target < tokens.count ? tokens[target] : tokens[tokens.count - 1]
  }

  mutating func advance() {
    if index < tokens.count - 1 { index += 1 }
  }

  func text(_ token: Token) -> String {
    String(decoding: file.bytes[token.start..<token.end], as: UTF8.self)
  }

  /// True when the token is the identifier `word`; compares bytes, allocates nothing.
  func isWord(_ token: Token, _ word: StaticString) -> Bool {
    guard token.kind == .identifier, token.end - token.start == word.utf8CodeUnitCount else { return false }
    return word.withUTF8Buffer { buffer in
      var offset = 0
      while offset < buffer.count {
        if file.bytes[token.start + offset] != buffer[offset] { return false }
        offset += 1
      }
      return true
    }
  }

  var atEndOfStatement: Bool {
    switch current.kind {
    case .semicolon, .newline, .endOfFile: return true
    default: return false
    }
  }

  /// Describes a token for "found …" in messages.
  func describe(_ token: Token) -> String {
    switch token.kind {
    case .identifier: return "`\(text(token))`"
    case .number: return "number `\(text(token))`"
    case .string: return "a string"
    case .unexpected: return "`\(text(token))`"
    default: return token.kind.spelling
    }
  }

  // MARK: - Errors

  mutating func error(_ message: String, at range: SourceRange, hint: String? = nil) {
    // One error per place: a follow-up at the same spot only repeats the first.
    if diagnostics.contains(where: { $0.severity == .error && $0.range.start == range.start }) { return }
    diagnostics.append(.error(message, at: range, hint: hint))
  }

  /// Reports a token that does not belong where it stands, naming the likely slip
  /// (a stray `)`, a lone `&`, `**`, `=<`) before falling back to `expected`.
  mutating func failUnexpected(_ token: Token, expected: String, hint: String? = nil) throws -> Never {
    let next = peek(index < tokens.count - 1 && tokens[index].start == token.start ? 1 : 0)
    switch token.kind {
    case .unexpected:
      let character = text(token)
      let suggestion: String?
      switch character {
      case "&": suggestion = "did you mean `&&`?"
      case "|": suggestion = "did you mean `||`?"
      default: suggestion = nil
      }
      try fail("unexpected character `\(character)`", at: token.range, hint: suggestion)
    case .rightParen:
      try fail("unmatched `)`: no `(` is open here", at: token.range)
    case .equals where next.start == token.end && (next.kind == .less || next.kind == .greater):
      let written = "=" + (next.kind == .less ? "<" : ">")
      let meant = next.kind == .less ? "<=" : ">="
      try fail(
        "`\(written)` is not an operator; did you mean `\(meant)`?", at: token.range.joined(next.range))
    default:
      try fail("\(expected), found \(describe(token))", at: token.range, hint: hint)
    }
  }

  /// Records an error and abandons the statement.
  mutating func fail(_ message: String, at range: SourceRange, hint: String? = nil) throws -> Never {
    error(message, at: range, hint: hint)
    throw ParseAbandoned()
  }

  mutating func expect(_ kind: TokenKind, _ context: String) throws -> Token {
    guard current.kind == kind else {
      try fail("expected \(kind.spelling) \(context), found \(describe(current))", at: current.range)
    }
    let token = current
    advance()
    return token
  }

  mutating func expectEndOfStatement(after what: String) throws {
    switch current.kind {
    case .semicolon, .newline: advance()
    case .endOfFile: break
    default:
      try failUnexpected(current, expected: "expected `;` or a new line after \(what)")
    }
  }

  /// Skips to just past the end of the current statement, after an error.
  mutating func skipStatement() {
    while true {
      switch current.kind {
      case .endOfFile: return
      case .semicolon, .newline:
        advance()
        return
      default: advance()
      }
    }
  }

  /// Skips an annotation, which may continue on the next line after a trailing comma.
  mutating func skipAnnotation() {
    while true {
      switch current.kind {
      case .endOfFile: return
      case .semicolon:
        advance()
        return
      case .newline:
        advance()
        if index >= 2, tokens[index - 2].kind == .comma { continue }
        return
      default: advance()
      }
    }
  }

  mutating func skipNewlines() {
    while current.kind == .newline || current.kind == .semicolon { advance() }
  }

  /// Reads an identifier used as a name of something in the model, reporting a
  /// reserved word but carrying on with it.
  mutating func name(_ context: String) throws -> Name {
    guard current.kind == .identifier else {
      let hint = current.kind == .number ? "names start with a letter or `_`, not a digit" : nil
      try failUnexpected(current, expected: "expected a name \(context)", hint: hint)
    }
    let first = current
    let end = dottedPathEnd(from: index)
    if end == index + 1 {
      // The common case, without building a path.
      advance()
      let spelled = text(first)
      checkNotReserved(spelled, at: first.range)
      checkPortable(spelled, at: first.range)
      return Name(spelled, first.range)
    }
    dottedNames += 1
    var parts: [String] = []
    while index < end {
      if current.kind == .identifier {
        let part = text(current)
        checkNotReserved(part, at: current.range)
        checkPortable(part, at: current.range)
        parts.append(part)
      }
      advance()
    }
    return Name(parts.joined(separator: "."), first.range.joined(tokens[end - 1].range))
  }

  /// The index just past a name and its dotted parts (`A.B.x`, written without
  /// spaces), starting at the identifier at `start`.
  func dottedPathEnd(from start: Int) -> Int {
    var last = start
    while last + 2 < tokens.count, tokens[last + 1].kind == .dot, tokens[last + 2].kind == .identifier,
      tokens[last + 1].start == tokens[last].end, tokens[last + 2].start == tokens[last + 1].end
    {
      last += 2
    }
    return last + 1
  }

  mutating func warning(_ message: String, at range: SourceRange, hint: String? = nil) {
    diagnostics.append(.warning(message, at: range, hint: hint))
  }

  /// Names that libAntimony cannot read (non-ASCII letters): warned once each, since
  /// a file Osteon ships or writes should also load in Tellurium.
  mutating func checkPortable(_ spelled: String, at range: SourceRange) {
    guard !spelled.utf8.allSatisfy({ $0 < 0x80 }), warnedNames.insert(spelled).inserted else { return }
    warning(
      "`\(spelled)` has non-ASCII characters, which libAntimony (Tellurium) rejects", at: range,
      hint: "use ASCII letters, digits and `_` in ids; keep the original as a display name")
  }

  mutating func checkNotReserved(_ spelled: String, at range: SourceRange) {
    if let role = ReservedWords.role(of: spelled) {
      error(
        "`\(spelled)` is \(role) and cannot name a model element", at: range,
        hint: "`\(spelled)` is \(role); rename it, e.g. `\(spelled)_`")
    }
  }
}
