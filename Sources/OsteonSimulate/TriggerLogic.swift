import OsteonCompile
import OsteonSyntax

/// The outcome of a comparison that the solver can decide, or cannot because the two
/// sides agree to within its tolerance.
enum Truth {
  case yes
  case no
  case undecided
}

/// Evaluates triggers with a tolerance band on comparisons of continuously changing
/// quantities: `x > y` is true when x − y exceeds rtol·max(|x|, |y|) + atol, false
/// when it is below minus that, and undecided in between, where the trigger keeps
/// its previous value. A state that settles on a threshold therefore does not make
/// its event fire at every step from round-off (BIOMD0000000148's flags), while any
/// crossing the solver can resolve still counts. Comparisons of time with constants
/// stay exact, so `time == 12` fires at 12.
struct TriggerLogic {
  let relativeTolerance: Double
  let absoluteTolerance: Double

  /// The trigger's value, keeping `previous` where the comparisons are undecided.
  func value(of trigger: TriggerNode, previous: Bool, reading values: UnsafeMutablePointer<Double>) -> Bool {
    switch truth(trigger, values) {
    case .yes: return true
    case .no: return false
    case .undecided: return previous
    }
  }

  func truth(_ node: TriggerNode, _ values: UnsafeMutablePointer<Double>) -> Truth {
    switch node {
    case .comparison(let op, let lhs, let rhs, let continuous):
      let a = lhs.evaluate { values[$0] }
      let b = rhs.evaluate { values[$0] }
      guard continuous, a.isFinite, b.isFinite else { return op.apply(a, b) != 0 ? .yes : .no }
      let band = relativeTolerance * max(abs(a), abs(b)) + absoluteTolerance
      let difference = a - b
      switch op {
      case .greater, .greaterEqual:
        return difference > band ? .yes : (difference < -band ? .no : .undecided)
      case .less, .lessEqual:
        return difference < -band ? .yes : (difference > band ? .no : .undecided)
      case .equal:
        return abs(difference) <= band ? .yes : .no
      default:  // .notEqual
        return abs(difference) <= band ? .no : .yes
      }
    case .and(let lhs, let rhs):
      let left = truth(lhs, values)
      if left == .no { return .no }
      let right = truth(rhs, values)
      if right == .no { return .no }
      return left == .yes && right == .yes ? .yes : .undecided
    case .or(let lhs, let rhs):
      let left = truth(lhs, values)
      if left == .yes { return .yes }
      let right = truth(rhs, values)
      if right == .yes { return .yes }
      return left == .no && right == .no ? .no : .undecided
    case .not(let inner):
      switch truth(inner, values) {
      case .yes: return .no
      case .no: return .yes
      case .undecided: return .undecided
      }
    case .value(let term):
      return term.evaluate { values[$0] } != 0 ? .yes : .no
    }
  }
}

/// A trigger prepared for evaluation: its logical structure, with each comparison
/// marked once for whether it moves with the states (and so gets a tolerance band).
indirect enum TriggerNode {
  case comparison(BinaryOperator, Term, Term, continuous: Bool)
  case and(TriggerNode, TriggerNode)
  case or(TriggerNode, TriggerNode)
  case not(TriggerNode)
  case value(Term)

  init(_ term: Term, continuousSlots: Set<Int>) {
    func movesWithState(_ term: Term) -> Bool {
      var found = false
      term.forEachSlot { if $0 != ModelLayout.timeSlot, continuousSlots.contains($0) { found = true } }
      return found
    }
    switch term {
    case .binary(let op, let lhs, let rhs) where op.isComparison:
      self = .comparison(op, lhs, rhs, continuous: movesWithState(lhs) || movesWithState(rhs))
    case .binary(.and, let lhs, let rhs):
      self = .and(
        TriggerNode(lhs, continuousSlots: continuousSlots), TriggerNode(rhs, continuousSlots: continuousSlots))
    case .binary(.or, let lhs, let rhs):
      self = .or(TriggerNode(lhs, continuousSlots: continuousSlots), TriggerNode(rhs, continuousSlots: continuousSlots))
    case .not(let inner):
      self = .not(TriggerNode(inner, continuousSlots: continuousSlots))
    default:
      self = .value(term)
    }
  }

  /// The comparisons that move with the states.
  var continuousComparisons: [TriggerNode] {
    switch self {
    case .comparison(_, _, _, let continuous): return continuous ? [self] : []
    case .and(let lhs, let rhs), .or(let lhs, let rhs): return lhs.continuousComparisons + rhs.continuousComparisons
    case .not(let inner): return inner.continuousComparisons
    case .value: return []
    }
  }
}
