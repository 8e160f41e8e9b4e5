import ArgumentParser
import Foundation
import OsteonCompile
import OsteonExport
import OsteonNetwork
import OsteonSimulate

/// `--format csv|tsv|json`, with ArgumentParser's usage error (exit 64) for anything else.
extension TableFormat: ExpressibleByArgument {}

struct Simulate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Simulate a network and write its time course as CSV, TSV or JSON.",
    discussion: """
      Integrates the network with GSL (msbdf by default, with the exact Jacobian) from \
      --start to --end and writes CSV with the header `time,<ids>`: by default every \
      state variable in declaration order. Events follow SBML Level 3 semantics and \
      fire on the solver's own steps, whatever the output grid. --long writes the tidy \
      layout arm,phase,time,variable,value instead; --format (or --out's extension) \
      picks CSV, TSV or JSON records.

      A species column holds the value of the species' symbol, as SBML defines it: its \
      concentration, or its amount for a `substanceOnly` species (libRoadRunner's \
      default selection reports every species as a concentration). Reaction columns \
      hold rates (amount per time).

      --out FILE follows symbolic links (the link stays, its target is updated). A \
      regular file is written to a temporary file and renamed over it, so a failed run \
      leaves nothing half-written; a FIFO, a device or /dev/stdout is written straight \
      into. Only a regular file gets a JSON manifest beside it, named FILE without its \
      extension plus .manifest.json: the command line, the time, the versions of \
      osteon, GSL and the git checkout, the network's SHA-256, every solver setting, \
      statistics, the format and layout, and what each column is (amount, \
      concentration, compartment size, parameter, rule value or reaction rate) with \
      its display name and unit when the network gives them.

      Example: osteon simulate Networks/published/lemaire2004.ant --end 140 --points 141 --set I_P=1000
      """
  )

  @Argument(help: "The network file (.ant).")
  var file: String

  @OptionGroup var simulation: SimulationArguments

  @Option(help: ArgumentHelp("Output file, or - for standard output.", valueName: "file"))
  var out: String = "-"

  @Option(
    help: ArgumentHelp(
      "csv, tsv or json (records: one object per row). Default: from --out's extension (.tsv, .json), else csv.",
      valueName: "format"))
  var format: TableFormat?

  @Flag(
    help: ArgumentHelp(
      "Tidy long layout instead of wide: arm,phase,time,variable,value (a row per time and id; arm is the model's name, phase is empty)."
    ))
  var long = false

  func validate() throws {
    if simulation.end == nil { throw ValidationError("give the end time with --end, in the network's time unit") }
  }

  func run() throws {
    do {
      try simulate()
    } catch let error as ValidationError {
      throw usageError(error.message, command: Self.self)
    }
  }

  func simulate() throws {
    stopOnInterrupt()
    let (loaded, network) = try loadNetwork(file)
    let model = try simulation.compile(network, file: file)
    try simulation.checkIDs(in: model, file: file)
    let problem = try simulation.problem(for: model)
    if problem.columns.isEmpty {
      if model.layout.slots.isEmpty {
        Output.standardError("\(file): error: the model defines nothing to simulate")
        throw ExitCode(exitDataError)
      }
      throw ValidationError(
        "\(file) has no state variables to output by default; choose columns with --columns (`osteon explain \(file)` lists the ids)"
      )
    }
    var options = try simulation.solverOptions(for: model)
    options.cancellation = interruption
    let trajectory: Trajectory
    do {
      trajectory = try Simulator(options: options).solve(problem)
    } catch {
      if error.kind == .cancelled {
        Output.standardError("\(file): interrupted at t = \(error.time); nothing written")
        throw ExitCode(exitInterrupted)
      }
      Output.standardError("\(file): error: \(explained(error, options: options).description)")
      throw ExitCode(exitSoftwareFailure)
    }
    let format = self.format ?? TableFormat.inferred(fromPath: out)
    let table =
      long
      ? trajectory.longTable(arm: network.name, includeRowKinds: options.eventRows)
      : trajectory.wideTable(includeRowKinds: options.eventRows)
    let text = table.text(as: format)
    do {
      if out == "-" {
        try OutputFile.writeStandardOutput(text)
        return
      }
      let destination = try OutputFile.write(text, to: out)
      var summary =
        "\(out): \(table.rows.count) rows × \(table.columns.count) columns; \(trajectory.statistics.steps) steps, \(trajectory.statistics.eventsFired) event\(trajectory.statistics.eventsFired == 1 ? "" : "s")"
      // A FIFO or a device gets no manifest beside it (no `/dev/null.manifest.json`).
      if destination.isRegularFile {
        let manifestPath = Manifest.path(forOutput: out)
        var manifest = try manifest(loaded, problem, options, trajectory)
        manifest.format = format
        manifest.layout = long ? .long : .wide
        manifest.arm = long ? network.name : nil
        try OutputFile.write(manifest.json, to: manifestPath)
        summary += "; manifest \(manifestPath)"
      }
      Output.standardError(summary)
    } catch let error as OutputFileError {
      Output.standardError(error.description)
      throw ExitCode(exitCannotCreate)
    }
  }

  func manifest(_ loaded: LoadedNetwork, _ problem: SimulationProblem, _ options: SolverOptions, _ run: Trajectory)
    throws -> Manifest
  {
    let network = problem.model.network
    let tolerance = try simulation.absoluteTolerance()
    var manifest = Manifest(
      version: OsteonVersion.string, networkPath: file, networkSHA256: SHA256.hex(loaded.file.bytes),
      model: network.name, output: out, method: options.method.rawValue, relativeTolerance: options.relativeTolerance,
      absoluteTolerance: tolerance.defaultValue, start: problem.start, end: problem.end,
      points: problem.outputTimes.count, parameters: problem.parameters,
      columns: problem.columns.map { Manifest.Column(id: $0, in: network) },
      statistics: run.statistics)
    manifest.absoluteTolerancePerState = tolerance.perState
    manifest.initialStep = options.initialStep
    manifest.maximumSteps = options.maximumSteps
    manifest.maximumStep = options.maximumStep
    manifest.step = simulation.step
    manifest.eventRows = options.eventRows
    manifest.linearSolver = options.linearSolver.rawValue
    manifest.commandLine = CommandLine.arguments
    manifest.created = Provenance.timestamp()
    manifest.gitCommit = Provenance.gitCommit()
    return manifest
  }
}

