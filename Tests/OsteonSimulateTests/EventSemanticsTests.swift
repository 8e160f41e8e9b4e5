import Foundation
import OsteonCompile
import OsteonNetwork
import OsteonSimulate
import Testing

// SBML Level 3 event semantics (L3V2 §4.12), each expectation derived by hand from
// the network's equations; the derivation is in the comment above each check.
//
// Reminders of the rules tested here:
// - an event fires when its trigger goes from false to true; with t0 = true (the
//   default) the trigger is taken as true just before the start, so a trigger
//   already true at the start does not fire, with t0 = false it fires at the start;
// - a delayed event executes at trigger time + delay, the delay evaluated at
//   trigger time; with fromTrigger = true its assignments are evaluated at trigger
//   time, with fromTrigger = false at execution time;
// - a non-persistent event whose trigger turns false before it executes is dropped;
// - events executing at the same moment go by decreasing priority, each one
//   evaluating all its assignments before applying any.

// MARK: - Helpers

func compile(_ text: String) throws -> CompiledModel {
  let loaded = Network.load(text: text, path: "events.ant")
  let network = try #require(loaded.network, "\(loaded.renderedDiagnostics)")
  return try CompiledModel(network: network)
}

func simulate(
  _ text: String, start: Double = 0, end: Double, points: Int = 11, outputTimes: [Double]? = nil,
  columns: [String], eventRows: Bool = false, rtol: Double = 1e-10, atol: Double = 1e-12,
  chatterLimit: Int? = nil, method: IntegrationMethod = .msbdf, eventSeed: UInt64? = nil,
  maximumSteps: Int? = nil
) throws -> Trajectory {
  let model = try compile(text)
  var problem = SimulationProblem(
    model: model, start: start, end: end, points: points, parameters: [:], columns: columns)
  if let outputTimes { problem.outputTimes = outputTimes }
  var options = SolverOptions()
  options.relativeTolerance = rtol
  options.absoluteTolerance = .uniform(atol)
  options.eventRows = eventRows
  if let chatterLimit { options.chatterLimit = chatterLimit }
  options.method = method
  if let eventSeed { options.eventSeed = eventSeed }
  if let maximumSteps { options.maximumSteps = maximumSteps }
  return try Simulator(options: options).solve(problem)
}

/// The rows of one kind (before or after an event): their times and a column's values.
private func rows(_ trajectory: Trajectory, _ kind: Trajectory.RowKind, _ column: String) -> [(
  time: Double, value: Double
)] {
  let values = trajectory.column(column) ?? []
  return trajectory.rowKinds.indices.filter { trajectory.rowKinds[$0] == kind }.map {
    (trajectory.times[$0], values[$0])
  }
}

/// Event rows after the start only. Tests about events later in the run use these,
/// so that their checks stay independent of the rows at t = 0, which
/// `noEventRowsAtStartWhenNothingFires` checks on its own.
private func laterRows(_ trajectory: Trajectory, _ kind: Trajectory.RowKind, _ column: String) -> [(
  time: Double, value: Double
)] {
  rows(trajectory, kind, column).filter { $0.time > 0 }
}

func value(_ trajectory: Trajectory, _ id: String, at time: Double) throws -> Double {
  try #require(trajectory.value(id, at: time), "no output row for \(id) at t = \(time)")
}

func close(_ actual: Double, _ expected: Double, relative: Double = 1e-7, absolute: Double = 1e-10) -> Bool {
  abs(actual - expected) <= max(absolute, relative * abs(expected))
}

/// All event-semantics suites, so that `--filter EventSemanticsTests` selects them.
@Suite("Event semantics") struct EventSemanticsTests {}

// MARK: - 1. t0

