/// An instance met while flattening: where it sits and what it copies.
public struct InstanceOrigin: Sendable, Hashable {
  /// `A.B`: the instance's path in the flattened network.
  public var path: String
  public var model: String
  public var file: String
}
