import Foundation
import OsteonSimulate
import OsteonSyntax

/// A pathway experiment: a network, a time span cut into named phases, arms that
/// change the network from outside (parameters, knockouts, doses, infusions,
/// initial values), scans over parameters, and what to record and summarise. The
/// network text is never edited: every arm runs on one compiled model.
public struct Experiment: Sendable {
  /// The experiment file as given.
  public var path: String
  /// The network file, resolved against the experiment file's folder.
  public var networkPath: String
  public var title: String?
  /// The network's time unit, as the file names it (every time in the file is in
  /// it unless written with a unit, such as "50 y").
  public var timeUnit: String?
  public var start: Double
  public var end: Double
  public var phases: [Phase]
  /// Start every arm from the steady state of the network with the baseline settings.
  public var preequilibrate: Bool
  /// Parameter and initial values shared by every arm (and the pre-equilibration).
  public var baseline: [Setting]
  public var arms: [Arm]
  public var scans: [Scan]
  /// Ids to record; empty: the network's state variables.
  public var variables: [Setting.Name]
  /// Output times (the grid of the trajectory files).
  public var outputTimes: [Double]
  public var summaries: [Summary]
  public var solver: SolverSettings
  /// The file as read, so that errors found later (against the network) point into it.
  package var document: TOMLDocument? = nil

  /// A named span of the experiment, labelling the rows in it.
  public struct Phase: Sendable, Equatable {
    public var name: String
    public var start: Double
    public var end: Double
  }

  /// An id with the key path where the file wrote it.
  public struct Setting: Sendable {
    public struct Name: Sendable {
      public var id: String
      public var path: KeyPath
    }

    public var name: Name
    public var value: Double
  }

  /// Solver settings for every run.
  public struct SolverSettings: Sendable {
    public var method: String = "msbdf"
    public var relativeTolerance: Double = 1e-8
    public var absoluteTolerance: Double = 1e-12
    public var maximumSteps: Int = 1_000_000
    /// msbdf's linear solver (`osteon run --linear-solver`): auto, dense or sparse.
    public var linearSolver: LinearSolver = .auto

    public init() {}
  }

  /// Which phase a time belongs to: the last one starting at or before it (a phase
  /// boundary belongs to the phase it opens); "" outside every phase.
  public func phase(at time: Double) -> String {
    var name = ""
    for phase in phases where phase.start <= time && time <= phase.end { name = phase.name }
    return name
  }
}

extension Experiment {
  /// Reads an experiment from its text; `path` names the file in errors and is the
  /// folder the network path is relative to.
  public init(text: String, path: String) throws(ExperimentError) {
    let document = try TOMLDocument(path: path, text: text)
    var reader = ExperimentReader(document: document)
    self = try reader.read(path: path)
    self.document = document
  }

  /// Reads an experiment file.
  public init(contentsOfFile path: String) throws(ExperimentError) {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw ExperimentError("cannot read experiment file `\(path)`: no such file")
    }
    guard !isFolder.boolValue, let data = FileManager.default.contents(atPath: path) else {
      throw ExperimentError(
        "cannot read experiment file `\(path)`: \(isFolder.boolValue ? "it is a folder" : "permission denied or unreadable")"
      )
    }
    let bytes = Array(data)
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw ExperimentError("experiment file `\(path)` is not UTF-8 text")
    }
    try self.init(text: text, path: path)
  }
}

extension Experiment {
  /// An error at a key of this experiment's file, with its line and a caret.
  public func error(_ message: String, at path: KeyPath, hint: String? = nil) -> ExperimentError {
    document?.error(message, at: path, atValue: true, hint: hint) ?? ExperimentError(message, at: path, hint: hint)
  }
}

/// One arm: the changes it makes on top of the baseline.
public struct Arm: Sendable {
  public var name: String
  /// Shown in tables; the name when not given.
  public var label: String
  public var actions: [Action]

  /// A change the arm makes, with where the file wrote it.
  public struct Action: Sendable {
    public enum Kind: Sendable {
      /// A parameter's value for the whole run (untimed), or an initial value.
      case setValue(Double)
      /// At `time`: set, scale or (at a window's end) restore a parameter.
      case changeParameter(ParameterChange)
      /// Multiply a reaction's rate (a knockout at 0), from `time` (the start when nil).
      case scaleReaction(Double)
      /// Multiply the rate of every reaction that produces the species.
      case scaleProduction(Double)
      /// End of a knockout window: the reaction's factor goes back.
      case restoreReaction
      case restoreProduction
      /// A bolus: an amount (substance), or a rise of the species' concentration.
      case doseAmount(Double)
      case doseConcentration(Double)
      /// A zero-order input (amount per time unit) into a species from `time`.
      case infusion(Double)
      case stopInfusion
    }

    public var kind: Kind
    /// The id it acts on and where it is written.
    public var target: Experiment.Setting.Name
    /// When: `nil` for the whole run (values set before the start).
    public var time: Double?
    /// The entry (`arms.x.doses[0]`), for errors about the entry as a whole.
    public var entry: KeyPath
  }
}

/// The parameter changes an arm makes at a time (mirrors `Intervention.Change`
/// without the species-only cases).
public enum ParameterChange: Sendable, Equatable {
  case set(Double)
  case scale(Double)
  case restore
}

/// Parameters varied over a grid; every point runs the arms named.
public struct Scan: Sendable {
  public var name: String
  public var arms: [String]
  /// One or two parameters and their values; two make a grid (first varies slowest).
  public var axes: [Axis]

  public struct Axis: Sendable {
    public var parameter: Experiment.Setting.Name
    public var values: [Double]
  }

  /// Every point, as parameter values in axis order.
  public var points: [[Double]] {
    guard let first = axes.first else { return [] }
    var points = first.values.map { [$0] }
    for axis in axes.dropFirst() {
      points = points.flatMap { point in axis.values.map { point + [$0] } }
    }
    return points
  }
}

/// A number that describes a run: a value at a time, a change against a reference,
/// an extreme, an area under the curve, a first crossing.
public struct Summary: Sendable {
  public enum Kind: Sendable, Equatable {
    case value(at: Double)
    /// Percent change at `at` from the arm's own value at `referenceTime`.
    case changeFromTime(at: Double, referenceTime: Double)
    /// Percent change at `at` from another arm at the same time.
    case changeFromArm(at: Double, referenceArm: String)
    case minimum(from: Double, until: Double)
    case maximum(from: Double, until: Double)
    case areaUnderCurve(from: Double, until: Double)
    /// The first time from `from` on that the variable reaches `threshold` moving
    /// in `direction` (-1 down, +1 up, 0 either).
    case firstCrossing(threshold: Double, direction: Int, from: Double)
  }

  public var name: String
  public var variable: Experiment.Setting.Name
  public var kind: Kind
  public var path: KeyPath
  /// For a first crossing: the variable whose value at the crossing is the result
  /// (an age, say) instead of the time itself.
  public var report: Experiment.Setting.Name? = nil

  /// The kind as one word, for tables.
  public var kindName: String {
    switch kind {
    case .value: "value"
    case .changeFromTime, .changeFromArm: "percent_change"
    case .minimum: "min"
    case .maximum: "max"
    case .areaUnderCurve: "auc"
    case .firstCrossing: "first_crossing"
    }
  }
}
