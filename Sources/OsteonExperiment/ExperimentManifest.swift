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
  /// The format of every table file.
  public var format = TableFormat.csv

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
      let file = "arm_\(ExperimentResults.fileName(arm.name)).\(format.fileExtension)"
      return
        "    {\"name\": \(string(arm.name)), \"label\": \(string(arm.label)), \"file\": \(string(file)), \"steps\": \(steps)}"
    }
    // What the ids in the files are: plain ids in the files, names and units here.
    let variables = plan.variables.map { "    " + Manifest.Column(id: $0, in: plan.model.network).json }
    let phases = experiment.phases.map {
      "{\"name\": \(string($0.name)), \"start\": \(number($0.start)), \"end\": \(number($0.end))}"
    }
    let failed = results.failures.keys.filter { plan.runs[$0].scan != nil }.count
    return """
      {
      \(header.joined(separator: ",\n")),
        "experiment": {"path": \(string(experiment.path)), "sha256": \(string(experimentSHA256)), "title": \(experiment.title.map(string) ?? "null")},
        "network": {"path": \(string(experiment.networkPath)), "sha256": \(string(networkSHA256)), "model": \(string(plan.model.network.name))},
        "time": {"unit": \(experiment.timeUnit.map(string) ?? "null"), "start": \(number(experiment.start)), "end": \(number(experiment.end)), "output_points": \(experiment.outputTimes.count), "recorded_points": \(plan.recordTimes.count)},
        "phases": [\(phases.joined(separator: ", "))],
        "preequilibrate": \(experiment.preequilibrate),
        "solver": {"method": \(string(plan.options.method.rawValue)), "rtol": \(number(plan.options.relativeTolerance)), "atol": \(number(experiment.solver.absoluteTolerance)), "atol_rule": "scaled to each state's start", "max_steps": \(plan.options.maximumSteps), "linear_solver": \(string(plan.options.linearSolver.rawValue))},
        "arms": [
      \(arms.joined(separator: ",\n"))
        ],
        "format": \(string(format.rawValue)),
        "long_file": \(string("trajectories." + format.fileExtension)),
        "variables": [
      \(variables.joined(separator: ",\n"))
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
