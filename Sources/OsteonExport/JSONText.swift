import OsteonSimulate

/// JSON literals written by hand, so that manifests keep their keys in a stable order.
public enum JSONText {
  /// A JSON string: quotes, backslashes and control characters escaped.
  public static func string(_ text: String) -> String {
    var escaped = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": escaped += "\\\""
      case "\\": escaped += "\\\\"
      case "\n": escaped += "\\n"
      case "\t": escaped += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          escaped.unicodeScalars.append(scalar)
        }
      }
    }
    return escaped + "\""
  }

  /// A number, or `null` for none, NaN and infinities (JSON has no such numbers).
  public static func number(_ value: Double?) -> String {
    value.map { $0.isFinite ? "\($0)" : "null" } ?? "null"
  }

  /// Solver statistics as a JSON object, its lines indented by `indent`.
  public static func statistics(_ statistics: SolverStatistics, indent: String) -> String {
    let lines = [
      "\"steps\": \(statistics.steps)", "\"rejected_steps\": \(statistics.rejectedSteps)",
      "\"rhs_evaluations\": \(statistics.rightHandSideEvaluations)",
      "\"jacobian_evaluations\": \(statistics.jacobianEvaluations)",
      "\"events_fired\": \(statistics.eventsFired)", "\"wall_time_s\": \(number(statistics.wallTime))",
    ]
    return "{\n" + lines.map { indent + "  " + $0 }.joined(separator: ",\n") + "\n" + indent + "}"
  }
}