extension EventSemanticsTests {
  @Suite("Event semantics: t0 (initial trigger value)")
  struct EventInitialValueTests {
    // `time >= 0` is true at the start and stays true. With t0 = true the trigger is
    // taken as true before the start, so there is never a false→true transition:
    // the event never fires (n = 0).
    @Test func timeTriggerTrueAtStartDoesNotFireWithDefaultT0() throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; n = 0
        E1: at time >= 0: n = n + 1
        """, end: 5, points: 6, columns: ["n"])
      #expect(try value(trajectory, "n", at: 5) == 0)
      #expect(trajectory.statistics.eventsFired == 0)
    }

    // With t0 = false the trigger is false before the start and true at t = 0: the
    // event fires once, at t = 0 (tf = time = 0), and never again (stays true).
    @Test func timeTriggerTrueAtStartFiresAtZeroWithT0False() throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; n = 0; tf = -1
        E1: at time >= 0, t0=false: n = n + 1, tf = time
        """, end: 5, points: 6, columns: ["n", "tf"], eventRows: true)
      #expect(try value(trajectory, "n", at: 5) == 1)
      #expect(try value(trajectory, "tf", at: 5) == 0)
      #expect(trajectory.statistics.eventsFired == 1)
      #expect(rows(trajectory, .beforeEvent, "n").map(\.time) == [0])
      #expect(rows(trajectory, .afterEvent, "n").map(\.value) == [1])
    }

    // A delayed event triggered at the start (t0 = false) executes at 0 + 1.5.
    @Test func delayedEventTriggeredAtStartExecutesAfterItsDelay() throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; y = 0; te = -1
        E1: at 1.5 after time >= 0, t0=false, fromTrigger=false: y = 1, te = time
        """, end: 5, points: 6, columns: ["y", "te"])
      #expect(try value(trajectory, "y", at: 1) == 0)
      #expect(try value(trajectory, "y", at: 2) == 1)
      #expect(try value(trajectory, "te", at: 5) == 1.5)
    }

    // x' = time - 2, x(0) = 2  ⇒  x(t) = 2 - 2t + t²/2. `x > 1` is true at the start,
    // false on (2 - √2, 2 + √2), true again from t = 2 + √2 ≈ 3.41421356.
    // t0 = true: fires only at 2 + √2 (n = 1). t0 = false: also at t = 0 (n = 2).
    @Test func stateTriggerAlreadyTrueAtStart() throws {
      let network = { (t0: Bool) in
        """
        x' = time - 2; x = 2; n = 0; tf = -1
        E1: at x > 1, t0=\(t0): n = n + 1, tf = time
        """
      }
      let crossing = 2 + 2.0.squareRoot()
      let defaultT0 = try simulate(network(true), end: 5, points: 6, columns: ["n", "tf"])
      #expect(try value(defaultT0, "n", at: 5) == 1)
      #expect(abs(try value(defaultT0, "tf", at: 5) - crossing) < 1e-8)
      #expect(try value(defaultT0, "n", at: 0) == 0)

      let falseT0 = try simulate(network(false), end: 5, points: 6, columns: ["n", "tf"])
      #expect(try value(falseT0, "n", at: 1) == 1)
      #expect(try value(falseT0, "n", at: 5) == 2)
      #expect(abs(try value(falseT0, "tf", at: 5) - crossing) < 1e-8)
    }

    // With event rows, a model whose events do not fire at the start has no event rows
    // at t = 0 (the rows are "the state just before an event changed it").
    @Test func noEventRowsAtStartWhenNothingFires() throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; k = 0
        E1: at time >= 2: k = 1
        """, end: 5, points: 6, columns: ["k"], eventRows: true)
      #expect(rows(trajectory, .beforeEvent, "k").map(\.time) == [2])
      #expect(rows(trajectory, .afterEvent, "k").map(\.time) == [2])
    }
  }
}

// MARK: - 2. Delays

