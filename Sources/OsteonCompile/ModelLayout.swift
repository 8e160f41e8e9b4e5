import OsteonNetwork

/// Where each quantity of a network lives in the value buffer that compiled code
/// reads and writes. One buffer per running simulation:
///
/// `[time | states | parameters | rule values | reaction rates | constants | scratch]`
///
/// States are the integrated quantities; parameters are every other compartment,
/// species or parameter without an assignment rule (constants and what events set);
/// rule values are assignment-rule results in evaluation order.
public struct ModelLayout: Sendable {
  public static let timeSlot = 0

  /// State ids in the order of the state vector.
  public let states: [String]
  public let parameters: [String]
  public let rules: [String]
  public let reactions: [String]
  /// Slot of every compartment, species, parameter and reaction id.
  public let slots: [String: Int]

  public var stateBase: Int { 1 }
  public var parameterBase: Int { 1 + states.count }
  public var ruleBase: Int { parameterBase + parameters.count }
  public var reactionBase: Int { ruleBase + rules.count }
  /// First slot after the named quantities.
  public var namedSlotCount: Int { reactionBase + reactions.count }

  /// `adjustableReactions`: reactions whose rate a multiplier parameter scales at
  /// run time (`rateMultiplierID(of:)`), placed after the network's parameters.
  public init(network: Network, adjustableReactions: [String] = []) {
    let states = network.stateVariables
    let stateSet = Set(states)
    let ruleSet = Set(network.assignmentRuleOrder)
    self.states = states
    self.parameters =
      network.declarationOrder.filter { !stateSet.contains($0) && !ruleSet.contains($0) }
      + adjustableReactions.map(Self.rateMultiplierID(of:))
    self.rules = network.assignmentRuleOrder
    self.reactions = network.reactions.map(\.id)
    var slots: [String: Int] = [:]
    var next = 1
    for id in self.states + self.parameters + self.rules + self.reactions {
      slots[id] = next
      next += 1
    }
    self.slots = slots
  }

  /// The parameter that multiplies an adjustable reaction's rate: not an Antimony
  /// id (`×` is not ASCII), so it cannot clash with the network's.
  public static func rateMultiplierID(of reaction: String) -> String { "×" + reaction }

  public func stateIndex(of id: String) -> Int? {
    guard let slot = slots[id], slot >= stateBase, slot < parameterBase else { return nil }
    return slot - stateBase
  }

  /// The id stored in a named slot, for messages.
  public func id(ofSlot slot: Int) -> String? {
    if slot == Self.timeSlot { return "time" }
    let all = states + parameters + rules + reactions
    let index = slot - 1
    return index >= 0 && index < all.count ? all[index] : nil
  }
}
