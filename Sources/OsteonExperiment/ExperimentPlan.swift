import OsteonCompile
import OsteonNetwork
import OsteonSimulate

/// An experiment checked against its network and compiled once: every id the file
/// names exists and is of the right kind, the reactions that arms scale carry rate
/// multipliers, infused species carry an input, and every arm and scan point is a
/// `SimulationProblem` on the same compiled model.
public struct ExperimentPlan: Sendable {
  public let experiment: Experiment
  public let model: CompiledModel
  /// Ids recorded in every run: the output variables, then what summaries read.
  public let columns: [String]
  /// The output variables (the trajectory files' columns).
  public let variables: [String]
  /// Times every run records: the output grid plus what summaries need.
  public let recordTimes: [Double]
  public let options: SolverOptions
  /// Every run: the arms in order, then each scan's points × arms.
  public let runs: [Run]

  /// One simulation of the experiment.
  public struct Run: Sendable {
    public var arm: Int
    /// The scan and its point's parameter values, for scan runs.
    public var scan: Int?
    public var point: [Double]
    public var problem: SimulationProblem
  }

  /// The parameter through which an infusion enters a species (amount per time).
  static func infusionParameter(of species: String) -> String { "infusion:" + species }

  public init(experiment: Experiment, network original: Network) throws(ExperimentError) {
    self.experiment = experiment
    let document = experiment.document
    func fail(_ message: String, at path: KeyPath, hint: String? = nil) -> ExperimentError {
      var failure = document?.error(message, at: path, atValue: true, hint: hint) ?? ExperimentError(message, at: path)
      if failure.hint == nil { failure.hint = hint }
      return failure
    }

    // Every id, checked against the network as written.
    let allIDs = original.declarationOrder + original.reactions.map(\.id)
    func unknown(_ name: Experiment.Setting.Name, _ what: String) -> ExperimentError {
      fail(
        "`\(name.id)` is not \(what) of network `\(original.name)`", at: name.path,
        hint: Suggestions.closest(to: name.id, among: allIDs).map { "did you mean `\($0)`?" })
    }
    func isRuleSet(_ id: String) -> Bool {
      if case .assignment? = original.rule(of: id) { return true }
      return false
    }
    func checkSettable(_ name: Experiment.Setting.Name) throws(ExperimentError) {
      if original.reaction(name.id) != nil {
        throw fail(
          "`\(name.id)` is a reaction: scale its rate with a `knockouts` entry", at: name.path)
      }
      guard original.declarationOrder.contains(name.id) else {
        throw unknown(name, "a parameter, species or compartment")
      }
      if isRuleSet(name.id) {
        throw fail("`\(name.id)` is set by an assignment rule (`:=`): it has no value of its own to set", at: name.path)
      }
    }
    func checkParameter(_ name: Experiment.Setting.Name) throws(ExperimentError) {
      try checkSettable(name)
      if original.species(name.id) != nil {
        throw fail(
          "`\(name.id)` is a species: give it `doses` or `infusions`, or set its starting value under `initial`",
          at: name.path)
      }
    }
    func species(_ name: Experiment.Setting.Name, for purpose: String) throws(ExperimentError) -> Species {
      guard let species = original.species(name.id) else {
        if original.declarationOrder.contains(name.id) || original.reaction(name.id) != nil {
          throw fail("`\(name.id)` is not a species: \(purpose) go into species", at: name.path)
        }
        throw unknown(name, "a species")
      }
      if isRuleSet(name.id) {
        throw fail("`\(name.id)` is set by an assignment rule (`:=`): \(purpose) cannot change it", at: name.path)
      }
      return species
    }
    func producers(of name: Experiment.Setting.Name) throws(ExperimentError) -> [String] {
      _ = try species(name, for: "productions")
      let reactions = original.reactions.filter { reaction in
        reaction.products.contains { $0.species == name.id }
          && (reaction.netStoichiometry(of: name.id) > 0 || reaction.hasNamedStoichiometry(for: name.id))
      }.map(\.id)
      guard !reactions.isEmpty else { throw fail("no reaction produces `\(name.id)`", at: name.path) }
      return reactions
    }

    for setting in experiment.baseline { try checkSettable(setting.name) }
    var adjustable: Set<String> = []
    var infused: [String] = []
    for arm in experiment.arms {
      for action in arm.actions {
        switch action.kind {
        case .setValue: try checkSettable(action.target)
        case .changeParameter: try checkParameter(action.target)
        case .scaleReaction, .restoreReaction:
          guard original.reaction(action.target.id) != nil else { throw unknown(action.target, "a reaction") }
          adjustable.insert(action.target.id)
        case .scaleProduction, .restoreProduction:
          adjustable.formUnion(try producers(of: action.target))
        case .doseAmount:
          _ = try species(action.target, for: "doses")
        case .doseConcentration:
          let dosed = try species(action.target, for: "doses")
          if dosed.hasOnlySubstanceUnits {
            throw fail(
              "`\(dosed.id)` is measured as an amount (substanceOnly): dose it with `amount`, not `concentration`",
              at: action.entry)
          }
        case .infusion, .stopInfusion:
          let target = try species(action.target, for: "infusions")
          if target.isBoundary || target.isConstant || original.rule(of: target.id) != nil {
            throw fail(
              "`\(target.id)` is \(target.isConstant ? "constant" : target.isBoundary ? "a boundary species" : "set by a rate rule"): reactions do not change it, so an infusion cannot",
              at: action.target.path)
          }
          if !infused.contains(target.id) { infused.append(target.id) }
        }
      }
    }
    for scan in experiment.scans {
      for axis in scan.axes { try checkSettable(axis.parameter) }
    }

    // Infusions enter as reactions `=> S` at a rate set per run: the network text is
    // untouched, the compiled network gains one input per infused species.
    var network = original
    if !infused.isEmpty {
      do {
        network = try original.edited { parts in
          for id in infused {
            let parameter = Self.infusionParameter(of: id)
            parts.parameters.append(Parameter(id: parameter, initial: .number(0)))
            parts.order.append(parameter)
            parts.reactions.append(
              Reaction(
                id: "infusion→" + id, reactants: [], products: [Participant(species: id, stoichiometry: 1)],
                rate: .symbol(parameter)))
          }
        }
      } catch {
        throw ExperimentError("cannot add the infusions to network `\(original.name)`: \(error)")
      }
    }
    let model: CompiledModel
    do {
      model = try CompiledModel(network: network, adjustableReactions: .only(adjustable))
    } catch {
      throw ExperimentError("network `\(original.name)` does not compile: \(error)")
    }
    self.model = model

    // What to record.
    var variables = experiment.variables.map(\.id)
    for name in experiment.variables where model.layout.slots[name.id] == nil || name.id.contains(":") {
      throw unknown(name, "a quantity or reaction")
    }
    if variables.isEmpty { variables = original.stateVariables }
    self.variables = variables
    var columns = variables
    var times = Set(experiment.outputTimes)
    var needsDenseGrid = false
    for summary in experiment.summaries {
      guard model.layout.slots[summary.variable.id] != nil, !summary.variable.id.contains(":") else {
        throw unknown(summary.variable, "a quantity or reaction")
      }
      if !columns.contains(summary.variable.id) { columns.append(summary.variable.id) }
      if let report = summary.report {
        guard model.layout.slots[report.id] != nil, !report.id.contains(":") else {
          throw unknown(report, "a quantity or reaction")
        }
        if !columns.contains(report.id) { columns.append(report.id) }
      }
      switch summary.kind {
      case .value(let at), .changeFromArm(let at, _): times.insert(at)
      case .changeFromTime(let at, let reference): times.formUnion([at, reference])
      case .minimum(let from, let until), .maximum(let from, let until), .areaUnderCurve(let from, let until):
        times.formUnion([from, until])
        needsDenseGrid = true
      case .firstCrossing(_, _, let from):
        times.insert(from)
        needsDenseGrid = true
      }
    }
    if needsDenseGrid {
      // Extremes, areas and crossings are read off a grid of 2,000 intervals plus
      // every phase boundary and intervention time.
      times.formUnion(SimulationProblem.grid(start: experiment.start, end: experiment.end, points: 2001))
      for phase in experiment.phases { times.formUnion([phase.start, phase.end]) }
      for arm in experiment.arms { for action in arm.actions { if let time = action.time { times.insert(time) } } }
    }
    self.columns = columns
    let recordTimes = times.filter { $0 >= experiment.start && $0 <= experiment.end }.sorted()
    self.recordTimes = recordTimes

    // Solver settings.
    guard let options = experiment.solver.solverOptions else {
      let unknown = experiment.solver.unknownMethodMessage
      throw fail(unknown.message, at: unknown.path, hint: unknown.hint)
    }
    self.options = options

    // The runs.
    var baseline: [String: Double] = [:]
    for setting in experiment.baseline { baseline[setting.name.id] = setting.value }
    func problem(for arm: Arm, extra: [String: Double]) -> SimulationProblem {
      var parameters = baseline
      var problem = SimulationProblem(
        model: model, start: experiment.start, end: experiment.end, points: 2, columns: columns)
      problem.outputTimes = recordTimes
      var interventions: [Intervention] = []
      for action in arm.actions {
        let id = action.target.id
        let time = action.time ?? experiment.start
        switch action.kind {
        case .setValue(let value): parameters[id] = value
        case .changeParameter(let change):
          switch change {
          case .set(let value): interventions.append(Intervention(at: time, .set(value), id))
          case .scale(let factor): interventions.append(Intervention(at: time, .scale(factor), id))
          case .restore: interventions.append(Intervention(at: time, .restore, id))
          }
        case .scaleReaction(let factor):
          if action.time == nil {
            problem.rateMultipliers[id, default: 1] *= factor
          } else {
            interventions.append(Intervention(at: time, .scale(factor), ModelLayout.rateMultiplierID(of: id)))
          }
        case .restoreReaction:
          interventions.append(Intervention(at: time, .restore, ModelLayout.rateMultiplierID(of: id)))
        case .scaleProduction(let factor):
          for reaction in (try? producers(of: action.target)) ?? [] {
            if action.time == nil {
              problem.rateMultipliers[reaction, default: 1] *= factor
            } else {
              interventions.append(Intervention(at: time, .scale(factor), ModelLayout.rateMultiplierID(of: reaction)))
            }
          }
        case .restoreProduction:
          for reaction in (try? producers(of: action.target)) ?? [] {
            interventions.append(Intervention(at: time, .restore, ModelLayout.rateMultiplierID(of: reaction)))
          }
        case .doseAmount(let amount): interventions.append(Intervention(at: time, .addAmount(amount), id))
        case .doseConcentration(let rise): interventions.append(Intervention(at: time, .add(rise), id))
        case .infusion(let rate):
          interventions.append(Intervention(at: time, .set(rate), Self.infusionParameter(of: id)))
        case .stopInfusion:
          interventions.append(Intervention(at: time, .restore, Self.infusionParameter(of: id)))
        }
      }
      for (id, value) in extra { parameters[id] = value }
      problem.parameters = parameters
      problem.interventions = interventions
      return problem
    }
    var runs: [Run] = []
    for (index, arm) in experiment.arms.enumerated() {
      runs.append(Run(arm: index, scan: nil, point: [], problem: problem(for: arm, extra: [:])))
    }
    for (scanIndex, scan) in experiment.scans.enumerated() {
      for point in scan.points {
        var extra: [String: Double] = [:]
        for (axis, value) in zip(scan.axes, point) { extra[axis.parameter.id] = value }
        for armName in scan.arms {
          guard let armIndex = experiment.arms.firstIndex(where: { $0.name == armName }) else { continue }
          runs.append(
            Run(
              arm: armIndex, scan: scanIndex, point: point,
              problem: problem(for: experiment.arms[armIndex], extra: extra)))
        }
      }
    }
    self.runs = runs
  }
}