extension EventSemanticsTests {
  @Suite("Event semantics: delays")
  struct EventDelayTests {
    // Trigger true at t = 1, delay 2: executes at 3 (te = time at execution, since
    // fromTrigger = false). y is 0 at t = 2 and 1 at t = 4.
    @Test func constantDelay() throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; y = 0; te = -1
        E1: at 2 after time >= 1, fromTrigger=false: y = 1, te = time
        """, end: 5, points: 6, columns: ["y", "te"], eventRows: true)
      #expect(try value(trajectory, "y", at: 2) == 0)
      #expect(try value(trajectory, "y", at: 4) == 1)
      #expect(try value(trajectory, "te", at: 5) == 3)
      #expect(trajectory.statistics.eventsFired == 1)
    }

    // Event rows mark executions (state changes), not the moment a delayed event is
    // merely scheduled: one before/after pair, at t = 3, none at the trigger time 1.
    @Test func eventRowsOnlyWhereAnEventExecutes() throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; y = 0
        E1: at 2 after time >= 1: y = 1
        """, end: 5, points: 6, columns: ["y"], eventRows: true)
      #expect(laterRows(trajectory, .beforeEvent, "y").map(\.time) == [3])
      #expect(laterRows(trajectory, .beforeEvent, "y").map(\.value) == [0])
      #expect(laterRows(trajectory, .afterEvent, "y").map(\.value) == [1])
    }

    // Delay d*2 with d = 1.5: trigger at 1, executes at 1 + 3 = 4.
    @Test func delayGivenByAnExpression() throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; y = 0; d = 1.5; te = -1
        E1: at d*2 after time >= 1, fromTrigger=false: y = 1, te = time
        """, end: 6, points: 7, columns: ["y", "te"])
      #expect(try value(trajectory, "y", at: 3) == 0)
      #expect(try value(trajectory, "y", at: 5) == 1)
      #expect(try value(trajectory, "te", at: 6) == 4)
    }

    // The delay is evaluated at trigger time: d = 3 at t = 1, so execution at 4 even
    // though E2 sets d = 100 at t = 2.
    @Test func delayIsEvaluatedAtTriggerTime() throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; y = 0; d = 3; te = -1
        E1: at d after time >= 1, fromTrigger=false: y = 1, te = time
        E2: at time >= 2: d = 100
        """, end: 6, points: 7, columns: ["y", "te"])
      #expect(try value(trajectory, "te", at: 6) == 4)
      #expect(try value(trajectory, "y", at: 6) == 1)
    }

    // x' = 1, x(0) = 0: `x > 2` turns true at t = 2; delay 0.5 ⇒ executes at 2.5.
    @Test func delayAfterStateTrigger() throws {
      let trajectory = try simulate(
        """
        x' = 1; x = 0; te = -1
        E1: at 0.5 after x > 2, fromTrigger=false: te = time
        """, end: 5, points: 6, columns: ["te"])
      #expect(abs(try value(trajectory, "te", at: 5) - 2.5) < 1e-8)
    }

    // Several pending instances of one event: the trigger is true on [1, 1.5) and
    // again from 2, each time with delay 3 ⇒ executions at 4 and 5 (two firings).
    // fromTrigger = true: v takes the trigger times 1 then 2, and n = n + 1 is
    // evaluated at each trigger time, when n is still 0, so n = 1 after both.
    @Test func severalPendingInstances() throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; v = 0; n = 0
        E1: at 3 after (time >= 1 && time < 1.5) || time >= 2: v = time, n = n + 1
        """, end: 6, points: 13, columns: ["v", "n"])
      #expect(try value(trajectory, "v", at: 3.5) == 0)
      #expect(try value(trajectory, "v", at: 4.5) == 1)
      #expect(try value(trajectory, "n", at: 4.5) == 1)
      #expect(try value(trajectory, "v", at: 6) == 2)
      #expect(try value(trajectory, "n", at: 6) == 1)
      #expect(trajectory.statistics.eventsFired == 2)
    }
  }
}

// MARK: - 3. fromTrigger

extension EventSemanticsTests {
  @Suite("Event semantics: fromTrigger")
  struct EventFromTriggerTests {
    // x' = 1, x(0) = 0, so x = t. Trigger at t = 1, delay 2, execution at t = 3.
    // fromTrigger = true: y = x(1) = 1. fromTrigger = false: y = x(3) = 3.
    @Test(arguments: [(true, 1.0), (false, 3.0)])
    func valuesFromTriggerOrExecutionTime(fromTrigger: Bool, expected: Double) throws {
      let trajectory = try simulate(
        """
        x' = 1; x = 0; y = 0
        E1: at 2 after time >= 1, fromTrigger=\(fromTrigger): y = x
        """, end: 5, points: 6, columns: ["x", "y"])
      #expect(close(try value(trajectory, "y", at: 5), expected, relative: 1e-9))
      #expect(try value(trajectory, "y", at: 2) == 0)
      #expect(close(try value(trajectory, "x", at: 5), 5, relative: 1e-9))
    }

    // The default is fromTrigger = true.
    @Test func defaultIsFromTrigger() throws {
      let trajectory = try simulate(
        """
        x' = 1; x = 0; y = 0
        E1: at 2 after time >= 1: y = x
        """, end: 5, points: 6, columns: ["y"])
      #expect(close(try value(trajectory, "y", at: 5), 1, relative: 1e-9))
    }
  }
}

// MARK: - 4. persistent

extension EventSemanticsTests {
  @Suite("Event semantics: persistent")
  struct EventPersistenceTests {
    // Trigger true on [1, 2), delay 2 (execution due at 3). The trigger turns false at
    // t = 2 < 3: persistent = false drops the event (y stays 0, nothing fires);
    // persistent = true (the default) executes it at 3 (y = 1).
    @Test(arguments: [(false, 0.0, 0), (true, 1.0, 1)])
    func timeTriggerTurningFalseBeforeExecution(persistent: Bool, expected: Double, fired: Int) throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; y = 0
        E1: at 2 after (time >= 1 && time < 2), persistent=\(persistent): y = 1
        """, end: 5, points: 6, columns: ["y"])
      #expect(try value(trajectory, "y", at: 5) == expected)
      #expect(trajectory.statistics.eventsFired == fired)
    }

    // Same with a state trigger: x = t, `x > 1 && x < 1.5` true on (1, 1.5), delay 1
    // (due at 2). Non-persistent: dropped at 1.5; persistent: executes at 2. Outputs
    // every 0.25, so that a grid point lies inside the window (detecting the window
    // without one is `stateWindowStraddledByOutputPoints`).
    @Test(arguments: [(false, 0.0, 0), (true, 1.0, 1)])
    func stateTriggerTurningFalseBeforeExecution(persistent: Bool, expected: Double, fired: Int) throws {
      let trajectory = try simulate(
        """
        x' = 1; x = 0; y = 0; te = -1
        E1: at 1 after (x > 1 && x < 1.5), persistent=\(persistent), fromTrigger=false: y = 1, te = time
        """, end: 4, points: 17, columns: ["y", "te"])
      #expect(try value(trajectory, "y", at: 4) == expected)
      #expect(trajectory.statistics.eventsFired == fired)
      if persistent { #expect(abs(try value(trajectory, "te", at: 4) - 2) < 1e-8) }
    }

    // A non-persistent event whose trigger stays true executes normally.
    @Test func nonPersistentWithTriggerStillTrue() throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; y = 0
        E1: at 2 after time >= 1, persistent=false: y = 1
        """, end: 5, points: 6, columns: ["y"])
      #expect(try value(trajectory, "y", at: 5) == 1)
    }

    // At t = 1 both fire; E2 (priority 2) goes first and sets flag = 0, which makes
    // E1's trigger false before E1 executes. Non-persistent E1 is dropped (y = 0);
    // persistent E1 still executes (y = 1).
    @Test(arguments: [(false, 0.0), (true, 1.0)])
    func higherPriorityEventDisarmsANonPersistentOne(persistent: Bool, expected: Double) throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; y = 0; flag = 1
        E1: at time >= 1 && flag > 0.5, priority=1, persistent=\(persistent): y = 1
        E2: at time >= 1, priority=2: flag = 0
        """, end: 3, points: 4, columns: ["y", "flag"])
      #expect(try value(trajectory, "y", at: 3) == expected)
      #expect(try value(trajectory, "flag", at: 3) == 0)
    }
  }
}

