import OsteonSyntax

extension Network {
  /// The resolved model as a modeller would check it: the instances flattened into it
  /// and the ids synchronized, compartments, species with initial values,
  /// parameters, the right-hand side of every state in plain maths,
  /// assignment rules in evaluation order, initial assignments and events.
  public func explanation() -> String {
    var out = ExplanationWriter()
    let title = displayName.map { "Network \(name) — \"\($0)\"" } ?? "Network \(name)"
    out.line(title)
    let states = stateVariables
    out.line(
      "  \(states.count) state variable\(states.count == 1 ? "" : "s"), \(species.count) species, \(compartments.count) compartment\(compartments.count == 1 ? "" : "s"), \(parameters.count) parameter\(parameters.count == 1 ? "" : "s"), \(reactions.count) reaction\(reactions.count == 1 ? "" : "s"), \(assignmentRuleOrder.count) assignment rule\(assignmentRuleOrder.count == 1 ? "" : "s"), \(events.count) event\(events.count == 1 ? "" : "s")"
    )

    if !instances.isEmpty {
      out.section("Instances (what each copies; their ids keep the path, as in `A.x`)")
      for instance in instances {
        out.row(instance.path, "model \(instance.model)", "from \(instance.file)")
      }
    }
    if !synchronizations.isEmpty {
      out.section("Synchronized ids (one quantity, kept under the second id)")
      for item in synchronizations {
        out.row(item.factor.map { "\(item.id) * \($0)" } ?? item.id, "is \(item.keptAs)", "")
      }
    }

    out.section("Compartments")
    for compartment in compartments {
      out.row(
        compartment.id,
        value(compartment.initial, rule: compartment.rule),
        notes(displayName: compartment.displayName, extra: compartment.isConstant ? ["const"] : ["variable"]))
    }

    out.section("Species")
    for item in species {
      var extra: [String] = []
      extra.append("in \(item.compartment)")
      extra.append(item.hasOnlySubstanceUnits ? "amount" : "concentration")
      if item.isBoundary { extra.append("boundary") }
      if item.isConstant { extra.append("const") }
      out.row(item.id, value(item.initial, rule: item.rule), notes(displayName: item.displayName, extra: extra))
    }

    out.section("Parameters")
    let eventTargets = Set(events.flatMap { $0.assignments.map(\.target) })
    for parameter in parameters {
      var extra: [String] = []
      if parameter.isConstant { extra.append("const") }
      if eventTargets.contains(parameter.id) { extra.append("set by events") }
      out.row(
        parameter.id, value(parameter.initial, rule: parameter.rule),
        notes(displayName: parameter.displayName, extra: extra))
    }

    out.section("State equations")
    if states.isEmpty { out.line("  (none: nothing changes continuously)") }
    for id in states {
      if case .rate(let expression) = rule(of: id) {
        let concentration = species(id).map { !$0.hasOnlySubstanceUnits } ?? false
        out.line("  d\(concentration ? "[\(id)]" : id)/dt = \(expression)")
      } else if let item = species(id) {
        out.line("  d\(item.hasOnlySubstanceUnits ? id : "[\(id)]")/dt = \(rightHandSide(of: item))")
      }
    }

    if !reactions.isEmpty {
      out.section("Reactions (rates in amount per time)")
      for reaction in reactions {
        let lhs = reaction.reactants.map(Self.term).joined(separator: " + ")
        let rhs = reaction.products.map(Self.term).joined(separator: " + ")
        let arrow = reaction.isReversible ? "->" : "=>"
        out.line(
          "  \(reaction.id): \(lhs.isEmpty ? "" : lhs + " ")\(arrow)\(rhs.isEmpty ? "" : " " + rhs); \(reaction.rate)")
      }
    }

    if !assignmentRuleOrder.isEmpty {
      out.section("Assignment rules (evaluation order)")
      for (position, id) in assignmentRuleOrder.enumerated() {
        if case .assignment(let expression) = rule(of: id) {
          out.line("  \(position + 1). \(id) := \(expression)")
        }
      }
    }

    let initialAssignments = initializationOrder.compactMap { id -> String? in
      if case .expression(let expression) = initialValue(of: id) { return "  \(id) = \(expression)" }
      return nil
    }
    if !initialAssignments.isEmpty {
      out.section("Initial assignments (evaluated once at the start, in this order)")
      for text in initialAssignments { out.line(text) }
    }

    if !events.isEmpty {
      out.section("Events")
      for event in events {
        let delay = event.delay.map { "\($0) after " } ?? ""
        out.line("  \(event.id): at \(delay)\(event.trigger)")
        out.line(
          "      t0=\(event.initialTriggerValue), priority=\(event.priority.map(\.description) ?? "none"), fromTrigger=\(event.useValuesFromTriggerTime), persistent=\(event.persistent)"
        )
        for assignment in event.assignments {
          out.line("      \(assignment.target) = \(assignment.value)")
        }
      }
    }

    if !functions.isEmpty {
      out.section("Functions")
      for function in functions {
        out.line("  \(function.name)(\(function.parameters.joined(separator: ", "))) = \(function.body)")
      }
    }
    return out.finished
  }

