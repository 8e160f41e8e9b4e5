import ArgumentParser
import Foundation
import OsteonExport
import OsteonSensitivity
import OsteonSimulate
import Synchronization

/// The options of `sensitivity sobol` and `sensitivity morris`, and the run they share.
struct SensitivityGlobalOptions: ParsableArguments {
  @Argument(help: "The study file (.toml).")
  var study: String

  @Option(help: ArgumentHelp("Folder for the results (created if missing).", valueName: "dir"))
  var out: String?

  @Option(help: "Runs at once (default: the number of cores).")
  var threads: Int?

  @Option(help: ArgumentHelp("Run only slice i of N of the design (1-based), for a job array.", valueName: "i/N"))
  var shard: String?

  @Flag(help: "No progress bar.")
  var quiet = false

  @Option(
    help: ArgumentHelp(
      "Format of the index tables (indices, convergence, second_order, morris, failures): csv, tsv or json (records); design.csv and outputs.csv stay CSV for SALib.",
      valueName: "format"))
  var format: TableFormat = .csv

  /// The shard as (index, count), 1-based; (1, 1) without --shard.
  func parsedShard() throws -> (index: Int, count: Int) {
    guard let shard else { return (1, 1) }
    let parts = shard.split(separator: "/")
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, index >= 1,
      index <= count
    else { throw ValidationError("--shard takes i/N with 1 ≤ i ≤ N, e.g. 3/16; got `\(shard)`") }
    return (index, count)
  }

  func validate() throws {
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1; got \(threads)") }
    _ = try parsedShard()
  }

  /// Runs the study's design (or a shard of it), resuming from a checkpoint, and
  /// writes the result files (or the shard file).
  func run(_ method: StudyMethod) throws {
    stopOnInterrupt()
    let (prepared, files) = try SensitivityStudyLoader.load(study)
    let design = try SensitivityStudyLoader.design(prepared, method, study: study)
    let (index, count) = try parsedShard()
    let header = ShardHeader(
      method: method, fingerprint: PreparedStudy.fingerprint(method: method, files: files), rows: design.rowCount,
      shard: index, shards: count)
    let rows = design.shardRows(index - 1, of: count)
    let folder = out ?? (URL(fileURLWithPath: study).deletingPathExtension().lastPathComponent + "-" + method.rawValue)
    let names = prepared.outputNames
    let slice = count == 1 ? "" : "-shard-\(index)-of-\(count)"
    let checkpointPath = folder + "/.\(method.rawValue)\(slice).partial.csv"
    var done: [RowOutcome] = []
    let checkpoint: SensitivityCheckpoint
    do {
      try Run.makeFolder(folder)
      var fresh = true
      if let data = FileManager.default.contents(atPath: checkpointPath),
        let text = String(data: data, encoding: .utf8)
      {
        let read = try StudyFiles.readRows(text, path: checkpointPath, names: names, allowTruncatedEnd: true)
        if read.header == header {
          done = read.outcomes
          fresh = false
          // Rewrite it without a line cut short, so that appending continues cleanly.
          try OutputFile.write(StudyFiles.shardText(header: header, names: names, outcomes: done), to: checkpointPath)
          if !done.isEmpty { Output.standardError("\(folder): resuming: \(done.count) of \(rows.count) runs done") }
        }
      }
      checkpoint = try SensitivityCheckpoint(path: checkpointPath, header: header, names: names, fresh: fresh)
    } catch let error as StudyFileError {
      Output.standardError(error.description + "\n  hint: delete it to start afresh")
      throw ExitCode(exitDataError)
    } catch {
      Output.standardError("\(error)")
      throw ExitCode(exitCannotCreate)
    }
    let threads = self.threads ?? ProcessInfo.processInfo.activeProcessorCount
    let runner = StudyRunner(study: prepared, threads: threads, cancellation: interruption)
    let progress = ProgressBar(enabled: !quiet && isatty(STDERR_FILENO) != 0, resumed: done.count)
    let box = OutcomeBox()
    let finished = DispatchSemaphore(value: 0)
    let resumed = done
    let started = ContinuousClock.now
    Task {
      let outcomes = await runner.run(
        design: design, rows: rows, done: resumed, record: { checkpoint.append($0) },
        progress: { progress.update($0, $1) })
      box.set(outcomes)
      finished.signal()
    }
    finished.wait()
    progress.finish()
    checkpoint.close()
    guard let outcomes = box.get() else {
      Output.standardError(
        "\(study): interrupted; finished runs are kept in \(checkpointPath): run the same command again to resume")
      throw ExitCode(exitInterrupted)
    }
    let elapsed = ContinuousClock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    do throws(OutputFileError) {
      if count == 1 {
        let results = StudyFiles.results(study: prepared, design: design, outcomes: outcomes)
        for (name, text) in SensitivityTables.files(results, as: format) {
          try OutputFile.write(text, to: folder + "/" + name)
        }
        try OutputFile.write(
          SensitivityManifest.json(
            study: study, prepared: prepared, design: design, outcomes: outcomes, files: files, threads: threads,
            shards: 1, wallTime: seconds, format: format),
          to: folder + "/manifest.json")
      } else {
        try OutputFile.write(
          StudyFiles.shardText(header: header, names: names, outcomes: outcomes),
          to: folder + "/\(method.rawValue)\(slice).csv")
      }
    } catch {
      Output.standardError(error.description)
      throw ExitCode(exitCannotCreate)
    }
    try? FileManager.default.removeItem(atPath: checkpointPath)
    Self.reportFailures(outcomes, design: design)
    let ran = rows.count - done.count
    Output.standardError(
      "\(folder): \(rows.count) runs\(count == 1 ? "" : " (shard \(index) of \(count))") on \(threads) thread\(threads == 1 ? "" : "s") in \(String(format: "%.2f", seconds)) s"
        + (ran > 0 ? String(format: ", %.0f runs/s", Double(ran) / max(seconds, 1e-9)) : ""))
  }

  /// Failed runs, counted, with the first few and their parameter values.
  static func reportFailures(_ outcomes: [RowOutcome], design: Design) {
    let failed = outcomes.filter { if case .failure = $0.result { true } else { false } }
    guard !failed.isEmpty else { return }
    var lines = ["\(failed.count) of \(outcomes.count) runs failed (all listed in failures.csv or the shard file):"]
    for outcome in failed.prefix(5) {
      guard case .failure(let failure) = outcome.result else { continue }
      let values = zip(design.space.factors, design.values(row: outcome.row)).map { "\($0.id)=\($1)" }
      lines.append(
        "  row \(outcome.row) (\(values.joined(separator: ", "))): \(failure.kind) at t = \(failure.time): \(failure.message)"
      )
    }
    if failed.count > 5 { lines.append("  …") }
    Output.standardError(lines.joined(separator: "\n"))
  }
}

/// The outcome of the runs, handed from the task that ran them.
final class OutcomeBox: Sendable {
  private let value = Mutex<[RowOutcome]?>(nil)

  func set(_ outcomes: [RowOutcome]?) { value.withLock { $0 = outcomes } }
  func get() -> [RowOutcome]? { value.withLock { $0 } }
}
