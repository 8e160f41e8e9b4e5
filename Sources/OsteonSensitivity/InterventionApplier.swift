import OsteonCompile
import OsteonSimulate

/// Applies interventions to the augmented state: the change itself (as the
/// simulator makes it) and its effect on the sensitivities of the target.
final class InterventionApplier {
  let model: CompiledModel
  let system: ForwardSensitivitySystem
  /// Value and sensitivities of a target before its first intervention not yet undone.
  var saved: [String: (value: Double, sensitivity: [Double])] = [:]

  init(model: CompiledModel, system: ForwardSensitivitySystem) {
    self.model = model
    self.system = system
  }

  /// An event's assignments: new values, whose sensitivities are 0 (the values
  /// read neither states nor moved parameters; see `EventSchedule`).
  func assign(_ changes: [(id: String, value: Double)], z: inout [Double]) {
    for change in changes { apply(Intervention(at: 0, .set(change.value), change.id), z: &z) }
  }

  /// Refuses what is not handled: a dose in amount into a compartment whose size
  /// the factors move.
  func check(_ interventions: [Intervention], moved: Set<Int>) throws(LocalSensitivityError) {
    for intervention in interventions {
      guard model.layout.slots[intervention.target] != nil else {
        throw LocalSensitivityError("an intervention targets `\(intervention.target)`, which the model does not have")
      }
      if case .addAmount = intervention.change, let species = model.network.species(intervention.target),
        !species.hasOnlySubstanceUnits, let slot = model.layout.slots[species.compartment], moved.contains(slot)
      {
        throw LocalSensitivityError(
          "a dose in amount into `\(species.id)` depends on the size of `\(species.compartment)`, which a factor moves: not supported"
        )
      }
    }
  }

  func apply(_ intervention: Intervention, z: inout [Double]) {
    let n = system.n
    let m = system.m
    let id = intervention.target
    let layout = model.layout
    let stateIndex = layout.stateIndex(of: id)
    let parameterRow = system.moved.firstIndex(of: id)
    var value = stateIndex.map { z[$0] } ?? system.evaluator.value(of: id) ?? 0
    var sensitivity: [Double] = (0..<m).map { j in
      if let i = stateIndex { return z[n * (1 + j) + i] }
      if let k = parameterRow { return system.dependence[k * m + j] }
      return 0
    }
    if saved[id] == nil, intervention.change != .restore { saved[id] = (value, sensitivity) }
    switch intervention.change {
    case .set(let newValue):
      value = newValue
      sensitivity = Array(repeating: 0, count: m)
    case .scale(let factor):
      value *= factor
      sensitivity = sensitivity.map { $0 * factor }
    case .add(let amount):
      value += amount
    case .addAmount(let amount):
      var size = 1.0
      if let species = model.network.species(id), !species.hasOnlySubstanceUnits {
        size = system.evaluator.value(of: species.compartment) ?? 1
      }
      value += amount / size
    case .restore:
      guard let before = saved.removeValue(forKey: id) else { return }
      value = before.value
      sensitivity = before.sensitivity
    }
    if let i = stateIndex {
      z[i] = value
      for j in 0..<m { z[n * (1 + j) + i] = sensitivity[j] }
    } else {
      try? system.evaluator.setValue(value, of: id)
      if let k = parameterRow { for j in 0..<m { system.dependence[k * m + j] = sensitivity[j] } }
    }
  }
}
