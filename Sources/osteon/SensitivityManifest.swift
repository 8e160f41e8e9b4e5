import Foundation
import OsteonExport
import OsteonSensitivity

/// The JSON record written beside a study's results: what ran (the study and the
/// files it reads, with their SHA-256), how (method, rows, factors, outputs) and
/// what it cost. Not compared between shards and merges: it holds times.
enum SensitivityManifest {
  static func json(
    study path: String, prepared: PreparedStudy, design: Design, outcomes: [RowOutcome], files: [[UInt8]],
    threads: Int?, shards: Int, wallTime: Double?, format: TableFormat = .csv
  ) -> String {
    let string = JSONText.string
    let number = JSONText.number
    let roles: [String]
    switch prepared.study.target {
    case .network: roles = ["study", "network"]
    case .experiment: roles = ["study", "experiment", "network"]
    }
    let hashes = zip(roles, files).map { "{\"file\": \(string($0)), \"sha256\": \(string(SHA256.hex($1)))}" }
    let failed = outcomes.filter { if case .failure = $0.result { true } else { false } }.count
    var lines = [
      "  \"tool\": \"osteon\"", "  \"version\": \(string(OsteonVersion.string))",
      "  \"gsl_version\": \(string(Manifest.linkedGSLVersion))",
    ]
    if let commit = Provenance.gitCommit() { lines.append("  \"git_commit\": \(string(commit))") }
    lines += [
      "  \"created\": \(string(Provenance.timestamp()))",
      "  \"command_line\": [\(CommandLine.arguments.map(string).joined(separator: ", "))]",
      "  \"study\": {\"path\": \(string(path)), \"title\": \(prepared.study.title.map(string) ?? "null")}",
      "  \"inputs\": [\(hashes.joined(separator: ", "))]",
      "  \"method\": \(string(design.method.rawValue))",
      "  \"factors\": [\(design.space.factors.map { string($0.id) }.joined(separator: ", "))]",
      "  \"outputs\": [\(prepared.outputNames.map(string).joined(separator: ", "))]",
      "  \"runs\": \(outcomes.count)", "  \"failed_runs\": \(failed)",
      "  \"threads\": \(threads.map(String.init) ?? "null")", "  \"shards_merged\": \(shards)",
      "  \"wall_time_s\": \(number(wallTime))", "  \"format\": \(string(format.rawValue))",
    ]
    return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
  }
}

extension SensitivityManifest {
  /// The manifest of `osteon sensitivity local`: the input with its SHA-256, the arm,
  /// factors, outputs and grid, and the files written.
  static func localJSON(
    input path: String, arm: String?, result: LocalSensitivities, relativeTolerance: Double?, files: [String]
  ) -> String {
    let string = JSONText.string
    let number = JSONText.number
    var lines = [
      "  \"tool\": \"osteon\"", "  \"version\": \(string(OsteonVersion.string))",
      "  \"gsl_version\": \(string(Manifest.linkedGSLVersion))",
    ]
    if let commit = Provenance.gitCommit() { lines.append("  \"git_commit\": \(string(commit))") }
    let bytes = Run.bytes(of: path)
    lines += [
      "  \"created\": \(string(Provenance.timestamp()))",
      "  \"command_line\": [\(CommandLine.arguments.map(string).joined(separator: ", "))]",
      "  \"input\": {\"path\": \(string(path)), \"sha256\": \(string(SHA256.hex(bytes)))}",
      "  \"method\": \"local\"", "  \"arm\": \(arm.map(string) ?? "null")",
      "  \"factors\": [\(result.factors.map(string).joined(separator: ", "))]",
      "  \"outputs\": [\(result.outputs.map(string).joined(separator: ", "))]",
      "  \"time\": {\"start\": \(number(result.times.first)), \"end\": \(number(result.times.last)), \"points\": \(result.times.count)}",
      "  \"rtol\": \(number(relativeTolerance))",
      "  \"files\": [\(files.map(string).joined(separator: ", "))]",
    ]
    return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
  }
}
