import OsteonExport
import OsteonSimulate

/// The JSON record written beside an experiment's results: what ran (files and
/// their SHA-256), how (solver settings, threads) and what it cost.
public struct ExperimentManifest: Sendable {
  public var version: String
  public var gitCommit: String?
  public var created: String?
  public var commandLine: [String] = []
  public var experimentSHA256: String
  public var networkSHA256: String
  public var threads: Int
  /// Seconds for the whole command (load, compile, runs, files).
  public var wallTime: Double
  public var files: [String]

  public init(
    version: String, experimentSHA256: String, networkSHA256: String, threads: Int, wallTime: Double, files: [String]
  ) {
    self.version = version
    self.experimentSHA256 = experimentSHA256
    self.networkSHA256 = networkSHA256
    self.threads = threads
    self.wallTime = wallTime
    self.files = files
  }

  public func json(for results: ExperimentResults) -> String {
    let string = JSONText.string
    let number = JSONText.number
    let plan = results.plan
    let experiment = plan.experiment
    let statistics = results.statistics
    var header = ["  \"tool\": \"osteon\"", "  \"version\": \(string(version))"]
    if let gitCommit { header.append("  \"git_commit\": \(string(gitCommit))") }
    header.append("  \"gsl_version\": \(string(Manifest.linkedGSLVersion))")
    if let created { header.append("  \"created\": \(string(created))") }
    header.append("  \"command_line\": [\(commandLine.map(string).joined(separator: ", "))]")
    let arms = experiment.arms.enumerated().map { index, arm in
      let steps = results.trajectories[index]?.statistics.steps ?? 0
      return "    {\"name\": \(string(arm.name)), \"label\": \(string(arm.label)), \"steps\": \(steps)}"
    }
    let failed = results.failures.keys.filter { plan.runs[$0].scan != nil }.count
    return """
      {
      \(header.joined(separator: ",\n")),
        "experiment": {"path": \(string(experiment.path)), "sha256": \(string(experimentSHA256)), "title": \(experiment.title.map(string) ?? "null")},
        "network": {"path": \(string(experiment.networkPath)), "sha256": \(string(networkSHA256)), "model": \(string(plan.model.network.name))},
        "time": {"unit": \(experiment.timeUnit.map(string) ?? "null"), "start": \(number(experiment.start)), "end": \(number(experiment.end)), "output_points": \(experiment.outputTimes.count), "recorded_points": \(plan.recordTimes.count)},
        "preequilibrate": \(experiment.preequilibrate),
        "solver": {"method": \(string(plan.options.method.rawValue)), "rtol": \(number(plan.options.relativeTolerance)), "atol": \(number(experiment.solver.absoluteTolerance)), "atol_rule": "scaled to each state's start", "max_steps": \(plan.options.maximumSteps), "linear_solver": \(string(plan.options.linearSolver.rawValue))},
        "arms": [
      \(arms.joined(separator: ",\n"))
        ],
        "runs": \(plan.runs.count),
        "failed_scan_points": \(failed),
        "threads": \(threads),
        "statistics": \(JSONText.statistics(statistics, indent: "  ")),
        "wall_time_s": \(number(wallTime)),
        "files": [\(files.map(string).joined(separator: ", "))]
      }

      """
  }
}
