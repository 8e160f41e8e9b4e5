/// What one row of a design gave: its outputs, or why it failed.
public struct RowOutcome: Sendable, Equatable {
  public var row: Int
  public var result: Result<[Double], SampleFailure>

  public init(row: Int, result: Result<[Double], SampleFailure>) {
    self.row = row
    self.result = result
  }

  /// The outputs, NaN for each when the run failed.
  public func outputs(count: Int) -> [Double] {
    switch result {
    case .success(let values): values
    case .failure: [Double](repeating: .nan, count: count)
    }
  }
}
