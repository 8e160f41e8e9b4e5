import OsteonNetwork
import OsteonSyntax

/// A network compiled for simulation: the ODE right-hand side and its exact
/// Jacobian as bytecode over one value buffer, plus what is needed to set the
/// initial state. Compile once; change parameters in the buffer without recompiling.
public final class CompiledModel: Sendable {
  /// Which reactions get a run-time rate multiplier.
  public enum AdjustableReactions: Sendable {
    case none
    case all
    case only(Set<String>)
  }

  public let network: Network
  public let layout: ModelLayout
  /// Size of the value buffer every program runs on.
  public let slotCount: Int
  /// Term of every assignment rule, reaction rate and state derivative, by slot / state.
  package let ruleTerms: [Term]
  package let rateTerms: [Term]
  package let derivativeTerms: [Term]
  /// Computes rule values, reaction rates and the state derivatives.
  package let rightHandSide: Program
  /// Slot holding d(state i)/dt after `rightHandSide` ran.
  package let derivativeSlots: [Int]
  /// Computes rule values and reaction rates only (for outputs and event checks).
  package let observables: Program
  /// Computes the rule values and rates that event triggers read, and nothing else.
  package let triggerInputs: Program
  /// Computes the Jacobian entries listed in `jacobianEntries`.
  package let jacobian: Program
  /// The part of `rightHandSide` and `jacobian` that reads neither time nor the
  /// states: run before them whenever a value other than time or a state changed.
  package let invariants: Program
  /// Non-zero Jacobian entries: ∂f_row/∂y_column is in `slot`.
  package let jacobianEntries: [(row: Int, column: Int, slot: Int)]
  /// ∂f_row/∂t entries (explicit time dependence).
  package let timeDerivativeEntries: [(row: Int, slot: Int)]
  let constants: [(slot: Int, value: Double)]
  let lowering: Lowering

  /// Reactions whose rate `SimulationProblem.rateMultipliers` can scale at run time.
  public let adjustableReactions: Set<String>

