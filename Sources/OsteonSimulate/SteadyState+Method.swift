extension SteadyState {
  /// How a steady state was found.
  public enum Method: String, Sendable, CaseIterable {
    /// Newton's method from the starting point.
    case newton
    /// Integration until the rates were negligible; Newton could not improve on it.
    case integration
    /// Integration towards the steady state, then Newton's method from there.
    case integrationThenNewton = "integration-then-newton"
  }
}
