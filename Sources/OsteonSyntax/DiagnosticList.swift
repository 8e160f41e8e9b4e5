/// The diagnostics of one file, in the order they were found.
public struct DiagnosticList: Sendable {
  public private(set) var items: [Diagnostic] = []

  public init() {}

  public mutating func append(_ diagnostic: Diagnostic) {
    items.append(diagnostic)
  }

  public mutating func append(contentsOf other: [Diagnostic]) {
    items.append(contentsOf: other)
  }

  public var errors: [Diagnostic] { items.filter { $0.severity == .error } }
  public var warnings: [Diagnostic] { items.filter { $0.severity == .warning } }
  public var hasErrors: Bool { items.contains { $0.severity == .error } }

  /// Sorted by position; a stable sort keeps same-place messages in discovery order.
  public var sorted: [Diagnostic] {
    items.enumerated().sorted { lhs, rhs in
      if lhs.element.range.start != rhs.element.range.start {
        return lhs.element.range.start < rhs.element.range.start
      }
      return lhs.offset < rhs.offset
    }.map(\.element)
  }
}
