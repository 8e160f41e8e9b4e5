import Foundation
import OsteonCompile
import OsteonNetwork
import OsteonSimulate
import Testing

/// Every network in Networks/published also loads in libAntimony (Tellurium) and
/// gives libRoadRunner's numbers when read from the same file.
///
/// References: Tests/Fixtures/shipped/<name>.csv, made by make_references.py there:
/// each network loaded by libAntimony 3.3, converted to SBML and solved by
/// libRoadRunner 2.10 (CVODE, rtol 1e-10, absolute 1e-12; 1e-16 for Rattanakul, whose
/// header says why) at 101 points over its natural span; a file libAntimony refused
/// would have no reference. Every floating species and rate-rule quantity is compared.
///
/// Tolerance, at every point of every column: |osteon − ref| ≤ 1e-6·max|ref column|
/// + 1e-5·|ref| (the published networks' rule, Networks/README.md), osteon at rtol
/// 1e-10, absolute 1e-12 (1e-14 for Rattanakul).
@Suite("Shipped networks against libAntimony and libRoadRunner")
struct ShippedNetworksTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let networks = root.appendingPathComponent("Networks/published")
  static let fixtures = root.appendingPathComponent("Tests/Fixtures/shipped")

  static let names: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: networks.path)) ?? []
    return files.filter { $0.hasSuffix(".ant") }.map { String($0.dropLast(4)) }.sorted()
  }()

  @Test func everyShippedNetworkHasAReference() {
    #expect(Self.names.count >= 7)
    for name in Self.names {
      #expect(
        FileManager.default.fileExists(atPath: Self.fixtures.appendingPathComponent("\(name).csv").path),
        "no libAntimony/libRoadRunner reference for \(name): run Tests/Fixtures/shipped/make_references.py")
    }
  }

  @Test(arguments: names)
  func matchesLibRoadRunnerThroughLibAntimony(_ name: String) throws {
    let text = try String(contentsOf: Self.networks.appendingPathComponent("\(name).ant"), encoding: .utf8)
    let loaded = Network.load(text: text, path: "Networks/published/\(name).ant")
    #expect(loaded.diagnostics.isEmpty, "\(loaded.renderedDiagnostics)")
    let network = try #require(loaded.network)
    let csv = try String(contentsOf: Self.fixtures.appendingPathComponent("\(name).csv"), encoding: .utf8)
    let lines = csv.split(separator: "\n")
    let header = lines[0].split(separator: ",").map(String.init)
    let rows = lines.dropFirst().map { $0.split(separator: ",").compactMap { Double($0) } }
    #expect(rows.count == 101 && rows.allSatisfy { $0.count == header.count })

    var problem = SimulationProblem(
      model: try CompiledModel(network: network), end: rows.last?[0] ?? 0, columns: Array(header.dropFirst()))
    problem.outputTimes = rows.map { $0[0] }
    var options = SolverOptions()
    options.relativeTolerance = 1e-10
    options.absoluteTolerance = .uniform(name == "rattanakul2003" ? 1e-14 : 1e-12)
    let trajectory = try Simulator(options: options).solve(problem)
    #expect(trajectory.rowCount == rows.count)

    for (index, id) in header.enumerated().dropFirst() {
      let ours = try #require(trajectory.column(id))
      let scale = rows.map { abs($0[index]) }.max() ?? 0
      var failures = 0
      var worst = (ratio: 0.0, time: 0.0)
      for (row, reference) in rows.enumerated() {
        let error = abs(ours[row] - reference[index])
        let tolerance = 1e-6 * scale + 1e-5 * abs(reference[index])
        if error > tolerance { failures += 1 }
        let ratio = tolerance > 0 ? error / tolerance : (error > 0 ? .infinity : 0)
        if ratio > worst.ratio { worst = (ratio, reference[0]) }
      }
      #expect(
        failures == 0,
        "\(name) \(id): \(failures) points out of tolerance, worst \(worst.ratio)× the allowed at t = \(worst.time)")
    }
  }
}
