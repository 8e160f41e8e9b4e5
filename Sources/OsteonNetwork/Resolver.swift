import OsteonSyntax

/// Turns a syntax tree into a `Network`: classifies every id, applies "the last
/// definition wins", checks references, rules and events, and orders rules by
/// dependency. Every problem becomes a diagnostic; nothing is guessed silently.
struct Resolver {
  /// What the statements say about one id, gathered in source order.
  struct SymbolFacts {
    var id: String
    var firstRange: SourceRange
    var declaredKind: SymbolKind?
    var declaredKindRange: SourceRange?
    var isConstant: Bool?
    var constantRange: SourceRange?
    var isBoundary = false
    var hasOnlySubstanceUnits = false
    var compartment: Name?
    var initial: (value: Expression, range: SourceRange)?
    var assignmentRule: (value: Expression, range: SourceRange)?
    var rateRule: (value: Expression, range: SourceRange)?
    var displayName: String?
    /// `S1.conversionFactor = cf`
    var conversionFactor: String?
    var isReaction = false
    /// A non-boundary reactant or product somewhere.
    var inReactions = false
  }

  struct ReactionFacts {
    var id: String
    var syntax: ReactionSyntax
  }

  let sources: SourceMap
  var diagnostics: [Diagnostic] = []
  var facts: [String: SymbolFacts] = [:]
  var order: [String] = []
  var reactions: [ReactionFacts] = []
  var events: [EventSyntax] = []
  var functions: [String: FunctionSyntax] = [:]
  var functionOrder: [String] = []
  var unnamedReactions = 0
  /// Ids referenced from any expression or event, for the unused-parameter warning.
  var referenced: Set<String> = []
  var eventTargets: Set<String> = []
  var reportedUnknown: Set<String> = []
  var unitNames: Set<String> = []
  var mentionIndex: [String: Int] = [:]
  var pendingDisplayNames: [(target: Name, text: String)] = []
  /// Model-level conversion factors: a species takes the one of the instance it
  /// belongs to (the longest prefix of its path), or the main model's.
  var defaultConversionFactors: [(prefix: String, factor: String)] = []
  /// Units, SBO terms and notes by id, as written (attached to known ids at the end).
  var annotations: [String: Annotations] = [:]
  /// Paths of the instances flattened into the model (`A`, `A.B`).
  var instancePaths: Set<String> = []
  var eventDisplayNames: [String: String] = [:]
  var functionDisplayNames: [String: String] = [:]
  /// A display name given to the model inside its own block.
  var modelDisplayName: String?

  init(sources: SourceMap) {
    self.sources = sources
  }

  mutating func error(_ message: String, at range: SourceRange, hint: String? = nil) {
    diagnostics.append(.error(message, at: range, hint: hint))
  }

  mutating func warning(_ message: String, at range: SourceRange, hint: String? = nil) {
    diagnostics.append(.warning(message, at: range, hint: hint))
  }

  /// Records the first mention of every id an expression reads: Antimony orders
  /// declarations by first mention, inside expressions too.
  mutating func mention(_ expression: Expression?) {
    guard let expression else { return }
    for (name, _) in expression.symbolReferences where mentionIndex[name] == nil {
      mentionIndex[name] = mentionIndex.count
    }
  }

  /// The facts of an id, created at its first mention.
  mutating func touch(_ name: Name) {
    if mentionIndex[name.text] == nil { mentionIndex[name.text] = mentionIndex.count }
    if facts[name.text] == nil {
      facts[name.text] = SymbolFacts(id: name.text, firstRange: name.range)
      order.append(name.text)
    }
  }

  func line(of range: SourceRange) -> Int { sources.line(of: range) }

  mutating func declareKind(_ name: Name, _ kind: SymbolKind) {
    touch(name)
    guard var symbol = facts[name.text] else { return }
    if let existing = symbol.declaredKind, existing != kind {
      let earlier = symbol.declaredKindRange.map { " (line \(line(of: $0)))" } ?? ""
      error(
        "`\(name.text)` is declared a \(kind.rawValue) here but a \(existing.rawValue) earlier\(earlier)",
        at: name.range, hint: "give the \(kind.rawValue) a different name")
      return
    }
    if symbol.declaredKind == nil {
      symbol.declaredKind = kind
      symbol.declaredKindRange = name.range
    }
    facts[name.text] = symbol
  }

