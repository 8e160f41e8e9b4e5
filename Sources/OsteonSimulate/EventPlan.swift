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
  /// Times at which a `time <op> x` comparison in the trigger switches, where x does
  /// not change between events: the integrator stops exactly there.
  let breakpoints: [Term]
  /// The comparisons inside the trigger, to notice a trigger that is true only
  /// within one step (its conditions changed but not its value).
  let comparisons: [TriggerNode]
  /// The trigger, prepared for evaluation with tolerance bands.
  let triggerNode: TriggerNode
  /// Whether the trigger can change only at its breakpoints (or when an event
  /// changes a value it reads): then it needs no check between them.
  let changesOnlyAtBreakpoints: Bool

  init(
    id: String, trigger: Term, delay: Term?, priority: Term?, initialTriggerValue: Bool,
    useValuesFromTriggerTime: Bool, persistent: Bool, targets: [Int], values: [Term], breakpoints: [Term],
    comparisons: [TriggerNode], triggerNode: TriggerNode, changesOnlyAtBreakpoints: Bool
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
    self.breakpoints = breakpoints
    self.comparisons = comparisons
    self.triggerNode = triggerNode
    self.changesOnlyAtBreakpoints = changesOnlyAtBreakpoints
  }

  /// A trigger made of one comparison is true exactly when that comparison is, so
  /// it cannot be true only inside a step: only two or more need watching.
  static func windowComparisons(_ comparisons: [TriggerNode]) -> [TriggerNode] {
    comparisons.count >= 2 ? comparisons : []
  }

  static func plans(for model: CompiledModel) -> [EventPlan] {
    let network = model.network
    let layout = model.layout
    let dynamic = model.continuousSlots
    func isDynamic(_ term: Term) -> Bool {
      var found = false
      term.forEachSlot { if dynamic.contains($0) { found = true } }
      return found
    }

    func breakpoints(in term: Term) -> [Term] {
      switch term {
      case .binary(let op, let lhs, let rhs) where op.isComparison:
        if lhs == .slot(ModelLayout.timeSlot), !isDynamic(rhs) { return [rhs] }
        if rhs == .slot(ModelLayout.timeSlot), !isDynamic(lhs) { return [lhs] }
        return []
      case .binary(_, let lhs, let rhs): return breakpoints(in: lhs) + breakpoints(in: rhs)
      case .not(let inner), .negate(let inner): return breakpoints(in: inner)
      case .piecewise(let branches, let otherwise):
        return branches.flatMap { breakpoints(in: $0.condition) + breakpoints(in: $0.value) }
          + breakpoints(in: otherwise)
      case .call(_, let arguments): return arguments.flatMap(breakpoints)
      default: return []
      }
    }

    // Whether a term moves between breakpoints: `time <op> x` comparisons do not.
    func movesBetweenBreakpoints(_ term: Term) -> Bool {
      switch term {
      case .binary(let op, let lhs, let rhs) where op.isComparison:
        if lhs == .slot(ModelLayout.timeSlot), !isDynamic(rhs) { return false }
        if rhs == .slot(ModelLayout.timeSlot), !isDynamic(lhs) { return false }
        return isDynamic(lhs) || isDynamic(rhs)
      case .binary(_, let lhs, let rhs): return movesBetweenBreakpoints(lhs) || movesBetweenBreakpoints(rhs)
      case .not(let inner), .negate(let inner): return movesBetweenBreakpoints(inner)
      default: return isDynamic(term)
      }
    }

    return network.events.map { event in
      let trigger = model.lower(event.trigger)
      return EventPlan(
        id: event.id, trigger: trigger, delay: event.delay.map(model.lower), priority: event.priority.map(model.lower),
        initialTriggerValue: event.initialTriggerValue, useValuesFromTriggerTime: event.useValuesFromTriggerTime,
        persistent: event.persistent, targets: event.assignments.map { layout.slots[$0.target] ?? 0 },
        values: event.assignments.map { model.lower($0.value) }, breakpoints: breakpoints(in: trigger),
        comparisons: windowComparisons(TriggerNode(trigger, continuousSlots: dynamic).continuousComparisons),
        triggerNode: TriggerNode(trigger, continuousSlots: dynamic),
        changesOnlyAtBreakpoints: !movesBetweenBreakpoints(trigger))
    }
  }
}
