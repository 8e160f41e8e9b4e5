import CGSL
import OsteonNetwork
import OsteonSimulate

/// The record written beside an output file: enough to tell what made it, from
/// what, how, and what each column means.
public struct Manifest: Sendable {
  public var tool = "osteon"
  public var version: String
  /// The commit of the Osteon checkout the tool runs from, when known.
  public var gitCommit: String?
  /// The GSL linked at run time.
  public var gslVersion: String = Manifest.linkedGSLVersion
  /// When the file was written: ISO 8601, UTC.
  public var created: String?
  /// The full command line, program name first.
  public var commandLine: [String] = []
  public var networkPath: String
  public var networkSHA256: String
  public var model: String
  public var output: String
  public var method: String
  public var relativeTolerance: Double
  /// For every state not listed in `absoluteTolerancePerState`.
  public var absoluteTolerance: Double
  public var absoluteTolerancePerState: [String: Double] = [:]
  /// `nil` when estimated from the model at the start.
  public var initialStep: Double?
  public var maximumSteps: Int = 1_000_000
  public var maximumStep: Double?
  public var start: Double
  public var end: Double
  public var points: Int
  /// The output spacing when asked for with `--step`.
  public var step: Double?
  /// Whether rows just before and after events were added (the `event_row` column).
  public var eventRows = false
  /// The file's format.
  public var format = TableFormat.csv
  /// Wide (`time,<ids>`) or tidy long (`arm,phase,time,variable,value`).
  public var layout = Layout.wide
  /// The `arm` of every row of a long file.
  public var arm: String?
  public var parameters: [String: Double]
  /// The value columns, after `time` and before `event_row`.
  public var columns: [Column]
  public var statistics: SolverStatistics
  /// How steps were accepted: "wrms" (Osteon's weighted RMS control) or "gsl-standard".
  public var errorControl = "wrms"
  /// The linear solver asked for (`--linear-solver`: auto, dense or sparse); the one
  /// used is `statistics.linearSolver`.
  public var linearSolver = "auto"

  /// How a result file is laid out.
  public enum Layout: String, Sendable {
    /// A row per time, a column per id.
    case wide
    /// A row per time and id: `arm,phase,time,variable,value`.
    case long
  }

  /// One output column and what its numbers are. Files use the plain id; the name a
  /// figure shows and the unit live here.
  public struct Column: Sendable, Equatable {
    public var id: String
    public var kind: ColumnKind
    /// The network's display name (`x is "…"`), if it gives one.
    public var displayName: String?
    /// The network's unit (`x has unit`), if it gives one.
    public var unit: String?

    public init(id: String, kind: ColumnKind, displayName: String? = nil, unit: String? = nil) {
      self.id = id
      self.kind = kind
      self.displayName = displayName
      self.unit = unit
    }

    /// The column of `id` as `network` describes it: its kind, display name and unit.
    public init(id: String, in network: Network) {
      self.init(
        id: id, kind: ColumnKind(of: id, in: network), displayName: network.displayName(of: id),
        unit: network.annotations[id]?.unit)
    }

    /// `{"id": …, "kind": …, "display_name": …, "unit": …}` on one line.
    public var json: String {
      let string = JSONText.string
      return
        "{\"id\": \(string(id)), \"kind\": \(string(kind.rawValue)), \"display_name\": \(displayName.map(string) ?? "null"), \"unit\": \(unit.map(string) ?? "null")}"
    }
  }

  /// What a column's numbers are, so that a reader need not guess whether a species
  /// column is an amount or a concentration.
  public enum ColumnKind: String, Sendable {
    case time
    /// A `substanceOnly` species.
    case amount
    /// Any other species.
    case concentration
    case compartmentSize = "compartment_size"
    case parameter
    /// A quantity set by an assignment rule.
    case ruleValue = "rule_value"
    /// A reaction's rate (amount per time).
    case reactionRate = "reaction_rate"
    /// -1 just before an event, 1 just after, 0 on the output grid.
    case eventRow = "event_row"

    /// What a column's numbers are: a species is a concentration unless `substanceOnly`.
    public init(of id: String, in network: Network) {
      if network.reaction(id) != nil {
        self = .reactionRate
      } else if let species = network.species(id) {
        self = species.hasOnlySubstanceUnits ? .amount : .concentration
      } else if network.compartment(id) != nil {
        self = .compartmentSize
      } else if case .assignment? = network.rule(of: id) {
        self = .ruleValue
      } else {
        self = .parameter
      }
    }
  }

