import Foundation

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
    return try? JSONDecoder().decode(ReferenceFacts.self, from: data)
  }
}