  // MARK: - Gathering statements

  /// Reads the functions and the statements of the flattened main model.
  mutating func gather(functions definitions: [FunctionSyntax], statements: [Statement]) {
    for function in definitions {
      if let earlier = functions[function.name.text] {
        error(
          "function `\(function.name.text)` is defined twice (first on line \(line(of: earlier.name.range)))",
          at: function.name.range)
        continue
      }
      functions[function.name.text] = function
      functionOrder.append(function.name.text)
    }
    for statement in statements {
      switch statement {
      case .declaration(let declaration):
        for item in declaration.items {
          mention(.symbol(item.name.text))
          mention(item.value)
          mention(item.rule)
        }
      case .reaction(let reaction):
        for term in reaction.reactants + reaction.products {
          for name in [term.stoichiometryName?.text, term.species.text].compactMap({ $0 })
          where mentionIndex[name] == nil {
            mentionIndex[name] = mentionIndex.count
          }
        }
        mention(reaction.rate)
      case .initialValue(let target, let value), .assignmentRule(let target, let value),
        .rateRule(let target, let value):
        mention(.symbol(target.text))
        mention(value)
      case .event(let event):
        mention(event.trigger)
        mention(event.delay)
        for (_, value) in event.assignments { mention(value) }
      case .conversionFactor(let target, let factor):
        if let target { mention(.symbol(target.text)) }
        mention(.symbol(factor.text))
      case .displayName, .unitDefinition, .instance, .synchronization, .deletion, .emptyRateRule, .annotation: break
      }
      switch statement {
      case .declaration(let declaration): gatherDeclaration(declaration)
      case .reaction(let reaction): gatherReaction(reaction)
      case .initialValue(let target, let value): setInitialValue(target, value)
      case .assignmentRule(let target, let value): setAssignmentRule(target, value)
      case .rateRule(let target, let value): setRateRule(target, value)
      case .event(let event):
        events.append(event)
      case .displayName(let target, let text):
        // Attached once every statement is read: the label may come before the event,
        // reaction or function it names.
        pendingDisplayNames.append((target, text))
      case .unitDefinition(let name):
        unitNames.insert(name.text)
      case .conversionFactor(let target, let factor):
        touch(factor)
        referenced.insert(factor.text)
        if let target {
          declareKind(target, .species)
          facts[target.text]?.conversionFactor = factor.text
        } else {
          defaultConversionFactors.append((prefix: "", factor: factor.text))
        }
      case .annotation(let target, let key, let value):
        var entry = annotations[target.text] ?? Annotations()
        switch key {
        case "unit": entry.unit = value
        case "sboTerm": entry.sboTerm = value
        default: entry.notes = value
        }
        annotations[target.text] = entry
      case .instance, .synchronization, .deletion, .emptyRateRule:
        break  // the flattener has taken these apart
      }
    }
  }

  /// Display names attach to any named element: quantities, reactions, events,
  /// functions, units (ignored) and the model itself.
  mutating func attachDisplayNames(modelName: String) {
    let eventNames = Set(events.compactMap { $0.name?.text })
    for (target, text) in pendingDisplayNames {
      if facts[target.text] != nil {
        facts[target.text]?.displayName = text
      } else if eventNames.contains(target.text) {
        eventDisplayNames[target.text] = text
      } else if functions[target.text] != nil {
        functionDisplayNames[target.text] = text
      } else if target.text == modelName {
        modelDisplayName = text
      } else if !unitNames.contains(target.text) {
        touch(target)
        facts[target.text]?.displayName = text
      }
    }
  }

