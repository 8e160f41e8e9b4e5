import OsteonNetwork
import OsteonSyntax
import Testing

/// What libAntimony writes when it converts BioModels and the SBML test suite, and
/// what Tellurium users write: each case a failure seen on that corpus, reduced to a
/// network of its own (Tests/Conformance/REPORT.md has the corpus runs).
@Suite("libAntimony compatibility")
struct LibAntimonyCompatibilityTests {
  func load(_ text: String) -> LoadedNetwork { Network.load(text: text, path: "test.ant") }

  func network(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Network? {
    let loaded = load(text)
    #expect(!loaded.hasErrors, "\(loaded.renderedDiagnostics)", sourceLocation: sourceLocation)
    return loaded.network
  }

  func warnings(_ text: String) -> [String] {
    load(text).diagnostics.filter { $0.severity == .warning }.map(\.message)
  }

  // 45 BioModels: `RemovalACh is "…"` after the event `RemovalACh: at …` was read as a
  // second declaration of the name.
  @Test func displayNamesAttachToEventsReactionsFunctionsAndTheModel() throws {
    let net = try #require(
      network(
        """
        function f(x) 2*x end
        model *m()
          E1 is "removal of ACh"
          E1: at time > 2: k = 0
          J1: S -> ; f(k)*S
          J1 is "degradation"
          f is "doubling"
          m is "test model"
          S = 1; k = 1
        end
        """))
    #expect(net.events.first?.displayName == "removal of ACh")
    #expect(net.reaction("J1")?.displayName == "degradation")
    #expect(net.function("f")?.displayName == "doubling")
    #expect(net.displayName == "test model")
    #expect(net.parameters.map(\.id) == ["k"])
  }

  // 9 BioModels: `at (time%24) > 1` in dosing events. libAntimony reads `%` as the
  // remainder with the sign of the dividend (SBML `rem`), at the precedence of `*`.
  @Test func percentIsTheRemainderAtTheProductsPrecedence() throws {
    let net = try #require(network("a := 2*7 % 4\nb := -7 % 3\nc := time % 24"))
    #expect(net.parameter("a")?.rule?.expression.description == "rem(2*7, 4)")
    #expect(net.parameter("b")?.rule?.expression.description == "rem(-7, 3)")
    #expect(net.parameter("c")?.rule?.expression.description == "rem(time, 24)")
  }

  // 5 BioModels and 46 test cases: compartments without a size, and `cell = ;`.
  // libRoadRunner gives such a compartment size 1 and such a species 0.
  @Test func unsetCompartmentsAndSpeciesTakeLibRoadRunnersDefaultsWithAWarning() throws {
    let text = """
      compartment cell; cell = ;
      species S in cell; S = ;
      species $ppi in cell; ppi = ;
      J: S -> ; k*S*ppi; k = 1
      """
    let net = try #require(network(text))
    #expect(net.compartment("cell")?.initial == .number(1))
    #expect(net.species("S")?.initial == .number(0))
    #expect(net.species("ppi")?.initial == .number(0))
    let messages = warnings(text)
    #expect(messages.contains("compartment `cell` has no size; using 1"))
    #expect(messages.contains("species `S` has no initial value; using 0"))
    #expect(messages.contains("species `ppi` has no initial value; using 0"))
  }

  // A parameter used without any value stays an error (nothing sensible exists, and
  // libRoadRunner refuses it too); one that only an event fills in is undefined
  // (NaN) until then, with a warning.
  @Test func parametersWithoutValuesAreErrorsUnlessOnlyAnEventSetsThem() throws {
    #expect(load("S' = -k*S; S = 1; k = ;").hasErrors)
    let text = "S' = -S; S = 1\nE: at S < 0.5: t_half = time\nt_half = ;"
    let net = try #require(network(text))
    #expect(net.parameter("t_half")?.initial.map { if case .number(let v) = $0 { v.isNaN } else { false } } == true)
    #expect(warnings(text).contains { $0.contains("`t_half` has no value until an event sets it") })
  }

