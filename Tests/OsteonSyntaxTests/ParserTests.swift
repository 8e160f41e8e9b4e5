import Testing

@testable import OsteonSyntax

@Suite("Parser")
struct ParserTests {
  /// The value of the first `x := …` statement, printed back.
  func rule(_ source: String) -> String? {
    let (tree, diagnostics) = Parser.parse(SourceFile(path: "t", text: source))
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    for statement in tree.mainModel?.statements ?? [] {
      if case .assignmentRule(_, let value) = statement { return value.description }
    }
    return nil
  }

  func structure(_ expression: Expression) -> String {
    switch expression.kind {
    case .number(let value): return Expression.format(value)
    case .constant(let constant): return constant.rawValue
    case .time: return "time"
    case .symbol(let name): return name
    case .call(let name, let arguments): return name + "(" + arguments.map(structure).joined(separator: ",") + ")"
    case .negate(let inner): return "neg(" + structure(inner) + ")"
    case .not(let inner): return "not(" + structure(inner) + ")"
    case .binary(let op, let lhs, let rhs): return "(" + structure(lhs) + op.rawValue + structure(rhs) + ")"
    }
  }

  func tree(_ text: String) -> String {
    let source = SourceFile(path: "t", text: "x := " + text)
    let (tree, diagnostics) = Parser.parse(source)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    guard case .assignmentRule(_, let value)? = tree.mainModel?.statements.first else { return "?" }
    return structure(value)
  }

  @Test func powerIsRightAssociativeAndBindsTighterThanUnaryMinus() {
    #expect(tree("2^3^2") == "(2^(3^2))")
    #expect(tree("-x^2") == "neg((x^2))")
    #expect(tree("2^-1") == "(2^neg(1))")
  }

  @Test func precedenceOfArithmeticAndLogic() {
    #expect(tree("a + b*c - d/e") == "((a+(b*c))-(d/e))")
    #expect(tree("a < b && c >= d || !e") == "(((a<b)&&(c>=d))||not(e))")
    #expect(tree("a and b or not c") == "((a&&b)||not(c))")
    // As in libSBML: `&&` and `||` have equal precedence, grouping left to right.
    #expect(tree("a || b && c") == "((a||b)&&c)")
  }

  @Test func chainedComparisonsMeanAllPairs() {
    #expect(tree("a < b < c") == "((a<b)&&(b<c))")
  }

  @Test func constantsAndTime() {
    #expect(
      tree("pi + exponentiale + avogadro + time + inf + NaN + true")
        == "((((((pi+exponentiale)+avogadro)+time)+inf)+NaN)+true)")
  }

  @Test func printingRoundTripsWithMinimalParentheses() {
    #expect(rule("x := (a + b)*c") == "(a + b)*c")
    #expect(rule("x := a - (b - c)") == "a - (b - c)")
    #expect(rule("x := (a^b)^c") == "(a^b)^c")
    #expect(rule("x := a^b^c") == "a^b^c")
    #expect(rule("x := -(a + b)") == "-(a + b)")
  }

  @Test func reactionsWithStoichiometryAndEmptySides() throws {
    let (tree, diagnostics) = Parser.parse(SourceFile(path: "t", text: "R1: A + 2 B -> 0.25 C; k*A\n-> x; 1\nx => ; 2"))
    #expect(diagnostics.isEmpty)
    let reactions = (tree.mainModel?.statements ?? []).compactMap { statement -> ReactionSyntax? in
      if case .reaction(let reaction) = statement { return reaction }
      return nil
    }
    #expect(reactions.count == 3)
    #expect(reactions[0].name?.text == "R1")
    #expect(reactions[0].reactants.map(\.stoichiometry) == [1, 2])
    #expect(reactions[0].products.first?.stoichiometry == 0.25)
    #expect(reactions[0].isReversible)
    #expect(reactions[1].reactants.isEmpty)
    #expect(reactions[2].products.isEmpty)
    #expect(!reactions[2].isReversible)
  }

  @Test func eventsWithDelayAndAttributes() {
    let (tree, diagnostics) = Parser.parse(
      SourceFile(
        path: "t",
        text: "E1: at 2 after (time > 3), t0=false, priority=2, persistent=false, fromTrigger=false: x = 5, y = 2"))
    #expect(diagnostics.isEmpty)
    guard case .event(let event)? = tree.mainModel?.statements.first else {
      Issue.record("no event")
      return
    }
    #expect(event.name?.text == "E1")
    #expect(event.delay?.description == "2")
    #expect(event.trigger.description == "time > 3")
    #expect(event.attributes.map(\.name.text) == ["t0", "priority", "persistent", "fromTrigger"])
    #expect(event.assignments.map(\.target.text) == ["x", "y"])
  }

  @Test func mainModelIsTheStarredOne() {
    let text = "model a()\n x = 1\nend\nmodel *b()\n y = 2\nend\nmodel c\n z = 3\nend\n"
    let (tree, diagnostics) = Parser.parse(SourceFile(path: "t", text: text))
    #expect(diagnostics.isEmpty)
    #expect(tree.mainModel?.name.text == "b")
  }

  @Test func everyErrorOfAFileIsReported() {
    let text = "x := (1 + \ny := 2 +\nz := 3 )\nok := 4\n"
    let (tree, diagnostics) = Parser.parse(SourceFile(path: "t", text: text))
    #expect(diagnostics.count == 3)
    #expect(diagnostics.map { SourceFile(path: "t", text: text).location(of: $0.range.start).line } == [1, 2, 3])
    #expect(tree.mainModel?.statements.count == 1)
  }

  @Test func diagnosticRenderingShowsLineAndCaret() {
    let file = SourceFile(path: "net.ant", text: "k_on = 1\n  J1: A -> B; k_of*A\n")
    let diagnostic = Diagnostic.error(
      "unknown identifier `k_of`", at: SourceRange(start: 23, end: 27), hint: "did you mean `k_on`?")
    #expect(
      diagnostic.rendered(in: file)
        == "net.ant:2:15: error: unknown identifier `k_of`\n    J1: A -> B; k_of*A\n                ^~~~\n  hint: did you mean `k_on`?"
    )
  }

  @Test func deepNestingIsAnErrorNotACrash() {
    let text = "x := " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
    let (_, diagnostics) = Parser.parse(SourceFile(path: "t", text: text))
    #expect(diagnostics.contains { $0.message.contains("nested too deeply") })
  }
}