  /// Compiles a network (checked where it was made: every id it reads exists).
  /// `adjustableReactions` get a rate multiplier, 1 unless a run sets it (knockouts
  /// at 0, partial inhibition between): `.all` for every reaction.
  public init(network: Network, adjustableReactions: AdjustableReactions = .none) throws(CompilationError) {
    self.network = network
    let adjustable: [String]
    switch adjustableReactions {
    case .none: adjustable = []
    case .all: adjustable = network.reactions.map(\.id)
    case .only(let ids):
      let unknown = ids.filter { network.reaction($0) == nil }.sorted()
      if !unknown.isEmpty {
        throw CompilationError(problems: unknown.map { "`\($0)` is not a reaction of \(network.name)" })
      }
      adjustable = network.reactions.map(\.id).filter { ids.contains($0) }
    }
    self.adjustableReactions = Set(adjustable)
    let layout = ModelLayout(network: network, adjustableReactions: adjustable)
    self.layout = layout
    let lowering = Lowering(network: network, layout: layout)
    self.lowering = lowering
    let allocator = SlotAllocator(firstFree: layout.namedSlotCount)

    // Terms
    var ruleTerms: [Term] = []
    for id in layout.rules {
      if case .assignment(let expression) = network.rule(of: id) {
        ruleTerms.append(lowering.lower(expression))
      } else {
        ruleTerms.append(.constant(.nan))
      }
    }
    let rateTerms = network.reactions.map { reaction in
      let law = lowering.lower(reaction.rate)
      guard let slot = layout.slots[ModelLayout.rateMultiplierID(of: reaction.id)] else { return law }
      return Term.binary(.multiply, law, .slot(slot))
    }
    let derivativeTerms = layout.states.map { lowering.derivativeTerm(of: $0) }
    self.ruleTerms = ruleTerms
    self.rateTerms = rateTerms
    self.derivativeTerms = derivativeTerms

    // Right-hand side and observables
    let observables = ProgramBuilder(slots: allocator)
    Self.emitObservables(observables, layout: layout, rules: ruleTerms, rates: rateTerms)
    self.observables = observables.build()

    let observableOrder = Self.observableOrder(layout: layout, rules: ruleTerms, rates: rateTerms)
    var continuous: Set<Int> = [ModelLayout.timeSlot]
    for index in layout.states.indices { continuous.insert(layout.stateBase + index) }
    for (slot, term) in observableOrder {
      var found = false
      term.forEachSlot { if continuous.contains($0) { found = true } }
      if found { continuous.insert(slot) }
    }
    self.continuousSlots = continuous
    // What does not move with time or the states is computed once per change of a
    // value, not at every evaluation.
    let invariants = InvariantCode(moving: continuous)
    let rhs = ProgramBuilder(slots: allocator, hoistingInto: invariants)
    Self.emitObservables(rhs, layout: layout, rules: ruleTerms, rates: rateTerms)
    let derivativeSlots = derivativeTerms.map { rhs.value(of: $0) }
    self.derivativeSlots = derivativeSlots
    self.rightHandSide = rhs.build(keeping: Set(derivativeSlots))

    // Jacobian by forward symbolic differentiation through rules and rates: by the
    // states, then time.
    let stateCount = layout.states.count
    let jacobian = JacobianBuilder(
      variables: (0..<stateCount).map { layout.stateBase + $0 } + [ModelLayout.timeSlot],
      observableOrder: observableOrder, derivativeTerms: derivativeTerms, allocator: allocator,
      hoistingInto: invariants)
    self.invariants = invariants.build()
    self.jacobian = jacobian.program
    self.jacobianEntries = jacobian.entries.filter { $0.variable < stateCount }.map {
      (row: $0.row, column: $0.variable, slot: $0.slot)
    }
    self.timeDerivativeEntries = jacobian.entries.filter { $0.variable == stateCount }.map {
      (row: $0.row, slot: $0.slot)
    }

    // Only the rules and rates that event triggers read, directly or through other
    // rules: checking triggers at every step then costs no full rate evaluation.
    var triggerReads: Set<Int> = []
    for event in network.events { lowering.lower(event.trigger).forEachSlot { triggerReads.insert($0) } }
    for (slot, term) in observableOrder.reversed() where triggerReads.contains(slot) {
      term.forEachSlot { triggerReads.insert($0) }
    }
    self.observableTerms = observableOrder
    var stateDependent: Set<Int> = Set(layout.states.indices.map { layout.stateBase + $0 })
    for (slot, term) in observableOrder {
      var found = false
      term.forEachSlot { if stateDependent.contains($0) { found = true } }
      if found { stateDependent.insert(slot) }
    }
    self.stateDependentSlots = stateDependent
    let timeRules = TimeRuleInliner(
      observables: observableOrder, stateDependent: stateDependent, parameters: layout.parameterBase..<layout.ruleBase)
    self.timeRules = timeRules
    // Switches of the right-hand side (the solver restarts there) and of triggers.
    var rightHandSideReads: Set<Int> = []
    for term in derivativeTerms { term.forEachSlot { rightHandSideReads.insert($0) } }
    for (slot, term) in observableOrder.reversed() where rightHandSideReads.contains(slot) {
      term.forEachSlot { rightHandSideReads.insert($0) }
    }
    var rightHandSideSwitches: Set<TimeSwitch> = []
    for term in derivativeTerms + observableOrder.filter({ rightHandSideReads.contains($0.slot) }).map(\.term) {
      TimeSwitch.collect(in: timeRules.inlined(term), isStatic: timeRules.isStatic, into: &rightHandSideSwitches)
    }
    var triggerSwitches: Set<TimeSwitch> = []
    for event in network.events {
      TimeSwitch.collect(
        in: timeRules.inlined(lowering.lower(event.trigger)), isStatic: timeRules.isStatic, into: &triggerSwitches)
    }
    self.rightHandSideSwitches = Array(rightHandSideSwitches)
    self.triggerSwitches = Array(triggerSwitches.subtracting(rightHandSideSwitches))
    // Rules that do not move with the states change only at events, after which the
    // full observables program runs: the trigger program leaves them out.
    let triggers = ProgramBuilder(slots: allocator)
    for (slot, term) in observableOrder where triggerReads.contains(slot) && continuous.contains(slot) {
      triggers.assign(term, to: slot)
    }
    self.triggerInputs = triggers.build()

    // The initial assignments and the rules that feed them, lowered once.
    var initialization: [(id: String, slot: Int, term: Term)] = []
    for id in network.initializationOrder {
      guard let slot = layout.slots[id] else { continue }
      if case .assignment(let expression) = network.rule(of: id) {
        initialization.append((id, slot, lowering.lower(expression)))
      } else if case .expression(let expression) = network.initialValue(of: id) {
        initialization.append((id, slot, lowering.lower(expression)))
      }
    }
    // Assignment rules after the last initial assignment are read by none of them:
    // the observables program computes them anyway, so evaluating them here is waste.
    let lastAssignment =
      initialization.lastIndex { entry in
        if case .assignment = network.rule(of: entry.id) { false } else { true }
      } ?? -1
    let initializationTerms = Array(initialization.prefix(lastAssignment + 1))
    self.initializationTerms = initializationTerms
    // As bytecode too, for runs that override none of them; not when one reads a
    // reaction's rate (computed on demand at the start, see `initialBuffer`).
    var readsRates = false
    for entry in initializationTerms {
      entry.term.forEachSlot { if $0 >= layout.reactionBase && $0 < layout.namedSlotCount { readsRates = true } }
    }
    if initializationTerms.isEmpty || readsRates {
      initializationProgram = nil
    } else {
      let builder = ProgramBuilder(slots: allocator)
      for entry in initializationTerms {
        builder.assign(entry.term, to: entry.slot)
        // Later entries read this slot: values computed before it was set are stale.
        builder.forgetComputedValues()
      }
      initializationProgram = builder.build()
    }
    var initializationSlots = [Bool](repeating: false, count: layout.namedSlotCount)
    for entry in initializationTerms { initializationSlots[entry.slot] = true }
    self.initializationSlots = initializationSlots
    self.constants = allocator.constants
    self.slotCount = allocator.next

    // The starting buffer before overrides: constants and the numbers the network gives.
    var base = [Double](repeating: 0, count: allocator.next)
    for (slot, value) in allocator.constants { base[slot] = value }
    for id in adjustable { if let slot = layout.slots[ModelLayout.rateMultiplierID(of: id)] { base[slot] = 1 } }
    for id in network.declarationOrder {
      guard let slot = layout.slots[id] else { continue }
      if case .number(let value) = network.initialValue(of: id) { base[slot] = value }
    }
    self.baseBuffer = base
    // Events are lowered here, once, not at every run.
    let classification = TriggerNode.Context(
      timeRules: timeRules, stateDependentSlots: stateDependent, continuousSlots: continuous)
    eventPlans = EventPlan.plans(for: network, layout: layout, lowering: lowering, triggers: classification)
    resizableCompartments = ResizableCompartment.all(in: network, layout: layout)
  }

