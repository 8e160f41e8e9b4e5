/// The points a global study evaluates: rows of the unit hypercube, mapped to
/// factor values through each factor's distribution, in blocks (a Saltelli base
/// sample with its radial points, or a Morris trajectory) that shards never split.
public struct Design: Sendable {
  public let method: StudyMethod
  public let space: ParameterSpace
  /// Row-major unit-hypercube points: `unit[row][factor]`.
  public let unit: [[Double]]
  /// Rows per block: D + 2 (2D + 2 with second order) for Sobol, k + 1 for Morris.
  public let blockSize: Int

  init(method: StudyMethod, space: ParameterSpace, unit: [[Double]], blockSize: Int) {
    self.method = method
    self.space = space
    self.unit = unit
    self.blockSize = blockSize
  }

  public var rowCount: Int { unit.count }
  public var blockCount: Int { unit.count / max(1, blockSize) }

  /// The factor values of a row.
  public func values(row: Int) -> [Double] { space.values(at: unit[row]) }

  /// The rows of shard `index` (0-based) of `count`: whole blocks, as even as can be.
  public func shardRows(_ index: Int, of count: Int) -> Range<Int> {
    let blocks = blockCount
    let first = blocks * index / count
    let last = blocks * (index + 1) / count
    return first * blockSize..<last * blockSize
  }
}
