/// The kinds of token in an Antimony file.
public enum TokenKind: Sendable, Hashable {
  case identifier
  case number
  /// `"…"`, or a triple-quoted or triple-backtick block (notes).
  case string
  /// Ends a statement, like `;`.
  case newline
  case endOfFile

  case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
  case comma, semicolon, colon, dot, dollar, prime
  /// `=`
  case equals
  /// `:=`
  case colonEquals
  case plus, minus, star, slash, caret
  /// `%`: the remainder, with the sign of the dividend (libAntimony's `rem`).
  case percent
  case less, lessEqual, greater, greaterEqual, equalEqual, notEqual
  case andAnd, orOr, bang
  /// `->`
  case arrow
  /// `=>`
  case fatArrow
  /// `-|`, an interaction (inhibition); parsed and ignored.
  case inhibits
  /// `@`, `~`, `&`, `|`, `?` and bytes that start no token.
  case unexpected
}

/// One token: its kind and where it lies in the source (byte offsets).
public struct Token: Sendable, Hashable {
  public var kind: TokenKind
  public var start: Int
  public var end: Int

  public var range: SourceRange { SourceRange(start: start, end: end) }
}

extension TokenKind {
  /// How a token kind is written, for messages.
  public var spelling: String {
    switch self {
    case .identifier: return "identifier"
    case .number: return "number"
    case .string: return "string"
    case .newline: return "end of line"
    case .endOfFile: return "end of file"
    case .leftParen: return "`(`"
    case .rightParen: return "`)`"
    case .leftBracket: return "`[`"
    case .rightBracket: return "`]`"
    case .leftBrace: return "`{`"
    case .rightBrace: return "`}`"
    case .comma: return "`,`"
    case .semicolon: return "`;`"
    case .colon: return "`:`"
    case .dot: return "`.`"
    case .dollar: return "`$`"
    case .prime: return "`'`"
    case .equals: return "`=`"
    case .colonEquals: return "`:=`"
    case .plus: return "`+`"
    case .minus: return "`-`"
    case .star: return "`*`"
    case .slash: return "`/`"
    case .caret: return "`^`"
    case .percent: return "`%`"
    case .less: return "`<`"
    case .lessEqual: return "`<=`"
    case .greater: return "`>`"
    case .greaterEqual: return "`>=`"
    case .equalEqual: return "`==`"
    case .notEqual: return "`!=`"
    case .andAnd: return "`&&`"
    case .orOr: return "`||`"
    case .bang: return "`!`"
    case .arrow: return "`->`"
    case .fatArrow: return "`=>`"
    case .inhibits: return "`-|`"
    case .unexpected: return "unexpected character"
    }
  }
}
