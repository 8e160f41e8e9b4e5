/// A 1-based line and column in a source file, with the byte offset it came from.
public struct SourceLocation: Sendable, Hashable, Comparable {
  public let line: Int
  public let column: Int
  public let offset: Int

  public init(line: Int, column: Int, offset: Int) {
    self.line = line
    self.column = column
    self.offset = offset
  }

  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    lhs.offset < rhs.offset
  }
}

/// A half-open range of byte offsets in a source file.
public struct SourceRange: Sendable, Hashable {
  public var start: Int
  public var end: Int

  public init(start: Int, end: Int) {
    self.start = start
    self.end = end
  }

  /// The range covering both.
  public func joined(_ other: SourceRange) -> SourceRange {
    SourceRange(start: min(start, other.start), end: max(end, other.end))
  }

  /// A range for things that have no place in any file (generated symbols).
  public static let none = SourceRange(start: -1, end: -1)

  public var isNone: Bool { start < 0 }
}
