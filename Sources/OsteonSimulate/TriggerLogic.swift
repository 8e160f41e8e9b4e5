import OsteonCompile
import OsteonSyntax

/// The outcome of a comparison that the solver can decide, or cannot because the two
/// sides agree to within its tolerance.
enum Truth {
  case yes
  case no
  case undecided
}

/// Evaluates triggers.
///
/// Comparisons of quantities that move with the states have a tolerance band: `x > y`
/// is true when x − y exceeds rtol·max(|x|, |y|) + atol, false when it is below minus
/// that, and undecided in between, where the trigger keeps its previous value. A state
/// that settles on a threshold therefore does not make its event fire at every step
/// from round-off (BIOMD0000000148's flags), while any crossing the solver can resolve
/// still counts.
///
/// Comparisons of time with values that change only at events (`time > 50`,
/// `time - reset >= 0.01`) are exact. The integrator stops at the moment they
/// switch and evaluates the triggers twice there: as written (`time >= 50` fires at
/// 50, and an output at 50 shows it), then just after it (`time > 50` fires at 50
/// too, after the output at 50, which shows the value before: libRoadRunner's
/// convention and what the mathematics says). Equality holds at its instant
/// (`time == 12` fires at 12), to within the rounding of where the integrator
/// stopped.
struct TriggerLogic {
  /// When a trigger is evaluated.
  enum Moment {
    /// The start of the run: everything as written, with no band (`t0` compares
    /// with this value).
    case start
    /// Any moment during the run, as written.
    case now
    /// Just after the current moment: time comparisons at their switch take the
    /// value they have right after it.
    case justAfter
  }

  let relativeTolerance: Double
  let absoluteTolerance: Double

  /// The trigger's value, keeping `previous` where the comparisons are undecided.
  func value(
    of trigger: TriggerNode, previous: Bool, reading values: UnsafeMutablePointer<Double>, at moment: Moment = .now
  ) -> Bool {
    switch truth(trigger, values, at: moment) {
    case .yes: return true
    case .no: return false
    case .undecided: return previous
    }
  }

  func truth(_ node: TriggerNode, _ values: UnsafeMutablePointer<Double>, at moment: Moment = .now) -> Truth {
    switch node {
    case .comparison(let op, let lhs, let rhs, let banded, _):
      let a = lhs.evaluate { values[$0] }
      let b = rhs.evaluate { values[$0] }
      guard banded, moment != .start, a.isFinite, b.isFinite else { return op.apply(a, b) != 0 ? .yes : .no }
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
    case .timeSwitch(let op, let lhs, let rhs, let slope):
      let a = lhs.evaluate { values[$0] }
      let b = rhs.evaluate { values[$0] }
      // At the switch, to within the rounding of where the integrator stopped.
      let atSwitch = abs(a - b) <= 64 * Double.ulpOfOne * max(abs(a), abs(b))
      guard atSwitch, a.isFinite, b.isFinite else { return op.apply(a, b) != 0 ? .yes : .no }
      switch op {
      case .equal: return .yes
      case .notEqual: return .no
      default: break
      }
      let rate = moment == .justAfter ? slope.evaluate { values[$0] } : 0
      guard rate != 0, rate.isFinite else { return op.apply(a, b) != 0 ? .yes : .no }
      switch op {
      case .greater, .greaterEqual: return rate > 0 ? .yes : .no
      default: return rate < 0 ? .yes : .no
      }
    case .and(let lhs, let rhs):
      let left = truth(lhs, values, at: moment)
      if left == .no { return .no }
      let right = truth(rhs, values, at: moment)
      if right == .no { return .no }
      return left == .yes && right == .yes ? .yes : .undecided
    case .or(let lhs, let rhs):
      let left = truth(lhs, values, at: moment)
      if left == .yes { return .yes }
      let right = truth(rhs, values, at: moment)
      if right == .yes { return .yes }
      return left == .no && right == .no ? .no : .undecided
    case .not(let inner):
      switch truth(inner, values, at: moment) {
      case .yes: return .no
      case .no: return .yes
      case .undecided: return .undecided
      }
    case .value(let term):
      return term.evaluate { values[$0] } != 0 ? .yes : .no
    }
  }
}
