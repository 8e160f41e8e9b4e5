import Foundation
import Testing

@testable import OsteonSensitivity

/// Sobol indices of the Ishigami function against their closed form (a = 7,
/// b = 0.1; Ishigami and Homma 1990, Sobol' and Levitan 1999):
/// V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2, V1 = (1 + bπ⁴/5)²/2, V2 = a²/8,
/// V13 = b²π⁸(1/18 − 1/50), V3 = 0.
@Suite struct IshigamiTests {
  static let a = 7.0
  static let b = 0.1
  static let pi4 = Double.pi * Double.pi * Double.pi * Double.pi
  static let variance = a * a / 8 + b * pi4 / 5 + b * b * pi4 * pi4 / 18 + 0.5
  static let v1 = (1 + b * pi4 / 5) * (1 + b * pi4 / 5) / 2
  static let v2 = a * a / 8
  static let v13 = b * b * pi4 * pi4 * (1.0 / 18 - 1.0 / 50)
  static let firstOrder = [v1 / variance, v2 / variance, 0]
  static let total = [(v1 + v13) / variance, v2 / variance, v13 / variance]

  @Test func closedFormMatchesTheIssue() {
    // The values the issue quotes, to four digits.
    for (value, quoted) in zip(Self.firstOrder + Self.total, [0.3139, 0.4424, 0, 0.5576, 0.4424, 0.2437]) {
      #expect(abs(value - quoted) < 1e-4)
    }
  }

  @Test func sobolIndicesAtTwoToTheFourteen() async throws {
    let study = try SensitivityStudy(contentsOfFile: SensitivityFixtures.path("ishigami.toml"))
    let prepared = try SensitivityFixtures.prepare(study)
    let design = try SaltelliDesign.make(space: study.space, samples: 16384, secondOrder: false)
    #expect(design.rowCount == 16384 * 5)
    let outcomes = try #require(
      await StudyRunner(study: prepared, threads: 2, chunk: 512).run(design: design, rows: 0..<design.rowCount))
    let outputs = outcomes.map { $0.outputs(count: 1) }
    let indices = try #require(
      SobolAnalysis.analyze(
        design: design, outputs: outputs, names: prepared.outputNames, settings: study.sobol, seed: study.seed
      ).first)
    #expect(indices.validSamples == 16384)
    for factor in 0..<3 {
      let s1 = indices.firstOrder[factor]
      let st = indices.total[factor]
      // Within 0.02 of the closed form, and the 95 % intervals cover it.
      #expect(abs(s1.value - Self.firstOrder[factor]) < 0.02, "S1[\(factor)] = \(s1)")
      #expect(abs(st.value - Self.total[factor]) < 0.02, "ST[\(factor)] = \(st)")
      #expect(s1.lower <= Self.firstOrder[factor] && Self.firstOrder[factor] <= s1.upper, "S1[\(factor)] = \(s1)")
      #expect(st.lower <= Self.total[factor] && Self.total[factor] <= st.upper, "ST[\(factor)] = \(st)")
    }
    // The convergence report: N/4, N/2, N.
    #expect(indices.convergence.map(\.samples) == [4096, 8192, 16384])
    #expect(indices.convergence.last?.firstOrder == indices.firstOrder.map(\.value))
  }
}
