import OsteonNetwork
import OsteonSyntax

/// Errors found while preparing a simulation's starting point.
public struct InitializationError: Error, CustomStringConvertible, Sendable {
  public var description: String
}

extension CompiledModel {
  /// A fresh value buffer at time `start`: numbers from the network, `overrides`
  /// (by id: parameters, or initial values of states), then initial assignments and
  /// assignment rules in dependency order, then rule values and rates.
  public func initialBuffer(start: Double, overrides: [String: Double] = [:]) throws(InitializationError) -> [Double] {
    var buffer = baseBuffer
    buffer[ModelLayout.timeSlot] = start
    var overridesInitialization = false
    for (id, value) in overrides {
      guard let slot = layout.slots[id] else {
        throw InitializationError(description: "`\(id)` is not a compartment, species or parameter of \(network.name)")
      }
      // Rules, then reactions, follow the parameters in the layout.
      if slot >= layout.reactionBase {
        throw InitializationError(description: "`\(id)` is a reaction; its rate comes from its rate law")
      }
      if slot >= layout.ruleBase {
        throw InitializationError(description: "`\(id)` is set by an assignment rule; set one of its inputs instead")
      }
      buffer[slot] = value
      if initializationSlots[slot] { overridesInitialization = true }
    }
    if let initializationProgram, !overridesInitialization {
      buffer.withUnsafeMutableBufferPointer { pointer in
        if let base = pointer.baseAddress {
          initializationProgram.run(base)
          observables.run(base)
          invariants.run(base)
        }
      }
    } else {
      for (id, slot, term) in initializationTerms where overrides.isEmpty || overrides[id] == nil {
        buffer[slot] = term.evaluate { read in self.initialValue(slot: read, buffer: buffer) }
      }
      buffer.withUnsafeMutableBufferPointer { pointer in
        if let base = pointer.baseAddress {
          observables.run(base)
          invariants.run(base)
        }
      }
    }
    for (index, id) in layout.states.enumerated() where !buffer[layout.stateBase + index].isFinite {
      throw InitializationError(description: "the initial value of `\(id)` is \(buffer[layout.stateBase + index])")
    }
    return buffer
  }

  /// A reaction's rate at the start may be needed by an initial assignment.
  private func initialValue(slot: Int, buffer: [Double]) -> Double {
    if slot >= layout.reactionBase, slot < layout.namedSlotCount {
      return rateTerms[slot - layout.reactionBase].evaluate { buffer[$0] }
    }
    return buffer[slot]
  }
}

extension CompiledModel {
  /// Lowers any resolved expression of this network to a term over its slots.
  package func lower(_ expression: Expression) -> Term {
    lowering.lower(expression)
  }
}

extension CompiledModel {
  /// A value buffer that continues from saved values `[time | states | parameters]`
  /// (the end of an earlier run): no initial assignment runs again; `overrides` apply
  /// on top; then rule values and rates.
  package func resumedBuffer(from saved: [Double], overrides: [String: Double] = [:]) throws(InitializationError)
    -> [Double]
  {
    var buffer = baseBuffer
    for index in 0..<min(saved.count, layout.ruleBase, buffer.count) { buffer[index] = saved[index] }
    for (id, value) in overrides {
      guard let slot = layout.slots[id], slot < layout.ruleBase else {
        throw InitializationError(description: "`\(id)` is not a state or parameter of \(network.name)")
      }
      buffer[slot] = value
    }
    buffer.withUnsafeMutableBufferPointer { pointer in
      if let base = pointer.baseAddress {
        observables.run(base)
        invariants.run(base)
      }
    }
    for (index, id) in layout.states.enumerated() where !buffer[layout.stateBase + index].isFinite {
      throw InitializationError(description: "the starting value of `\(id)` is \(buffer[layout.stateBase + index])")
    }
    return buffer
  }
}
