import OsteonSyntax

/// Why a network built or edited in code is not a network.
public struct NetworkValidationError: Error, CustomStringConvertible, Sendable, Equatable {
  /// Every problem found, one sentence each.
  public var problems: [String]

  public var description: String {
    problems.count == 1 ? problems[0] : "\(problems.count) problems:\n  " + problems.joined(separator: "\n  ")
  }
}

extension Network {
  /// What a network is made of, to build one in code (an SBML importer, a generated
  /// model) or to edit one (`edited(_:)`).
  public struct Parts: Sendable {
    public var name: String
    public var displayName: String?
    public var compartments: [Compartment]
    public var species: [Species]
    public var parameters: [Parameter]
    public var reactions: [Reaction]
    public var events: [Event]
    public var functions: [FunctionDefinition]
    /// Compartment, species and parameter ids in the order they were written (the
    /// order of the state vector); ids missing here follow in the order of the lists.
    public var order: [String]
    /// Units, SBO terms and notes by id.
    public var annotations: [String: Annotations]

    public init(
      name: String, displayName: String? = nil, compartments: [Compartment] = [], species: [Species] = [],
      parameters: [Parameter] = [], reactions: [Reaction] = [], events: [Event] = [],
      functions: [FunctionDefinition] = [], order: [String] = [], annotations: [String: Annotations] = [:]
    ) {
      self.name = name
      self.displayName = displayName
      self.compartments = compartments
      self.species = species
      self.parameters = parameters
      self.reactions = reactions
      self.events = events
      self.functions = functions
      self.order = order
      self.annotations = annotations
    }
  }

  /// The network's parts, to change and build again.
  public var parts: Parts {
    Parts(
      name: name, displayName: displayName, compartments: compartments, species: species, parameters: parameters,
      reactions: reactions, events: events, functions: functions, order: declarationOrder, annotations: annotations)
  }

  /// A copy with `change` applied to its parts, checked again.
  public func edited(_ change: (inout Parts) throws -> Void) throws -> Network {
    var changed = parts
    try change(&changed)
    var network = try Network(changed)
    network.instances = instances
    network.synchronizations = synchronizations
    return network
  }

