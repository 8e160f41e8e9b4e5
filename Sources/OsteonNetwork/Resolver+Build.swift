import OsteonSyntax

extension Resolver {
  static let defaultCompartment = "default_compartment"

  /// Resolves a main model into a network, flattening its instances, or returns only
  /// diagnostics when there are errors.
  static func resolve(
    main model: ModelSyntax, definitions: [String: ModelDefinition], functions: [FunctionSyntax],
    displayName: String?, sources: SourceMap
  ) -> (network: Network?, diagnostics: [Diagnostic], instances: [InstanceOrigin]) {
    var flattener = Flattener(definitions: definitions)
    let statements = flattener.flatten(model)
    var resolver = Resolver(sources: sources)
    resolver.diagnostics = flattener.diagnostics
    resolver.defaultConversionFactors = flattener.defaultConversionFactors
    resolver.instancePaths = Set(flattener.instances.map(\.path))
    resolver.gather(functions: functions, statements: statements)
    resolver.checkDefaultConversionFactors()
    resolver.attachDisplayNames(modelName: model.name.text)
    var network = resolver.build(name: model.name.text, displayName: displayName ?? resolver.modelDisplayName)
    network.instances = flattener.instances
    network.synchronizations = flattener.synchronizations
    let eventIDs = Set(network.events.map(\.id))
    network.annotations = resolver.annotations.filter { network.kind(of: $0.key) != nil || eventIDs.contains($0.key) }
    let hasErrors = resolver.diagnostics.contains { $0.severity == .error }
    return (hasErrors ? nil : network, resolver.diagnostics, flattener.instances)
  }

