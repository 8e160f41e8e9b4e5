/// A run a network file declares for itself in a comment line, as the published
/// networks do: `// osteon-bench: end=140 points=1001 set=I_P=1000;I_O=0 label=pth`
/// (`step=h` instead of `points`). The benchmark and the tests read them.
public struct DeclaredRun: Sendable, Hashable {
  public var end: Double
  /// Evenly spaced output times, both ends included (1001 unless given).
  public var points: Int
  /// Output every `step` instead of `points`, when given.
  public var step: Double?
  public var parameters: [String: Double]
  /// A name for the run (`pth`), if any.
  public var label: String?

  public init(
    end: Double, points: Int = 1001, step: Double? = nil, parameters: [String: Double] = [:], label: String? = nil
  ) {
    self.end = end
    self.points = points
    self.step = step
    self.parameters = parameters
    self.label = label
  }

  /// Every declared run in a network file's text; lines without a valid `end` are skipped.
  public static func runs(in text: String) -> [DeclaredRun] {
    text.split(whereSeparator: \.isNewline).compactMap { line in
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      guard trimmed.hasPrefix("// osteon-bench:") else { return nil }
      var fields: [String: String] = [:]
      for field in trimmed.dropFirst("// osteon-bench:".count).split(separator: " ") {
        let parts = field.split(separator: "=", maxSplits: 1)
        if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
      }
      guard let end = fields["end"].flatMap(Double.init), end.isFinite else { return nil }
      var parameters: [String: Double] = [:]
      for pair in (fields["set"] ?? "").split(separator: ";") {
        let parts = pair.split(separator: "=", maxSplits: 1)
        if parts.count == 2, let value = Double(parts[1]) { parameters[String(parts[0])] = value }
      }
      return DeclaredRun(
        end: end, points: fields["points"].flatMap(Int.init) ?? 1001, step: fields["step"].flatMap(Double.init),
        parameters: parameters, label: fields["label"])
    }
  }
}
