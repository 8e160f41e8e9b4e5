import OsteonCompile
import OsteonExperiment
import OsteonNetwork
import OsteonSimulate

/// A study checked against its network or experiment and compiled once: every
/// factor is a settable id, every output exists, and `makeEvaluator()` hands each
/// thread its own evaluator of samples.
public struct PreparedStudy: Sendable {
  public let study: SensitivityStudy
  /// One name per analysed output, in the order of every output vector: a
  /// time-resolved request gives one per time (`BV@365.25`).
  public let outputNames: [String]
  let target: PreparedTarget

  /// What a sample runs and where its outputs are read.
  enum PreparedTarget: Sendable {
    /// A network without state variables: its rules evaluated at each time.
    case rules(model: CompiledModel, base: [String: Double], reads: [(id: String, time: Double)])
    /// A network simulated; outputs read at (column, row) of the trajectory.
    case simulation(problem: SimulationProblem, options: SolverOptions, reads: [(column: Int, row: Int)])
    /// An experiment: the runs to simulate and what to read from them.
    case experiment(plan: ExperimentPlan, runs: [Int], fixed: [Int: Set<String>], reads: [ExperimentRead])
  }

  /// An output read from an experiment's runs.
  enum ExperimentRead: Sendable {
    case summary(Summary, run: Int)
    case value(run: Int, column: Int, row: Int)
  }

  /// A study on a network (`study.target` is `.network`).
  public init(study: SensitivityStudy, network: Network) throws(ExperimentError) {
    self.study = study
    let model: CompiledModel
    do {
      model = try CompiledModel(network: network)
    } catch {
      throw ExperimentError("network `\(network.name)` does not compile: \(error)")
    }
    try Self.checkFactors(study, model: model, network: network)
    let grid = SimulationProblem.grid(start: study.start, end: study.end, points: study.points)
    var names: [String] = []
    var variables: [String] = []
    var wanted: [(id: String, time: Double)] = []
    for request in study.outputs {
      let variable: String
      let times: [Double]
      switch request.kind {
      case .finalValue(let id):
        variable = id
        times = [study.end]
        names.append(id)
      case .timeResolved(let id):
        variable = id
        times = grid
        names += grid.map { "\(id)@\($0)" }
      case .summary, .armTimeResolved:
        throw study.error("this output needs an experiment", at: request.path)
      }
      guard model.layout.slots[variable] != nil, !variable.contains(":") else {
        throw study.error(
          "`\(variable)` is not a quantity or reaction of network `\(network.name)`", at: request.path,
          hint: Suggestions.closest(to: variable, among: network.declarationOrder).map { "did you mean `\($0)`?" })
      }
      if !variables.contains(variable) { variables.append(variable) }
      wanted += times.map { (variable, $0) }
    }
    outputNames = names
    if model.layout.states.isEmpty {
      target = .rules(model: model, base: [:], reads: wanted)
      return
    }
    var problem = SimulationProblem(
      model: model, start: study.start, end: study.end, points: study.points, columns: variables)
    problem.outputTimes = grid
    guard let options = study.solver.solverOptions else {
      let unknown = study.solver.unknownMethodMessage
      throw study.error(unknown.message, at: unknown.path, hint: unknown.hint)
    }
    let reads = wanted.map { read in
      (column: variables.firstIndex(of: read.id) ?? 0, row: grid.firstIndex(of: read.time) ?? grid.count - 1)
    }
    target = .simulation(problem: problem, options: options, reads: reads)
  }

  /// A study on an experiment (`study.target` is `.experiment`), planned against its network.
  public init(study: SensitivityStudy, plan: ExperimentPlan) throws(ExperimentError) {
    self.study = study
    let experiment = plan.experiment
    try Self.checkFactors(study, model: plan.model, network: plan.model.network)
    if experiment.preequilibrate {
      // Every arm starts from the steady state, which forgets where the states began.
      let layout = plan.model.layout
      for factor in study.space.factors {
        if let slot = layout.slots[factor.id], slot >= layout.stateBase, slot < layout.parameterBase {
          throw study.error(
            "`\(factor.id)` is a starting value, but the experiment pre-equilibrates: every arm starts from the steady state whatever it is",
            at: factor.path, hint: "vary a parameter instead")
        }
      }
    }
    var runs: [Int] = []
    var reads: [ExperimentRead] = []
    var names: [String] = []
    func armRun(_ name: String, at path: KeyPath) throws(ExperimentError) -> Int {
      guard let index = experiment.arms.firstIndex(where: { $0.name == name }) else {
        throw study.error(
          "the experiment has no arm `\(name)`", at: path,
          hint: "arms: \(experiment.arms.map(\.name).joined(separator: ", "))")
      }
      if !runs.contains(index) { runs.append(index) }
      return index
    }
    for request in study.outputs {
      switch request.kind {
      case .summary(let arm, let name):
        let run = try armRun(arm, at: request.path)
        guard let summary = experiment.summaries.first(where: { $0.name == name }) else {
          throw study.error(
            "the experiment has no summary `\(name)`", at: request.path,
            hint: "summaries: \(experiment.summaries.map(\.name).joined(separator: "; "))")
        }
        if case .changeFromArm(_, let reference) = summary.kind { _ = try armRun(reference, at: request.path) }
        reads.append(.summary(summary, run: run))
        names.append("\(arm): \(name)")
      case .armTimeResolved(let arm, let variable):
        let run = try armRun(arm, at: request.path)
        guard let column = plan.columns.firstIndex(of: variable) else {
          throw study.error(
            "`\(variable)` is not recorded by the experiment", at: request.path,
            hint: "recorded: \(plan.columns.joined(separator: ", "))")
        }
        for time in experiment.outputTimes {
          guard let row = plan.recordTimes.firstIndex(of: time) else { continue }
          reads.append(.value(run: run, column: column, row: row))
          names.append("\(arm): \(variable)@\(time)")
        }
      case .finalValue, .timeResolved:
        throw study.error("an experiment's outputs name an arm", at: request.path)
      }
    }
    var fixed: [Int: Set<String>] = [:]
    for run in runs {
      for action in experiment.arms[run].actions {
        if case .setValue = action.kind, action.time == nil { fixed[run, default: []].insert(action.target.id) }
      }
    }
    outputNames = names
    target = .experiment(plan: plan, runs: runs.sorted(), fixed: fixed, reads: reads)
  }

  static func checkFactors(_ study: SensitivityStudy, model: CompiledModel, network: Network) throws(ExperimentError) {
    var seen: Set<String> = []
    for factor in study.space.factors {
      guard seen.insert(factor.id).inserted else { throw study.error("`\(factor.id)` is given twice", at: factor.path) }
      guard let slot = model.layout.slots[factor.id], !factor.id.contains(":") else {
        throw study.error(
          "`\(factor.id)` is not a parameter, compartment or species of network `\(network.name)`", at: factor.path,
          hint: Suggestions.closest(to: factor.id, among: network.declarationOrder).map { "did you mean `\($0)`?" })
      }
      if slot >= model.layout.ruleBase || slot < model.layout.stateBase {
        throw study.error(
          "`\(factor.id)` is computed (an assignment rule or a reaction): vary one of its inputs instead",
          at: factor.path)
      }
    }
  }

  /// An evaluator of samples for one thread.
  public func makeEvaluator() -> SampleEvaluator { SampleEvaluator(study: self) }
}