// MARK: - 5. Priority

extension EventSemanticsTests {
  @Suite("Event semantics: priority")
  struct EventPriorityTests {
    // Both trigger at t = 1 and assign a. The higher priority executes first, so the
    // lower priority's value is the one left: (pA, pB) = (2, 1) ⇒ A first, B last,
    // a = 20; swapped ⇒ a = 10.
    @Test(arguments: [(2.0, 1.0, 20.0), (1.0, 2.0, 10.0)])
    func lowerPriorityValueIsLeft(priorityA: Double, priorityB: Double, expected: Double) throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; a = 0
        A: at time >= 1, priority=\(priorityA): a = 10
        B: at time >= 1, priority=\(priorityB): a = 20
        """, end: 2, points: 3, columns: ["a"])
      #expect(try value(trajectory, "a", at: 2) == expected)
      #expect(trajectory.statistics.eventsFired == 2)
    }

    // Events of one moment compute trigger-time values when they trigger, before any
    // of them runs (SBML test suite 01330): L's `b = a + 1` sees a = 0 whatever the
    // order. With `fromTrigger=false` L computes at execution and sees H's
    // assignment when H (priority 5) runs first: b = 11; swapped, b = 1.
    @Test(arguments: [(5.0, 1.0, true, 1.0), (1.0, 5.0, true, 1.0), (5.0, 1.0, false, 11.0), (1.0, 5.0, false, 1.0)])
    func laterEventSeesEarlierAssignmentsOnlyWithExecutionTimeValues(
      priorityH: Double, priorityL: Double, fromTrigger: Bool, expected: Double
    ) throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; a = 0; b = 0
        H: at time >= 1, priority=\(priorityH): a = 10
        L: at time >= 1, priority=\(priorityL), fromTrigger=\(fromTrigger): b = a + 1
        """, end: 2, points: 3, columns: ["a", "b"])
      #expect(try value(trajectory, "b", at: 2) == expected)
      #expect(try value(trajectory, "a", at: 2) == 10)
    }

    // Priorities are expressions evaluated at execution: pA = 1, pB = 2 ⇒ B first
    // (a = 20), then A (a = 10).
    @Test func priorityGivenByAnExpression() throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; a = 0; pA = 1; pB = 2
        A: at time >= 1, priority=pA: a = 10
        B: at time >= 1, priority=pB: a = 20
        """, end: 2, points: 3, columns: ["a"])
      #expect(try value(trajectory, "a", at: 2) == 10)
    }

    // A delayed event and an instantaneous one execute at the same moment (t = 3):
    // priority orders them too. D (delayed, priority 1) sets a = 1; I (priority 2)
    // sets a = 2 ⇒ I first, D last: a = 1.
    @Test func delayedAndInstantaneousAtTheSameMoment() throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; a = 0
        D: at 2 after time >= 1, priority=1: a = 1
        I: at time >= 3, priority=2: a = 2
        """, end: 4, points: 5, columns: ["a"])
      #expect(try value(trajectory, "a", at: 4) == 1)
    }
  }
}

// MARK: - 6. Simultaneous assignments

extension EventSemanticsTests {
  @Suite("Event semantics: assignments of one event")
  struct EventAssignmentTests {
    // All assignments of an event are evaluated before any is applied: a = b, b = a
    // swaps (a, b) = (1, 2) into (2, 1).
    @Test func swap() throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; a = 1; b = 2
        E1: at time >= 1: a = b, b = a
        """, end: 2, points: 3, columns: ["a", "b"])
      #expect(try value(trajectory, "a", at: 2) == 2)
      #expect(try value(trajectory, "b", at: 2) == 1)
    }

    // a = a + 1, b = a: b takes the old a (1), a becomes 2.
    @Test func laterAssignmentReadsOldValue() throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; a = 1; b = 0
        E1: at time >= 1: a = a + 1, b = a
        """, end: 2, points: 3, columns: ["a", "b"])
      #expect(try value(trajectory, "a", at: 2) == 2)
      #expect(try value(trajectory, "b", at: 2) == 1)
    }

    // Swap of two states with rate rules: x' = 0, y' = 0, so the swap is exact and
    // persists to the end.
    @Test func swapOfStates() throws {
      let trajectory = try simulate(
        """
        x' = 0; y' = 0; x = 3; y = 7
        E1: at time >= 1: x = y, y = x
        """, end: 2, points: 3, columns: ["x", "y"])
      #expect(try value(trajectory, "x", at: 2) == 7)
      #expect(try value(trajectory, "y", at: 2) == 3)
    }
  }
}

