/// How serious a diagnostic is.
public enum Severity: String, Sendable, Hashable {
  case error
  case warning
  case note
}

/// One message about a network file, tied to a place in it.
public struct Diagnostic: Sendable, Hashable {
  public var severity: Severity
  public var range: SourceRange
  public var message: String
  /// A suggestion shown under the caret ("did you mean `k_on`?").
  public var hint: String?

  public init(_ severity: Severity, at range: SourceRange, _ message: String, hint: String? = nil) {
    self.severity = severity
    self.range = range
    self.message = message
    self.hint = hint
  }

  public static func error(_ message: String, at range: SourceRange, hint: String? = nil) -> Diagnostic {
    Diagnostic(.error, at: range, message, hint: hint)
  }

  public static func warning(_ message: String, at range: SourceRange, hint: String? = nil) -> Diagnostic {
    Diagnostic(.warning, at: range, message, hint: hint)
  }
}

extension Diagnostic {
  /// Renders as `file:line:col: severity: message`, then the source line, a caret
  /// under the column, and the hint if there is one.
  public func rendered(in file: SourceFile) -> String {
    if range.isNone {
      var text = "\(file.path): \(severity.rawValue): \(message)"
      if let hint { text += "\n  hint: \(hint)" }
      return text
    }
    let location = file.location(of: range.start)
    let line = file.lineText(location.line)
    var text = "\(file.path):\(location.line):\(location.column): \(severity.rawValue): \(message)\n"
    text += "  " + line + "\n"
    // Keep tabs so the caret lines up under tab-indented text.
    var pad = ""
    for (index, scalar) in line.unicodeScalars.enumerated() where index < location.column - 1 {
      pad.append(scalar == "\t" ? "\t" : " ")
    }
    let endLocation = file.location(of: max(range.start, range.end))
    var width = 1
    if endLocation.line == location.line, endLocation.column - location.column > 1 {
      width = endLocation.column - location.column
    }
    text += "  " + pad + "^" + String(repeating: "~", count: max(0, min(width, 200) - 1))
    if let hint { text += "\n  hint: \(hint)" }
    return text
  }
}