  /// The events, lowered.
  package let eventPlans: [EventPlan]
  /// Compartments whose size can change, with the species whose amounts a change keeps.
  package let resizableCompartments: [ResizableCompartment]

  /// Constants and the network's numeric initial values, by slot.
  let baseBuffer: [Double]
  /// Initial assignments and assignment rules evaluated at the start, in order.
  let initializationTerms: [(id: String, slot: Int, term: Term)]
  /// The same as bytecode (nil when one reads a reaction's rate).
  let initializationProgram: Program?
  /// By slot, whether `initializationTerms` sets it: a run that overrides one takes
  /// the term path.
  let initializationSlots: [Bool]

  /// Rule and rate slots with their terms, in the order the programs evaluate them.
  package let observableTerms: [(slot: Int, term: Term)]
  /// Slots whose value changes continuously in time: time, states, and the rules
  /// and rates that read them.
  package let continuousSlots: Set<Int>
  /// States and the rules and rates that read them: what moves with the solution
  /// (time alone does not count).
  package let stateDependentSlots: Set<Int>
  /// Rules that read time but no state, for inlining into switches and triggers.
  package let timeRules: TimeRuleInliner
  /// Moments at which the right-hand side jumps: the solver stops and restarts there.
  package let rightHandSideSwitches: [TimeSwitch]
  /// Moments at which only a trigger can change (not already right-hand-side switches).
  package let triggerSwitches: [TimeSwitch]

  /// Rule values and reaction rates written to their named slots, each after the
  /// rules and rates it reads (a rule may read a reaction's rate and vice versa).
  static func emitObservables(_ builder: ProgramBuilder, layout: ModelLayout, rules: [Term], rates: [Term]) {
    for (slot, term) in observableOrder(layout: layout, rules: rules, rates: rates) { builder.assign(term, to: slot) }
  }

  /// Rule and rate slots with their terms, each after the slots it reads.
  static func observableOrder(layout: ModelLayout, rules: [Term], rates: [Term]) -> [(slot: Int, term: Term)] {
    var done: Set<Int> = []
    var order: [(slot: Int, term: Term)] = []
    func term(of slot: Int) -> Term? {
      if slot >= layout.ruleBase, slot < layout.reactionBase { return rules[slot - layout.ruleBase] }
      if slot >= layout.reactionBase, slot < layout.namedSlotCount { return rates[slot - layout.reactionBase] }
      return nil
    }
    func visit(_ slot: Int, depth: Int) {
      guard !done.contains(slot), let term = term(of: slot) else { return }
      done.insert(slot)
      // The resolver rejects cycles, so this terminates; the depth guard is a backstop.
      if depth < 10_000 { term.forEachSlot { visit($0, depth: depth + 1) } }
      order.append((slot, term))
    }
    for index in rules.indices { visit(layout.ruleBase + index, depth: 0) }
    for index in rates.indices { visit(layout.reactionBase + index, depth: 0) }
    return order
  }
}
