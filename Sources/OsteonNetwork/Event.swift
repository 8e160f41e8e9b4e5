import OsteonSyntax

/// One `variable = value` of an event.
public struct EventAssignment: Sendable {
  public var target: String
  public var value: Expression
  public var range: SourceRange
}

/// A discrete change, with SBML Level 3 semantics.
public struct Event: Sendable {
  /// The event's label; unnamed events get `_E0`, `_E1`, … as in Antimony.
  public var id: String
  /// Fires when this turns from false to true.
  public var trigger: Expression
  /// Time from firing to applying the assignments; `nil` for none.
  public var delay: Expression?
  /// Orders events that fire at the same moment; higher first. `nil` for none.
  public var priority: Expression?
  /// `t0`: the trigger's value just before the start. With the default `true`, a
  /// trigger already true at the start does not fire (SBML initialValue).
  public var initialTriggerValue: Bool
  /// `fromTrigger`: assignments are computed when the event fires (true) or when it
  /// is applied after its delay (false). SBML useValuesFromTriggerTime.
  public var useValuesFromTriggerTime: Bool
  /// `persistent`: a delayed event still applies if its trigger turns false before
  /// the delay ends.
  public var persistent: Bool
  public var assignments: [EventAssignment]
  /// `E1 is "PTH injection"`.
  public var displayName: String?
  public var range: SourceRange
}
