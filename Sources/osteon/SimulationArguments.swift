import ArgumentParser
import OsteonCompile
import OsteonNetwork
import OsteonSimulate

/// Options shared by `simulate` and `bench`.
struct SimulationArguments: ParsableArguments {
  @Option(help: "Start time, in the network's time unit.")
  var start: Double = 0

  @Option(help: "End time, in the network's time unit.")
  var end: Double?

  @Option(help: "Number of evenly spaced output times, both ends included (default 101).")
  var points: Int?

  @Option(help: "Output every h time units instead of --points.")
  var step: Double?

  @Option(help: "GSL method: \(Method.allCases.map(\.rawValue).joined(separator: ", ")).")
  var method: String = Method.msbdf.rawValue

  @Option(help: "Relative tolerance.")
  var rtol: Double = 1e-6

  @Option(help: "Absolute tolerance: one value for every state, or id=value pairs (comma-separated) for some states.")
  var atol: String = "1e-12"

  @Option(help: "First step size (default: estimated from the model at the start).")
  var initialStep: Double?

  @Option(help: "Maximum number of solver steps.")
  var maxSteps: Int = 1_000_000

  @Option(help: "Comma-separated ids to output: states, parameters, assignment-rule variables, reaction ids (rates).")
  var columns: String?

  @Option(name: .customLong("set"), help: "Set a parameter, compartment size or initial value: id=value (repeatable).")
  var assignments: [String] = []

  @Flag(help: "Add rows just before and just after each event (flagged in an event_row column).")
  var eventRows = false

  func validate() throws {
    if let points, points < 2 { throw ValidationError("--points must be at least 2") }
    if points != nil, step != nil { throw ValidationError("give either --points or --step, not both") }
    if let step, !(step > 0) { throw ValidationError("--step must be positive") }
    if Method(rawValue: method) == nil {
      throw ValidationError(
        "unknown method `\(method)`; choose one of \(Method.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    if !(rtol > 0) { throw ValidationError("--rtol must be positive") }
  }

  /// `id=value` pairs.
  func parameterValues() throws -> [String: Double] {
    var values: [String: Double] = [:]
    for item in assignments {
      let parts = item.split(separator: "=", maxSplits: 1)
      guard parts.count == 2, let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) else {
        throw ValidationError("--set takes id=value, e.g. --set I_P=1000; got `\(item)`")
      }
      values[parts[0].trimmingCharacters(in: .whitespaces)] = value
    }
    return values
  }

  func solverOptions(for model: CompiledModel) throws -> SolverOptions {
    var options = SolverOptions()
    options.method = Method(rawValue: method) ?? .msbdf
    options.relativeTolerance = rtol
    options.initialStep = initialStep
    options.maximumSteps = maxSteps
    options.eventRows = eventRows
    if let uniform = Double(atol) {
      guard uniform > 0 else { throw ValidationError("--atol must be positive") }
      options.absoluteTolerance = .uniform(uniform)
    } else {
      var perState = Array(repeating: 1e-12, count: model.layout.states.count)
      for pair in atol.split(separator: ",") {
        let parts = pair.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let value = Double(parts[1]), value > 0 else {
          throw ValidationError("--atol takes a number or id=value pairs, e.g. --atol OBp=1e-9,OCa=1e-9")
        }
        let id = String(parts[0])
        if id == "*" || id == "default" {
          for index in perState.indices { perState[index] = value }
          continue
        }
        guard let index = model.layout.stateIndex(of: id) else {
          throw ValidationError("--atol: `\(id)` is not a state variable")
        }
        perState[index] = value
      }
      options.absoluteTolerance = .perState(perState)
    }
    return options
  }

  func problem(for model: CompiledModel, defaultEnd: Double? = nil) throws -> SimulationProblem {
    guard let end = end ?? defaultEnd else { throw ValidationError("give the end time with --end") }
    guard end > start else { throw ValidationError("--end must be after --start") }
    var problem = SimulationProblem(
      model: model, start: start, end: end, points: points ?? 101, parameters: try parameterValues())
    if let step { problem.outputTimes = SimulationProblem.grid(start: start, end: end, step: step) }
    if let columns {
      problem.columns = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
        !$0.isEmpty
      }
    }
    return problem
  }
}
