import OsteonSyntax

/// A species: molecules or cells in a compartment.
///
/// Unless `hasOnlySubstanceUnits`, a species is measured as a concentration: its
/// initial value is a concentration and reactions (whose rates are amounts per time)
/// change it by Σ stoichiometry · rate / size(compartment).
public struct Species: Sendable {
  public var id: String
  public var displayName: String?
  public var compartment: String
  /// Boundary species (`$X`) are not changed by reactions, only by rules and events.
  public var isBoundary: Bool
  /// `substanceOnly`: the species is an amount, not a concentration.
  public var hasOnlySubstanceUnits: Bool
  /// Concentration (or amount, if substance-only); `nil` only when an assignment rule sets it.
  public var initial: InitialValue?
  public var rule: Rule?
  public var isConstant: Bool
  public var range: SourceRange
}
