import Foundation
import OsteonCompile
import OsteonNetwork
import OsteonSimulate
import Testing

/// BioModels as a Tellurium user meets them: libAntimony's conversions of the curated
/// SBML in the reference kit (events, substanceOnly species, assignment rules, up to
/// 37 species), run as the conformance harness runs the corpus.
///
/// References: Tests/Fixtures/biomodels/<name>.csv, made by make_sample.py there from
/// the even-numbered BIOMD files and MODEL1006230083: libRoadRunner 2.10 (CVODE, rtol
/// 1e-10, absolute 1e-12) at 101 points from 0 to 100 (90 for MODEL1006230083).
///
/// Rule, as in Tests/Conformance: |osteon − ref| ≤ 1e-6·max|ref column| + 1e-4·|ref|
/// at every point, osteon at rtol 1e-8 with its default absolute tolerance (1e-12,
/// capped at rtol times each state's starting magnitude).
@Suite("BioModels sample through libAntimony")
struct BioModelsSampleTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/biomodels")

  static let names: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
    return files.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
  }()

  @Test func theSampleIsThere() {
    #expect(Self.names.count >= 7)
  }

  @Test(arguments: names)
  func matchesLibRoadRunner(_ name: String) throws {
    try check(name, solver: .auto)
  }

  /// KLU forced on every model (however small): the sparse path meets the same rule.
  @Test(arguments: names)
  func theSparsePathMatchesToo(_ name: String) throws {
    try check(name, solver: .sparse)
  }

  func check(_ name: String, solver: LinearSolver) throws {
    let text = try String(contentsOf: Self.fixtures.appendingPathComponent("\(name).ant"), encoding: .utf8)
    let loaded = Network.load(text: text, path: "\(name).ant")
    let network = try #require(loaded.network, "\(loaded.renderedDiagnostics)")
    let csv = try String(contentsOf: Self.fixtures.appendingPathComponent("\(name).csv"), encoding: .utf8)
    let lines = csv.split(separator: "\n")
    let header = lines[0].split(separator: ",").map(String.init)
    let rows = lines.dropFirst().map { $0.split(separator: ",").compactMap { Double($0) } }
    var problem = SimulationProblem(
      model: try CompiledModel(network: network), end: rows.last?[0] ?? 0, columns: Array(header.dropFirst()))
    problem.outputTimes = rows.map { $0[0] }
    var options = SolverOptions()
    options.relativeTolerance = 1e-8
    options.linearSolver = solver
    let trajectory = try Simulator(options: options).solve(problem)
    for (index, id) in header.enumerated().dropFirst() {
      let ours = try #require(trajectory.column(id))
      let scale = rows.map { abs($0[index]) }.max() ?? 0
      let failures = rows.indices.filter { row in
        abs(ours[row] - rows[row][index]) > 1e-6 * scale + 1e-4 * abs(rows[row][index])
      }
      #expect(
        failures.isEmpty,
        "\(name) \(id) (\(solver)): \(failures.count) points out of the rule, first at t = \(failures.first.map { rows[$0][0] } ?? 0)"
      )
    }
  }
}