// MARK: - 7. Triggers true only between output points

extension EventSemanticsTests {
  @Suite("Event semantics: short trigger windows")
  struct EventShortWindowTests {
    // x' = 1 until t = 5, then -1: x(t) = t on [0, 5], 10 - t after. `x > 4.95` is
    // true only on (4.95, 5.05), between the output points 0 and 10. The event fires
    // once, at t = 4.95, whatever the output grid.
    @Test(arguments: [2, 11, 1001])
    func stateWindowBetweenOutputPoints(points: Int) throws {
      let trajectory = try simulate(
        """
        x' = piecewise(1, time < 5, -1); x = 0; hits = 0; tf = -1
        E1: at x > 4.95: hits = hits + 1, tf = time
        """, end: 10, points: points, columns: ["hits", "tf"], rtol: 1e-8)
      #expect(try value(trajectory, "hits", at: 10) == 1)
      #expect(abs(try value(trajectory, "tf", at: 10) - 4.95) < 1e-6)
    }

    // x' = 1, x(0) = 0 ⇒ x = t: `x > 1 && x < 1.5` is true on (1, 1.5), a window
    // that lies between the output points 1 and 2 (and that an exact linear solution
    // lets the solver step over). The event must fire once, at t = 1.
    @Test func stateWindowStraddledByOutputPoints() throws {
      let trajectory = try simulate(
        """
        x' = 1; x = 0; n = 0; tf = -1
        E1: at x > 1 && x < 1.5: n = n + 1, tf = time
        """, end: 4, points: 5, columns: ["n", "tf"])
      #expect(try value(trajectory, "n", at: 4) == 1)
      #expect(abs(try value(trajectory, "tf", at: 4) - 1) < 1e-8)
    }

    // The libRoadRunner case (sys-bio/roadrunner#281): `at time==10` / `at time==20`
    // fired there only when an output point fell on 10 and 20. Here p1 is 10 on
    // [10, 20) and 0 after, with outputs at 0, 15 and 30 only.
    @Test func equalityTimeTriggersMissedByRoadRunner() throws {
      let trajectory = try simulate(
        """
        z' = 0; z = 0; p1 = 0
        E1: at time == 10: p1 = 10
        E2: at time == 20: p1 = 0
        """, end: 30, outputTimes: [0, 15, 30], columns: ["p1"])
      #expect(try value(trajectory, "p1", at: 15) == 10)
      #expect(try value(trajectory, "p1", at: 30) == 0)
      #expect(trajectory.statistics.eventsFired == 2)
    }

    // x = sin t (x' = y, y' = -x, x(0) = 0, y(0) = 1). `x > 0.99999` is true for
    // 2·acos(0.99999) ≈ 0.0089 time units around each maximum π/2 + 2πk: in [0, 10]
    // it turns true at t1 = asin(0.99999) ≈ 1.5663241 and t2 = t1 + 2π ≈ 7.8495094.
    // The event must fire exactly twice, at those times, at any tolerance: neither
    // step over a window nor fire twice for one crossing. (Sign tests on step ends
    // alone, as CVODE's root finding used by libRoadRunner, miss a window that one
    // solver step spans.)
    // Known limitation: a trigger whose every condition has the same value at both
    // ends of one solver step (here the crest of a sine inside a step) is not seen;
    // windows where some condition changes within the step are found
    // (`stateWindowStraddledByOutputPoints`). Run as a known issue: a fix that makes
    // it pass at every tolerance turns the missing issue into a failure to notice.
    @Test(arguments: [1e-6, 1e-8, 1e-10])
    func narrowWindowAroundOscillatorPeaks(rtol: Double) throws {
      let trajectory = try simulate(
        """
        x' = y; y' = -x; x = 0; y = 1; hits = 0
        E1: at x > 0.99999: hits = hits + 1
        """, end: 10, points: 2, columns: ["x", "hits"], eventRows: true, rtol: rtol)
      let t1 = asin(0.99999)
      let firings = laterRows(trajectory, .beforeEvent, "hits").map(\.time)
      withKnownIssue(
        "a trigger true only strictly inside one solver step, all its conditions equal at both ends, is not detected"
      ) { () throws in
        #expect(try value(trajectory, "hits", at: 10) == 2, "fired at \(firings)")
        #expect(firings.count == 2)
        if firings.count == 2 {
          #expect(abs(firings[0] - t1) < 1e-4)
          #expect(abs(firings[1] - (t1 + 2 * Double.pi)) < 1e-4)
        }
      }
    }
  }
}

// MARK: - 8. Exact time triggers