  mutating func build(name: String, displayName: String?) -> Network {
    let functionDefinitions = resolveFunctions()
    let reactionList = resolveReactions()
    let eventList = resolveEvents()

    // Kinds: reactions and declared kinds first; everything else is a parameter.
    var compartments: [Compartment] = []
    var speciesList: [Species] = []
    var parameters: [Parameter] = []
    var declarationOrder: [String] = []
    var needsDefaultCompartment = false

    // Resolve every expression first, so `referenced` is complete before the checks.
    var initials: [String: InitialValue] = [:]
    var rules: [String: Rule] = [:]
    for id in order {
      guard let symbol = facts[id], !symbol.isReaction else { continue }
      if let initial = symbol.initial { initials[id] = resolveInitial(initial.value, owner: id) }
      if let assignment = symbol.assignmentRule {
        rules[id] = .assignment(resolveExpression(assignment.value))
      } else if let rate = symbol.rateRule {
        rules[id] = .rate(resolveExpression(rate.value))
      }
    }
    let mentioned = order.sorted { (mentionIndex[$0] ?? Int.max) < (mentionIndex[$1] ?? Int.max) }
    for id in mentioned {
      guard let symbol = facts[id], !symbol.isReaction else { continue }
      var initial = initials[id]
      let rule = rules[id]
      declarationOrder.append(id)
      let kind = symbol.declaredKind ?? .parameter
      checkRules(symbol, kind: kind)
      switch kind {
      case .compartment:
        if initial == nil, symbol.assignmentRule == nil {
          // libRoadRunner's default for a compartment without a size.
          warning(
            "compartment `\(id)` has no size; using 1", at: symbol.firstRange,
            hint: "give it one, e.g. `\(id) = 1`")
          initial = .number(1)
        }
        compartments.append(
          Compartment(
            id: id, displayName: symbol.displayName, initial: initial, rule: rule,
            isConstant: symbol.isConstant ?? (rule == nil && !eventTargets.contains(id)),
            range: symbol.firstRange))
      case .species:
        if initial == nil, symbol.assignmentRule == nil {
          // libRoadRunner's default for a species without an initial value.
          warning(
            "species `\(id)` has no initial value; using 0", at: symbol.firstRange,
            hint: "give it one, e.g. `\(id) = 0`")
          initial = .number(0)
        }
        let compartment: String
        if let named = symbol.compartment {
          compartment = named.text
          if let placed = facts[named.text], placed.declaredKind != .compartment || placed.isReaction {
            error("`\(named.text)` is not a compartment, so `\(id)` cannot be in it", at: named.range)
          }
        } else {
          compartment = Self.defaultCompartment
          needsDefaultCompartment = true
        }
        var item = Species(
          id: id, displayName: symbol.displayName, compartment: compartment, isBoundary: symbol.isBoundary,
          hasOnlySubstanceUnits: symbol.hasOnlySubstanceUnits, initial: initial, rule: rule,
          isConstant: symbol.isConstant ?? false, range: symbol.firstRange)
        item.conversionFactor = symbol.conversionFactor ?? defaultConversionFactor(of: id)
        speciesList.append(item)
      case .parameter, .reaction:
        if initial == nil, rule == nil || symbol.rateRule != nil {
          if referenced.contains(id) || symbol.rateRule != nil {
            error(
              "`\(id)` is used but has no value", at: symbol.firstRange,
              hint: "give it one, e.g. `\(id) = 1`; Osteon never assumes 0 for a parameter")
          } else if eventTargets.contains(id) {
            // Only an output that events fill in: it is undefined until the first one.
            warning(
              "`\(id)` has no value until an event sets it; it reads NaN before", at: symbol.firstRange,
              hint: "give it a starting value, e.g. `\(id) = 0`")
            initial = .number(.nan)
          } else {
            warning("`\(id)` is declared but has no value and is never used", at: symbol.firstRange)
          }
        }
        parameters.append(
          Parameter(
            id: id, displayName: symbol.displayName, initial: initial, rule: rule,
            isConstant: symbol.isConstant ?? (rule == nil && !eventTargets.contains(id)),
            range: symbol.firstRange))
      }
    }
    if needsDefaultCompartment, facts[Self.defaultCompartment] == nil {
      compartments.insert(
        Compartment(
          id: Self.defaultCompartment, displayName: nil, initial: .number(1), rule: nil, isConstant: true,
          range: .none), at: 0)
      declarationOrder.insert(Self.defaultCompartment, at: 0)
    }

    let ruleOrder = orderAssignmentRules(ids: declarationOrder)
    let initializationOrder = orderInitialization(ids: declarationOrder, reportCycles: ruleOrder.complete)
    warnAboutUnused(parameters: parameters, species: speciesList, reactions: reactionList)

    return Network(
      name: name, displayName: displayName, compartments: compartments, species: speciesList,
      parameters: parameters, reactions: reactionList, events: eventList, functions: functionDefinitions,
      assignmentRuleOrder: ruleOrder.order, initializationOrder: initializationOrder,
      declarationOrder: declarationOrder)
  }

  /// The model-level conversion factor of the model a species belongs to: the main
  /// model's for `S1`, instance `A`'s for `A.S1`.
  func defaultConversionFactor(of species: String) -> String? {
    let prefix = species.lastIndex(of: ".").map { String(species[...$0]) } ?? ""
    return defaultConversionFactors.last { $0.prefix == prefix }?.factor
  }

  /// The ids named as model-level conversion factors are read by the equations.
  mutating func checkDefaultConversionFactors() {
    for (_, factor) in defaultConversionFactors {
      checkReference(factor, at: .none, locals: nil, owner: nil)
    }
  }

  /// A plain number stays a number; anything else is an initial assignment.
  mutating func resolveInitial(_ value: Expression, owner: String) -> InitialValue {
    if let literal = value.literalValue { return .number(literal) }
    return .expression(resolveExpression(value))
  }

