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
