import Testing

@testable import OsteonSyntax

@Suite("Lexer")
struct LexerTests {
  func kinds(_ text: String) -> [TokenKind] {
    var lexer = Lexer(bytes: Array(text.utf8))
    return lexer.tokenize().map(\.kind)
  }

  @Test func operatorsAndArrows() {
    #expect(
      kinds("a -> b => c := d' = e == f != g <= h >= i && j || !k -| l")
        == [
          .identifier, .arrow, .identifier, .fatArrow, .identifier, .colonEquals, .identifier, .prime, .equals,
          .identifier, .equalEqual, .identifier, .notEqual, .identifier, .lessEqual, .identifier, .greaterEqual,
          .identifier, .andAnd, .identifier, .orOr, .bang, .identifier, .inhibits, .identifier, .endOfFile,
        ])
  }

  @Test func numbersInEveryForm() {
    let text = "3 .5 1e-6 2.5E+3 4. 7e"
    var lexer = Lexer(bytes: Array(text.utf8))
    let tokens = lexer.tokenize()
    let spelled = tokens.filter { $0.kind == .number }.map {
      String(decoding: Array(text.utf8)[$0.start..<$0.end], as: UTF8.self)
    }
    // `7e` is the number 7 followed by the identifier `e`.
    #expect(spelled == ["3", ".5", "1e-6", "2.5E+3", "4.", "7"])
    #expect(tokens.map(\.kind).contains(.identifier))
  }

  @Test func commentsAreDroppedButLineBreaksStay() {
    #expect(
      kinds("a // x\nb # y\nc /* z\n w */ d") == [
        .identifier, .newline, .identifier, .newline, .identifier, .identifier, .endOfFile,
      ])
  }

  @Test func notesBlocksSpanLines() {
    #expect(
      kinds("model notes ```\nline 1\nline 2\n```\nx") == [
        .identifier, .identifier, .string, .newline, .identifier, .endOfFile,
      ])
  }

  @Test func unterminatedThingsAreDiagnosedNotFatal() {
    var lexer = Lexer(bytes: Array("a = \"open\nb /* never closed".utf8))
    let tokens = lexer.tokenize()
    #expect(tokens.last?.kind == .endOfFile)
    #expect(lexer.diagnostics.count == 2)
    #expect(lexer.diagnostics[0].message.contains("unterminated string"))
    #expect(lexer.diagnostics[1].message.contains("unterminated comment"))
  }
}
