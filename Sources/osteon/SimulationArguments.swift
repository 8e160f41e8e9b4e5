import ArgumentParser
import OsteonCompile
import OsteonNetwork
import OsteonSimulate

/// Options shared by `simulate` and `bench`.
///
/// Numeric options parse `.unconditional`ly so that `--end -5` reads -5 as the value
/// (and is then refused for what it is) rather than as an unknown option.
struct SimulationArguments: ParsableArguments {
  @Option(parsing: .unconditional, help: "Start time, in the network's time unit.")
  var start: Double = 0

  @Option(parsing: .unconditional, help: "End time, in the network's time unit; after --start.")
  var end: Double?

  @Option(parsing: .unconditional, help: "Number of evenly spaced output times, both ends included (default 101).")
  var points: Int?

  @Option(parsing: .unconditional, help: ArgumentHelp("Output every h time units instead of --points.", valueName: "h"))
  var step: Double?

  @Option(help: "GSL method: \(IntegrationMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
  var method: String = IntegrationMethod.msbdf.rawValue

  @Option(parsing: .unconditional, help: "Relative tolerance.")
  var rtol: Double = 1e-6

  @Option(
    help: ArgumentHelp(
      "Linear solver of msbdf's Newton iterations: auto, dense or sparse.",
      discussion:
        "auto (the default) uses KLU on the Jacobian's sparsity pattern above \(LinearSolver.denseLimit) states when at most \(Int(LinearSolver.densityLimit * 100))% of the iteration matrix can be non-zero, and GSL's dense LU otherwise. Other methods are always dense."
    ))
  var linearSolver: String = LinearSolver.auto.rawValue

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Absolute tolerance: one value for every state, and/or id=value pairs (comma-separated) for some states.",
      discussion:
        "A single value is capped for each state at --rtol times its starting magnitude, so that a state living around 1e-9 is resolved to --rtol (libRoadRunner scales its absolute tolerance by each state's start too). With id=value pairs every value is used as given."
    ))
  var atol: String = "1e-12"

  @Option(parsing: .unconditional, help: "First step size (default: estimated from the model at the start).")
  var initialStep: Double?

  @Option(parsing: .unconditional, help: "Maximum number of solver steps between two output times.")
  var maxSteps: Int = 1_000_000

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Largest step the solver may take (default: none). Time switches such as `time > 2` are found without it; use it for a pulse that depends on a state.",
      valueName: "h"))
  var maxStep: Double?

  @Option(
    help: ArgumentHelp(
      "Comma-separated ids to output: states, parameters, assignment-rule variables, reaction ids (rates).",
      valueName: "ids"))
  var columns: String?

  @Option(name: .customLong("set"), help: ParameterSettings.help)
  var assignments: [String] = []

  @Option(
    name: .customLong("scale-rate"),
    help: ArgumentHelp(
      "Multiply a reaction's rate by a factor: 0 knocks it out (repeatable).", valueName: "reaction=factor"))
  var rateFactors: [String] = []

  @Flag(help: "Add rows just before and just after each event (flagged in an event_row column).")
  var eventRows = false

  /// Checks everything that does not need the network.
  func validate() throws {
    let numbers: [(name: String, value: Double?)] = [
      ("--start", start), ("--end", end), ("--step", step), ("--rtol", rtol), ("--initial-step", initialStep),
      ("--max-step", maxStep),
    ]
    for (name, value) in numbers {
      if let value, !value.isFinite { throw ValidationError("\(name) must be a finite number; got \(value)") }
    }
    if let points, points < 2 { throw ValidationError("--points must be at least 2; got \(points)") }
    if points != nil, step != nil { throw ValidationError("give either --points or --step, not both") }
    if let step, !(step > 0) { throw ValidationError("--step must be positive; got \(step)") }
    if let end, !(end > start) {
      throw ValidationError("--end must be after --start; got --end \(end) with --start \(start)")
    }
    if IntegrationMethod(rawValue: method) == nil {
      throw ValidationError(
        "unknown method `\(method)`; choose one of \(IntegrationMethod.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
    if LinearSolver(rawValue: linearSolver) == nil {
      throw ValidationError(
        "unknown linear solver `\(linearSolver)`; choose one of \(LinearSolver.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
    if !(rtol > 0) { throw ValidationError("--rtol must be positive; got \(rtol)") }
    if let initialStep, !(initialStep > 0) {
      throw ValidationError("--initial-step must be positive; got \(initialStep)")
    }
    if let maxStep, !(maxStep > 0) { throw ValidationError("--max-step must be positive; got \(maxStep)") }
    if maxSteps < 1 { throw ValidationError("--max-steps must be at least 1; got \(maxSteps)") }
    _ = try absoluteTolerance()
    _ = try parameterValues()
    _ = try columnIDs()
    _ = try rateMultipliers()
  }

  /// `--scale-rate` pairs.
  func rateMultipliers() throws(ValidationError) -> [String: Double] {
    var values: [String: Double] = [:]
    for item in rateFactors {
      let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let id = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
      guard parts.count == 2, !id.isEmpty, let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) else {
        throw ValidationError("--scale-rate takes reaction=factor, e.g. --scale-rate OC_formation=0; got `\(item)`")
      }
      guard value.isFinite, value >= 0 else {
        throw ValidationError("--scale-rate \(id): the factor must be a finite number ≥ 0; got \(value)")
      }
      values[id] = value
    }
    return values
  }

  /// The network compiled with a rate multiplier on each reaction `--scale-rate` names.
  func compile(_ network: Network, file: String) throws -> CompiledModel {
    let scaled = try rateMultipliers()
    for id in scaled.keys.sorted() where network.reaction(id) == nil {
      var message = "--scale-rate: \(file) has no reaction `\(id)`"
      if let near = Network.closestID(to: id, among: network.reactions.map(\.id)) {
        message += "; did you mean `\(near)`?"
      }
      throw ValidationError(message + " (`osteon explain \(file)` lists the reactions)")
    }
    return try CompiledModel(network: network, adjustableReactions: scaled.isEmpty ? .none : .only(Set(scaled.keys)))
  }

  /// `--atol` taken apart: the value for states not named, and those named.
  struct AbsoluteTolerance {
    var defaultValue = 1e-12
    var perState: [String: Double] = [:]
  }

  func absoluteTolerance() throws(ValidationError) -> AbsoluteTolerance {
    var result = AbsoluteTolerance()
    for item in atol.split(separator: ",", omittingEmptySubsequences: false) {
      let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let id = parts.count == 2 ? parts[0].trimmingCharacters(in: .whitespaces) : "*"
      let text = (parts.count == 2 ? parts[1] : parts[0]).trimmingCharacters(in: .whitespaces)
      guard !id.isEmpty, let value = Double(text) else {
        throw ValidationError(
          "--atol takes a number, id=value pairs or both, e.g. --atol 1e-12,OBp=1e-9; got `\(atol)`")
      }
      guard value.isFinite, value > 0 else {
        throw ValidationError("--atol values must be positive finite numbers; got `\(item)`")
      }
      if id == "*" || id == "default" { result.defaultValue = value } else { result.perState[id] = value }
    }
    return result
  }

  /// `id=value` pairs.
  func parameterValues() throws(ValidationError) -> [String: Double] {
    try ParameterSettings.values(of: assignments)
  }

  /// The ids of `--columns`, or `nil` for the default (every state variable).
  func columnIDs() throws(ValidationError) -> [String]? {
    guard let columns else { return nil }
    let ids = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard !ids.isEmpty else {
      throw ValidationError("--columns is empty; give comma-separated ids, e.g. --columns OBp,OCa")
    }
    var counted: Set<String> = []
    for id in ids {
      guard counted.insert(id).inserted else { throw ValidationError("--columns names `\(id)` twice") }
    }
    return ids
  }

  /// Checks the ids of --set, --columns and --atol against the network, naming the
  /// likely one when an id is misspelled.
  func checkIDs(in model: CompiledModel, file: String) throws(ValidationError) {
    let layout = model.layout
    let allIDs = layout.states + layout.parameters + layout.rules + layout.reactions
    func unknown(_ option: String, _ id: String, among candidates: [String], what: String) -> ValidationError {
      ParameterSettings.unknownID(option, id, among: candidates, what: what, file: file)
    }
    try ParameterSettings.check(Array(try parameterValues().keys), in: model, file: file)
    for id in try columnIDs() ?? [] where layout.slots[id] == nil {
      if id == "time" { throw ValidationError("--columns: `time` is always the first column; leave it out") }
      throw unknown("--columns", id, among: allIDs, what: "species, compartment, parameter or reaction")
    }
    for id in try absoluteTolerance().perState.keys.sorted() where layout.stateIndex(of: id) == nil {
      if layout.slots[id] != nil {
        throw ValidationError(
          "--atol: `\(id)` is not a state variable (only integrated quantities have an absolute tolerance); the states are listed by `osteon explain \(file)`"
        )
      }
      throw unknown("--atol", id, among: layout.states, what: "state variable")
    }
  }

  func solverOptions(for model: CompiledModel) throws -> SolverOptions {
    var options = SolverOptions()
    options.method = IntegrationMethod(rawValue: method) ?? .msbdf
    options.linearSolver = LinearSolver(rawValue: linearSolver) ?? .auto
    options.relativeTolerance = rtol
    options.initialStep = initialStep
    options.maximumSteps = maxSteps
    options.maximumStep = maxStep
    options.eventRows = eventRows
    let tolerance = try absoluteTolerance()
    if tolerance.perState.isEmpty {
      options.absoluteTolerance = .scaledToStart(tolerance.defaultValue)
    } else {
      // Named states keep their own value whatever the order of the items.
      options.absoluteTolerance = try .byID(tolerance.perState, otherwise: tolerance.defaultValue, model: model)
    }
    return options
  }

  func problem(for model: CompiledModel, defaultEnd: Double? = nil) throws -> SimulationProblem {
    guard let end = end ?? defaultEnd else { throw ValidationError("give the end time with --end") }
    guard end > start else { throw ValidationError("--end must be after --start") }
    var problem = SimulationProblem(
      model: model, start: start, end: end, points: points ?? 101, parameters: try parameterValues())
    if let step { problem.outputTimes = SimulationProblem.grid(start: start, end: end, step: step) }
    if let columns = try columnIDs() { problem.columns = columns }
    problem.rateMultipliers = try rateMultipliers()
    return problem
  }
}
