import OsteonCompile

/// Reads outputs and their derivatives off the augmented state at output times.
struct SensitivityRecorder {
  let outputs: [String]
  let layout: ModelLayout
  let evaluator: ModelEvaluator
  let system: ForwardSensitivitySystem
  let factorValues: [Double]
  var values: [Double] = []
  var derivatives: [Double] = []

  init(
    outputs: [String], layout: ModelLayout, evaluator: ModelEvaluator, system: ForwardSensitivitySystem,
    factorValues: [Double]
  ) {
    self.outputs = outputs
    self.layout = layout
    self.evaluator = evaluator
    self.system = system
    self.factorValues = factorValues
  }

  mutating func record(time: Double, z: [Double]) {
    let n = system.n
    let m = system.m
    let states = Array(z[0..<n])
    try? evaluator.update(time: time, states: states)
    // Derivatives of computed outputs (rules, rates): one central difference per
    // factor along the direction (s_j, D_j).
    var computed: [Int: [Double]] = [:]
    let computedOutputs = outputs.indices.filter { (layout.slots[outputs[$0]] ?? 0) >= layout.ruleBase }
    let currentParameters = system.moved.map { evaluator.value(of: $0) ?? 0 }
    if !computedOutputs.isEmpty {
      for j in 0..<m {
        var largest = 0.0
        for i in 0..<n { largest = max(largest, abs(z[n * (1 + j) + i]) / max(abs(states[i]), 1e-300)) }
        for (k, value) in currentParameters.enumerated() {
          largest = max(largest, abs(system.dependence[k * m + j]) / max(abs(value), 1e-300))
        }
        guard largest > 0, largest.isFinite else {
          for output in computedOutputs { computed[output, default: Array(repeating: 0, count: m)][j] = 0 }
          continue
        }
        let h = 1e-7 / largest
        func evaluate(_ sign: Double) -> [Double] {
          let moved = (0..<n).map { states[$0] + sign * h * z[n * (1 + j) + $0] }
          for (k, id) in system.moved.enumerated() {
            try? evaluator.setValue(currentParameters[k] + sign * h * system.dependence[k * m + j], of: id)
          }
          try? evaluator.update(time: time, states: moved)
          return computedOutputs.map { evaluator.value(of: outputs[$0]) ?? .nan }
        }
        let up = evaluate(1)
        let down = evaluate(-1)
        for (index, output) in computedOutputs.enumerated() {
          computed[output, default: Array(repeating: 0, count: m)][j] = (up[index] - down[index]) / (2 * h)
        }
      }
      for (k, id) in system.moved.enumerated() { try? evaluator.setValue(currentParameters[k], of: id) }
      try? evaluator.update(time: time, states: states)
    }
    for (index, output) in outputs.enumerated() {
      values.append(evaluator.value(of: output) ?? .nan)
      let slot = layout.slots[output] ?? 0
      if slot >= layout.stateBase && slot < layout.parameterBase {
        let i = slot - layout.stateBase
        for j in 0..<m { derivatives.append(z[n * (1 + j) + i]) }
      } else if slot >= layout.ruleBase {
        derivatives += computed[index] ?? Array(repeating: 0, count: m)
      } else if let k = system.moved.firstIndex(of: output) {
        for j in 0..<m { derivatives.append(system.dependence[k * m + j]) }
      } else {
        derivatives += Array(repeating: 0, count: m)
      }
    }
  }

  func result(times: [Double], factors: [String]) -> LocalSensitivities {
    LocalSensitivities(
      times: times, outputs: outputs, factors: factors, factorValues: factorValues, values: values,
      derivatives: derivatives)
  }
}