extension EventSemanticsTests {
  @Suite("Event semantics: time triggers")
  struct EventTimeTriggerTests {
    // x' = 0, x(0) = 0; `time == 12` is true only at t = 12: x = x + 1 once, so
    // x = 0 before 12 and 1 after. Event rows before/after at t = 12 exactly, with
    // x = 0 then 1. Output every 5 (0, 5, …, 20): 12 is not a grid point.
    @Test func equalityTimeTriggerFiresExactlyAt12() throws {
      let trajectory = try simulate(
        """
        x' = 0; x = 0
        E1: at time == 12: x = x + 1
        """, end: 20, points: 5, columns: ["x"], eventRows: true)
      #expect(try value(trajectory, "x", at: 10) == 0)
      #expect(try value(trajectory, "x", at: 15) == 1)
      #expect(try value(trajectory, "x", at: 20) == 1)
      #expect(trajectory.statistics.eventsFired == 1)
      let before = laterRows(trajectory, .beforeEvent, "x")
      let after = laterRows(trajectory, .afterEvent, "x")
      #expect(before.map(\.time) == [12])
      #expect(before.map(\.value) == [0])
      #expect(after.map(\.time) == [12])
      #expect(after.map(\.value) == [1])
    }

    // `time >= t_dose`, t_dose = 3.7: fires at exactly 3.7 (tf = time = 3.7, bit for
    // bit), with a dose of 5 on x' = 0.
    @Test func thresholdTimeTriggerFiresExactlyAtDoseTime() throws {
      let trajectory = try simulate(
        """
        x' = 0; x = 0; t_dose = 3.7; tf = -1
        E1: at time >= t_dose: x = x + 5, tf = time
        """, end: 10, points: 11, columns: ["x", "tf"], eventRows: true)
      #expect(try value(trajectory, "tf", at: 10) == 3.7)
      #expect(try value(trajectory, "x", at: 3) == 0)
      #expect(try value(trajectory, "x", at: 4) == 5)
      #expect(laterRows(trajectory, .beforeEvent, "x").map(\.time) == [3.7])
      #expect(laterRows(trajectory, .afterEvent, "x").map(\.value) == [5])
    }

    // A strict `time > 5` turns true just after 5: it fires once, at 5 (to the
    // bisection's resolution).
    @Test func strictTimeTrigger() throws {
      let trajectory = try simulate(
        """
        x' = 0; x = 0; tf = -1
        E1: at time > 5: x = 1, tf = time
        """, end: 10, points: 3, columns: ["x", "tf"])
      #expect(abs(try value(trajectory, "tf", at: 10) - 5) < 1e-9)
      #expect(trajectory.statistics.eventsFired == 1)
    }
  }
}

// MARK: - 9. State crossings

extension EventSemanticsTests {
  @Suite("Event semantics: locating state crossings")
  struct EventCrossingTests {
    // x' = 1, x(0) = 0 ⇒ x = t: `x > 2.5` turns true at t = 2.5. The event rows are at
    // 2.5 within 1e-8; k is 0 before and 1 after.
    @Test func linearCrossing() throws {
      let trajectory = try simulate(
        """
        x' = 1; x = 0; k = 0
        E1: at x > 2.5: k = 1
        """, end: 10, points: 3, columns: ["x", "k"], eventRows: true)
      let before = laterRows(trajectory, .beforeEvent, "k")
      let after = laterRows(trajectory, .afterEvent, "k")
      #expect(before.count == 1)
      #expect(after.count == 1)
      if let first = before.first { #expect(abs(first.time - 2.5) < 1e-8) }
      #expect(before.map(\.value) == [0])
      #expect(after.map(\.value) == [1])
      #expect(try value(trajectory, "k", at: 10) == 1)
    }

    // x' = x, x(0) = 1 ⇒ x = eᵗ: `x > 10` turns true at ln 10 ≈ 2.302585093. Fires
    // once, within 1e-8 at rtol 1e-10.
    @Test func exponentialCrossing() throws {
      let trajectory = try simulate(
        """
        x' = x; x = 1; n = 0; tf = -1
        E1: at x > 10: n = n + 1, tf = time
        """, end: 5, points: 2, columns: ["n", "tf"])
      #expect(try value(trajectory, "n", at: 5) == 1)
      #expect(abs(try value(trajectory, "tf", at: 5) - log(10)) < 1e-8)
    }

    // x = sin t (x' = y, y' = -x, x(0) = 0, y(0) = 1) crosses 0.5 upwards at π/6 and
    // π/6 + 2π in [0, 10]: one firing per crossing (n = 2), each where the trigger
    // holds (x > 0.5 in the row before the event), at the default method and any
    // tolerance.
    @Test(arguments: [1e-4, 1e-6, 1e-8, 1e-10])
    func oneFiringPerCrossing(rtol: Double) throws {
      let trajectory = try simulate(
        """
        x' = y; y' = -x; x = 0; y = 1; n = 0
        E1: at x > 0.5: n = n + 1
        """, end: 10, points: 2, columns: ["x", "n"], eventRows: true, rtol: rtol)
      let before = laterRows(trajectory, .beforeEvent, "x")
      #expect(try value(trajectory, "n", at: 10) == 2, "fired at \(before.map(\.time)) with x = \(before.map(\.value))")
      for row in before { #expect(row.value > 0.5, "fired at t = \(row.time) with x = \(row.value)") }
    }

    // The same crossing with every method at rtol 1e-10: both firings within 1e-7 of
    // π/6 and π/6 + 2π (the solution itself is good to about 1e-9 there, and
    // dx/dt = cos(π/6) ≈ 0.87), with the trigger true when they fire.
    @Test(arguments: IntegrationMethod.allCases)
    func crossingLocatedForEveryMethod(method: IntegrationMethod) throws {
      let trajectory = try simulate(
        """
        x' = y; y' = -x; x = 0; y = 1; n = 0
        E1: at x > 0.5: n = n + 1
        """, end: 10, points: 2, columns: ["x", "n"], eventRows: true, rtol: 1e-10, method: method)
      let before = laterRows(trajectory, .beforeEvent, "x")
      let expected = [Double.pi / 6, Double.pi / 6 + 2 * Double.pi]
      #expect(before.count == 2, "\(method): fired at \(before.map(\.time)) with x = \(before.map(\.value))")
      for (row, time) in zip(before, expected) {
        #expect(abs(row.time - time) < 1e-7, "\(method): fired at \(row.time), crossing at \(time)")
        #expect(row.value > 0.5, "\(method): fired at t = \(row.time) with x = \(row.value)")
      }
    }
  }
}

// MARK: - 10. Chattering

extension EventSemanticsTests {
  @Suite("Event semantics: chattering guard")
  struct EventChatteringTests {
    // x' = 1e12 reaches 1 every 1e-12 time units and E1 resets it: E1 fires endlessly.
    // The run must stop with an error naming E1, not hang.
    @Test(.timeLimit(.minutes(1)))
    func resetLoopStops() throws {
      do {
        let trajectory = try simulate(
          """
          x' = 1e12; x = 0
          E1: at x > 1: x = 0
          """, end: 10, points: 3, columns: ["x"], chatterLimit: 50)
        Issue.record("no error; \(trajectory.statistics.eventsFired) events fired")
      } catch let error as SimulationError {
        #expect(error.message.contains("E1"), "\(error)")
        #expect(error.time < 1e-6)
      }
    }