  mutating func checkRules(_ symbol: SymbolFacts, kind: SymbolKind) {
    let id = symbol.id
    let ruleRange = symbol.assignmentRule?.range ?? symbol.rateRule?.range
    if let ruleRange, symbol.isConstant == true {
      let ruleKind = symbol.rateRule != nil ? "a rate rule" : "an assignment rule"
      error(
        "`\(id)` is declared `const` but has \(ruleKind)", at: ruleRange,
        hint: "declare it `var \(id)` if it is meant to change")
    }
    if let ruleRange, kind == .species, symbol.inReactions, !symbol.isBoundary {
      let names = reactions.filter { reaction in
        (reaction.syntax.reactants + reaction.syntax.products).contains { $0.species.text == id }
      }.map { label($0) }
      error(
        "`\(id)` is changed by reactions (\(names.joined(separator: ", "))) and also has a rule", at: ruleRange,
        hint: "make it a boundary species (`$\(id)`) so only the rule sets it, or remove the rule")
    }
  }

  // MARK: - Reactions

  /// `R1`, or the reaction as written (`S -> P`) when it has no name.
  func label(_ reaction: ReactionFacts) -> String {
    if reaction.syntax.name != nil { return "`\(reaction.id)`" }
    let written = sources.text(reaction.syntax.range).split(separator: ";").first.map(String.init) ?? reaction.id
    let trimmed = written.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
    return "`\(String(trimmed))`"
  }

  mutating func resolveReactions() -> [Reaction] {
    var result: [Reaction] = []
    for reaction in reactions {
      let symbol = facts[reaction.id]
      var rateExpression = reaction.syntax.rate
      // A rate given apart (`J0 = k*S`); the later of the two definitions wins.
      if let apart = symbol?.initial {
        if rateExpression == nil || apart.range.start > reaction.syntax.range.start {
          rateExpression = apart.value
        }
        facts[reaction.id]?.initial = nil
      }
      if let symbol, symbol.assignmentRule != nil || symbol.rateRule != nil || symbol.declaredKind != nil {
        let range =
          symbol.assignmentRule?.range ?? symbol.rateRule?.range ?? symbol.declaredKindRange ?? symbol.firstRange
        error(
          "`\(reaction.id)` names a reaction and cannot also be a \(symbol.declaredKind?.rawValue ?? "rule target")",
          at: range)
      }
      guard let rateExpression else {
        error(
          "reaction \(label(reaction)) has no rate law", at: reaction.syntax.name?.range ?? reaction.syntax.range,
          hint: "write it after a `;`, e.g. `A -> B; k*A`, or apart as `\(reaction.id) = k*A`")
        continue
      }
      func participants(_ terms: [ReactionTerm]) -> [Participant] {
        terms.map {
          Participant(
            species: $0.species.text, stoichiometry: $0.stoichiometry, stoichiometryID: $0.stoichiometryName?.text)
        }
      }
      result.append(
        Reaction(
          id: reaction.id, displayName: symbol?.displayName, reactants: participants(reaction.syntax.reactants),
          products: participants(reaction.syntax.products), isReversible: reaction.syntax.isReversible,
          rate: resolveExpression(rateExpression), range: reaction.syntax.name?.range ?? reaction.syntax.range))
    }
    return result
  }

  // MARK: - Events