  mutating func gatherDeclaration(_ declaration: Declaration) {
    let modifiers = declaration.modifiers
    for item in declaration.items {
      let name = item.name
      touch(name)
      if modifiers.isCompartment {
        declareKind(name, .compartment)
      } else if modifiers.isSpecies || modifiers.isSubstanceOnly || item.isBoundary {
        declareKind(name, .species)
      }
      if modifiers.isSubstanceOnly { facts[name.text]?.hasOnlySubstanceUnits = true }
      if item.isBoundary { facts[name.text]?.isBoundary = true }
      // `formula` keeps the default constness, as in Antimony.
      if modifiers.isConstant || modifiers.isVariable {
        facts[name.text]?.isConstant = modifiers.isConstant
        facts[name.text]?.constantRange = name.range
      }
      // In Antimony a `const` species is a boundary species, and so is one declared
      // together with its assignment rule (`species S := …`).
      if modifiers.isSpecies, modifiers.isConstant || item.rule != nil { facts[name.text]?.isBoundary = true }
      if let compartment = item.compartment {
        // Something already known as another kind is reported once, at the build.
        let placed = facts[compartment.text]
        if placed == nil || (placed?.declaredKind ?? .compartment) == .compartment && placed?.isReaction != true {
          declareKind(compartment, .compartment)
        }
        // `C1 in C2` nests compartments; anything else placed in a compartment is a species.
        if facts[name.text]?.declaredKind != .compartment {
          declareKind(name, .species)
          facts[name.text]?.compartment = compartment
        }
      }
      if let value = item.value { setInitialValue(name, value) }
      if let rule = item.rule { setAssignmentRule(name, rule) }
    }
  }

  mutating func gatherReaction(_ reaction: ReactionSyntax) {
    let id: String
    if let name = reaction.name {
      id = name.text
      if let existing = facts[id], existing.isReaction {
        error("reaction `\(id)` is defined twice (first on line \(line(of: existing.firstRange)))", at: name.range)
        return
      }
      touch(name)
    } else {
      // Antimony's names for unnamed reactions.
      var candidate = "_J\(unnamedReactions)"
      while facts[candidate] != nil {
        unnamedReactions += 1
        candidate = "_J\(unnamedReactions)"
      }
      unnamedReactions += 1
      id = candidate
      touch(Name(id, reaction.range))
    }
    facts[id]?.isReaction = true
    reactions.append(ReactionFacts(id: id, syntax: reaction))
    for term in reaction.reactants + reaction.products {
      if let stoichiometry = term.stoichiometryName {
        touch(stoichiometry)
        referenced.insert(stoichiometry.text)
      }
      declareKind(term.species, .species)
      if term.isBoundary { facts[term.species.text]?.isBoundary = true }
      facts[term.species.text]?.inReactions = true
    }
  }

  mutating func setInitialValue(_ target: Name, _ value: Expression) {
    touch(target)
    guard var symbol = facts[target.text] else { return }
    if let rule = symbol.assignmentRule {
      error(
        "`\(target.text)` already has an assignment rule (line \(line(of: rule.range))), which sets it at all times, including the start",
        at: target.range, hint: "remove the rule or this value")
      return
    }
    symbol.initial = (value, target.range)
    facts[target.text] = symbol
  }

  mutating func setAssignmentRule(_ target: Name, _ value: Expression) {
    touch(target)
    guard var symbol = facts[target.text] else { return }
    if let rate = symbol.rateRule {
      error(
        "`\(target.text)` has a rate rule (line \(line(of: rate.range))) and may not also have an assignment rule",
        at: target.range,
        hint: "a quantity follows one rule: keep either `\(target.text) := …` or `\(target.text)' = …`")
      return
    }
    // The last definition wins: a rule replaces an earlier value.
    symbol.initial = nil
    symbol.assignmentRule = (value, target.range)
    facts[target.text] = symbol
  }

  mutating func setRateRule(_ target: Name, _ value: Expression) {
    touch(target)
    guard var symbol = facts[target.text] else { return }
    if let rule = symbol.assignmentRule {
      error(
        "`\(target.text)` has an assignment rule (line \(line(of: rule.range))) and may not also have a rate rule",
        at: target.range,
        hint: "a quantity follows one rule: keep either `\(target.text) := …` or `\(target.text)' = …`")
      return
    }
    symbol.rateRule = (value, target.range)
    facts[target.text] = symbol
  }
}
