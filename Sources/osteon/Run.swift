import ArgumentParser
import Foundation
import OsteonExperiment
import OsteonExport
import OsteonNetwork
import OsteonSimulate
import Synchronization

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a pathway experiment: arms, phases, doses, knockouts and scans on one network.",
    discussion: """
      An experiment is a TOML file (see Networks/experiments/README.md) naming a network \
      and what to do to it from outside: arms that set or scale parameters from a time \
      or for a window, piecewise schedules, knockouts (a reaction's rate, or every \
      reaction producing a species, scaled by a factor), bolus doses (once, or every Δt \
      for n doses), infusions over a window and initial values; scans over one or two \
      parameters; the variables and grid to record; and summaries per arm (value at a \
      time, percent change, minimum/maximum and when, area under the curve, first \
      crossing of a threshold). The network file is never edited: it is compiled once, \
      and every arm and scan point runs on it, in parallel over --threads.

      Writes into --out: trajectories.csv (tidy: arm,phase,time,variable,value), \
      arm_<name>.csv (wide, one per arm), summaries.csv, scan_<name>.csv per scan and \
      manifest.json (versions, SHA-256 of the experiment and network files, solver \
      settings and statistics, wall time, phases, and each variable's kind, display \
      name and unit). --format tsv or json writes the same tables as TSV or JSON \
      records (trajectories.tsv, …). Every file is written to a temporary file \
      and renamed; nothing is written until every run has finished, so Ctrl-C or a \
      failed arm leaves the folder as it was. Prints the summary table.

      Results do not depend on the number of threads: each run is independent.

      Example: osteon run Networks/experiments/lemaire2004_injections.toml --out results
      """
  )

  @Argument(help: "The experiment file (.toml).")
  var file: String

  @Option(help: ArgumentHelp("Folder for the results (created if missing).", valueName: "dir"))
  var out: String?

  @Option(help: "Runs at once (default: the number of cores).")
  var threads: Int?

  @Option(
    help: ArgumentHelp(
      "Format of the result tables: csv, tsv or json (records); the manifest is JSON either way.",
      valueName: "format"))
  var format: TableFormat = .csv

  @Flag(help: "No progress bar and no summary table.")
  var quiet = false

  @Option(help: "Linear solver of msbdf's Newton iterations: auto (by size and density), dense or sparse.")
  var linearSolver: String = LinearSolver.auto.rawValue

  func validate() throws {
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1; got \(threads)") }
    if LinearSolver(rawValue: linearSolver) == nil {
      throw ValidationError("unknown linear solver `\(linearSolver)`; choose one of auto, dense, sparse")
    }
  }

  func run() throws {
    stopOnInterrupt()
    let clock = ContinuousClock.now
    var experiment: Experiment
    do {
      experiment = try Experiment(contentsOfFile: file)
      experiment.solver.linearSolver = LinearSolver(rawValue: linearSolver) ?? .auto
    } catch {
      Output.standardError(error.description)
      throw ExitCode(exitDataError)
    }
    var isFolder: ObjCBool = false
    if !FileManager.default.fileExists(atPath: experiment.networkPath, isDirectory: &isFolder) || isFolder.boolValue {
      let failure = experiment.error(
        "the network file `\(experiment.networkPath)` \(isFolder.boolValue ? "is a folder" : "does not exist")",
        at: KeyPath.root.appending("network"), hint: "the path is relative to the experiment file's folder")
      Output.standardError(failure.description)
      throw ExitCode(exitDataError)
    }
    let (loaded, network) = try loadNetwork(experiment.networkPath)
    let plan: ExperimentPlan
    do {
      plan = try ExperimentPlan(experiment: experiment, network: network)
    } catch {
      Output.standardError(error.description)
      throw ExitCode(exitDataError)
    }
    let threads = self.threads ?? ProcessInfo.processInfo.activeProcessorCount
    let runner = ExperimentRunner(plan: plan, threads: threads, cancellation: interruption)
    let progress = ProgressBar(enabled: !quiet && isatty(STDERR_FILENO) != 0, delay: .seconds(1))
    let outcome = ResultBox()
    let finished = DispatchSemaphore(value: 0)
    Task {
      do throws(ExperimentFailure) {
        outcome.set(.success(try await runner.run(progress: { done, total in progress.update(done, total) })))
      } catch {
        outcome.set(.failure(error))
      }
      finished.signal()
    }
    finished.wait()
    progress.finish()
    let results: ExperimentResults
    switch outcome.get() {
    case .success(let value)?: results = value
    case .failure(let failure)?:
      Output.standardError("\(file): \(failure.kind == .cancelled ? "" : "error: ")\(failure.description)")
      throw ExitCode(failure.kind == .cancelled ? exitInterrupted : exitSoftwareFailure)
    case nil: throw ExitCode(exitSoftwareFailure)
    }

    // Ctrl-C after the last run but before the files: still nothing written. Once
    // writing has begun it finishes, so the folder never mixes old and new files.
    if interruption.isCancelled {
      Output.standardError("\(file): interrupted after the runs; nothing written")
      throw ExitCode(exitInterrupted)
    }
    let folder = out ?? Self.defaultFolder(for: file)
    var written: [String] = []
    do {
      try Self.makeFolder(folder)
      for (name, text) in results.files(as: format) {
        try OutputFile.write(text, to: folder + "/" + name)
        written.append(name)
      }
      var manifest = ExperimentManifest(
        version: OsteonVersion.string, experimentSHA256: SHA256.hex(Self.bytes(of: file)),
        networkSHA256: SHA256.hex(loaded.file.bytes), threads: threads, wallTime: 0, files: written)
      manifest.format = format
      manifest.commandLine = CommandLine.arguments
      manifest.created = Provenance.timestamp()
      manifest.gitCommit = Provenance.gitCommit()
      let elapsed = ContinuousClock.now - clock
      manifest.wallTime = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      try OutputFile.write(manifest.json(for: results), to: folder + "/manifest.json")
    } catch let error as OutputFileError {
      Output.standardError(error.description)
      throw ExitCode(exitCannotCreate)
    }
    if !quiet {
      if let title = experiment.title { Output.standardOutput(title) }
      Output.standardOutput(results.summaryTable)
    }
    let failed = results.failures.count
    let statistics = results.statistics
    Output.standardError(
      "\(folder): \(written.count + 1) files; \(plan.runs.count) run\(plan.runs.count == 1 ? "" : "s") on \(threads) thread\(threads == 1 ? "" : "s"), \(statistics.steps) steps"
        + (failed > 0 ? "; \(failed) scan point\(failed == 1 ? "" : "s") failed (see the scan files)" : ""))
  }

  /// `<experiment name>-results` in the current folder.
  static func defaultFolder(for path: String) -> String {
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    return name + "-results"
  }

  static func makeFolder(_ path: String) throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
      guard isFolder.boolValue else { throw OutputFileError(path: path, reason: "it exists and is not a folder") }
      return
    }
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw OutputFileError(path: path, reason: "cannot create the folder: \(error.localizedDescription)")
    }
  }

  static func bytes(of path: String) -> [UInt8] {
    (FileManager.default.contents(atPath: path)).map { Array($0) } ?? []
  }
}

/// The outcome of the runs, handed from the task that ran them.
final class ResultBox: Sendable {
  private let value = Mutex<Result<ExperimentResults, ExperimentFailure>?>(nil)

  func set(_ result: Result<ExperimentResults, ExperimentFailure>) {
    value.withLock { $0 = result }
  }

  func get() -> Result<ExperimentResults, ExperimentFailure>? {
    value.withLock { $0 }
  }
}