  mutating func resolveEvents() -> [Event] {
    var result: [Event] = []
    var names: [String: SourceRange] = [:]
    var unnamedEvents = 0
    for event in events {
      // Antimony's names for unnamed events.
      var eventID = event.name?.text
      if eventID == nil {
        var candidate = "_E\(unnamedEvents)"
        while facts[candidate] != nil || names[candidate] != nil {
          unnamedEvents += 1
          candidate = "_E\(unnamedEvents)"
        }
        unnamedEvents += 1
        eventID = candidate
      }
      if let name = event.name {
        if let earlier = names[name.text] {
          error("event `\(name.text)` is defined twice (first on line \(line(of: earlier)))", at: name.range)
        } else if let symbol = facts[name.text] {
          error(
            "event `\(name.text)` has the same name as a model element on line \(line(of: symbol.firstRange))",
            at: name.range)
        }
        names[name.text] = name.range
      }
      var initialTriggerValue = true
      var fromTrigger = true
      var persistent = true
      var priority: Expression?
      for attribute in event.attributes {
        switch attribute.name.text {
        case "priority": priority = resolveExpression(attribute.value)
        case "t0", "fromTrigger", "persistent":
          guard let flag = attribute.value.literalValue, flag == 0 || flag == 1 else {
            error(
              "event attribute `\(attribute.name.text)` must be `true` or `false`", at: attribute.value.range)
            continue
          }
          switch attribute.name.text {
          case "t0": initialTriggerValue = flag == 1
          case "fromTrigger": fromTrigger = flag == 1
          default: persistent = flag == 1
          }
        default: break  // reported by the parser
        }
      }
      var assignments: [EventAssignment] = []
      var assigned: Set<String> = []
      for (target, value) in event.assignments {
        checkEventTarget(target)
        if !assigned.insert(target.text).inserted {
          error("the event assigns `\(target.text)` twice", at: target.range)
        }
        eventTargets.insert(target.text)
        assignments.append(EventAssignment(target: target.text, value: resolveExpression(value), range: target.range))
      }
      result.append(
        Event(
          id: eventID ?? "_E", trigger: resolveExpression(event.trigger),
          delay: event.delay.map { resolveExpression($0) }, priority: priority,
          initialTriggerValue: initialTriggerValue, useValuesFromTriggerTime: fromTrigger, persistent: persistent,
          assignments: assignments, displayName: event.name.flatMap { eventDisplayNames[$0.text] },
          range: event.range))
    }
    return result
  }

  mutating func checkEventTarget(_ target: Name) {
    guard let symbol = facts[target.text] else {
      let hint = Suggestions.closest(to: target.text, among: order).map { "did you mean `\($0)`?" }
      error("the event sets `\(target.text)`, which the model does not define", at: target.range, hint: hint)
      return
    }
    if symbol.isReaction {
      error(
        "an event cannot set `\(target.text)`: it is a reaction, whose rate comes from its rate law", at: target.range)
    } else if let rule = symbol.assignmentRule {
      error(
        "an event cannot set `\(target.text)`: its assignment rule (line \(line(of: rule.range))) sets it at all times",
        at: target.range, hint: "make it a plain value or a rate rule, or set one of the rule's inputs instead")
    } else if symbol.isConstant == true {
      error(
        "an event cannot set `\(target.text)`: it is declared `const`", at: target.range,
        hint: "declare it `var \(target.text)`")
    }
  }

  // MARK: - Functions

  mutating func resolveFunctions() -> [FunctionDefinition] {
    var result: [FunctionDefinition] = []
    for name in functionOrder {
      guard let function = functions[name] else { continue }
      var seen: Set<String> = []
      for parameter in function.parameters where !seen.insert(parameter.text).inserted {
        error("function `\(name)` names the argument `\(parameter.text)` twice", at: parameter.range)
      }
      let body = resolveExpression(function.body, locals: seen, owner: name)
      result.append(
        FunctionDefinition(
          name: name, parameters: function.parameters.map(\.text), body: body,
          displayName: functionDisplayNames[name], range: function.name.range))
    }
    checkFunctionRecursion()
    for name in functionOrder {
      if let function = functions[name], facts[name] != nil {
        error(
          "`\(name)` names both a function and a model element (line \(line(of: facts[name]?.firstRange ?? function.name.range)))",
          at: function.name.range)
      }
    }
    return result
  }

  mutating func checkFunctionRecursion() {
    var calls: [String: [String]] = [:]
    for (name, function) in functions {
      var callees: [String] = []
      function.body.forEachNode { node in
        if case .call(let callee, _) = node.kind, functions[callee] != nil { callees.append(callee) }
      }
      calls[name] = callees
    }
    let cycles = DependencyOrder.order(ids: functionOrder, dependencies: { calls[$0] ?? [] })
    for cycle in cycles.cycles {
      let range = functions[cycle[0]]?.name.range ?? .none
      if cycle.count == 2 {
        error("function `\(cycle[0])` calls itself; functions cannot be recursive", at: range)
      } else {
        error("functions call each other in a cycle: \(cycle.map { "`\($0)`" }.joined(separator: " → "))", at: range)
      }
    }
  }
}
