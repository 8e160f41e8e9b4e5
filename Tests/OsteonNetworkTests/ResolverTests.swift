import OsteonNetwork
import OsteonSyntax
import Testing

@Suite("Resolution")
struct ResolverTests {
  func network(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Network? {
    let loaded = Network.load(text: text, path: "test.ant")
    #expect(!loaded.hasErrors, "\(loaded.renderedDiagnostics)", sourceLocation: sourceLocation)
    return loaded.network
  }

  func errors(_ text: String) -> [String] {
    Network.load(text: text, path: "test.ant").diagnostics.filter { $0.severity == .error }.map(\.message)
  }

  @Test func concentrationSpeciesChangeByRateOverCompartmentSize() throws {
    let net = try #require(network("compartment C = 2\nspecies A in C = 1, B in C = 0\nR1: 2 A -> B; k*A\nk = 3"))
    let a = try #require(net.species("A"))
    #expect(net.rightHandSide(of: a).description == "-(2*(k*A))/C")
    #expect(net.stateVariables == ["A", "B"])
  }

  @Test func substanceOnlySpeciesAreAmounts() throws {
    let net = try #require(network("compartment C = 2\nsubstanceOnly species A in C = 1\n -> A; k\nk = 3"))
    let a = try #require(net.species("A"))
    #expect(a.hasOnlySubstanceUnits)
    #expect(net.rightHandSide(of: a).description == "k")
  }

  @Test func undeclaredReactantsBecomeSpeciesInTheDefaultCompartment() throws {
    let net = try #require(network("A -> B; k*A\nA = 1; B = 0; k = 1"))
    #expect(net.kind(of: "A") == .species)
    #expect(net.species("B")?.compartment == "default_compartment")
    #expect(net.compartment("default_compartment")?.initial == .number(1))
    #expect(net.reactions.map(\.id) == ["_J0"])
  }

  @Test func theLastDefinitionWins() throws {
    let net = try #require(network("x = 1\nx = 2\ny = 3\ny := x*2\nS' = -S\nS = 5"))
    #expect(net.parameter("x")?.initial == .number(2))
    #expect(net.parameter("y")?.initial == nil)
    #expect(net.parameter("y")?.rule?.expression.description == "x*2")
    #expect(net.parameter("S")?.initial == .number(5))
  }

  @Test func rateGivenApart() throws {
    let net = try #require(network("J0: A -> B;\nJ0 = k*A\nA = 1; B = 0; k = 2"))
    #expect(net.reaction("J0")?.rate.description == "k*A")
  }

  @Test func assignmentRulesAreOrderedByDependency() throws {
    let net = try #require(network("a := b + c\nb := c*2\nc := k\nk = 1\nS' = a\nS = 0"))
    #expect(net.assignmentRuleOrder == ["c", "b", "a"])
  }

  @Test func initializationOrderMixesInitialAssignmentsAndRules() throws {
    let net = try #require(network("x = y*2\ny := k + 1\nk = 1\nz = x + y\nS' = x + z\nS = 0"))
    #expect(net.initializationOrder == ["y", "x", "z"])
  }

  @Test func rulesThatReadAReactionRateDependOnItsInputs() throws {
    let net = try #require(network("J1: A -> ; kk*A\nflux := J1\nkk := 2*k\nk = 1; A = 1"))
    #expect(net.assignmentRuleOrder == ["kk", "flux"])
  }

  @Test func cyclesAreErrorsNamingTheirIds() {
    let messages = errors("a := b\nb := c\nc := a\nS' = a; S = 0")
    #expect(
      messages.contains { $0.contains("cycle") && $0.contains("`a`") && $0.contains("`b`") && $0.contains("`c`") })
  }

