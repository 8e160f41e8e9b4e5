import OsteonSyntax

/// What is wrong with an experiment: the file, the key path and the line, as
/// `file:line:col: error: key.path: message`, the line and a caret.
public struct ExperimentError: Error, CustomStringConvertible, Sendable {
  public var path: KeyPath
  public var message: String
  public var hint: String?
  /// The experiment file, to name it and show the line (absent for errors that
  /// belong to no file, such as a missing one).
  var file: SourceFile?
  var range: SourceRange

  public init(_ message: String, at path: KeyPath = .root, hint: String? = nil) {
    self.path = path
    self.message = message
    self.hint = hint
    self.file = nil
    self.range = .none
  }

  /// The line and column in the experiment file, when known.
  public var location: SourceLocation? {
    guard let file, !range.isNone else { return nil }
    return file.location(of: range.start)
  }

  public var description: String {
    let text = path.components.isEmpty ? message : "\(path): \(message)"
    let diagnostic = Diagnostic.error(text, at: range, hint: hint)
    if let file { return diagnostic.rendered(in: file) }
    return "error: \(text)" + (hint.map { "\n  hint: \($0)" } ?? "")
  }
}
