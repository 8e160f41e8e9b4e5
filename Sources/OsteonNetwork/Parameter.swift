import OsteonSyntax

/// A named value that is neither a species nor a compartment.
public struct Parameter: Sendable {
  public var id: String
  public var displayName: String?
  /// `nil` only when an assignment rule sets it.
  public var initial: InitialValue?
  public var rule: Rule?
  /// Declared `const`: no rule or event may change it.
  public var isConstant: Bool
  public var range: SourceRange
}
