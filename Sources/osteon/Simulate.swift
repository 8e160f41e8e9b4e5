import ArgumentParser
import Foundation
import OsteonCompile
import OsteonExport
import OsteonNetwork
import OsteonSimulate

struct Simulate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Simulate a network and write its time course as CSV.",
    discussion: """
      Integrates the network with GSL (msbdf by default, with the exact Jacobian) from \
      --start to --end and writes CSV with the header `time,<ids>`: by default every \
      state variable in declaration order. Events follow SBML Level 3 semantics and \
      fire on the solver's own steps, whatever the output grid. With --out FILE.csv a \
      JSON manifest (FILE.manifest.json) records the tool version, the network's \
      SHA-256, solver settings and statistics; both files are written atomically.

      Example: osteon simulate Networks/published/lemaire2004.ant --end 140 --points 141 --set I_P=1000
      """
  )

  @Argument(help: "The network file (.ant).")
  var file: String

  @OptionGroup var simulation: SimulationArguments

  @Option(help: "Output CSV file, or - for standard output.")
  var out: String = "-"

  func validate() throws {
    if simulation.end == nil { throw ValidationError("give the end time with --end, in the network's time unit") }
  }

  func run() throws {
    let (loaded, network) = try loadNetwork(file)
    let model = CompiledModel(network: network)
    let problem = try simulation.problem(for: model)
    let options = try simulation.solverOptions(for: model)
    let trajectory: Trajectory
    do {
      trajectory = try Simulator(options: options).solve(problem)
    } catch {
      Output.standardError("\(file): error: \(error.description)")
      throw ExitCode(exitSoftwareFailure)
    }
    let csv = trajectory.csv(includeRowKinds: options.eventRows)
    if out == "-" {
      FileHandle.standardOutput.write(Data(csv.utf8))
      return
    }
    let manifestPath = (out.hasSuffix(".csv") ? String(out.dropLast(4)) : out) + ".manifest.json"
    let manifest = Manifest(
      version: OsteonVersion.string, networkPath: file, networkSHA256: SHA256.hex(loaded.file.bytes),
      model: network.name, output: out, method: options.method.rawValue, relativeTolerance: options.relativeTolerance,
      absoluteTolerance: simulation.atol, start: problem.start, end: problem.end, points: problem.outputTimes.count,
      parameters: try simulation.parameterValues(), columns: problem.columns, statistics: trajectory.statistics)
    do {
      try AtomicFile.write(csv, to: out)
      try AtomicFile.write(manifest.json, to: manifestPath)
    } catch {
      Output.standardError(error.description)
      throw ExitCode(exitCannotCreate)
    }
    Output.standardError(
      "\(out): \(trajectory.rowCount) rows × \(problem.columns.count + 1) columns; \(trajectory.statistics.steps) steps, \(trajectory.statistics.eventsFired) events; manifest \(manifestPath)"
    )
  }
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
  if !errors.isEmpty { Output.standardError(errors.map { $0.rendered(in: loaded.file) }.joined(separator: "\n")) }
  guard let network = loaded.network else { throw ExitCode(exitDataError) }
  return (loaded, network)
}
