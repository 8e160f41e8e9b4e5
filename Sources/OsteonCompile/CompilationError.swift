import OsteonNetwork
import OsteonSyntax

/// A network the compiler cannot turn into equations: one built or edited outside
/// the resolver that reads an id it lacks, or assigns what cannot be assigned.
public struct CompilationError: Error, CustomStringConvertible, Sendable, Equatable {
  /// Every problem found, one sentence each.
  public var problems: [String]

  public var description: String {
    problems.count == 1 ? problems[0] : "\(problems.count) problems:\n  " + problems.joined(separator: "\n  ")
  }
}

extension CompiledModel {
  /// What the resolver guarantees for the files it reads, checked again for any
  /// network: every id an expression reads exists, every function called is defined
  /// or built in, and events assign only quantities that can hold a value.
  static func check(_ network: Network, layout: ModelLayout) throws(CompilationError) {
    var problems: [String] = []
    let functions = Set(network.functions.map(\.name))
    func check(_ expression: Expression, in place: String, locals: Set<String> = []) {
      expression.forEachNode { node in
        switch node.kind {
        case .symbol(let id) where !locals.contains(id) && layout.slots[id] == nil:
          problems.append("\(place) reads `\(id)`, which the network does not define")
        case .call(let name, let arguments):
          if name == BuiltinFunction.rateOf.rawValue {
            if let id = arguments.first?.symbolName, !locals.contains(id), layout.slots[id] == nil {
              problems.append("\(place) reads `rateOf(\(id))`, but the network does not define `\(id)`")
            }
          } else if !functions.contains(name) && BuiltinFunction(spelling: name) == nil {
            problems.append("\(place) calls `\(name)`, which is neither defined nor built in")
          }
        default: break
        }
      }
    }
    for function in network.functions {
      check(function.body, in: "function `\(function.name)`", locals: Set(function.parameters))
    }
    for id in network.declarationOrder {
      if case .expression(let expression) = network.initialValue(of: id) {
        check(expression, in: "the initial value of `\(id)`")
      }
      if let rule = network.rule(of: id) { check(rule.expression, in: "the rule for `\(id)`") }
    }
    for reaction in network.reactions {
      check(reaction.rate, in: "the rate law of `\(reaction.id)`")
      for participant in reaction.reactants + reaction.products {
        if network.species(participant.species) == nil {
          problems.append("reaction `\(reaction.id)` changes `\(participant.species)`, which is not a species")
        }
        if let id = participant.stoichiometryID, layout.slots[id] == nil {
          problems.append("reaction `\(reaction.id)` reads its stoichiometry from `\(id)`, which is not defined")
        }
      }
    }
    for event in network.events {
      let place = "event `\(event.id)`"
      check(event.trigger, in: "the trigger of \(place)")
      if let delay = event.delay { check(delay, in: "the delay of \(place)") }
      if let priority = event.priority { check(priority, in: "the priority of \(place)") }
      for assignment in event.assignments {
        check(assignment.value, in: "\(place)'s assignment to `\(assignment.target)`")
        guard let slot = layout.slots[assignment.target] else {
          problems.append("\(place) assigns `\(assignment.target)`, which the network does not define")
          continue
        }
        if slot >= layout.reactionBase {
          problems.append("\(place) assigns the reaction `\(assignment.target)`, whose rate only its law sets")
        } else if slot >= layout.ruleBase {
          problems.append("\(place) assigns `\(assignment.target)`, which an assignment rule sets at every moment")
        }
      }
    }
    if !problems.isEmpty { throw CompilationError(problems: problems) }
  }
}
