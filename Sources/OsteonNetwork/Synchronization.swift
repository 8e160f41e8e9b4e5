/// Two ids made one quantity by `is` or by an instance's argument.
public struct Synchronization: Sendable, Hashable {
  /// The id that gave way (`A.PTH`).
  public var id: String
  /// The id the network keeps (`PTH`).
  public var keptAs: String
  /// With a factor (`A.x * cf is y`): `keptAs` = factor · `id`.
  public var factor: String?
}
