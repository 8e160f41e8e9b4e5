import OsteonNetwork
import OsteonSyntax

/// An event lowered to terms over the value buffer, once, when the model is
/// compiled. A class: the integration reads its plans at every step, and sharing one
/// avoids copying every field.
package final class EventPlan: Sendable {
  package let id: String
  package let trigger: Term
  package let delay: Term?
  package let priority: Term?
  package let initialTriggerValue: Bool
  package let useValuesFromTriggerTime: Bool
  package let persistent: Bool
  package let targets: [Int]
  package let values: [Term]
  /// The comparisons inside the trigger that move with the states, to notice a
  /// trigger that is true only within one step (its conditions changed but not its
  /// value).
  package let comparisons: [TriggerNode]
  /// The trigger, prepared for evaluation with tolerance bands.
  package let triggerNode: TriggerNode
  /// Whether the trigger can change only at time switches (or when an event changes
  /// a value it reads): then it needs no check between them.
  package let changesOnlyAtSwitches: Bool
  /// Whether the trigger compares something that moves with time in a way no switch
  /// predicts (`sin(10*time) < 0`): it may turn true and false again within one step,
  /// so it is sampled inside every step.
  package let samplesInsideSteps: Bool

  init(
    id: String, trigger: Term, delay: Term?, priority: Term?, initialTriggerValue: Bool,
    useValuesFromTriggerTime: Bool, persistent: Bool, targets: [Int], values: [Term], triggerNode: TriggerNode,
    changesOnlyAtSwitches: Bool
  ) {
    self.id = id
    self.trigger = trigger
    self.delay = delay
    self.priority = priority
    self.initialTriggerValue = initialTriggerValue
    self.useValuesFromTriggerTime = useValuesFromTriggerTime
    self.persistent = persistent
    self.targets = targets
    self.values = values
    self.triggerNode = triggerNode
    // A trigger made of one comparison is true exactly when that comparison is, so
    // it cannot be true only inside a step: only two or more need watching.
    let banded = triggerNode.bandedComparisons
    self.comparisons = banded.count >= 2 ? banded : []
    self.changesOnlyAtSwitches = changesOnlyAtSwitches
    self.samplesInsideSteps = triggerNode.movesWithTimeAlone
  }

  static func plans(for network: Network, layout: ModelLayout, lowering: Lowering, triggers: TriggerNode.Context)
    -> [EventPlan]
  {
    network.events.map { event in
      let trigger = lowering.lower(event.trigger)
      let node = TriggerNode(trigger, context: triggers)
      // Every target exists (the network was checked where it was made).
      let assignments = event.assignments.compactMap { assignment in
        layout.slots[assignment.target].map { (slot: $0, value: lowering.lower(assignment.value)) }
      }
      return EventPlan(
        id: event.id, trigger: trigger, delay: event.delay.map(lowering.lower),
        priority: event.priority.map(lowering.lower),
        initialTriggerValue: event.initialTriggerValue, useValuesFromTriggerTime: event.useValuesFromTriggerTime,
        persistent: event.persistent, targets: assignments.map(\.slot), values: assignments.map(\.value),
        triggerNode: node,
        changesOnlyAtSwitches: !node.moves(continuousSlots: triggers.continuousSlots))
    }
  }
}

/// A compartment whose size can change, with the slots of the species in it that are
/// measured as concentrations and set by no rule: SBML keeps their amounts when the
/// size jumps at an event, so their concentrations scale by old/new size.
package struct ResizableCompartment: Sendable {
  package let slot: Int
  package let species: [Int]

  static func all(in network: Network, layout: ModelLayout) -> [ResizableCompartment] {
    var concentrations: [String: [Int]] = [:]
    for species in network.species where !species.hasOnlySubstanceUnits {
      if case .assignment = species.rule { continue }
      guard let slot = layout.slots[species.id] else { continue }
      concentrations[species.compartment, default: []].append(slot)
    }
    return network.compartments.compactMap { compartment in
      guard !compartment.isConstant, let slot = layout.slots[compartment.id],
        let species = concentrations[compartment.id]
      else { return nil }
      return ResizableCompartment(slot: slot, species: species)
    }
  }
}
