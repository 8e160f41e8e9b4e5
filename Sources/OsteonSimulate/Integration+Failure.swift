import CGSL
import OsteonCompile

extension Integration {
  /// Explains a failed step: when, which states ran away, and what to try.
  func failure(status: Int32) -> SimulationError {
    let layout = model.layout
    let currentStates = (0..<stateCount).map { (id: layout.states[$0], value: states[$0]) }
    let suspects = currentStates
    let nonFinite = suspects.filter { !$0.value.isFinite }
    let largest = suspects.sorted { abs($0.value) > abs($1.value) }.prefix(3)
    let shown = (nonFinite.isEmpty ? Array(largest) : nonFinite).map { "\($0.id) = \($0.value)" }
    let statesText = shown.isEmpty ? "" : "; largest states: " + shown.joined(separator: ", ")
    if status == nonFiniteDerivative {
      let culprit = diagnoseNonFinite()
      return SimulationError(
        .nonFinite, time: time,
        message: "the model's equations give NaN or infinity\(culprit.map { " in \($0)" } ?? "")\(statesText)",
        advice:
          "look for a division by zero or an overflow there; if the states are running away, try a tighter --rtol",
        states: currentStates)
    }
    if status == Int32(GSL_FAILURE) {
      return SimulationError(
        .solverFailure, time: time, message: "the step size fell below machine precision\(statesText)",
        advice:
          "the model may blow up here (check the states above); otherwise try --method bsimp or a looser --rtol/--atol",
        states: currentStates)
    }
    let reason = String(cString: gsl_strerror(status))
    return SimulationError(
      .solverFailure, time: time, message: "GSL reported: \(reason)\(statesText)",
      advice: "try another --method or other tolerances", states: currentStates)
  }

  /// Names the first rule, rate or derivative that is not finite at the last state.
  func diagnoseNonFinite() -> String? {
    loadCurrentState()
    let values = context.values
    let layout = model.layout
    for (index, term) in model.ruleTerms.enumerated() where !term.evaluate({ values[$0] }).isFinite {
      return "the assignment rule for `\(layout.rules[index])`"
    }
    for (index, term) in model.rateTerms.enumerated() where !term.evaluate({ values[$0] }).isFinite {
      return "the rate law of reaction `\(layout.reactions[index])`"
    }
    for (index, term) in model.derivativeTerms.enumerated() where !term.evaluate({ values[$0] }).isFinite {
      return "the rate of change of `\(layout.states[index])`"
    }
    return nil
  }
}
