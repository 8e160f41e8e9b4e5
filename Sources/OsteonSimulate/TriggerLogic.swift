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
  /// Slots that change continuously: time, states and what reads them.
  let dynamicSlots: Set<Int>
  let relativeTolerance: Double
  let absoluteTolerance: Double

  func isDynamic(_ term: Term) -> Bool {
    var found = false
    term.forEachSlot { if $0 != ModelLayout.timeSlot, dynamicSlots.contains($0) { found = true } }
    return found
  }

  /// The trigger's value, keeping `previous` where the comparisons are undecided.
  func value(of trigger: Term, previous: Bool, reading values: UnsafeMutablePointer<Double>) -> Bool {
    switch truth(trigger, values) {
    case .yes: return true
    case .no: return false
    case .undecided: return previous
    }
  }

  func truth(_ term: Term, _ values: UnsafeMutablePointer<Double>) -> Truth {
    switch term {
    case .binary(let op, let lhs, let rhs) where op.isComparison && (isDynamic(lhs) || isDynamic(rhs)):
      let a = lhs.evaluate { values[$0] }
      let b = rhs.evaluate { values[$0] }
      guard a.isFinite, b.isFinite else { return op.apply(a, b) != 0 ? .yes : .no }
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
    case .binary(.and, let lhs, let rhs):
      let left = truth(lhs, values)
      if left == .no { return .no }
      let right = truth(rhs, values)
      if right == .no { return .no }
      return left == .yes && right == .yes ? .yes : .undecided
    case .binary(.or, let lhs, let rhs):
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
    default:
      return term.evaluate { values[$0] } != 0 ? .yes : .no
    }
  }
}
