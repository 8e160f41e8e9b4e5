import ArgumentParser
import Foundation
import OsteonCompile
import OsteonExperiment
import OsteonExport
import OsteonSensitivity
import OsteonSimulate

/// `osteon sensitivity local`: forward sensitivities of a network or an experiment's arm.
struct SensitivityLocal: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "local",
    abstract: "Local sensitivities ∂y/∂p and ∂ln y/∂ln p over time (and of an experiment's summaries).",
    discussion: """
      Integrates the forward sensitivity equations with the model (GSL's msbdf; ∂f/∂y \
      and ∂f/∂p from the model's symbolic derivatives). Factors are parameters, \
      compartment sizes or initial values of species; outputs are states, \
      assignment-rule variables or parameters. Doses and parameter changes at set \
      times and events at times the factors do not move are followed, with their \
      jumps; events that the states or factors trigger are refused.

      Writes into --out: local.csv (time,output,factor,value,derivative,coefficient) \
      and, for an experiment, summaries.csv (summary,factor,value,derivative,coefficient) \
      for every summary of the arm, and manifest.json (the input's SHA-256, factors, \
      outputs, grid, versions). --format tsv or json writes local.tsv or local.json \
      (and summaries) instead. Prints the coefficients at the end (and of each summary).
      """)

  @Argument(help: "A network (.ant) or an experiment (.toml).")
  var file: String

  @Option(help: ArgumentHelp("Factors, comma-separated.", valueName: "id,…"))
  var params: String

  @Option(help: ArgumentHelp("Outputs, comma-separated (default: the state variables).", valueName: "id,…"))
  var outputs: String?

  @Option(help: "The experiment's arm (default: the first).")
  var arm: String?

  @Option(help: "Network: end time (default 100).")
  var end: Double = 100

  @Option(help: "Network: output points (default 101).")
  var points: Int = 101

  @Option(help: "Relative tolerance of states and sensitivities.")
  var rtol: Double = 1e-10

  @Option(help: ArgumentHelp("Folder for the results (created if missing).", valueName: "dir"))
  var out: String?

  @Option(help: ArgumentHelp("Format of the tables: csv, tsv or json (records).", valueName: "format"))
  var format: TableFormat = .csv

  func validate() throws {
    if points < 2 { throw ValidationError("--points must be at least 2") }
    if !(rtol > 0) { throw ValidationError("--rtol must be positive") }
    if !(end.isFinite) { throw ValidationError("--end must be a number") }
  }

  static func list(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  func run() throws {
    let factors = Self.list(params)
    guard !factors.isEmpty else { throw usageError("--params names no factor", command: Self.self) }
    let result: LocalSensitivities
    var summaries: [SummarySensitivity] = []
    var experimentPlan: ExperimentPlan?
    var networkModel: CompiledModel?
    if file.hasSuffix(".toml") {
      do {
        let experiment = try Experiment(contentsOfFile: file)
        let (_, network) = try loadNetwork(experiment.networkPath)
        experimentPlan = try ExperimentPlan(experiment: experiment, network: network)
      } catch let error as ExperimentError {
        Output.standardError(error.description)
        throw ExitCode(exitDataError)
      }
    } else {
      let (_, network) = try loadNetwork(file)
      do {
        networkModel = try CompiledModel(network: network)
      } catch {
        Output.standardError("\(file): error: \(error)")
        throw ExitCode(exitDataError)
      }
    }
    do throws(LocalSensitivityError) {
      if let plan = experimentPlan {
        let experiment = plan.experiment
        let arm = self.arm ?? experiment.arms.first?.name ?? ""
        let analysis = try ExperimentLocalSensitivity.analyze(plan: plan, arm: arm, factors: factors)
        summaries = analysis.summaries
        // The experiment's output grid, and the outputs asked for.
        let wanted = outputs.map(Self.list) ?? plan.variables
        result = try Self.select(analysis.trajectory, outputs: wanted, times: experiment.outputTimes)
      } else if let model = networkModel {
        let problem = SimulationProblem(model: model, end: end, points: points)
        var local = LocalSensitivityProblem(
          problem: problem, factors: factors, outputs: outputs.map(Self.list) ?? model.layout.states)
        local.relativeTolerance = rtol
        result = try LocalSensitivitySolver().solve(local)
      } else {
        throw LocalSensitivityError("nothing to analyse")
      }
    } catch {
      Output.standardError("\(file): error: \(error.description)")
      throw ExitCode(error.time == nil ? exitDataError : exitSoftwareFailure)
    }
    var text = "time,output,factor,value,derivative,coefficient\n"
    for row in result.times.indices {
      for (output, id) in result.outputs.enumerated() {
        for (factor, name) in result.factors.enumerated() {
          text +=
            "\(result.times[row]),\(id),\(name),\(result.value(row: row, output: output)),\(result.derivative(row: row, output: output, factor: factor)),\(result.coefficient(row: row, output: output, factor: factor))\n"
        }
      }
    }
    var summaryText = "summary,factor,value,derivative,coefficient\n"
    for summary in summaries {
      for (index, factor) in summary.factors.enumerated() {
        let name = summary.summary.contains(",") ? "\"\(summary.summary)\"" : summary.summary
        summaryText +=
          "\(name),\(factor),\(summary.value),\(summary.derivatives[index]),\(summary.coefficients[index])\n"
      }
    }
    let folder = out ?? (URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent + "-local")
    let tables = SensitivityTables.files(
      [("local.csv", text)] + (summaries.isEmpty ? [] : [("summaries.csv", summaryText)]), as: format)
    do {
      try Run.makeFolder(folder)
      for (name, contents) in tables { try OutputFile.write(contents, to: folder + "/" + name) }
      let manifest = SensitivityManifest.localJSON(
        input: file, arm: experimentPlan.map { self.arm ?? $0.experiment.arms.first?.name ?? "" }, result: result,
        relativeTolerance: experimentPlan == nil ? rtol : nil, files: tables.map(\.name))
      try OutputFile.write(manifest, to: folder + "/manifest.json")
    } catch let error as OutputFileError {
      Output.standardError(error.description)
      throw ExitCode(exitCannotCreate)
    }
    var table = "∂ln y/∂ln p at t = \(result.times.last ?? 0)\n"
    table +=
      "output".padding(toLength: 40, withPad: " ", startingAt: 0)
      + result.factors.map { $0.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined() + "\n"
    let last = result.times.count - 1
    for (output, id) in result.outputs.enumerated() {
      table += id.padding(toLength: 40, withPad: " ", startingAt: 0)
      for factor in result.factors.indices {
        table += String(format: "%-14.5g", result.coefficient(row: last, output: output, factor: factor))
      }
      table += "\n"
    }
    for summary in summaries {
      table += String(summary.summary.prefix(39)).padding(toLength: 40, withPad: " ", startingAt: 0)
      for value in summary.coefficients { table += String(format: "%-14.5g", value) }
      table += "\n"
    }
    Output.standardOutput(table)
    Output.standardError("\(folder): " + (tables.map(\.name) + ["manifest.json"]).joined(separator: ", "))
  }

  /// The rows at `times` and the columns `outputs` of a result.
  static func select(_ result: LocalSensitivities, outputs: [String], times: [Double]) throws(LocalSensitivityError)
    -> LocalSensitivities
  {
    var columns: [Int] = []
    for id in outputs {
      guard let index = result.outputs.firstIndex(of: id) else {
        throw LocalSensitivityError(
          "`\(id)` is not recorded by the experiment; recorded: \(result.outputs.joined(separator: ", "))")
      }
      columns.append(index)
    }
    let rows = times.compactMap { time in result.times.firstIndex(of: time) }
    var selected = result
    selected.outputs = outputs
    selected.times = rows.map { result.times[$0] }
    let m = result.factors.count
    selected.values = rows.flatMap { row in columns.map { result.value(row: row, output: $0) } }
    selected.derivatives = rows.flatMap { row in
      columns.flatMap { column in (0..<m).map { result.derivative(row: row, output: column, factor: $0) } }
    }
    return selected
  }
}
