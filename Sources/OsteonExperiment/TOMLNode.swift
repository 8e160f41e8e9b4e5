import OsteonSyntax
import TOMLKit

/// A value of a TOML document with the key path that reaches it, tables in the
/// order the file writes them.
package struct TOMLNode: Sendable {
  package enum Kind: Sendable {
    case table([(key: String, node: TOMLNode)])
    case array([TOMLNode])
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    /// A date or time: valid TOML, but nothing in an experiment is one.
    case other(String)
  }

  package var path: KeyPath
  package var kind: Kind

  package var typeName: String {
    switch kind {
    case .table: "a table"
    case .array: "an array"
    case .string: "a string"
    case .integer: "an integer"
    case .float: "a number"
    case .bool: "a boolean"
    case .other(let name): "a \(name)"
    }
  }

  /// Converts TOMLKit's tree, ordering each table's keys as the file writes them.
  init(_ value: TOMLValueConvertible, path: KeyPath, order: (KeyPath) -> Int) {
    self.path = path
    switch value.type {
    case .table:
      let table = value.table ?? TOMLTable()
      let entries = table.keys.compactMap { key -> (key: String, node: TOMLNode)? in
        guard let child = table[key] else { return nil }
        return (key, TOMLNode(child, path: path.appending(key), order: order))
      }
      kind = .table(entries.sorted { order($0.node.path) < order($1.node.path) })
    case .array:
      let array = value.array ?? TOMLArray()
      kind = .array(array.enumerated().map { TOMLNode($0.element, path: path.appending($0.offset), order: order) })
    case .string: kind = .string(value.string ?? "")
    case .int: kind = .integer(value.int ?? 0)
    case .double: kind = .float(value.double ?? .nan)
    case .bool: kind = .bool(value.bool ?? false)
    case .date: kind = .other("date")
    case .time: kind = .other("time")
    case .dateTime: kind = .other("date-time")
    }
  }
}

/// An experiment file read into a tree, with where each key is written.
package struct TOMLDocument: Sendable {
  package let file: SourceFile
  package let root: TOMLNode
  let keyRanges: [KeyPath: SourceRange]
  let valueRanges: [KeyPath: SourceRange]

  package init(path: String, text: String) throws(ExperimentError) {
    let file = SourceFile(path: path, text: text)
    self.file = file
    let table: TOMLTable
    do {
      table = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      var failure = ExperimentError("invalid TOML: \(error.description)")
      failure.file = file
      let line = max(1, error.source.begin.line)
      if line - 1 < file.lineStarts.count {
        let start = file.lineStarts[line - 1] + max(0, error.source.begin.column - 1)
        failure.range = SourceRange(start: min(start, file.bytes.count), end: min(start + 1, file.bytes.count))
      }
      throw failure
    } catch {
      var failure = ExperimentError("invalid TOML: \(error)")
      failure.file = file
      throw failure
    }
    let locator = TOMLKeyLocator(bytes: file.bytes)
    keyRanges = locator.ranges
    valueRanges = locator.valueRanges
    let ranges = locator.ranges
    root = TOMLNode(table, path: .root, order: { ranges[$0]?.start ?? Int.max })
  }

  /// An error at a key (its value when `atValue` and the value is located).
  package func error(_ message: String, at path: KeyPath, atValue: Bool = false, hint: String? = nil) -> ExperimentError
  {
    var failure = ExperimentError(message, at: path, hint: hint)
    failure.file = file
    var search = path
    while true {
      if atValue, search == path, let range = valueRanges[search] {
        failure.range = range
        break
      }
      if let range = keyRanges[search] {
        failure.range = range
        break
      }
      guard !search.components.isEmpty else { break }
      search.components.removeLast()
    }
    return failure
  }
}
