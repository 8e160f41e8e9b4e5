/// Settings of a Morris screening design.
public struct MorrisSettings: Sendable, Equatable {
  /// Trajectories r.
  public var trajectories = 20
  /// Grid levels p (even).
  public var levels = 4
  /// Candidate trajectories to choose the r most spread out from (Campolongo et al.
  /// 2007); 0: no selection, the r trajectories as drawn.
  public var candidates = 0
  /// Bootstrap resamples for the confidence interval of μ*.
  public var resamples = 1000
  public var confidence = 0.95

  public init() {}
}
