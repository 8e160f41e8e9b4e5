import OsteonSyntax

/// A species with its stoichiometry in a reaction.
public struct Participant: Sendable, Hashable {
  public var species: String
  /// The stoichiometry when it is a number (1 when `stoichiometryID` names it).
  public var stoichiometry: Double
  /// The id whose value is the stoichiometry (an SBML species reference id), which
  /// rules and events may change.
  public var stoichiometryID: String?

  public init(species: String, stoichiometry: Double, stoichiometryID: String? = nil) {
    self.species = species
    self.stoichiometry = stoichiometry
    self.stoichiometryID = stoichiometryID
  }
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

  public init(
    id: String, displayName: String? = nil, reactants: [Participant], products: [Participant],
    isReversible: Bool = false, rate: Expression, range: SourceRange = .none
  ) {
    self.id = id
    self.displayName = displayName
    self.reactants = reactants
    self.products = products
    self.isReversible = isReversible
    self.rate = rate
    self.range = range
  }

  /// Whether the species takes part with a named (possibly changing) stoichiometry.
  public func hasNamedStoichiometry(for species: String) -> Bool {
    (reactants + products).contains { $0.species == species && $0.stoichiometryID != nil }
  }

  /// Net stoichiometry of a species (products minus reactants), counting a named
  /// stoichiometry as 1: exact only when `hasNamedStoichiometry` is false.
  public func netStoichiometry(of species: String) -> Double {
    var net = 0.0
    for participant in products where participant.species == species { net += participant.stoichiometry }
    for participant in reactants where participant.species == species { net -= participant.stoichiometry }
    return net
  }

  /// Net stoichiometry of a species as an expression: a number, or the named
  /// stoichiometries added up; `nil` when the species does not change here.
  public func netStoichiometryExpression(of species: String) -> Expression? {
    var constant = 0.0
    var named: Expression?
    func add(_ participant: Participant, negated: Bool) {
      guard participant.species == species else { return }
      guard let id = participant.stoichiometryID else {
        constant += negated ? -participant.stoichiometry : participant.stoichiometry
        return
      }
      let symbol = Expression.symbol(id)
      if let sum = named {
        named = Expression(.binary(negated ? .subtract : .add, sum, symbol), range: .none)
      } else {
        named = negated ? Expression(.negate(symbol), range: .none) : symbol
      }
    }
    for participant in products { add(participant, negated: false) }
    for participant in reactants { add(participant, negated: true) }
    guard let named else { return constant == 0 ? nil : .number(constant) }
    if constant == 0 { return named }
    return Expression(.binary(.add, named, .number(constant)), range: .none)
  }
}
