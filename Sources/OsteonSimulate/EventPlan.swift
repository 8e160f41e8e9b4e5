import OsteonCompile
import OsteonNetwork
import OsteonSyntax

/// An event lowered to terms over the value buffer. A class: the integration
/// reads its plans at every step, and sharing one avoids copying every field.
final class EventPlan {
  let id: String
  let trigger: Term
  let delay: Term?
  let priority: Term?
  let initialTriggerValue: Bool
  let useValuesFromTriggerTime: Bool
  let persistent: Bool
  let targets: [Int]
  let values: [Term]
  /// The comparisons inside the trigger that move with the states, to notice a
  /// trigger that is true only within one step (its conditions changed but not its
  /// value).
  let comparisons: [TriggerNode]
  /// The trigger, prepared for evaluation with tolerance bands.
  let triggerNode: TriggerNode
  /// Whether the trigger can change only at time switches (or when an event changes
  /// a value it reads): then it needs no check between them.
  let changesOnlyAtSwitches: Bool
  /// Whether the trigger compares something that moves with time in a way no switch
  /// predicts (`sin(10*time) < 0`): it may turn true and false again within one step,
  /// so it is sampled inside every step.
  let samplesInsideSteps: Bool

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

  static func plans(for model: CompiledModel) -> [EventPlan] {
    model.network.events.map { event in
      let trigger = model.lower(event.trigger)
      let node = TriggerNode(trigger, model: model)
      return EventPlan(
        id: event.id, trigger: trigger, delay: event.delay.map(model.lower), priority: event.priority.map(model.lower),
        initialTriggerValue: event.initialTriggerValue, useValuesFromTriggerTime: event.useValuesFromTriggerTime,
        persistent: event.persistent, targets: event.assignments.map { model.layout.slots[$0.target] ?? 0 },
        values: event.assignments.map { model.lower($0.value) }, triggerNode: node,
        changesOnlyAtSwitches: !node.moves(continuousSlots: model.continuousSlots))
    }
  }
}

/// A compartment whose size can change, with the slots of the species in it that are
/// measured as concentrations and set by no rule: SBML keeps their amounts when the
/// size jumps at an event, so their concentrations scale by old/new size.
struct ResizableCompartment {
  let slot: Int
  let species: [Int]

  static func all(in model: CompiledModel) -> [ResizableCompartment] {
    let network = model.network
    var concentrations: [String: [Int]] = [:]
    for species in network.species where !species.hasOnlySubstanceUnits {
      if case .assignment = species.rule { continue }
      guard let slot = model.layout.slots[species.id] else { continue }
      concentrations[species.compartment, default: []].append(slot)
    }
    return network.compartments.compactMap { compartment in
      guard !compartment.isConstant, let slot = model.layout.slots[compartment.id],
        let species = concentrations[compartment.id]
      else { return nil }
      return ResizableCompartment(slot: slot, species: species)
    }
  }
}
