import OsteonSimulate
import Synchronization

/// Runs an experiment's plan: every arm and scan point, in parallel, one simulator
/// per task. Each run is independent of the others and of the order they finish in,
/// so the results are the same whatever the number of threads.
public struct ExperimentRunner: Sendable {
  public var plan: ExperimentPlan
  /// How many runs at once (at least 1).
  public var threads: Int
  /// Set from another thread (Ctrl-C) to stop every run at its next steps.
  public var cancellation: CancellationFlag?

  public init(plan: ExperimentPlan, threads: Int, cancellation: CancellationFlag? = nil) {
    self.plan = plan
    self.threads = max(1, threads)
    self.cancellation = cancellation
  }

  /// Runs everything; `progress` is called with (runs done, runs in all) as runs
  /// finish. An arm that fails fails the experiment; a scan point that fails is
  /// recorded as failed and the rest go on.
  public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) async throws(ExperimentFailure) -> ExperimentResults
  {
    var options = plan.options
    options.cancellation = cancellation
    let start = ContinuousClock.now
    var outcomes: [Result<Trajectory, SimulationError>?] = Array(repeating: nil, count: plan.runs.count)
    let problems = plan.runs.map(\.problem)
    let solverOptions = options
    let total = problems.count
    let preparation = try prepare()
    let workspaces = WorkspacePool()
    // The runs with the most doses and changes (each restarts the solver) go first,
    // so that the longest does not start last and finish alone. Results keep their
    // places, whatever the order.
    let order = problems.indices.sorted {
      (problems[$0].interventions.count, $1) > (problems[$1].interventions.count, $0)
    }
    await withTaskGroup(of: (Int, Result<Trajectory, SimulationError>).self) { group in
      var next = 0
      var done = 0
      func submit() {
        let index = order[next]
        next += 1
        var problem = problems[index]
        if let preparation { preparation(&problem) }
        group.addTask {
          let workspace = workspaces.take()
          defer { workspaces.give(workspace) }
          do throws(SimulationError) {
            return (index, .success(try Simulator(options: solverOptions).solve(problem, reusing: workspace)))
          } catch {
            return (index, .failure(error))
          }
        }
      }
      while next < min(threads, total) { submit() }
      for await (index, outcome) in group {
        outcomes[index] = outcome
        done += 1
        progress?(done, total)
        if case .failure(let error) = outcome, error.kind == .cancelled || plan.runs[index].scan == nil {
          group.cancelAll()
          break
        }
        if next < total { submit() }
      }
    }
    var trajectories: [Trajectory?] = []
    for (index, outcome) in outcomes.enumerated() {
      switch outcome {
      case .success(let trajectory)?: trajectories.append(trajectory)
      case .failure(let error)?:
        if error.kind == .cancelled || cancellation?.isCancelled == true {
          throw ExperimentFailure(cancelledAt: error.time)
        }
        if plan.runs[index].scan == nil {
          throw ExperimentFailure(arm: plan.experiment.arms[plan.runs[index].arm].name, error: error)
        }
        trajectories.append(nil)
      case nil:
        if cancellation?.isCancelled == true { throw ExperimentFailure(cancelledAt: nil) }
        trajectories.append(nil)
      }
    }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return ExperimentResults(plan: plan, trajectories: trajectories, failures: outcomes, wallTime: seconds)
  }

  /// The pre-equilibration, when the experiment asks for one: every run then starts
  /// from the baseline's steady state.
  func prepare() throws(ExperimentFailure) -> ((inout SimulationProblem) -> Void)? {
    guard plan.experiment.preequilibrate else { return nil }
    let state = try plan.steadyStart()
    return { problem in problem = plan.resuming(problem, from: state) }
  }
}

/// Why an experiment did not finish.
public struct ExperimentFailure: Error, CustomStringConvertible, Sendable {
  public enum Kind: Sendable, Equatable {
    case cancelled
    case armFailed(String)
    case noSteadyState
  }

  public var kind: Kind
  public var message: String

  init(cancelledAt time: Double?) {
    kind = .cancelled
    message = "interrupted" + (time.map { " at t = \($0)" } ?? "") + "; nothing written"
  }

  init(arm: String, error: SimulationError) {
    kind = .armFailed(arm)
    message = "arm `\(arm)`: \(error.description)"
  }

  init(steadyState message: String) {
    kind = .noSteadyState
    self.message = "pre-equilibration: \(message)"
  }

  public var description: String { message }
}
