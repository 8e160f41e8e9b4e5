import Foundation
import OsteonExperiment
import OsteonSimulate
import Testing

/// Doses and infusions into a one-compartment elimination network
/// (Tests/Fixtures/experiments/one_compartment.ant: C in V = 2.5, dC/dt = −k·C,
/// k = 0.3), against the closed forms, to 1e-8 relative (solved at rtol 1e-12).
///
/// - n bolus doses of amount D every τ from t₀: C(t) = Σ_{tᵢ ≤ t} (D/V)·e^{−k(t−tᵢ)}
///   (the concentration rises by D/V: the amount goes into 2.5 L, not 1).
/// - An infusion of R per hour from a to b: C = R/(kV)·(1 − e^{−k(t−a)}) inside,
///   then C(b)·e^{−k(t−b)}.
@Suite("DosingTests")
struct DosingTests {
  static let k = 0.3
  static let volume = 2.5
  static let doseTimes = (0..<12).map { 4.0 + 8.0 * Double($0) }

  static func bolus(_ t: Double, includingDoseAt: Bool = true) -> Double {
    doseTimes.filter { includingDoseAt ? $0 <= t : $0 < t }.reduce(0) { $0 + 50 / volume * exp(-k * (t - $1)) }
  }

  static func infusion(_ t: Double) -> Double {
    let rate = 6.0
    let plateau = rate / (k * volume)
    if t <= 10 { return 0 }
    if t <= 40 { return plateau * (1 - exp(-k * (t - 10))) }
    return plateau * (1 - exp(-k * 30)) * exp(-k * (t - 40))
  }

  /// The dosing experiment with extra record times just before each dose.
  static func experiment() throws -> Experiment {
    var experiment = try Experiment(contentsOfFile: ExperimentFixtures.path("dosing.toml"))
    let before = doseTimes.map { $0 - 1e-7 }
    experiment.outputTimes = Array(Set(experiment.outputTimes + before + doseTimes + [10 - 1e-7, 40 - 1e-7])).sorted()
    return experiment
  }

  static func expectClose(_ ours: Double, _ exact: Double, _ what: String) {
    let error = abs(ours - exact)
    #expect(error <= 1e-8 * abs(exact) + 1e-14, "\(what): \(ours) vs exact \(exact) (relative \(error / abs(exact)))")
  }

  @Test func repeatedBolusDosesMatchTheClosedFormBeforeAtAndBetweenDoses() async throws {
    let results = try await ExperimentFixtures.run(try Self.experiment())
    let trajectory = try #require(results.trajectory(ofArm: "bolus"))
    var checked = 0
    for time in results.plan.experiment.outputTimes {
      let ours = try #require(trajectory.value("C", at: time))
      // At a dose time the row is just after the dose.
      Self.expectClose(ours, Self.bolus(time), "C at t = \(time)")
      checked += 1
    }
    #expect(checked == 135)
    // Just before and just after the fifth dose: the jump is D/V.
    let before = try #require(trajectory.value("C", at: Self.doseTimes[4] - 1e-7))
    let after = try #require(trajectory.value("C", at: Self.doseTimes[4]))
    #expect(abs((after - before) - 50 / Self.volume) <= 1e-8 * 20)
  }