    // E0 sets flag = 1 at t = 1; E1 then sets flag = 0, which makes E2's trigger true,
    // which sets flag = 1, which makes E1's trigger true again, …: an endless cascade
    // at t = 1. The error names one of the two events and the time 1.
    @Test(.timeLimit(.minutes(1)))
    func flagFlippingPairStops() throws {
      do {
        let trajectory = try simulate(
          """
          z' = 0; z = 0; flag = 0
          E0: at time >= 1: flag = 1
          E1: at flag > 0.5: flag = 0
          E2: at flag < 0.5 && time >= 1: flag = 1
          """, end: 2, points: 3, columns: ["flag"], chatterLimit: 50)
        Issue.record("no error; \(trajectory.statistics.eventsFired) events fired")
      } catch let error as SimulationError {
        #expect(error.message.contains("E1") || error.message.contains("E2"), "\(error)")
        #expect(error.time == 1)
      }
    }

    // The same cascade with no state variable at all (parameters and events only).
    @Test(.timeLimit(.minutes(1)))
    func flagFlippingPairWithoutStatesStops() throws {
      do {
        _ = try simulate(
          """
          flag = 0
          E0: at time >= 1: flag = 1
          E1: at flag > 0.5: flag = 0
          E2: at flag < 0.5 && time >= 1: flag = 1
          """, end: 2, points: 3, columns: ["flag"], chatterLimit: 50)
        Issue.record("no error")
      } catch let error as SimulationError {
        #expect(error.message.contains("E1") || error.message.contains("E2"), "\(error)")
      }
    }

    // A legitimate periodic dose, 100 doses at t = 0.5, 1.5, …, 99.5 with a chatter
    // limit of 50: all 100 fire, no error. A' = 0 so A = 100 at the end.
    @Test func periodicDoseDoesNotTripTheGuard() throws {
      let trajectory = try simulate(
        """
        A' = 0; A = 0; next = 0.5
        D: at time >= next: A = A + 1, next = next + 1
        """, end: 100, points: 11, columns: ["A", "next"], chatterLimit: 50)
      #expect(trajectory.statistics.eventsFired == 100)
      #expect(try value(trajectory, "A", at: 100) == 100)
      #expect(try value(trajectory, "next", at: 100) == 100.5)
    }
  }
}

// MARK: - 11. Output independence

extension EventSemanticsTests {
  @Suite("Event semantics: output grid independence")
  struct EventOutputIndependenceTests {
    // A nonlinear two-state model with a dose between grid points (t = 3.33) and a
    // state-crossing event (B > 3 halves B). The values at t = 0, 1, …, 10 must not
    // depend on how many output points are asked for.
    static let network = """
      A' = -k*A^2/(Km + A); B' = k*A^2/(Km + A) - 0.1*B
      A = 5; B = 0; k = 0.7; Km = 0.5; halvings = 0
      Dose: at time >= 3.33: A = A + 4
      Halve: at B > 3: B = B/2, halvings = halvings + 1
      """

    @Test func coarseAndFineGridsAgree() throws {
      let coarse = try simulate(Self.network, end: 10, points: 11, columns: ["A", "B", "halvings"])
      let fine = try simulate(Self.network, end: 10, points: 1001, columns: ["A", "B", "halvings"])
      #expect(coarse.statistics.eventsFired == fine.statistics.eventsFired)
      #expect(coarse.statistics.eventsFired >= 2)
      for time in stride(from: 0.0, through: 10, by: 1) {
        for id in ["A", "B", "halvings"] {
          let a = try value(coarse, id, at: time)
          let b = try value(fine, id, at: time)
          #expect(close(a, b, relative: 1e-7, absolute: 1e-12), "\(id) at \(time): \(a) vs \(b)")
        }
      }
    }

