/// Partial derivatives of the state derivatives with respect to chosen variables
/// (states, time, parameters: any named slot), by forward symbolic differentiation
/// through the assignment rules and reaction rates they read. The program first
/// recomputes the rules and rates, then every non-zero partial.
struct JacobianBuilder {
  /// Non-zero entries: ∂f_row/∂variables[variable] is in `slot` after the program ran.
  var entries: [(row: Int, variable: Int, slot: Int)] = []
  let program: Program

  /// `variables`: the slots to differentiate by, in column order.
  init(
    variables: [Int], observableOrder: [(slot: Int, term: Term)], derivativeTerms: [Term],
    allocator: SlotAllocator, hoistingInto invariants: InvariantCode? = nil
  ) {
    let builder = ProgramBuilder(slots: allocator, hoistingInto: invariants)
    for (slot, term) in observableOrder { builder.assign(term, to: slot) }
    var column: [Int: Int] = [:]
    for (index, slot) in variables.enumerated() where column[slot] == nil { column[slot] = index }
    // For every slot, the variables it depends on, through the rules and rates it reads.
    var dependencies: [Int: Set<Int>] = [:]
    for (slot, index) in column { dependencies[slot] = [index] }
    func dependenciesOf(_ term: Term) -> Set<Int> {
      var result: Set<Int> = []
      term.forEachSlot { slot in
        if let found = dependencies[slot] { result.formUnion(found) }
      }
      return result
    }
    var derivativeSlot: [Int: [Int: Int]] = [:]  // slot → variable → slot of ∂/∂variable
    func partial(_ term: Term, _ variable: Int) -> Term {
      term.derivative { slot in
        if column[slot] == variable { return .one }
        if let found = derivativeSlot[slot]?[variable] { return .slot(found) }
        return nil
      }
    }
    for (slot, term) in observableOrder where column[slot] == nil {
      let variablesRead = dependenciesOf(term)
      dependencies[slot] = variablesRead
      for variable in variablesRead.sorted() {
        let derivative = partial(term, variable)
        if derivative == .zero { continue }
        derivativeSlot[slot, default: [:]][variable] = builder.value(of: derivative)
      }
    }
    for (row, term) in derivativeTerms.enumerated() {
      for variable in dependenciesOf(term).sorted() {
        let derivative = partial(term, variable)
        if derivative == .zero { continue }
        entries.append((row, variable, builder.value(of: derivative)))
      }
    }
    program = builder.build(keeping: Set(entries.map(\.slot)))
  }
}

/// Partial derivatives of the state derivatives by chosen slots, as a program that
/// runs on a buffer of `slotCount` values whose first `CompiledModel.slotCount` are
/// the model's, with `constants` written in.
package struct DerivativeProgram: Sendable {
  package let program: Program
  /// ∂f_row/∂(the variable-th slot asked for) is in `slot` after the program ran.
  package let entries: [(row: Int, variable: Int, slot: Int)]
  package let constants: [(slot: Int, value: Double)]
  package let slotCount: Int
}

extension CompiledModel {
  /// ∂f/∂(slots): for parameters (sensitivities), or any named slot.
  package func derivativeProgram(by slots: [Int]) -> DerivativeProgram {
    let allocator = SlotAllocator(firstFree: slotCount)
    let builder = JacobianBuilder(
      variables: slots, observableOrder: observableTerms, derivativeTerms: derivativeTerms, allocator: allocator)
    return DerivativeProgram(
      program: builder.program, entries: builder.entries, constants: allocator.constants, slotCount: allocator.next)
  }
}
