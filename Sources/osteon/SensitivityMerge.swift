import ArgumentParser
import Foundation
import OsteonExport
import OsteonSensitivity

/// `osteon sensitivity merge`: shard files → the result files of a single run.
struct SensitivityMerge: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Combine the shard files of a study into exactly the files of a single run.",
    discussion: """
      Every shard file must come from the same study file, network or experiment \
      and method, and together they must hold every row of the design exactly once. \
      Example: osteon sensitivity merge study.toml results/sobol-shard-*-of-16.csv --out results
      """)

  @Argument(help: "The study file (.toml) the shards ran.")
  var study: String

  @Argument(help: "The shard files (sobol-shard-i-of-N.csv or morris-shard-i-of-N.csv).")
  var shards: [String]

  @Option(help: ArgumentHelp("Folder for the results (created if missing).", valueName: "dir"))
  var out: String?

  @Option(
    help: ArgumentHelp(
      "Format of the index tables: csv, tsv or json (records); design.csv and outputs.csv stay CSV.",
      valueName: "format"))
  var format: TableFormat = .csv

  func validate() throws {
    if shards.isEmpty { throw ValidationError("give the shard files to merge") }
  }

  func run() throws {
    let (prepared, files) = try SensitivityStudyLoader.load(study)
    var parts: [(path: String, header: ShardHeader, outcomes: [RowOutcome])] = []
    do throws(StudyFileError) {
      for path in shards {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
          throw StudyFileError(path: path, line: 1, message: "cannot read it (missing, unreadable or not UTF-8)")
        }
        let read = try StudyFiles.readRows(text, path: path, names: prepared.outputNames)
        parts.append((path, read.header, read.outcomes))
      }
    } catch {
      Output.standardError(error.description)
      throw ExitCode(exitDataError)
    }
    guard let method = parts.first?.header.method else { throw ExitCode(exitDataError) }
    let design = try SensitivityStudyLoader.design(prepared, method, study: study)
    let header = ShardHeader(
      method: method, fingerprint: PreparedStudy.fingerprint(method: method, files: files), rows: design.rowCount,
      shard: 1, shards: 1)
    let outcomes: [RowOutcome]
    do {
      outcomes = try PreparedStudy.merge(parts, expecting: header)
    } catch {
      Output.standardError(error.description)
      throw ExitCode(exitDataError)
    }
    let folder = out ?? (URL(fileURLWithPath: study).deletingPathExtension().lastPathComponent + "-" + method.rawValue)
    do {
      try Run.makeFolder(folder)
      let results = StudyFiles.results(study: prepared, design: design, outcomes: outcomes)
      for (name, text) in SensitivityTables.files(results, as: format) {
        try OutputFile.write(text, to: folder + "/" + name)
      }
      try OutputFile.write(
        SensitivityManifest.json(
          study: study, prepared: prepared, design: design, outcomes: outcomes, files: files, threads: nil,
          shards: parts.count, wallTime: nil, format: format),
        to: folder + "/manifest.json")
    } catch let error as OutputFileError {
      Output.standardError(error.description)
      throw ExitCode(exitCannotCreate)
    }
    SensitivityGlobalOptions.reportFailures(outcomes, design: design)
    Output.standardError("\(folder): \(outcomes.count) runs from \(parts.count) shard files")
  }
}