  // 184 test cases: a stoichiometry given by an id, as libAntimony writes species
  // references with ids; rules and events may change it.
  @Test func namedStoichiometriesReadTheirIds() throws {
    let net = try #require(
      network(
        """
        J1: 2 S1 + n1 S2 => n2 $S3 + S4; k*S1
        S1 = 1; S2 = 1; S3 = 0; S4 = 0; k = 1
        n1 = 3; n2 := 2*time
        """))
    let reaction = try #require(net.reaction("J1"))
    #expect(reaction.reactants.map(\.stoichiometryID) == [nil, "n1"])
    #expect(reaction.products.map(\.stoichiometryID) == ["n2", nil])
    #expect(reaction.netStoichiometryExpression(of: "S2")?.description == "-n1")
    #expect(reaction.netStoichiometryExpression(of: "S1")?.description == "-2")
    #expect(net.kind(of: "n1") == .parameter)
    #expect(net.species("S3")?.isBoundary == true)
    // A forgotten `;` before the rate law is still reported as such.
    let forgotten = load("A -> B k*A\nA = 1; B = 0; k = 1")
    #expect(forgotten.diagnostics.contains { $0.message.hasPrefix("expected `;` and a rate law") })
  }

  // 4 BioModels and 58 test cases: `rateOf()` (SBML Level 3 version 2).
  @Test func rateOfTakesAnIdAndIsResolved() throws {
    let net = try #require(network("S' = -k*S; S = 1; k = 2\nv := rateOf(S)"))
    #expect(net.parameter("v")?.rule?.expression.description == "rateOf(S)")
    let wrong = load("S' = -S; S = 1\nv := rateOf(2*S)")
    #expect(wrong.diagnostics.contains { $0.message.contains("`rateOf` takes the id of a model quantity") })
  }

  // 104 test cases: algebraic rules, written `_alg0: 0 = …`, read as a syntax error.
  @Test func algebraicRulesAreRefusedByName() throws {
    let loaded = load("x = 1; y = 2\n_alg0: 0 = x + y - 3")
    let errors = loaded.diagnostics.filter { $0.severity == .error }
    #expect(errors.count == 1)
    #expect(errors.first?.message.hasPrefix("algebraic rules (`_alg0: 0 = …`) are not supported") == true)
  }

  // SBML Level 3 defines avogadro as 6.02214179e23 (not CODATA 2018's 6.02214076e23).
  @Test func avogadroIsSBMLsValue() {
    #expect(MathConstant.avogadro.value == 6.02214179e23)
  }

  // Files Osteon accepts but libAntimony 3.3 rejects would not load in Tellurium:
  // each gets a warning.
  @Test func whatLibAntimonyRejectsIsWarnedAbout() throws {
    let inside = warnings("model m()\n  function f(x) x end\n  S' = -f(S); S = 1\nend")
    #expect(inside.contains("libAntimony (Tellurium) rejects a function defined inside a model"))
    let interaction = warnings("J1: S1 -> S2; k*S1; S1 = 1; S2 = 0; k = 1\nS2 -| J1")
    #expect(interaction.contains { $0.hasPrefix("libAntimony (Tellurium) rejects an interaction") })
    #expect(warnings("J1: S1 -> S2; k*S1; S1 = 1; S2 = 0; k = 1\nS2 -| J1;").isEmpty)
    let accented = warnings("Sé' = -Sé; Sé = 1\nk := Sé*2")
    #expect(accented.filter { $0.contains("non-ASCII") }.count == 1)
  }

  // `osteon explain` showed d[X]/dt without the dilution when the compartment grows.
  @Test func explainShowsTheDilutionOfAGrowingCompartment() throws {
    let net = try #require(network("compartment V = 1; V' = 0.1*V\nspecies X in V = 1\nJ: X -> ; k*X*V; k = 1"))
    let x = try #require(net.species("X"))
    #expect(net.rightHandSide(of: x).description == "-(k*X*V)/V - X*rateOf(V)/V")
  }

  // Test-suite conversions: an event without assignments, an assignment without its
  // value (SBML math left out), a negative stoichiometry, `Inf` as an id (libAntimony
  // reads only `inf`/`infinity` as infinity, and writes `INF`/`NaN`), a unit after a
  // number inside an expression, an interaction of unknown sign and an annotation
  // on a kinetic law.
  @Test func testSuiteConversionsLoad() throws {
    let text = """
      E0: at time > 5.5: ;
      E1: at time > 6: p = ;
      J0: A + -1 A -> ; k
      Inf = 1; d = INF; e = NaN
      S1 = 1; C = 2
      E2: at time > 1: S1 = 0.00015 mole/C
      i1: A -( J0;
      J0.kineticLaw.sboTerm = 47
      A = 1; k = 1; p = 2
      """
    let net = try #require(network(text))
    #expect(net.events.map(\.assignments.count) == [0, 0, 1])
    #expect(net.events.last?.assignments.first?.value.description == "0.00015/C")
    #expect(net.reaction("J0")?.reactants.map(\.stoichiometry) == [1, -1])
    #expect(net.parameter("Inf")?.initial == .number(1))
    #expect(net.parameter("d")?.initial == .number(.infinity))
    #expect(warnings(text).contains("the event's assignment to `p` has no value; it changes nothing"))
  }
}