  @Test func anInfusionWindowMatchesTheClosedForm() async throws {
    let results = try await ExperimentFixtures.run(try Self.experiment())
    let trajectory = try #require(results.trajectory(ofArm: "infusion"))
    for time in results.plan.experiment.outputTimes where time > 10 {
      Self.expectClose(try #require(trajectory.value("C", at: time)), Self.infusion(time), "C at t = \(time)")
    }
    for time in results.plan.experiment.outputTimes where time <= 10 {
      #expect(try #require(trajectory.value("C", at: time)) == 0)
    }
  }

  @Test func anArmIncludingTwoOthersAddsTheirEffects() async throws {
    // The system is linear: bolus + infusion is the sum of the two closed forms.
    let results = try await ExperimentFixtures.run(try Self.experiment())
    let trajectory = try #require(results.trajectory(ofArm: "both"))
    for time in results.plan.experiment.outputTimes where time > 10 {
      Self.expectClose(
        try #require(trajectory.value("C", at: time)), Self.bolus(time) + Self.infusion(time), "C at t = \(time)")
    }
  }

  @Test func aConcentrationDoseRaisesTheConcentrationByItself() async throws {
    let text = """
      network = "one_compartment.ant"
      end = 10
      [output]
      times = [0, 2, 5, 10]
      [solver]
      rtol = 1e-12
      atol = 1e-16
      [arms.rise]
      doses = [{ species = "C", concentration = 3, at = 2 }]
      """
    let experiment = try Experiment(text: text, path: ExperimentFixtures.path("inline.toml"))
    let trajectory = try #require(try await ExperimentFixtures.run(experiment).trajectory(ofArm: "rise"))
    Self.expectClose(try #require(trajectory.value("C", at: 5)), 3 * exp(-Self.k * 3), "C at t = 5")
  }

  @Test func knockoutsScaleAReactionOrEveryProducerOfASpecies() async throws {
    // G: production p·V, loss q·G·V → dG/dt = p − q·G, G(0) = 4, steady p/q = 4.
    // Production at 25 % from t = 5: G → 1 with rate q; a loss knockout from 5 to 9
    // leaves dG/dt = p: G rises linearly by 2 per hour, then relaxes back to 4.
    let text = """
      network = "one_compartment.ant"
      end = 20
      [output]
      variables = ["G"]
      times = [0, 5, 7, 9, 12, 20]
      [solver]
      rtol = 1e-12
      atol = 1e-16
      [arms.down]
      knockouts = [{ production_of = "G", factor = 0.25, from = 5 }]
      [arms.no_loss]
      knockouts = [{ reaction = "loss", from = 5, until = 9 }]
      [arms.untimed]
      knockouts = [{ reaction = "production" }]
      """
    let experiment = try Experiment(text: text, path: ExperimentFixtures.path("inline.toml"))
    let results = try await ExperimentFixtures.run(experiment)
    let down = try #require(results.trajectory(ofArm: "down"))
    for time in [7.0, 12, 20] {
      Self.expectClose(try #require(down.value("G", at: time)), 1 + 3 * exp(-0.5 * (time - 5)), "G down at \(time)")
    }
    let noLoss = try #require(results.trajectory(ofArm: "no_loss"))
    Self.expectClose(try #require(noLoss.value("G", at: 7)), 8, "G without loss at 7")
    Self.expectClose(try #require(noLoss.value("G", at: 9)), 12, "G without loss at 9")
    Self.expectClose(try #require(noLoss.value("G", at: 12)), 4 + 8 * exp(-0.5 * 3), "G after the window at 12")
    let untimed = try #require(results.trajectory(ofArm: "untimed"))
    Self.expectClose(try #require(untimed.value("G", at: 5)), 4 * exp(-0.5 * 5), "G with no production at 5")
  }

  @Test func schedulesAndWindowsRestoreTheValueBefore() async throws {
    // k steps 0.3 → 0.6 at 2 → 0.1 at 4, back to 0.3 at 6 (the schedule's end).
    let text = """
      network = "one_compartment.ant"
      end = 8
      [output]
      times = [0, 2, 4, 6, 8]
      [solver]
      rtol = 1e-12
      atol = 1e-16
      [arms.schedule]
      initial = { C = 1 }
      schedule = [{ parameter = "k", times = [2, 4], values = [0.6, 0.1], until = 6 }]
      [arms.window]
      initial = { C = 1 }
      changes = [{ parameter = "k", scale = 2, from = 2, until = 6 }]
      """
    let experiment = try Experiment(text: text, path: ExperimentFixtures.path("inline.toml"))
    let results = try await ExperimentFixtures.run(experiment)
    let schedule = try #require(results.trajectory(ofArm: "schedule"))
    let exponents: [(Double, Double)] = [(2, 0.3 * 2), (4, 0.6 + 0.6 * 2), (6, 0.6 + 1.2 + 0.2), (8, 2.6)]
    for (time, exponent) in exponents {
      Self.expectClose(try #require(schedule.value("C", at: time)), exp(-exponent), "scheduled C at \(time)")
    }
    let window = try #require(results.trajectory(ofArm: "window"))
    Self.expectClose(try #require(window.value("C", at: 8)), exp(-(0.6 + 0.6 * 4 + 0.6)), "windowed C at 8")
  }
}

/// `preequilibrate = true`: every arm starts from the baseline's steady state.
@Suite("PreequilibrationTests")
struct PreequilibrationTests {
  /// An arm that sets a baseline parameter keeps its value after pre-equilibration:
  /// from S* = k_in/k_out = 4 (the baseline's), with k_in = 4 the arm follows
  /// S(t) = 8 − 4·e^(−t/2). Tolerance 1e-8 relative.
  @Test func anArmsOwnValueOfABaselineParameterAppliesFromTheSteadyState() async throws {
    let network = ExperimentFixtures.root.appendingPathComponent("Tests/Fixtures/sensitivity/turnover.ant").path
    let text = """
      network = "\(network)"
      end = 4
      preequilibrate = true
      [baseline]
      k_in = 2
      [output]
      times = [0, 2, 4]
      [solver]
      rtol = 1e-12
      atol = 1e-16
      [arms.same]
      [arms.raised]
      set = { k_in = 4 }
      """
    let results = try await ExperimentFixtures.run(
      try Experiment(text: text, path: ExperimentFixtures.path("inline.toml")))
    let same = try #require(results.trajectory(ofArm: "same"))
    let raised = try #require(results.trajectory(ofArm: "raised"))
    for time in [0.0, 2, 4] {
      let expected = 8 - 4 * exp(-time / 2)
      let value = try #require(raised.value("S", at: time))
      #expect(abs(value - expected) <= 1e-8 * expected, "S(\(time)) = \(value), expected \(expected)")
      let steady = try #require(same.value("S", at: time))
      #expect(abs(steady - 4) <= 1e-8 * 4, "untreated S(\(time)) = \(steady)")
    }
  }

  @Test func armsStartFromTheBaselinesSteadyState() async throws {
    // A baseline with more PTH production and a start far from any steady state:
    // the untreated arm must then stay where it starts (it is a steady state), and
    // the start must be the steady state `osteon steady` finds for the same values.
    let network = ExperimentFixtures.root.appendingPathComponent("Networks/published/lemaire2004.ant").path
    let text = """
      network = "\(network)"
      end = 140
      preequilibrate = true
      [baseline]
      S_P = 300
      OBp = 2e-3
      [output]
      times = [0, 20, 140]
      [solver]
      rtol = 1e-12
      atol = 1e-16
      [arms.none]
      [arms.pth]
      changes = [{ parameter = "I_P", set = 1000, from = 20, until = 80 }]
      """
    let experiment = try Experiment(text: text, path: ExperimentFixtures.path("inline.toml"))
    let results = try await ExperimentFixtures.run(experiment)
    let model = results.plan.model
    let steady = try findSteadyState(of: model, parameters: ["S_P": 300])
    let none = try #require(results.trajectory(ofArm: "none"))
    for id in ["OBp", "OBa", "OCa"] {
      let expected = try #require(steady.value(of: id))
      for time in [0.0, 20, 140] {
        let value = try #require(none.value(id, at: time))
        #expect(abs(value - expected) <= 1e-9 * expected, "\(id) at \(time): \(value) vs steady \(expected)")
      }
      // More PTH moves the steady state away from the network's own.
      guard case .number(let written)? = model.network.initialValue(of: id) else {
        Issue.record("\(id) has no number in the network")
        continue
      }
      #expect(abs(expected - written) > 1e-6 * expected)
    }
    let pth = try #require(results.trajectory(ofArm: "pth"))
    #expect(try #require(pth.value("OCa", at: 20)) == (try #require(none.value("OCa", at: 20))))
    #expect(try #require(pth.value("OCa", at: 140)) != (try #require(none.value("OCa", at: 140))))
  }
}

/// `first_crossing` with `report`: the value of another variable at the crossing.
@Suite("CrossingReportTests")
struct CrossingReportTests {
  @Test func aCrossingReportsAnotherVariableThere() async throws {
    // One dose of 50 into 2.5 L at 4 h: C = 20·e^{−0.3(t−4)} falls through 5 at
    // t = 4 + ln 4/0.3 h; `day := time/24` there is that over 24 (grid error ~1e-5).
    // Looked for from 5 h: before the dose C = 0 is already below 5.
    let text = """
      network = "one_compartment.ant"
      end = 120
      [output]
      times = [0, 120]
      [solver]
      rtol = 1e-12
      atol = 1e-16
      [arms.dose]
      doses = [{ species = "C", amount = 50, at = 4 }]
      [[summaries]]
      name = "C below 5"
      variable = "C"
      kind = "first_crossing"
      threshold = 5
      direction = "down"
      from = 5
      report = "day"
      """
    let experiment = try Experiment(text: text, path: ExperimentFixtures.path("inline.toml"))
    let results = try await ExperimentFixtures.run(experiment)
    let value = try #require(results.armSummaries.first?.first)
    let crossing = 4 + log(4.0) / 0.3
    #expect(abs(value.value - crossing / 24) < 1e-4, "\(value)")
    #expect(abs((value.time ?? 0) - crossing) < 1e-3, "\(value)")
  }
}
