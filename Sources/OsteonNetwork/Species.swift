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
  /// The id whose value multiplies what reactions do to this species (SBML Level 3
  /// conversion factor: the species' own, else its model's); `nil` for none.
  public var conversionFactor: String?
  public var range: SourceRange

  public init(
    id: String, displayName: String?, compartment: String, isBoundary: Bool, hasOnlySubstanceUnits: Bool,
    initial: InitialValue?, rule: Rule?, isConstant: Bool, conversionFactor: String? = nil, range: SourceRange
  ) {
    self.id = id
    self.displayName = displayName
    self.compartment = compartment
    self.isBoundary = isBoundary
    self.hasOnlySubstanceUnits = hasOnlySubstanceUnits
    self.initial = initial
    self.rule = rule
    self.isConstant = isConstant
    self.conversionFactor = conversionFactor
    self.range = range
  }
}