/// The failure with advice that fits the options in use: the simulator's advice
/// for too many steps suggests the stiff methods, which is no help when one of them
/// already ran out of steps.
func explained(_ error: SimulationError, options: SolverOptions) -> SimulationError {
  guard error.kind == .tooManySteps, [.msbdf, .bsimp].contains(options.method)
  else { return error }
  var rewritten = error
  let other: IntegrationMethod = options.method == .msbdf ? .bsimp : .msbdf
  rewritten.advice =
    "\(options.method.rawValue) is already a stiff method: raise --max-steps (now \(options.maximumSteps)) or loosen --rtol/--atol, or try --method \(other.rawValue); the model may oscillate fast or blow up"
  return rewritten
}

/// Loads a network or exits 65 with its diagnostics.
func loadNetwork(_ path: String) throws -> (LoadedNetwork, Network) {
  let loaded: LoadedNetwork
  do {
    loaded = try Network.load(path: path)
  } catch {
    Output.standardError(error.description)
    throw ExitCode(exitDataError)
  }
  let errors = loaded.diagnostics.filter { $0.severity == .error }
  if !errors.isEmpty { Output.standardError(errors.map { loaded.render($0) }.joined(separator: "\n")) }
  guard let network = loaded.network else { throw ExitCode(exitDataError) }
  return (loaded, network)
}