    // The same with explicit output times that straddle the dose closely.
    @Test func outputTimesAroundTheDose() throws {
      let plain = try simulate(Self.network, end: 10, points: 11, columns: ["A"])
      let around = try simulate(
        Self.network, end: 10, outputTimes: [0, 3.32999, 3.33, 3.33001, 5, 10], columns: ["A"])
      #expect(close(try value(plain, "A", at: 5), try value(around, "A", at: 5), relative: 1e-7))
      #expect(close(try value(plain, "A", at: 10), try value(around, "A", at: 10), relative: 1e-7))
      // At the dose time the output row shows the state after the dose: a jump of 4.
      #expect(close(try value(around, "A", at: 3.33) - (try value(around, "A", at: 3.32999)), 4, relative: 1e-3))
    }
  }
}

// MARK: - 12. Repeated dosing

extension EventSemanticsTests {
  @Suite("Event semantics: repeated dosing")
  struct EventRepeatedDosingTests {
    // Daily doses for two years, in hours: doses at t_j = 12 + 24 j, j = 0…729 (the
    // last at 17508 < 17520), outputs at 0, 24, …, 17520, never on a dose.
    // A' = -k A, A(0) = 0: at t = 24 n (after n doses, the last 12 h earlier)
    //   A = dose · e^{-12k} · Σ_{m<n} r^m = dose · e^{-12k} (1 - rⁿ)/(1 - r),  r = e^{-24k}.
    @Test func dailyDosesForTwoYears() throws {
      let k = 0.01
      let dose = 100.0
      let times = stride(from: 0.0, through: 17520, by: 24).map { $0 }
      #expect(times.count == 731)
      let trajectory = try simulate(
        """
        A' = -k*A; A = 0; k = \(k); dose = \(dose); next_dose = 12
        D: at time >= next_dose: A = A + dose, next_dose = next_dose + 24
        """, end: 17520, outputTimes: times, columns: ["A", "next_dose"])
      #expect(trajectory.statistics.eventsFired == 730)
      #expect(trajectory.rowCount == 731)
      #expect(try value(trajectory, "next_dose", at: 17520) == 12 + 730 * 24)
      let r = exp(-24 * k)
      func expected(afterDoses n: Int) -> Double { dose * exp(-12 * k) * (1 - pow(r, Double(n))) / (1 - r) }
      #expect(close(try value(trajectory, "A", at: 17520), expected(afterDoses: 730), relative: 1e-7))
      var worst = 0.0
      for (n, time) in times.enumerated() where n > 0 {
        let actual = try value(trajectory, "A", at: time)
        worst = max(worst, abs(actual - expected(afterDoses: n)) / expected(afterDoses: n))
      }
      #expect(worst < 1e-7)
      #expect(try value(trajectory, "A", at: 0) == 0)
    }
  }
}

// MARK: - Failure path

extension EventSemanticsTests {
  @Suite("Event semantics: failures")
  struct SimulationFailureTests {
    // x' = 1/(1 - time): x = -ln(1 - t) diverges at t = 1. The run must stop near
    // t = 1 with an error naming x (or the expression), not return a trajectory.
    @Test(.timeLimit(.minutes(1)))
    func divisionByZeroStopsNearOne() throws {
      do {
        let trajectory = try simulate("x' = 1/(1 - time); x = 0", end: 2, points: 3, columns: ["x"])
        Issue.record("no error; x = \(trajectory.column("x") ?? [])")
      } catch let error as SimulationError {
        #expect(abs(error.time - 1) < 1e-3, "\(error)")
        #expect(error.message.contains("`x`") || error.message.contains("x ="), "\(error)")
      }
    }

    // x' = sqrt(1 - time): finite up to t = 1 (x(1) = 2/3), NaN after. Stops near 1
    // naming x, without a NaN-filled trajectory.
    @Test(.timeLimit(.minutes(1)))
    func squareRootOfNegativeStopsNearOne() throws {
      do {
        let trajectory = try simulate("x' = sqrt(1 - time); x = 0", end: 2, points: 3, columns: ["x"])
        Issue.record("no error; x = \(trajectory.column("x") ?? [])")
      } catch let error as SimulationError {
        #expect(abs(error.time - 1) < 1e-3, "\(error)")
        #expect(error.message.contains("`x`") || error.message.contains("x ="), "\(error)")
      }
    }

    // An event assignment that divides by zero stops the run at the event, naming it.
    @Test func eventAssignmentDividingByZero() throws {
      do {
        _ = try simulate(
          """
          x' = 0; x = 0; y = 1
          E1: at time >= 2: y = 1/x
          """, end: 5, points: 6, columns: ["y"])
        Issue.record("no error")
      } catch let error as SimulationError {
        #expect(error.time == 2, "\(error)")
        #expect(error.message.contains("E1"), "\(error)")
      }
    }
  }
}
