import OsteonSimulate

/// The record written beside an output file: what made it and how.
public struct Manifest: Sendable {
  public var tool = "osteon"
  public var version: String
  public var networkPath: String
  public var networkSHA256: String
  public var model: String
  public var output: String
  public var method: String
  public var relativeTolerance: Double
  public var absoluteTolerance: String
  public var start: Double
  public var end: Double
  public var points: Int
  public var parameters: [String: Double]
  public var columns: [String]
  public var statistics: SolverStatistics
  /// How steps were accepted: "wrms" (Osteon's weighted RMS control) or "gsl-standard".
  public var errorControl = "wrms"

  public init(
    version: String, networkPath: String, networkSHA256: String, model: String, output: String, method: String,
    relativeTolerance: Double, absoluteTolerance: String, start: Double, end: Double, points: Int,
    parameters: [String: Double], columns: [String], statistics: SolverStatistics
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

  /// Pretty-printed JSON with keys in a stable order.
  public var json: String {
    func string(_ text: String) -> String {
      var escaped = "\""
      for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": escaped += "\\\""
        case "\\": escaped += "\\\\"
        case "\n": escaped += "\\n"
        case "\t": escaped += "\\t"
        default:
          if scalar.value < 0x20 {
            escaped +=
              "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
              + String(scalar.value, radix: 16)
          } else {
            escaped.unicodeScalars.append(scalar)
          }
        }
      }
      return escaped + "\""
    }
    func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }
    let parameterLines = parameters.keys.sorted().map { "    \(string($0)): \(number(parameters[$0] ?? .nan))" }
    return """
      {
        "tool": \(string(tool)),
        "version": \(string(version)),
        "network": {"path": \(string(networkPath)), "sha256": \(string(networkSHA256)), "model": \(string(model))},
        "output": \(string(output)),
        "solver": {"method": \(string(method)), "rtol": \(number(relativeTolerance)), "atol": \(string(absoluteTolerance)), "error_control": \(string(errorControl))},
        "time": {"start": \(number(start)), "end": \(number(end)), "points": \(points)},
        "parameters": {\(parameterLines.isEmpty ? "" : "\n" + parameterLines.joined(separator: ",\n") + "\n  ")},
        "columns": [\(columns.map(string).joined(separator: ", "))],
        "statistics": {
          "steps": \(statistics.steps),
          "rejected_steps": \(statistics.rejectedSteps),
          "rhs_evaluations": \(statistics.rightHandSideEvaluations),
          "jacobian_evaluations": \(statistics.jacobianEvaluations),
          "events_fired": \(statistics.eventsFired),
          "wall_time_s": \(number(statistics.wallTime))
        }
      }

      """
  }
}
