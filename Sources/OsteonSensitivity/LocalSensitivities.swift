/// Forward sensitivities on the output grid: each output's value and its
/// derivative by each factor, ∂y/∂p, and the normalised coefficient ∂ln y/∂ln p.
public struct LocalSensitivities: Sendable {
  public var times: [Double]
  public var outputs: [String]
  public var factors: [String]
  /// The factors' values (the point the derivatives are taken at).
  public var factorValues: [Double]
  /// `values[row * outputs.count + output]`.
  public var values: [Double]
  /// `derivatives[(row * outputs.count + output) * factors.count + factor]` = ∂y/∂p.
  public var derivatives: [Double]

  public func value(row: Int, output: Int) -> Double { values[row * outputs.count + output] }

  public func derivative(row: Int, output: Int, factor: Int) -> Double {
    derivatives[(row * outputs.count + output) * factors.count + factor]
  }

  /// ∂ln y/∂ln p = (p / y) ∂y/∂p; NaN where y is 0.
  public func coefficient(row: Int, output: Int, factor: Int) -> Double {
    let y = value(row: row, output: output)
    return y == 0 ? .nan : derivative(row: row, output: output, factor: factor) * factorValues[factor] / y
  }
}
