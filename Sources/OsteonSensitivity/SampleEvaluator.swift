import OsteonCompile
import OsteonExperiment
import OsteonSimulate

/// Evaluates a study's outputs at samples of its factors, for one thread at a time
/// (it reuses buffers). A sample's result depends only on the sample and its row:
/// never on the thread or on what ran before.
public final class SampleEvaluator {
  public let study: PreparedStudy
  /// Set from another thread to stop simulations at their next step.
  public var cancellation: CancellationFlag?
  /// One sample after another reuses the last one's solver storage.
  private let workspace = SimulationWorkspace()

  init(study: PreparedStudy) {
    self.study = study
  }

  /// The outputs at `values` (one per factor, in the space's order); `row` seeds
  /// the random order of simultaneous events, so that every row has its own seed.
  public func evaluate(_ values: [Double], row: Int) -> Result<[Double], SampleFailure> {
    var settings: [String: Double] = [:]
    settings.reserveCapacity(study.study.space.factors.count)
    for (factor, value) in zip(study.study.space.factors, values) { settings[factor.id] = value }
    let seed = study.study.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(row)
    switch study.target {
    case .rules(let model, let base, let reads):
      settings.merge(base) { sampled, _ in sampled }
      do {
        let evaluator = try ModelEvaluator(model: model, time: reads.first?.time ?? 0, parameters: settings)
        var outputs: [Double] = []
        outputs.reserveCapacity(reads.count)
        for read in reads {
          try evaluator.update(time: read.time, states: [])
          outputs.append(evaluator.value(of: read.id) ?? .nan)
        }
        return .success(outputs)
      } catch let error as InitializationError {
        return .failure(SampleFailure(kind: "evaluation", time: 0, message: error.description))
      } catch {
        return .failure(SampleFailure(kind: "evaluation", time: 0, message: "\(error)"))
      }
    case .simulation(var problem, var options, let reads):
      problem.parameters = settings
      options.eventSeed = seed
      options.cancellation = cancellation
      do throws(SimulationError) {
        let trajectory = try Simulator(options: options).solve(problem, reusing: workspace)
        return .success(reads.map { trajectory.value(row: $0.row, column: $0.column) })
      } catch {
        return .failure(SampleFailure(error))
      }
    case .experiment(let plan, let runs, let fixed, let reads):
      var options = plan.options
      options.eventSeed = seed
      options.cancellation = cancellation
      var trajectories = [Trajectory?](repeating: nil, count: plan.runs.count)
      // A pre-equilibrated experiment starts every arm from the baseline's steady
      // state, which moves with the sample: one search per sample.
      var steadyStart: SimulationState?
      if plan.experiment.preequilibrate {
        do throws(ExperimentFailure) {
          steadyStart = try plan.steadyStart(settings: settings)
        } catch {
          return .failure(SampleFailure(kind: "steady state", time: plan.experiment.start, message: error.description))
        }
      }
      for run in runs {
        var problem = plan.runs[run].problem
        for (id, value) in settings where fixed[run]?.contains(id) != true { problem.parameters[id] = value }
        if let steadyStart { problem = plan.resuming(problem, from: steadyStart) }
        do throws(SimulationError) {
          trajectories[run] = try Simulator(options: options).solve(problem, reusing: workspace)
        } catch {
          var failure = SampleFailure(error)
          failure.message = "arm `\(plan.experiment.arms[plan.runs[run].arm].name)`: " + failure.message
          return .failure(failure)
        }
      }
      let results = ExperimentResults(plan: plan, trajectories: trajectories, failures: [], wallTime: 0)
      return .success(
        reads.map { read in
          switch read {
          case .summary(let summary, let run): results.summary(of: summary, run: run).value
          case .value(let run, let column, let row): trajectories[run]?.value(row: row, column: column) ?? .nan
          }
        })
    }
  }
}
