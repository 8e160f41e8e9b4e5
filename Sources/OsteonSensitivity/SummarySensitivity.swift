/// The derivative of one experiment summary by each factor, and its normalised
/// coefficient ∂ln S/∂ln p.
public struct SummarySensitivity: Sendable {
  public var summary: String
  public var value: Double
  public var factors: [String]
  public var derivatives: [Double]
  public var coefficients: [Double]
}
