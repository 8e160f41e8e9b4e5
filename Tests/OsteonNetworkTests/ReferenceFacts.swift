import Foundation
import OsteonSyntax

/// What libAntimony/libSBML say about a network (Tests/Fixtures/make_facts.py):
/// an independent reference for the resolver.
struct ReferenceFacts: Decodable {
  struct Compartment: Decodable {
    var id: String
    var size: Double?
    var constant: Bool
  }

  struct Species: Decodable {
    var id: String
    var compartment: String
    var initial: Double?
    var initialIsAmount: Bool
    var boundary: Bool
    var substanceOnly: Bool
    var constant: Bool
  }

  struct Parameter: Decodable {
    var id: String
    var value: Double?
    var constant: Bool
  }

  struct Term: Decodable {
    var species: String
    var stoichiometry: Double

    init(from decoder: Decoder) throws {
      var container = try decoder.unkeyedContainer()
      species = try container.decode(String.self)
      stoichiometry = try container.decode(Double.self)
    }
  }

  struct Reaction: Decodable {
    var id: String
    var reactants: [Term]
    var products: [Term]
  }

  struct Event: Decodable {
    var id: String?
    var t0: Bool
    var persistent: Bool
    var fromTrigger: Bool
    var hasDelay: Bool
    var hasPriority: Bool
    var targets: [String]
  }

  var model: String
  var compartments: [Compartment]
  var species: [Species]
  var parameters: [Parameter]
  var reactions: [Reaction]
  var assignmentRules: [String]
  var rateRules: [String]
  var initialAssignments: [String]
  var events: [Event]

  static func load(besides network: URL) -> ReferenceFacts? {
    let url = network.deletingPathExtension().appendingPathExtension("facts.json")
    guard let data = try? Data(contentsOf: url) else { return nil }
    return (try? JSONDecoder().decode(ReferenceFacts.self, from: data))?.renamedAsAntimony()
  }

  /// libAntimony renames SBML ids that are Antimony keywords or built-ins (`gamma`
  /// becomes `gamma_`) when it converts a model; facts made from the original SBML
  /// are compared under the same names.
  func renamedAsAntimony() -> ReferenceFacts {
    func rename(_ id: String) -> String { ReservedWords.role(of: id) == nil ? id : id + "_" }
    var copy = self
    copy.compartments = compartments.map {
      var item = $0
      item.id = rename(item.id)
      return item
    }
    copy.species = species.map {
      var item = $0
      item.id = rename(item.id)
      item.compartment = rename(item.compartment)
      return item
    }
    copy.parameters = parameters.map {
      var item = $0
      item.id = rename(item.id)
      return item
    }
    copy.reactions = reactions.map { reaction in
      var item = reaction
      item.id = rename(item.id)
      item.reactants = item.reactants.map {
        var term = $0
        term.species = rename(term.species)
        return term
      }
      item.products = item.products.map {
        var term = $0
        term.species = rename(term.species)
        return term
      }
      return item
    }
    copy.assignmentRules = assignmentRules.map(rename)
    copy.rateRules = rateRules.map(rename)
    copy.initialAssignments = initialAssignments.map(rename)
    copy.events = events.map {
      var item = $0
      item.targets = item.targets.map(rename)
      return item
    }
    return copy
  }
}
