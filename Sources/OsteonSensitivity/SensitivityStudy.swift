import OsteonExperiment

/// A sensitivity study: what to run (a network or an experiment), the parameter
/// space, the outputs, and the settings of the Sobol and Morris designs. Read from
/// TOML (`SensitivityStudy(contentsOfFile:)`, keys in Networks/sensitivity/README.md).
public struct SensitivityStudy: Sendable {
  /// What every sample runs.
  public enum Target: Sendable, Equatable {
    /// A network file, simulated from `start` to `end` (or, without state variables,
    /// its rules evaluated).
    case network(path: String)
    /// An experiment file: each sample runs the arms its outputs need.
    case experiment(path: String)
  }

  /// The study file as given.
  public var path: String
  public var title: String?
  /// Its path resolved against the study file's folder.
  public var target: Target
  public var space: ParameterSpace
  public var outputs: [OutputRequest]
  /// Network targets: the simulated span and the grid of time-resolved outputs.
  public var start: Double = 0
  public var end: Double = 0
  public var points: Int = 101
  /// Network targets: solver settings (experiments use their own).
  public var solver = Experiment.SolverSettings()
  /// Seed of every random choice (Morris trajectories, bootstrap resamples, the
  /// order of simultaneous events): the same seed, the same study.
  public var seed: UInt64 = 1
  public var sobol = SobolSettings()
  public var morris = MorrisSettings()
  /// The file as read, for errors found later against the network.
  package var document: TOMLDocument?

  public init(path: String, target: Target, space: ParameterSpace, outputs: [OutputRequest]) {
    self.path = path
    self.target = target
    self.space = space
    self.outputs = outputs
  }

  /// An error at a key of the study file, with its line and a caret when known.
  public func error(_ message: String, at path: KeyPath, hint: String? = nil) -> ExperimentError {
    document?.error(message, at: path, atValue: true, hint: hint) ?? ExperimentError(message, at: path, hint: hint)
  }
}

/// Settings of a Sobol (Saltelli) design and its analysis.
public struct SobolSettings: Sendable, Equatable {
  /// Base samples N (a power of two): N·(D+2) runs for D groups, N·(2D+2) with
  /// second-order indices.
  public var samples = 1024
  public var secondOrder = false
  /// Bootstrap resamples for the confidence intervals.
  public var resamples = 1000
  /// Confidence level of the intervals.
  public var confidence = 0.95

  public init() {}
}

/// Settings of a Morris screening design.
public struct MorrisSettings: Sendable, Equatable {
  /// Trajectories r.
  public var trajectories = 20
  /// Grid levels p (even).
  public var levels = 4
  /// Candidate trajectories to choose the r most spread out from (Campolongo et al.
  /// 2007); 0: no selection, the r trajectories as drawn.
  public var candidates = 0
  /// Bootstrap resamples for the confidence interval of μ*.
  public var resamples = 1000
  public var confidence = 0.95

  public init() {}
}
