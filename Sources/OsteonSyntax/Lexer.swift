/// Splits the bytes of a source file into tokens. Comments (`//`, `#`, `/* … */`)
/// and blanks are dropped; line breaks become `.newline` tokens because they end
/// statements. Problems (an unterminated comment or string, a stray byte) are
/// reported as diagnostics, never as crashes.
public struct Lexer {
  private let bytes: [UInt8]
  private var position = 0
  public private(set) var diagnostics: [Diagnostic] = []

  public init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// All tokens, ending with exactly one `.endOfFile`.
  public mutating func tokenize() -> [Token] {
    var tokens: [Token] = []
    tokens.reserveCapacity(bytes.count / 3 + 1)
    while true {
      let token = next()
      tokens.append(token)
      if token.kind == .endOfFile { break }
    }
    return tokens
  }

  private func peek(_ ahead: Int = 0) -> UInt8 {
    let index = position + ahead
    return index < bytes.count ? bytes[index] : 0
  }

  private static func isIdentifierStart(_ byte: UInt8) -> Bool {
    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F || byte >= 0x80
  }

  private static func isIdentifierPart(_ byte: UInt8) -> Bool {
    isIdentifierStart(byte) || isDigit(byte)
  }

  private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  private mutating func next() -> Token {
    skipBlanksAndComments()
    let start = position
    guard position < bytes.count else {
      return Token(kind: .endOfFile, start: bytes.count, end: bytes.count)
    }
    let byte = bytes[position]
    if byte == UInt8(ascii: "\n") {
      position += 1
      return Token(kind: .newline, start: start, end: position)
    }
    if Self.isIdentifierStart(byte) {
      position += 1
      while position < bytes.count, Self.isIdentifierPart(bytes[position]) { position += 1 }
      return Token(kind: .identifier, start: start, end: position)
    }
    if Self.isDigit(byte) || (byte == UInt8(ascii: ".") && Self.isDigit(peek(1))) {
      lexNumber()
      return Token(kind: .number, start: start, end: position)
    }
    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "`") {
      lexString()
      return Token(kind: .string, start: start, end: position)
    }
    position += 1
    let kind: TokenKind
    switch byte {
    case UInt8(ascii: "("): kind = .leftParen
    case UInt8(ascii: ")"): kind = .rightParen
    case UInt8(ascii: "["): kind = .leftBracket
    case UInt8(ascii: "]"): kind = .rightBracket
    case UInt8(ascii: "{"): kind = .leftBrace
    case UInt8(ascii: "}"): kind = .rightBrace
    case UInt8(ascii: ","): kind = .comma
    case UInt8(ascii: ";"): kind = .semicolon
    case UInt8(ascii: "."): kind = .dot
    case UInt8(ascii: "$"): kind = .dollar
    case UInt8(ascii: "'"): kind = .prime
    case UInt8(ascii: "+"): kind = .plus
    case UInt8(ascii: "*"): kind = .star
    case UInt8(ascii: "/"): kind = .slash
    case UInt8(ascii: "^"): kind = .caret
    case UInt8(ascii: "%"): kind = .percent
    case UInt8(ascii: ":"):
      if peek() == UInt8(ascii: "=") {
        position += 1
        kind = .colonEquals
      } else {
        kind = .colon
      }
    case UInt8(ascii: "="):
      if peek() == UInt8(ascii: "=") {
        position += 1
        kind = .equalEqual
      } else if peek() == UInt8(ascii: ">") {
        position += 1
        kind = .fatArrow
      } else {
        kind = .equals
      }
    case UInt8(ascii: "-"):
      if peek() == UInt8(ascii: ">") {
        position += 1
        kind = .arrow
      } else if peek() == UInt8(ascii: "|") {
        position += 1
        kind = .inhibits
      } else {
        kind = .minus
      }
    case UInt8(ascii: "<"):
      if peek() == UInt8(ascii: "=") {
        position += 1
        kind = .lessEqual
      } else {
        kind = .less
      }
    case UInt8(ascii: ">"):
      if peek() == UInt8(ascii: "=") {
        position += 1
        kind = .greaterEqual
      } else {
        kind = .greater
      }
    case UInt8(ascii: "!"):
      if peek() == UInt8(ascii: "=") {
        position += 1
        kind = .notEqual
      } else {
        kind = .bang
      }
    case UInt8(ascii: "&"):
      if peek() == UInt8(ascii: "&") {
        position += 1
        kind = .andAnd
      } else {
        kind = .unexpected
      }
    case UInt8(ascii: "|"):
      if peek() == UInt8(ascii: "|") {
        position += 1
        kind = .orOr
      } else {
        kind = .unexpected
      }
    default:
      kind = .unexpected
    }
    return Token(kind: kind, start: start, end: position)
  }

  private mutating func skipBlanksAndComments() {
    while position < bytes.count {
      let byte = bytes[position]
      switch byte {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0B, 0x0C:
        position += 1
      case UInt8(ascii: "\\") where peek(1) == UInt8(ascii: "\n"):
        position += 2  // a backslash continues the statement on the next line
      case UInt8(ascii: "#"):
        skipToEndOfLine()
      case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
        skipToEndOfLine()
      case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
        let start = position
        position += 2
        var closed = false
        while position < bytes.count {
          if bytes[position] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
            position += 2
            closed = true
            break
          }
          position += 1
        }
        if !closed {
          diagnostics.append(
            .error("unterminated comment: `/*` has no closing `*/`", at: SourceRange(start: start, end: start + 2)))
        }
      default:
        return
      }
    }
  }

  private mutating func skipToEndOfLine() {
    while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
  }

  private mutating func lexNumber() {
    while Self.isDigit(peek()) { position += 1 }
    if peek() == UInt8(ascii: "."), !Self.isIdentifierStart(peek(1)) || Self.isExponent(peek(1)) {
      position += 1
      while Self.isDigit(peek()) { position += 1 }
    }
    if Self.isExponent(peek()) {
      let sign = peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-")
      let digitAt = sign ? 2 : 1
      if Self.isDigit(peek(digitAt)) {
        position += digitAt
        while Self.isDigit(peek()) { position += 1 }
      }
    }
  }

  private static func isExponent(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
  }

  private mutating func lexString() {
    let start = position
    let quote = bytes[position]
    // Triple-quoted blocks (``` or """) may span lines: Antimony's notes.
    if peek(1) == quote, peek(2) == quote {
      position += 3
      while position < bytes.count {
        if bytes[position] == quote, peek(1) == quote, peek(2) == quote {
          position += 3
          return
        }
        position += 1
      }
      diagnostics.append(
        .error(
          "unterminated block: no closing \(quote == UInt8(ascii: "`") ? "```" : "\"\"\"")",
          at: SourceRange(start: start, end: start + 3)))
      return
    }
    position += 1
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] != UInt8(ascii: "\n") {
        position += 2
        continue
      }
      if byte == quote {
        position += 1
        return
      }
      if byte == UInt8(ascii: "\n") { break }
      position += 1
    }
    diagnostics.append(
      .error("unterminated string: missing closing quote", at: SourceRange(start: start, end: start + 1)))
  }
}
