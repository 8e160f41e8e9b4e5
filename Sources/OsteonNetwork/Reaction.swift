import OsteonSyntax

/// A species with its stoichiometry in a reaction.
public struct Participant: Sendable, Hashable {
  public var species: String
  public var stoichiometry: Double
}

/// A reaction. Its rate is an amount per unit time, as in SBML.
public struct Reaction: Sendable {
  /// The name written in the file, or `_J0`, `_J1`, … for unnamed reactions.
  public var id: String
  public var displayName: String?
  public var reactants: [Participant]
  public var products: [Participant]
  public var isReversible: Bool
  public var rate: Expression
  public var range: SourceRange

  /// Net stoichiometry of a species (products minus reactants).
  public func netStoichiometry(of species: String) -> Double {
    var net = 0.0
    for participant in products where participant.species == species { net += participant.stoichiometry }
    for participant in reactants where participant.species == species { net -= participant.stoichiometry }
    return net
  }
}