  /// Σ stoichiometry · rate, divided by the compartment size for a concentration,
  /// less the dilution [S]·V'/V when the size follows a rule (the amount is kept).
  public func rightHandSide(of item: Species) -> Expression {
    var terms: [(negative: Bool, term: Expression)] = []
    for reaction in reactions {
      guard let coefficient = reaction.netStoichiometryExpression(of: item.id) else { continue }
      var term = reaction.rate
      var negative = false
      if let number = coefficient.literalValue {
        negative = number < 0
        if abs(number) != 1 { term = Expression(.binary(.multiply, .number(abs(number)), term), range: .none) }
      } else {
        term = Expression(.binary(.multiply, coefficient, term), range: .none)
      }
      terms.append((negative, term))
    }
    var sum = Self.signedSum(terms[...])
    if let factor = item.conversionFactor, let reactionSum = sum {
      sum = Expression(.binary(.multiply, .symbol(factor), reactionSum), range: .none)
    }
    if item.hasOnlySubstanceUnits { return sum ?? .number(0) }
    let size = Expression.symbol(item.compartment)
    var result = sum.map { Expression(.binary(.divide, $0, size), range: .none) }
    if rule(of: item.compartment) != nil {
      let rate = Expression(.call(BuiltinFunction.rateOf.rawValue, [size]), range: .none)
      let dilution = Expression(
        .binary(.divide, Expression(.binary(.multiply, .symbol(item.id), rate), range: .none), size), range: .none)
      result =
        result.map { Expression(.binary(.subtract, $0, dilution), range: .none) }
        ?? Expression(.negate(dilution), range: .none)
    }
    return result ?? .number(0)
  }

  /// `a + b − c …`: a chain read left to right; a species in thousands of reactions
  /// gets chains of 128 joined by `+` pairwise, so that no walk over it nests deeply.
  static func signedSum(_ terms: ArraySlice<(negative: Bool, term: Expression)>) -> Expression? {
    var chains: [Expression] = []
    var start = terms.startIndex
    while start < terms.endIndex {
      let end = min(start + 128, terms.endIndex)
      var chain: Expression?
      for (negative, term) in terms[start..<end] {
        if let previous = chain {
          chain = Expression(.binary(negative ? .subtract : .add, previous, term), range: .none)
        } else {
          chain = negative ? Expression(.negate(term), range: .none) : term
        }
      }
      if let chain { chains.append(chain) }
      start = end
    }
    while chains.count > 1 {
      chains = stride(from: 0, to: chains.count, by: 2).map { index in
        index + 1 < chains.count
          ? Expression(.binary(.add, chains[index], chains[index + 1]), range: .none) : chains[index]
      }
    }
    return chains.first
  }

  static func term(_ participant: Participant) -> String {
    if let id = participant.stoichiometryID { return "\(id) \(participant.species)" }
    return participant.stoichiometry == 1
      ? participant.species : "\(Expression.format(participant.stoichiometry)) \(participant.species)"
  }

  func value(_ initial: InitialValue?, rule: Rule?) -> String {
    switch rule {
    case .assignment(let expression): return ":= \(expression)"
    case .rate:
      switch initial {
      case .number(let number): return "= \(Expression.format(number)), rate rule"
      case .expression(let expression): return "= \(expression), rate rule"
      case nil: return "rate rule"
      }
    case nil:
      switch initial {
      case .number(let number): return "= \(Expression.format(number))"
      case .expression(let expression): return "= \(expression)  (initial assignment)"
      case nil: return "(no value)"
      }
    }
  }

  func notes(displayName: String?, extra: [String]) -> String {
    var parts = extra
    if let displayName { parts.insert("\"\(displayName)\"", at: 0) }
    return parts.joined(separator: ", ")
  }
}

/// Collects aligned rows per section.
struct ExplanationWriter {
  var text = ""
  private var pending: [(String, String, String)] = []

  mutating func line(_ string: String) {
    flush()
    text += string + "\n"
  }

  mutating func section(_ title: String) {
    flush()
    text += "\n" + title + "\n"
  }

  mutating func row(_ id: String, _ value: String, _ notes: String) {
    pending.append((id, value, notes))
  }

  mutating func flush() {
    guard !pending.isEmpty else { return }
    let idWidth = min(32, pending.map { $0.0.count }.max() ?? 0)
    let valueWidth = min(40, pending.map { $0.1.count }.max() ?? 0)
    for (id, value, notes) in pending {
      var row = "  " + id.padding(toLength: max(idWidth, id.count)) + " " + value
      if !notes.isEmpty {
        row = row.padding(toLength: max(row.count, 2 + idWidth + 1 + valueWidth)) + "   " + notes
      }
      text += row + "\n"
    }
    pending.removeAll()
  }

  var finished: String {
    var copy = self
    copy.flush()
    return copy.text
  }
}

extension String {
  func padding(toLength length: Int) -> String {
    count >= length ? self : self + String(repeating: " ", count: length - count)
  }
}
