import Foundation
import OsteonCompile
import OsteonNetwork
import OsteonSimulate
import Testing

/// Antimony modules: networks built from imported, instanced models. The references
/// are the networks themselves (an instance must change nothing), analytic solutions,
/// and the SBML test suite's expected values for the comp cases reduced here.
@Suite("Modules")
struct ModuleTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let published = root.appendingPathComponent("Networks/published")

  static let publishedNames: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: published.path)) ?? []
    return files.filter { $0.hasSuffix(".ant") }.map { String($0.dropLast(4)) }.sorted()
  }()

  func load(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Network {
    let loaded = Network.load(text: text, path: "test.ant")
    #expect(!loaded.hasErrors, "\(loaded.renderedDiagnostics)", sourceLocation: sourceLocation)
    return try #require(loaded.network, sourceLocation: sourceLocation)
  }

  func simulate(
    _ network: Network, end: Double, points: Int = 101, columns: [String], parameters: [String: Double] = [:],
    relativeTolerance: Double = 1e-10
  ) throws -> Trajectory {
    let problem = SimulationProblem(
      model: try CompiledModel(network: network), end: end, points: points, parameters: parameters, columns: columns)
    var options = SolverOptions()
    options.relativeTolerance = relativeTolerance
    options.absoluteTolerance = .uniform(1e-14)
    return try Simulator(options: options).solve(problem)
  }

  /// The end of the span each published network's reference covers.
  func naturalEnd(of name: String) throws -> Double {
    let csv = try String(
      contentsOf: Self.root.appendingPathComponent("Tests/Fixtures/shipped/\(name).csv"), encoding: .utf8)
    let last = try #require(csv.split(separator: "\n").last?.split(separator: ",").first)
    return try #require(Double(last))
  }

  // MARK: - Import and instances

  @Test(arguments: publishedNames)
  func anImportedInstanceOfAPublishedNetworkRunsBitForBit(_ name: String) throws {
    let path = Self.published.appendingPathComponent("\(name).ant").path
    let original = try #require(try Network.load(path: path).network)
    let modular = try load(
      """
      import "\(path)"

      model *wrapped()
        A: \(original.name)()
      end
      """)
    #expect(modular.instances.map(\.path) == ["A"])
    #expect(modular.instances.first?.file == path)
    let states = try CompiledModel(network: original).layout.states
    let end = try naturalEnd(of: name)
    let direct = try simulate(original, end: end, columns: states)
    let viaInstance = try simulate(modular, end: end, columns: states.map { "A." + $0 })
    #expect(viaInstance.statistics.steps == direct.statistics.steps)
    for id in states {
      let ours = try #require(viaInstance.column("A." + id))
      let reference = try #require(direct.column(id))
      #expect(ours == reference, "\(name): A.\(id) differs from \(id)")
    }
  }

  @Test func twoInstancesWithDifferentParametersRunSideBySide() throws {
    let path = Self.published.appendingPathComponent("lemaire2004.ant").path
    let original = try #require(try Network.load(path: path).network)
    let modular = try load(
      """
      import "\(path)"

      model *two_sites()
        healthy: lemaire2004()
        injected: lemaire2004()
        injected.I_P = 1000
      end
      """)
    let cells = ["OBp", "OBa", "OCa"]
    let both = try simulate(
      modular, end: 140, columns: cells.map { "healthy." + $0 } + cells.map { "injected." + $0 })
    let healthy = try simulate(original, end: 140, columns: cells)
    let injected = try simulate(original, end: 140, columns: cells, parameters: ["I_P": 1000])
    for id in cells {
      for (prefix, reference) in [("healthy.", healthy), ("injected.", injected)] {
        let ours = try #require(both.column(prefix + id))
        let expected = try #require(reference.column(id))
        let scale = expected.map(abs).max() ?? 0
        // Two copies share one step sequence, so agreement is to the tolerance, not bitwise.
        let worst = zip(ours, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-7 * scale, "\(prefix)\(id): off by \(worst) (scale \(scale))")
      }
    }
    // The injection changes the copy it is given to, and only that one.
    let injectedOCa = try #require(both.column("injected.OCa"))
    let healthyOCa = try #require(both.column("healthy.OCa"))
    #expect(abs(injectedOCa[50] - healthyOCa[50]) > 1e-2 * healthyOCa[50])
  }

  @Test func argumentsSynchronizeAnInstanceWithTheContainingModel() throws {
    // Two cells compete for one ligand L: each copy's `L` is the outer `L`.
    let network = try load(
      """
      model cell(L, k)
        species R = 1, LR = 0
        k = 1
        binding: L + R -> LR; k*L*R
      end

      model *dish()
        species L = 2
        k1 = 1; k2 = 3
        A: cell(L, k1)
        B: cell(L, k2)
      end
      """)
    #expect(network.species.map(\.id).sorted() == ["A.LR", "A.R", "B.LR", "B.R", "L"])
    #expect(network.parameters.map(\.id).sorted() == ["k1", "k2"])
    let trajectory = try simulate(network, end: 5, columns: ["L", "A.LR", "B.LR"])
    // Conservation: each bound complex took one L.
    let free = try #require(trajectory.column("L"))
    let boundA = try #require(trajectory.column("A.LR"))
    let boundB = try #require(trajectory.column("B.LR"))
    for row in free.indices {
      #expect(abs(free[row] + boundA[row] + boundB[row] - 2) < 1e-9)
    }
    #expect(boundB[100] > boundA[100])
  }

  @Test func theContainingModelsValueWinsASynchronization() throws {
    let network = try load(
      """
      model inner()
        x = 1; y = 2
        z := x + y
      end

      model *outer()
        A: inner()
        A.x is x
        x = 10
        y = 5
        y is A.y
      end
      """)
    // `A.x is x`: x is the outer id and keeps 10; `y is A.y`: y is again the outer one.
    let trajectory = try simulate(network, end: 1, points: 2, columns: ["x", "y", "A.z"])
    #expect(trajectory.column("x")?.first == 10)
    #expect(trajectory.column("y")?.first == 5)
    #expect(trajectory.column("A.z")?.first == 15)
  }

  @Test func nestedInstancesKeepTheirWholePath() throws {
    let network = try load(
      """
      model decay()
        species S = 4
        k = 0.5
        J0: S -> ; k*S
      end

      model pair()
        left: decay()
        right: decay()
        right.k = 2
      end

      model *tissue()
        site: pair()
      end
      """)
    #expect(network.species.map(\.id).sorted() == ["site.left.S", "site.right.S"])
    #expect(network.reactions.map(\.id).sorted() == ["site.left.J0", "site.right.J0"])
    let trajectory = try simulate(network, end: 2, columns: ["site.left.S", "site.right.S"])
    let left = try #require(trajectory.column("site.left.S"))
    let right = try #require(trajectory.column("site.right.S"))
    #expect(abs(left[100] - 4 * exp(-0.5 * 2)) < 1e-8)
    #expect(abs(right[100] - 4 * exp(-2.0 * 2)) < 1e-8)
  }

  @Test func deletionRemovesAReactionOfAnInstance() throws {
    let network = try load(
      """
      model decay()
        species S = 4
        J0: S -> ; 0.5*S
        J1: -> S; 1
      end

      model *m()
        A: decay()
        delete A.J1
      end
      """)
    #expect(network.reactions.map(\.id) == ["A.J0"])
  }

  // MARK: - SBML comp semantics (from the SBML test suite's comp cases)

  // Suite 01149: `p8' = ;` is how libAntimony writes a deleted rate rule of the
  // submodel quantity that p8 replaces: p8 keeps its value.
  @Test func anEmptyRateRuleTakesAwayTheRuleOfWhatItReplaces() throws {
    let loaded = Network.load(
      text: """
        model moddef1()
          p80' = 4*p80 + 3
          p80 = 80
        end

        model *m()
          sub1: moddef1()
          sub1.p80 is p8
          p8' = ;
          p8 = 8
        end
        """, path: "test.ant")
    let network = try #require(loaded.network)
    #expect(!loaded.diagnostics.contains { $0.message.contains("no maths") }, "\(loaded.renderedDiagnostics)")
    let trajectory = try simulate(network, end: 1, points: 2, columns: ["p8"])
    #expect(trajectory.column("p8") == [8, 8])
    // With nothing to take away, it is ignored with a warning.
    let alone = Network.load(text: "x = 1\nx' = ;\ny := x", path: "test.ant")
    #expect(alone.diagnostics.contains { $0.message.contains("has no maths; it is ignored") })
  }

  // Suite 01182 and 01183: a reaction of an instance with time and extent conversion,
  // replaced by a reaction of the containing model, reads as the replacement (times
  // the synchronization's own factor), not converted again.
  @Test func aReplacedReactionIsReadInTheUnitsOfItsReplacement() throws {
    func p80(_ synchronization: String) throws -> Double? {
      let network = try load(
        """
        model moddef1()
          compartment C = 1
          substanceOnly species s1 in C = 1
          p80 := J0 + 6
          J0: -> s1; 10
        end

        model *m()
          sub1: moddef1(), timeconv = timeconv, extentconv = extentconv
          \(synchronization)
          compartment C = 1
          substanceOnly species s1 in C = 1
          J0: -> s1; 10
          timeconv = 60; extentconv = 1000; extentpertimeconv = 16.6666666666667
        end
        """)
      return try simulate(network, end: 1, points: 2, columns: ["sub1.p80"]).column("sub1.p80")?.first
    }
    #expect(try p80("sub1.J0 is J0") == 16)
    let scaled = try #require(try p80("sub1.J0 * extentpertimeconv is J0"))
    #expect(abs(scaled - 6.6) < 1e-12)
  }

  @Test func timeConversionSlowsAnInstancesClock() throws {
    // x' = 1 per the instance's time unit (minutes) in a model counting seconds.
    let network = try load(
      """
      model timer()
        x = 0
        x' = 1
        hit = 0
        at time > 2: hit = 1
      end

      model *m()
        A: timer(), timeconv = 60
      end
      """)
    let trajectory = try simulate(network, end: 180, points: 181, columns: ["A.x", "A.hit"])
    let x = try #require(trajectory.column("A.x"))
    #expect(abs(x[180] - 3) < 1e-9)
    // The instance's `time > 2` is two of its minutes: 120 seconds.
    let hit = try #require(trajectory.column("A.hit"))
    #expect(hit[120] == 0 && hit[121] == 1)
  }

  @Test func extentConversionScalesReactionsAndSpeciesConversionFactorsScaleChanges() throws {
    let network = try load(
      """
      model source()
        compartment C = 1
        substanceOnly species S in C = 0
        J0: -> S; 1
      end

      model *m()
        A: source(), extentconv = 5
        compartment V = 1
        substanceOnly species T in V = 0
        J1: -> T; 1
        T.conversionFactor = f
        f = 3
      end
      """)
    let trajectory = try simulate(network, end: 2, points: 3, columns: ["A.S", "T"])
    #expect(try #require(trajectory.column("A.S")).map { ($0 * 1e9).rounded() / 1e9 } == [0, 5, 10])
    #expect(try #require(trajectory.column("T")).map { ($0 * 1e9).rounded() / 1e9 } == [0, 3, 6])
  }

  // MARK: - Diagnostics through the module boundary

  func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("osteon-modules-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  @Test func anErrorInAnImportedFileNamesTheFileAndTheInstanceChain() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(
      """
      model bad()
        species S = 1
        J0: S -> ; kk*S
      end
      """, to: folder.appendingPathComponent("parts/bad.ant"))
    try write(
      """
      import "parts/bad.ant"

      model pair()
        first: bad()
      end

      model *tissue()
        site: pair()
      end
      """, to: folder.appendingPathComponent("main.ant"))
    let loaded = try Network.load(path: folder.appendingPathComponent("main.ant").path)
    #expect(loaded.network == nil)
    let errors = loaded.diagnostics.filter { $0.severity == .error }
    #expect(errors.count == 1)
    let rendered = loaded.renderedDiagnostics
    #expect(rendered.contains("parts/bad.ant:3:14: error: unknown identifier `kk`"), "\(rendered)")
    #expect(rendered.contains("in model `bad`, copied by instance `site.first`"), "\(rendered)")
  }

  @Test func aCycleOfImportsIsOneErrorShowingTheChain() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(
      "import \"sub/partner.ant\"\nmodel *m()\n  A: partner()\nend\n", to: folder.appendingPathComponent("main.ant"))
    try write(
      "import \"../main.ant\"\nmodel partner()\n  species S = 1\n  S -> ; S\nend\n",
      to: folder.appendingPathComponent("sub/partner.ant"))
    let path = folder.appendingPathComponent("main.ant").path
    let loaded = try Network.load(path: path)
    let errors = loaded.diagnostics.filter { $0.severity == .error }
    #expect(errors.count == 1, "\(loaded.renderedDiagnostics)")
    #expect(
      loaded.renderedDiagnostics.contains(
        "sub/partner.ant:1:1: error: import cycle: \(path) → \(folder.path)/sub/partner.ant → ../main.ant"),
      "\(loaded.renderedDiagnostics)")
  }

  @Test func aMissingImportNamesTheChainThatReachedIt() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try write(
      "import \"parts/middle.ant\"\nmodel *m()\n  A: middle()\nend\n", to: folder.appendingPathComponent("main.ant"))
    try write(
      "import \"gone.ant\"\nmodel middle()\n  species S = 1\n  S -> ; S\nend\n",
      to: folder.appendingPathComponent("parts/middle.ant"))
    let loaded = try Network.load(path: folder.appendingPathComponent("main.ant").path)
    let rendered = loaded.renderedDiagnostics
    #expect(rendered.contains("middle.ant:1:1: error: cannot import `gone.ant`"), "\(rendered)")
    #expect(rendered.contains("imported through"), "\(rendered)")
  }
}
