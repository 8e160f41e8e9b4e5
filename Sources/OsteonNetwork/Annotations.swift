/// What a file says about a quantity, reaction or event besides its maths.
public struct Annotations: Sendable, Hashable {
  /// `x has mole_per_litre`: the unit's name.
  public var unit: String?
  /// `x.sboTerm = 252`: the Systems Biology Ontology term, as written.
  public var sboTerm: String?
  /// `x.notes = "…"`.
  public var notes: String?

  public init(unit: String? = nil, sboTerm: String? = nil, notes: String? = nil) {
    self.unit = unit
    self.sboTerm = sboTerm
    self.notes = notes
  }
}
