import OsteonSyntax

/// A resolved signaling network: every id classified, every rule ordered, every
/// reference checked. This is what the compile stage turns into an ODE system.
///
/// Read it freely; change it through `edited(_:)` or build one with
/// `init(_ parts:)`, which check it as the resolver checks a file and keep the
/// lookup index and the evaluation orders in step.
public struct Network: Sendable {
  public var name: String
  public var displayName: String?
  public private(set) var compartments: [Compartment]
  public private(set) var species: [Species]
  public private(set) var parameters: [Parameter]
  public private(set) var reactions: [Reaction]
  public private(set) var events: [Event]
  public private(set) var functions: [FunctionDefinition]
  /// Ids that carry an assignment rule, in an order where each rule's inputs come first.
  public private(set) var assignmentRuleOrder: [String]
  /// Ids with an initial assignment or an assignment rule, in the order they must be
  /// evaluated at the start of a simulation (inputs first).
  public private(set) var initializationOrder: [String]
  /// Every compartment, species and parameter id in the order it was first written.
  public private(set) var declarationOrder: [String]
  /// The instances flattened into this network (`A: lemaire2004()`), outermost first.
  public var instances: [InstanceOrigin] = []
  /// Ids that `is` (or an instance's argument) made one with another: they are not
  /// in the network under their own name.
  public var synchronizations: [Synchronization] = []
  /// Units, SBO terms and notes by id: kept for export, not used in the maths.
  public var annotations: [String: Annotations] = [:]

  private var index: [String: (kind: SymbolKind, position: Int)] = [:]

  init(
    name: String, displayName: String?, compartments: [Compartment], species: [Species],
    parameters: [Parameter], reactions: [Reaction], events: [Event], functions: [FunctionDefinition],
    assignmentRuleOrder: [String], initializationOrder: [String], declarationOrder: [String]
  ) {
    self.name = name
    self.displayName = displayName
    self.compartments = compartments
    self.species = species
    self.parameters = parameters
    self.reactions = reactions
    self.events = events
    self.functions = functions
    self.assignmentRuleOrder = assignmentRuleOrder
    self.initializationOrder = initializationOrder
    self.declarationOrder = declarationOrder
    for (position, item) in compartments.enumerated() { index[item.id] = (.compartment, position) }
    for (position, item) in species.enumerated() { index[item.id] = (.species, position) }
    for (position, item) in parameters.enumerated() { index[item.id] = (.parameter, position) }
    for (position, item) in reactions.enumerated() { index[item.id] = (.reaction, position) }
  }
}

extension Network {
  /// What an id names, or `nil` if the network has no such id.
  public func kind(of id: String) -> SymbolKind? { index[id]?.kind }

  public func compartment(_ id: String) -> Compartment? {
    guard let entry = index[id], entry.kind == .compartment else { return nil }
    return compartments[entry.position]
  }

  public func species(_ id: String) -> Species? {
    guard let entry = index[id], entry.kind == .species else { return nil }
    return species[entry.position]
  }

  public func parameter(_ id: String) -> Parameter? {
    guard let entry = index[id], entry.kind == .parameter else { return nil }
    return parameters[entry.position]
  }

  public func reaction(_ id: String) -> Reaction? {
    guard let entry = index[id], entry.kind == .reaction else { return nil }
    return reactions[entry.position]
  }

  public func function(_ name: String) -> FunctionDefinition? {
    functions.first { $0.name == name }
  }

  /// The rule on a compartment, species or parameter, if any.
  public func rule(of id: String) -> Rule? {
    guard let entry = index[id] else { return nil }
    switch entry.kind {
    case .compartment: return compartments[entry.position].rule
    case .species: return species[entry.position].rule
    case .parameter: return parameters[entry.position].rule
    case .reaction: return nil
    }
  }

  /// The initial value of a compartment, species or parameter, if any.
  public func initialValue(of id: String) -> InitialValue? {
    guard let entry = index[id] else { return nil }
    switch entry.kind {
    case .compartment: return compartments[entry.position].initial
    case .species: return species[entry.position].initial
    case .parameter: return parameters[entry.position].initial
    case .reaction: return nil
    }
  }

  public func displayName(of id: String) -> String? {
    guard let entry = index[id] else { return nil }
    switch entry.kind {
    case .compartment: return compartments[entry.position].displayName
    case .species: return species[entry.position].displayName
    case .parameter: return parameters[entry.position].displayName
    case .reaction: return reactions[entry.position].displayName
    }
  }

  /// The quantities integrated over time, in declaration order: floating species that
  /// no assignment rule sets, every quantity with a rate rule, and boundary species
  /// measured as concentrations in a compartment whose size follows a rule (their
  /// amount stays, so their concentration changes with the size).
  public var stateVariables: [String] {
    declarationOrder.filter { id in
      if case .rate = rule(of: id) { return true }
      guard let item = species(id), item.rule == nil, !item.isConstant else { return false }
      return !item.isBoundary || (!item.hasOnlySubstanceUnits && rule(of: item.compartment) != nil)
    }
  }
}