  public init(
    version: String, networkPath: String, networkSHA256: String, model: String, output: String, method: String,
    relativeTolerance: Double, absoluteTolerance: Double, start: Double, end: Double, points: Int,
    parameters: [String: Double], columns: [Column], statistics: SolverStatistics
  ) {
    self.version = version
    self.networkPath = networkPath
    self.networkSHA256 = networkSHA256
    self.model = model
    self.output = output
    self.method = method
    self.relativeTolerance = relativeTolerance
    self.absoluteTolerance = absoluteTolerance
    self.start = start
    self.end = end
    self.points = points
    self.parameters = parameters
    self.columns = columns
    self.statistics = statistics
  }

  /// GSL's `gsl_version`: the library found at run time may differ from the headers.
  public static var linkedGSLVersion: String {
    guard let text = osteon_gsl_version() else { return "unknown" }
    return String(cString: text)
  }

  /// Where the manifest of an output file goes: the path without its last
  /// extension, then `.manifest.json` (`x.csv`, `x.txt` and `x` all give
  /// `x.manifest.json`).
  public static func path(forOutput output: String) -> String {
    let nameStart = output.lastIndex(of: "/").map { output.index(after: $0) } ?? output.startIndex
    // A leading dot marks a hidden file, not an extension.
    if let dot = output[nameStart...].lastIndex(of: "."), dot != nameStart {
      return String(output[..<dot]) + ".manifest.json"
    }
    return output + ".manifest.json"
  }

  /// Every column of the wide file in order, `time` and `event_row` included.
  public var allColumns: [Column] {
    [Column(id: "time", kind: .time)] + columns + (eventRows ? [Column(id: "event_row", kind: .eventRow)] : [])
  }

  /// The file's header: the wide columns, or the long layout's.
  public var header: [String] {
    switch layout {
    case .wide: return allColumns.map(\.id)
    case .long: return ["arm", "phase", "time", "variable", "value"] + (eventRows ? ["event_row"] : [])
    }
  }

  /// Pretty-printed JSON with keys in a stable order.
  public var json: String {
    let string = JSONText.string
    let number = JSONText.number
    func object(_ values: [String: Double], indent: String) -> String {
      let lines = values.keys.sorted().map { "\(indent)  \(string($0)): \(number(values[$0]))" }
      return "{" + (lines.isEmpty ? "" : "\n" + lines.joined(separator: ",\n") + "\n" + indent) + "}"
    }
    var header = ["  \"tool\": \(string(tool))", "  \"version\": \(string(version))"]
    if let gitCommit { header.append("  \"git_commit\": \(string(gitCommit))") }
    header.append("  \"gsl_version\": \(string(gslVersion))")
    if let created { header.append("  \"created\": \(string(created))") }
    header.append("  \"command_line\": [\(commandLine.map(string).joined(separator: ", "))]")
    let columnLines = allColumns.map { "    " + $0.json }
    return """
      {
      \(header.joined(separator: ",\n")),
        "network": {"path": \(string(networkPath)), "sha256": \(string(networkSHA256)), "model": \(string(model))},
        "output": \(string(output)),
        "format": \(string(format.rawValue)),
        "layout": \(string(layout.rawValue)),
        "arm": \(arm.map(string) ?? "null"),
        "header": [\(self.header.map(string).joined(separator: ", "))],
        "solver": {
          "method": \(string(method)),
          "rtol": \(number(relativeTolerance)),
          "atol": {"default": \(number(absoluteTolerance)), "per_state": \(object(absoluteTolerancePerState, indent: "    "))},
          "initial_step": \(number(initialStep)),
          "max_steps": \(maximumSteps),
          "max_step": \(number(maximumStep)),
          "error_control": \(string(errorControl)),
          "linear_solver": {"requested": \(string(linearSolver)), "used": \(string(statistics.linearSolver)), "sparse_factorizations": \(statistics.sparseFactorizations), "lapack": \(statistics.denseLibrary.map(string) ?? "null")}
        },
        "time": {"start": \(number(start)), "end": \(number(end)), "points": \(points), "step": \(number(step)), "event_rows": \(eventRows)},
        "parameters": \(object(parameters, indent: "  ")),
        "columns": [
      \(columnLines.joined(separator: ",\n"))
        ],
        "statistics": \(JSONText.statistics(statistics, indent: "  "))
      }

      """
  }
}