  @Test func eventDefaultsFollowSBMLLevel3() throws {
    let net = try #require(
      network(
        "x = 0\nE1: at time > 1: x = 1\nE2: at 2 after time > 3, t0=false, priority=5, fromTrigger=false, persistent=false: x = 2"
      ))
    let defaults = net.events[0]
    #expect(defaults.initialTriggerValue && defaults.useValuesFromTriggerTime && defaults.persistent)
    #expect(defaults.delay == nil && defaults.priority == nil)
    let custom = net.events[1]
    #expect(!custom.initialTriggerValue && !custom.useValuesFromTriggerTime && !custom.persistent)
    #expect(custom.delay?.description == "2")
    #expect(custom.priority?.description == "5")
    #expect(net.parameter("x")?.isConstant == false)
  }

  @Test func unknownIdentifiersAreErrorsWithSuggestions() {
    let loaded = Network.load(text: "k_on = 1\nJ1: A -> B; k_of*A\nA = 1; B = 0", path: "t.ant")
    let error = loaded.diagnostics.first { $0.severity == .error }
    #expect(error?.message.contains("unknown identifier `k_of`") == true)
    #expect(error?.hint == "did you mean `k_on`?")
  }

  @Test func functionsAreCheckedForArity() {
    #expect(
      errors("function f(a, b)\n a*b\nend\nx := f(1)\nS' = x; S = 0").contains { $0.contains("takes 2 arguments") })
    #expect(errors("x := exp(1, 2)\nS' = x; S = 0").contains { $0.contains("`exp` takes 1 argument") })
  }

  @Test func builtinSpellingsAreCanonical() throws {
    let net = try #require(network("x := power(2, 3) + ceiling(1.5) + arcsin(0.5)\nS' = x; S = 0"))
    #expect(net.parameter("x")?.rule?.expression.description == "pow(2, 3) + ceil(1.5) + asin(0.5)")
  }

  @Test func displayNamesAreKept() throws {
    let net = try #require(
      network("model *m()\n OCa = 1\n OCa' = -OCa\n OCa is \"Active osteoclasts\"\nend\nm is \"Test\""))
    #expect(net.displayName(of: "OCa") == "Active osteoclasts")
    #expect(net.displayName == "Test")
  }

  @Test func warningsForUnusedParametersAndUnchangedSpecies() {
    let loaded = Network.load(text: "k = 1\nunused = 2\nspecies S = 1, T = 2\nS -> ; k*S", path: "t.ant")
    let warnings = loaded.diagnostics.filter { $0.severity == .warning }.map(\.message)
    #expect(warnings.count == 2)
    #expect(warnings.contains { $0.contains("`unused` is never used") })
    #expect(warnings.contains { $0.contains("species `T`") })
  }
}

@Suite("Declared runs")
struct DeclaredRunTests {
  @Test func runsAreReadFromCommentLines() {
    let runs = DeclaredRun.runs(
      in: """
        // osteon-bench: end=140 points=1001
          // osteon-bench: end=500 step=0.5 set=I_P=1000;I_O=2e5 label=pth
        // osteon-bench: points=3
        model m() end
        """)
    #expect(runs.count == 2)
    #expect(runs.first == DeclaredRun(end: 140, points: 1001, step: nil, parameters: [:], label: nil))
    #expect(
      runs.last == DeclaredRun(end: 500, points: 1001, step: 0.5, parameters: ["I_P": 1000, "I_O": 2e5], label: "pth"))
  }
}

@Suite("Annotations")
struct AnnotationTests {
  @Test func unitsSBOTermsAndNotesAreKeptWithTheirIds() throws {
    let network = try #require(
      Network.load(
        text: """
          species S = 1
          S has mole_per_litre
          S.sboTerm = 247
          S.notes = "free RANKL"
          k = 1
          k.sboTerm = SBO:0000009
          J1: S -> ; k*S
          J1.kineticLaw.sboTerm = 49
          ghost.sboTerm = 1
          """
      ).network)
    #expect(network.annotations["S"] == Annotations(unit: "mole_per_litre", sboTerm: "247", notes: "free RANKL"))
    #expect(network.annotations["k"] == Annotations(sboTerm: "SBO:0000009"))
    // Paths that name no element (`J1.kineticLaw`, an unknown id) are not kept.
    #expect(network.annotations.count == 2)
    // They survive building the network again from its parts.
    #expect(try network.edited { _ in }.annotations == network.annotations)
  }
}
