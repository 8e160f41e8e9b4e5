/// A quantity that the reactions cannot change: Σ_j c_j x_j = total over the states
/// x_j (species as their symbols measure them: concentrations, or amounts for
/// `substanceOnly` species). For species in compartments of sizes V_j, c_j is V_j
/// times the coefficient of the species' amount: A ⇌ B in a compartment of size 2
/// conserves the amount 2·A + 2·B, written A + B (the law is scaled so that the
/// coefficient of the state whose equation it replaces is 1).
///
/// Found from the stoichiometry (the left null space of the reactions'
/// stoichiometric matrix), so a law holds for every parameter value. Each law makes
/// the Jacobian singular, with one zero eigenvalue: the direction in which the
/// total would change, which no reaction can move.
public struct ConservationLaw: Sendable {
  /// The states with a non-zero coefficient, in state order; the coefficient of the
  /// state whose equation the law replaces in Newton's method is 1.
  public let terms: [(state: String, coefficient: Double)]
  /// The conserved total, from the starting state.
  public let total: Double

  /// `A + B + 2.5·C = 1`.
  public var description: String {
    var text = ""
    for (position, term) in terms.enumerated() {
      let magnitude = abs(term.coefficient)
      if position == 0 {
        text += term.coefficient < 0 ? "−" : ""
      } else {
        text += term.coefficient < 0 ? " − " : " + "
      }
      text += magnitude == 1 ? term.state : "\(Self.number(magnitude))·\(term.state)"
    }
    return text + " = \(Self.number(total))"
  }

  static func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }
}
