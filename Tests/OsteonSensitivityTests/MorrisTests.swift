import Foundation
import Testing

@testable import OsteonSensitivity

/// Morris measures against SALib's `morris.analyze` on the same design (the design
/// and SALib's results are fixtures, written by Tests/Fixtures/sensitivity/
/// make_morris_reference.py), and the properties of Osteon's own designs.
@Suite struct MorrisTests {
  static func csv(_ name: String) throws -> [[String]] {
    let text = try String(contentsOfFile: SensitivityFixtures.path(name), encoding: .utf8)
    return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
  }

  @Test func measuresMatchSALibOnTheSameDesign() async throws {
    let study = try SensitivityStudy(contentsOfFile: SensitivityFixtures.path("ishigami.toml"))
    let prepared = try SensitivityFixtures.prepare(study)
    let unit = try Self.csv("morris_design.csv").map { row in row.compactMap(Double.init) }
    let design = Design(method: .morris, space: study.space, unit: unit, blockSize: 4)
    let outcomes = try #require(await StudyRunner(study: prepared, threads: 2).run(design: design, rows: 0..<80))
    var settings = study.morris
    settings.levels = 4
    let indices = try #require(
      MorrisAnalysis.analyze(
        design: design, outputs: outcomes.map { $0.outputs(count: 1) }, names: ["y"], settings: settings, seed: 1
      ).first)
    let reference = try Self.csv("morris_reference.csv")
    for (factor, row) in reference.enumerated() {
      let (mu, muStar, sigma) = (Double(row[1]) ?? .nan, Double(row[2]) ?? .nan, Double(row[3]) ?? .nan)
      // Same design, same function: equal to rounding (relative 1e-9).
      #expect(abs(indices.mean[factor] - mu) <= 1e-9 * max(1, abs(mu)))
      #expect(abs(indices.absoluteMean[factor].value - muStar) <= 1e-9 * max(1, muStar))
      #expect(abs(indices.standardDeviation[factor] - sigma) <= 1e-9 * max(1, sigma))
      #expect(indices.effects[factor] == 20)
    }
    let referenceRanks = reference.indices.sorted { (Double(reference[$0][2]) ?? 0) > (Double(reference[$1][2]) ?? 0) }
    let ranks = (0..<3).sorted { indices.absoluteMean[$0].value > indices.absoluteMean[$1].value }
    #expect(ranks == referenceRanks)
  }

  @Test(arguments: [0, 60])
  func trajectoriesMoveOneFactorByDelta(candidates: Int) throws {
    let study = try SensitivityStudy(contentsOfFile: SensitivityFixtures.path("ishigami.toml"))
    var settings = MorrisSettings()
    settings.trajectories = 10
    settings.levels = 6
    settings.candidates = candidates
    let design = try MorrisDesign.make(space: study.space, settings: settings, seed: 3)
    #expect(design.rowCount == 10 * 4)
    let delta = MorrisDesign.delta(levels: 6)
    for block in 0..<design.blockCount {
      var moved: Set<Int> = []
      for step in 0..<3 {
        let before = design.unit[block * 4 + step]
        let after = design.unit[block * 4 + step + 1]
        let changed = (0..<3).filter { before[$0] != after[$0] }
        #expect(changed.count == 1)
        if let factor = changed.first {
          #expect(abs(abs(after[factor] - before[factor]) - delta) < 1e-12)
          moved.insert(factor)
        }
      }
      #expect(moved.count == 3)
      for point in design.unit[(block * 4)..<(block * 4 + 4)] {
        // On the grid of 6 levels in [0, 1].
        for u in point { #expect(abs(u * 5 - (u * 5).rounded()) < 1e-9 && u >= 0 && u <= 1) }
      }
    }
  }

  @Test func wellSpreadSelectionSpreadsFurtherThanTheFirstDrawn() throws {
    let study = try SensitivityStudy(contentsOfFile: SensitivityFixtures.path("ishigami.toml"))
    var settings = MorrisSettings()
    settings.trajectories = 6
    settings.candidates = 0
    let drawn = try MorrisDesign.make(space: study.space, settings: settings, seed: 5)
    settings.candidates = 40
    let chosen = try MorrisDesign.make(space: study.space, settings: settings, seed: 5)
    func spread(_ design: Design) -> Double {
      let trajectories = (0..<design.blockCount).map { Array(design.unit[($0 * 4)..<($0 * 4 + 4)]) }
      var total = 0.0
      for a in trajectories.indices {
        for b in trajectories.indices where b > a {
          var sum = 0.0
          for x in trajectories[a] {
            for y in trajectories[b] { sum += zip(x, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() }
          }
          total += sum * sum
        }
      }
      return total.squareRoot()
    }
    #expect(chosen.blockCount == 6)
    #expect(spread(chosen) > spread(drawn))
  }
}
