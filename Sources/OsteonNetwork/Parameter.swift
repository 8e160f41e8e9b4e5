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

  public init(
    id: String, displayName: String? = nil, initial: InitialValue?, rule: Rule? = nil, isConstant: Bool = false,
    range: SourceRange = .none
  ) {
    self.id = id
    self.displayName = displayName
    self.initial = initial
    self.rule = rule
    self.isConstant = isConstant
    self.range = range
  }
}
