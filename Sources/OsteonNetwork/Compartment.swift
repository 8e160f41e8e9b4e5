import OsteonSyntax

/// A compartment: a volume (or area) that species live in.
public struct Compartment: Sendable {
  public var id: String
  public var displayName: String?
  /// Its size; `nil` only when an assignment rule sets it.
  public var initial: InitialValue?
  public var rule: Rule?
  public var isConstant: Bool
  /// Where it was first named; `.none` for the default compartment.
  public var range: SourceRange
}
