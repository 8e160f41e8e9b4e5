import Foundation
import OsteonNetwork
import OsteonSyntax
import Testing

/// Valid networks: the Antimony conversions of the BioModels reference files and the
/// hand-written cases. Each must resolve without errors, warn only where the file
/// says `// expect-warning: LINE:COL: text`, and agree with libAntimony's reading of
/// it (the `.facts.json` beside it).
@Suite("Valid networks")
struct ValidCorpusTests {
  static let handWritten = Fixtures.networkFiles(in: "valid")
  static let biomodels = Fixtures.networkFiles(in: "biomodels")
  static let shipped: [URL] = {
    let root = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Networks")
    let enumerator = FileManager.default.enumerator(atPath: root.path)
    var found: [URL] = []
    // benchmarks/ holds BioModels conversions kept as data, warnings included.
    // The osteoporosis network imports its modules (osteoporosis/*.ant, whose inputs
    // the network supplies): OsteoporosisNetworkTests loads it from its path and
    // checks that it has no diagnostics.
    while let name = enumerator?.nextObject() as? String {
      if name.hasSuffix(".ant"), !name.hasPrefix("benchmarks/"), !name.hasPrefix("osteoporosis") {
        found.append(root.appendingPathComponent(name))
      }
    }
    return found.sorted { $0.path < $1.path }
  }()

  @Test func thereAreEnoughCases() {
    #expect(Self.handWritten.count >= 50)
    #expect(Self.biomodels.count >= 14)
  }

  @Test(arguments: handWritten + biomodels + shipped)
  func resolvesWithoutErrors(_ url: URL) {
    let loaded = Fixtures.load(url)
    #expect(!loaded.hasErrors, "\(url.lastPathComponent):\n\(loaded.renderedDiagnostics)")
    #expect(loaded.network != nil)
  }

  @Test(arguments: handWritten + shipped)
  func warnsOnlyWhereExpected(_ url: URL) {
    let text = Fixtures.text(url)
    let loaded = Fixtures.load(url)
    let expected = Fixtures.expectations("expect-warning", in: text)
    let warnings = loaded.diagnostics.filter { $0.severity == .warning }
    for expectation in expected {
      #expect(
        warnings.contains { warning in
          let position = loaded.position(warning)
          return position.line == expectation.line && position.column == expectation.column
            && warning.message.contains(expectation.message)
        }, "\(url.lastPathComponent): missing warning \(expectation)\n\(loaded.renderedDiagnostics)")
    }
    #expect(warnings.count == expected.count, "\(url.lastPathComponent):\n\(loaded.renderedDiagnostics)")
  }

  @Test(arguments: handWritten + biomodels)
  func agreesWithLibAntimony(_ url: URL) throws {
    let facts = try #require(ReferenceFacts.load(besides: url), "no facts file for \(url.lastPathComponent)")
    let network = try #require(Fixtures.load(url).network)
    let name = url.lastPathComponent
    // libAntimony flattens an instance's `A.x` to `A_x`; Osteon keeps the path.
    func flat(_ id: String) -> String { id.replacingOccurrences(of: ".", with: "_") }
    var ourID: [String: String] = [:]
    for id in network.declarationOrder + network.reactions.map(\.id) { ourID[flat(id)] = id }
    func osteonID(_ id: String) -> String { ourID[id] ?? id }

    #expect(Set(network.compartments.map { flat($0.id) }) == Set(facts.compartments.map(\.id)), "\(name): compartments")
    for reference in facts.compartments {
      guard let size = reference.size, case .number(let ours)? = network.compartment(osteonID(reference.id))?.initial
      else {
        continue
      }
      #expect(Self.close(ours, size), "\(name): size of \(reference.id): \(ours) vs \(size)")
    }

    #expect(network.species.map { flat($0.id) }.sorted() == facts.species.map(\.id).sorted(), "\(name): species")
    for reference in facts.species {
      guard let species = network.species(osteonID(reference.id)) else { continue }
      #expect(flat(species.compartment) == reference.compartment, "\(name): compartment of \(reference.id)")
      #expect(species.isBoundary == reference.boundary, "\(name): boundary flag of \(reference.id)")
      #expect(species.hasOnlySubstanceUnits == reference.substanceOnly, "\(name): substanceOnly of \(reference.id)")
      // Compare numbers only where both are in the same measure.
      if let value = reference.initial, case .number(let ours)? = species.initial,
        reference.initialIsAmount == species.hasOnlySubstanceUnits
      {
        #expect(Self.close(ours, value), "\(name): initial value of \(reference.id): \(ours) vs \(value)")
      }
    }

    #expect(
      network.parameters.map { flat($0.id) }.sorted() == facts.parameters.map(\.id).sorted(), "\(name): parameters")
    for reference in facts.parameters {
      guard let value = reference.value, case .number(let ours)? = network.parameter(osteonID(reference.id))?.initial
      else {
        continue
      }
      #expect(Self.close(ours, value), "\(name): value of \(reference.id): \(ours) vs \(value)")
    }

    #expect(network.reactions.map { flat($0.id) } == facts.reactions.map(\.id), "\(name): reactions")
    for reference in facts.reactions {
      guard let reaction = network.reaction(osteonID(reference.id)) else { continue }
      for species in Set((reference.reactants + reference.products).map(\.species)) {
        let expected =
          reference.products.filter { $0.species == species }.map(\.stoichiometry).reduce(0, +)
          - reference.reactants.filter { $0.species == species }.map(\.stoichiometry).reduce(0, +)
        #expect(
          Self.close(reaction.netStoichiometry(of: osteonID(species)), expected),
          "\(name): stoichiometry of \(species) in \(reference.id)")
      }
    }

    let ourAssignmentRules = network.declarationOrder.filter {
      if case .assignment = network.rule(of: $0) { true } else { false }
    }
    let ourRateRules = network.declarationOrder.filter { if case .rate = network.rule(of: $0) { true } else { false } }
    let ourInitialAssignments = network.declarationOrder.filter {
      if case .expression = network.initialValue(of: $0) { true } else { false }
    }
    #expect(Set(ourAssignmentRules.map(flat)) == Set(facts.assignmentRules), "\(name): assignment rules")
    #expect(Set(ourRateRules.map(flat)) == Set(facts.rateRules), "\(name): rate rules")
    #expect(Set(ourInitialAssignments.map(flat)) == Set(facts.initialAssignments), "\(name): initial assignments")

    #expect(network.events.count == facts.events.count, "\(name): events")
    for (ours, reference) in zip(network.events, facts.events) {
      #expect(ours.initialTriggerValue == reference.t0, "\(name): t0 of \(reference.id ?? "event")")
      #expect(ours.persistent == reference.persistent, "\(name): persistent of \(reference.id ?? "event")")
      #expect(
        ours.useValuesFromTriggerTime == reference.fromTrigger, "\(name): fromTrigger of \(reference.id ?? "event")")
      #expect((ours.delay != nil) == reference.hasDelay, "\(name): delay of \(reference.id ?? "event")")
      #expect((ours.priority != nil) == reference.hasPriority, "\(name): priority of \(reference.id ?? "event")")
      #expect(
        ours.assignments.map { flat($0.target) } == reference.targets, "\(name): targets of \(reference.id ?? "event")")
    }
  }

  static func close(_ a: Double, _ b: Double) -> Bool {
    if a == b { return true }
    if a.isNaN && b.isNaN { return true }
    return abs(a - b) <= 1e-12 * max(abs(a), abs(b))
  }
}
