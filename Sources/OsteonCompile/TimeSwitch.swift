import OsteonSyntax

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A moment at which something that depends only on time (and on values that change
/// only at events) switches: a comparison such as `time > 2` or `time - reset >= 0.01`
/// changes its truth, or `floor`, `ceil`, `rem`, `quotient` or `%` of time jumps.
/// The integrator stops exactly there: a step across it would smear a jump in the
/// right-hand side, or miss a trigger that is true only between two such moments
/// (`time > 2 && time < 4`, `time % 24 < 1`).
///
/// Only functions that are affine in time between their own jumps are switches; the
/// next moment is then exact. Anything else that moves with time is left to the
/// triggers' root location.
public struct TimeSwitch: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    /// `function` changes sign (a comparison's left side minus its right side).
    case signChange
    /// `function` crosses an integer (`floor`, `ceil`, and `rem`/`quotient` of
    /// dividend/divisor).
    case integerCrossing
  }

  public var kind: Kind
  /// Over time and slots that change only at events: rules are inlined.
  public var function: Term
  /// d(function)/dt; free of time, so `function` is affine between jumps.
  public var slope: Term

  /// The first moment after `time` at which the switch happens: `moment` is the
  /// first double at which the function has reached its switching level (where
  /// `time >= 12` turns true and `floor` has jumped), `rightAfter` the first at which
  /// it is strictly past it (where `time > 12` does). `nil` when it never switches.
  /// `orAt` also accepts a switch at `time` itself (the function is at its level
  /// there and moves past it). `value(n)` reads slot n (time is slot 0).
  public func next(after time: Double, orAt: Bool = false, value: (Int) -> Double) -> (
    moment: Double, rightAfter: Double
  )? {
    func at(_ t: Double) -> Double { function.evaluate { $0 == ModelLayout.timeSlot ? t : value($0) } }
    let rate = slope.evaluate { $0 == ModelLayout.timeSlot ? time : value($0) }
    guard rate.isFinite, rate != 0 else { return nil }
    let current = at(time)
    guard current.isFinite else { return nil }
    func reached(_ t: Double, _ level: Double) -> Bool { rate > 0 ? at(t) >= level : at(t) <= level }
    func passed(_ t: Double, _ level: Double) -> Bool { rate > 0 ? at(t) > level : at(t) < level }
    var level: Double
    switch kind {
    case .signChange:
      // Affine: once past zero in the direction it moves, it never comes back.
      if passed(time, 0) { return nil }
      level = 0
    case .integerCrossing:
      level = rate > 0 ? current.rounded(.down) + 1 : current.rounded(.up) - 1
      // At an integer now: the jump just after it happens here.
      if orAt, current == current.rounded() { level = current }
    }
    for _ in 0..<3 {
      var moment = time + (level - current) / rate
      guard moment.isFinite else { return nil }
      // The affine estimate is exact up to rounding: step to the first double that
      // has reached the level, then to the first that is past it.
      var nudges = 0
      while reached(moment.nextDown, level), moment.nextDown > time, nudges < 64 {
        moment = moment.nextDown
        nudges += 1
      }
      while !reached(moment, level), nudges < 128 {
        moment = moment.nextUp
        nudges += 1
      }
      var rightAfter = moment
      while !passed(rightAfter, level), nudges < 192 {
        rightAfter = rightAfter.nextUp
        nudges += 1
      }
      if moment > time || orAt && moment == time { return (moment, rightAfter) }
      guard kind == .integerCrossing else { return nil }
      level += rate > 0 ? 1 : -1
    }
    return nil
  }
}

extension TimeSwitch {
  /// The switch of `function` when it reads time, otherwise only slots that keep
  /// their values between events (`isStatic`), and is affine in time between its
  /// jumps; `nil` otherwise.
  public static func affine(_ kind: Kind, _ function: Term, isStatic: (Int) -> Bool) -> TimeSwitch? {
    var readsTime = false
    var readsOnlyStatic = true
    function.forEachSlot { slot in
      if slot == ModelLayout.timeSlot { readsTime = true } else if !isStatic(slot) { readsOnlyStatic = false }
    }
    guard readsTime, readsOnlyStatic else { return nil }
    let slope = function.derivative { $0 == ModelLayout.timeSlot ? .one : nil }
    var slopeReadsTime = false
    slope.forEachSlot { if $0 == ModelLayout.timeSlot { slopeReadsTime = true } }
    return slopeReadsTime ? nil : TimeSwitch(kind: kind, function: function, slope: slope)
  }

  /// Adds the switches inside `term` (rules already inlined) to `found`.
  /// `isStatic(slot)` tells whether a slot keeps its value between events.
  static func collect(in term: Term, isStatic: (Int) -> Bool, into found: inout Set<TimeSwitch>) {
    func add(_ kind: Kind, _ function: Term) {
      if let timeSwitch = affine(kind, function, isStatic: isStatic) { found.insert(timeSwitch) }
    }
    switch term {
    case .constant, .slot: return
    case .negate(let inner), .not(let inner):
      collect(in: inner, isStatic: isStatic, into: &found)
    case .binary(let op, let lhs, let rhs):
      if op.isComparison { add(.signChange, Term.binary(.subtract, lhs, rhs).simplified()) }
      collect(in: lhs, isStatic: isStatic, into: &found)
      collect(in: rhs, isStatic: isStatic, into: &found)
    case .call(let function, let arguments):
      switch function {
      case .floor, .ceil:
        if let argument = arguments.first { add(.integerCrossing, argument) }
      case .rem, .quotient:
        if arguments.count == 2 { add(.integerCrossing, Term.binary(.divide, arguments[0], arguments[1]).simplified()) }
      default: break
      }
      for argument in arguments { collect(in: argument, isStatic: isStatic, into: &found) }
    case .piecewise(let branches, let otherwise):
      for branch in branches {
        collect(in: branch.condition, isStatic: isStatic, into: &found)
        collect(in: branch.value, isStatic: isStatic, into: &found)
      }
      collect(in: otherwise, isStatic: isStatic, into: &found)
    }
  }
}
