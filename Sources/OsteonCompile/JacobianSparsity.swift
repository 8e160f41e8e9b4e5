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
    let unique = Set(positions)
    entries = unique.sorted()
    var iteration = unique
    for index in 0..<stateCount { iteration.insert(Position(row: index, column: index)) }
    iterationEntries = iteration.sorted()
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
