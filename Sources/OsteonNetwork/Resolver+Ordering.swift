import OsteonSyntax

extension Resolver {
  /// Symbols an expression reads, with reaction ids expanded into what their rate
  /// laws read (a rule that uses a rate depends on the rate's inputs).
  func dependencies(of expression: Expression) -> [String] {
    var result: [String] = []
    var seenReactions: Set<String> = []
    var pending = [expression]
    while let next = pending.popLast() {
      for (name, _) in next.symbolReferences {
        if let symbol = facts[name], symbol.isReaction {
          if seenReactions.insert(name).inserted,
            let reaction = reactions.first(where: { $0.id == name }),
            let rate = reaction.syntax.rate ?? symbol.initial?.value
          {
            pending.append(rate)
          }
        } else {
          result.append(name)
        }
      }
    }
    return result
  }

  /// Assignment rules in evaluation order; a cycle is an error naming its ids.
  mutating func orderAssignmentRules(ids: [String]) -> (order: [String], complete: Bool) {
    let ruled = ids.filter { facts[$0]?.assignmentRule != nil }
    let sorted = DependencyOrder.order(ids: ruled) { id in
      facts[id]?.assignmentRule.map { dependencies(of: $0.value) } ?? []
    }
    for cycle in sorted.cycles {
      let range = facts[cycle[0]]?.assignmentRule?.range ?? .none
      error(
        "assignment rules form a cycle: \(cycle.map { "`\($0)`" }.joined(separator: " → "))", at: range,
        hint: "each rule must be computable from values that do not depend on it")
    }
    return (sorted.order, sorted.cycles.isEmpty)
  }

  /// Initial assignments and assignment rules together, in the order to evaluate them
  /// at the start.
  mutating func orderInitialization(ids: [String], reportCycles: Bool) -> [String] {
    let computed = ids.filter { id in
      guard let symbol = facts[id] else { return false }
      if symbol.assignmentRule != nil { return true }
      if let initial = symbol.initial, initial.value.literalValue == nil { return true }
      return false
    }
    let sorted = DependencyOrder.order(ids: computed) { id in
      guard let symbol = facts[id] else { return [] }
      if let rule = symbol.assignmentRule { return dependencies(of: rule.value) }
      if let initial = symbol.initial { return dependencies(of: initial.value) }
      return []
    }
    if reportCycles {
      for cycle in sorted.cycles {
        let range = facts[cycle[0]]?.initial?.range ?? facts[cycle[0]]?.assignmentRule?.range ?? .none
        error(
          "initial values form a cycle: \(cycle.map { "`\($0)`" }.joined(separator: " → "))", at: range,
          hint: "each initial value must be computable from values that do not depend on it")
      }
    }
    return sorted.order
  }

  // MARK: - Warnings

  mutating func warnAboutUnused(parameters: [Parameter], species: [Species], reactions: [Reaction]) {
    for parameter in parameters where parameter.rule == nil && parameter.initial != nil {
      if !referenced.contains(parameter.id), !eventTargets.contains(parameter.id) {
        warning("parameter `\(parameter.id)` is never used", at: parameter.range)
      }
    }
    var changed: Set<String> = eventTargets
    for reaction in reactions {
      for participant in reaction.reactants + reaction.products
      where reaction.netStoichiometry(of: participant.species) != 0
        || reaction.hasNamedStoichiometry(for: participant.species)
      {
        changed.insert(participant.species)
      }
    }
    for item in species where !item.isBoundary && !item.isConstant && item.rule == nil {
      if !changed.contains(item.id) {
        warning(
          "species `\(item.id)` is floating but nothing changes it (no reaction, rule or event)", at: item.range,
          hint: "make it a boundary species (`$\(item.id)`) or `const` if it is meant to stay fixed")
      }
    }
  }
}