  /// Builds a network from its parts with the resolver's checks: ids unique and
  /// defined, species in compartments, reactions changing species, events assigning
  /// what can hold a value, every quantity with a value or a rule, and assignment
  /// rules and initial assignments without cycles (ordered inputs first).
  public init(_ parts: Parts) throws(NetworkValidationError) {
    var problems: [String] = []
    var kinds: [String: SymbolKind] = [:]
    func declare(_ id: String, _ kind: SymbolKind) {
      if let earlier = kinds[id] {
        problems.append("`\(id)` is defined twice (a \(earlier.rawValue) and a \(kind.rawValue))")
      } else {
        kinds[id] = kind
      }
    }
    parts.compartments.forEach { declare($0.id, .compartment) }
    parts.species.forEach { declare($0.id, .species) }
    parts.parameters.forEach { declare($0.id, .parameter) }
    parts.reactions.forEach { declare($0.id, .reaction) }
    let functionNames = Set(parts.functions.map(\.name))
    func check(_ expression: Expression, in place: String, locals: Set<String> = []) {
      expression.forEachNode { node in
        switch node.kind {
        case .symbol(let id) where !locals.contains(id) && kinds[id] == nil:
          problems.append("\(place) reads `\(id)`, which is not defined")
        case .call(let name, _) where name != BuiltinFunction.rateOf.rawValue:
          if !functionNames.contains(name) && BuiltinFunction(spelling: name) == nil {
            problems.append("\(place) calls `\(name)`, which is neither defined nor built in")
          }
        default: break
        }
      }
    }
    for function in parts.functions {
      check(function.body, in: "function `\(function.name)`", locals: Set(function.parameters))
    }
    var assignmentRules: [String: Expression] = [:]
    var initialExpressions: [String: Expression] = [:]
    func quantity(_ id: String, initial: InitialValue?, rule: Rule?) {
      if case .expression(let expression) = initial {
        check(expression, in: "the initial value of `\(id)`")
        initialExpressions[id] = expression
      }
      if let rule {
        check(rule.expression, in: "the rule for `\(id)`")
        if case .assignment(let expression) = rule { assignmentRules[id] = expression }
      }
      if initial == nil && rule == nil { problems.append("`\(id)` has no value and no rule") }
    }
    for item in parts.compartments { quantity(item.id, initial: item.initial, rule: item.rule) }
    for item in parts.species {
      quantity(item.id, initial: item.initial, rule: item.rule)
      if kinds[item.compartment] != .compartment {
        problems.append("species `\(item.id)` lies in `\(item.compartment)`, which is not a compartment")
      }
    }
    for item in parts.parameters { quantity(item.id, initial: item.initial, rule: item.rule) }
    for reaction in parts.reactions {
      check(reaction.rate, in: "the rate law of `\(reaction.id)`")
      for participant in reaction.reactants + reaction.products {
        if kinds[participant.species] != .species {
          problems.append("reaction `\(reaction.id)` changes `\(participant.species)`, which is not a species")
        }
        if let id = participant.stoichiometryID, kinds[id] == nil {
          problems.append("reaction `\(reaction.id)` reads its stoichiometry from `\(id)`, which is not defined")
        }
      }
    }
    for event in parts.events {
      let place = "event `\(event.id)`"
      check(event.trigger, in: "the trigger of \(place)")
      if let delay = event.delay { check(delay, in: "the delay of \(place)") }
      if let priority = event.priority { check(priority, in: "the priority of \(place)") }
      for assignment in event.assignments {
        check(assignment.value, in: "\(place)'s assignment to `\(assignment.target)`")
        switch kinds[assignment.target] {
        case nil: problems.append("\(place) assigns `\(assignment.target)`, which is not defined")
        case .reaction?: problems.append("\(place) assigns the reaction `\(assignment.target)`")
        default:
          if assignmentRules[assignment.target] != nil {
            problems.append("\(place) assigns `\(assignment.target)`, which an assignment rule sets at every moment")
          }
        }
      }
    }
    // Orders: the resolver's rule, inputs first, in written order where they allow.
    let listed = parts.compartments.map(\.id) + parts.species.map(\.id) + parts.parameters.map(\.id)
    let known = Set(listed)
    var order = parts.order.filter { known.contains($0) }
    let placed = Set(order)
    order += listed.filter { !placed.contains($0) }
    let rates = Dictionary(parts.reactions.map { ($0.id, $0.rate) }, uniquingKeysWith: { first, _ in first })
    func reads(_ expression: Expression) -> [String] {
      // A rule that reads a reaction's rate reads what the rate law reads.
      var result: [String] = []
      var seen: Set<String> = []
      var pending = [expression]
      while let next = pending.popLast() {
        for (name, _) in next.symbolReferences {
          if let rate = rates[name] {
            if seen.insert(name).inserted { pending.append(rate) }
          } else {
            result.append(name)
          }
        }
      }
      return result
    }
    let ruleOrder = DependencyOrder.order(ids: order.filter { assignmentRules[$0] != nil }) {
      assignmentRules[$0].map(reads) ?? []
    }
    for cycle in ruleOrder.cycles {
      problems.append("assignment rules form a cycle: \(cycle.joined(separator: " → "))")
    }
    let starting = DependencyOrder.order(
      ids: order.filter { assignmentRules[$0] != nil || initialExpressions[$0] != nil }
    ) { id in (assignmentRules[id] ?? initialExpressions[id]).map(reads) ?? [] }
    for cycle in starting.cycles where ruleOrder.cycles.isEmpty {
      problems.append("initial assignments form a cycle: \(cycle.joined(separator: " → "))")
    }
    if !problems.isEmpty { throw NetworkValidationError(problems: problems) }
    self.init(
      name: parts.name, displayName: parts.displayName, compartments: parts.compartments, species: parts.species,
      parameters: parts.parameters, reactions: parts.reactions, events: parts.events, functions: parts.functions,
      assignmentRuleOrder: ruleOrder.order, initializationOrder: starting.order, declarationOrder: order)
    let eventIDs = Set(parts.events.map(\.id))
    annotations = parts.annotations.filter { kinds[$0.key] != nil || eventIDs.contains($0.key) }
  }
}
