/// Where ∂f/∂y can be non-zero, as the symbolic Jacobian says: every other entry is
/// zero at every state and time. The sparse linear solver factorizes the iteration
/// matrix I − hγJ on `iterationEntries`; `osteon explain` reports the density.
public struct JacobianSparsity: Sendable, Equatable {
  /// A position in the n × n matrix.
  public struct Position: Sendable, Hashable, Comparable {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
      self.row = row
      self.column = column
    }

    public static func < (a: Position, b: Position) -> Bool { (a.row, a.column) < (b.row, b.column) }
  }

  public let stateCount: Int
  /// The entries of ∂f/∂y that can be non-zero, each once, row by row.
  public let entries: [Position]
  /// `entries` with the diagonal added: where I − hγJ can be non-zero.
  public let iterationEntries: [Position]

  public init(stateCount: Int, positions: some Sequence<Position>) {
    self.stateCount = stateCount
    // Bucketed by row (a counting sort), then each row's few columns sorted and
    // deduplicated: linear in the entries, as it runs once per simulation.
    let n = max(0, stateCount)
    let valid = positions.filter { $0.row >= 0 && $0.row < n && $0.column >= 0 && $0.column < n }
    var starts = [Int](repeating: 0, count: n + 1)
    for position in valid { starts[position.row + 1] += 1 }
    for row in 0..<n { starts[row + 1] += starts[row] }
    var next = starts
    var columns = [Int](repeating: 0, count: valid.count)
    for position in valid {
      columns[next[position.row]] = position.column
      next[position.row] += 1
    }
    var entries: [Position] = []
    var iteration: [Position] = []
    entries.reserveCapacity(valid.count)
    iteration.reserveCapacity(valid.count + n)
    for row in 0..<n {
      var previous = -1
      var diagonalPlaced = false
      for column in columns[starts[row]..<starts[row + 1]].sorted() where column != previous {
        previous = column
        if !diagonalPlaced, column >= row {
          if column > row { iteration.append(Position(row: row, column: row)) }
          diagonalPlaced = true
        }
        entries.append(Position(row: row, column: column))
        iteration.append(Position(row: row, column: column))
      }
      if !diagonalPlaced { iteration.append(Position(row: row, column: row)) }
    }
    self.entries = entries
    iterationEntries = iteration
  }

  /// Non-zero entries of ∂f/∂y at most.
  public var nonZeros: Int { entries.count }

  /// The fraction of the n² entries of ∂f/∂y that can be non-zero (0 without states).
  public var density: Double {
    stateCount > 0 ? Double(nonZeros) / (Double(stateCount) * Double(stateCount)) : 0
  }

  /// The fraction for I − hγJ.
  public var iterationDensity: Double {
    stateCount > 0 ? Double(iterationEntries.count) / (Double(stateCount) * Double(stateCount)) : 0
  }
}

extension CompiledModel {
  /// The sparsity of the exact Jacobian (computed on each call: O(non-zeros)).
  public var jacobianSparsity: JacobianSparsity {
    JacobianSparsity(
      stateCount: layout.states.count,
      positions: jacobianEntries.lazy.map { JacobianSparsity.Position(row: $0.row, column: $0.column) })
  }
}
