/// The file formats of result tables: each is read in one line by pandas
/// (`read_csv`, `read_csv(sep="\t")`, `read_json`), polars and R.
public enum TableFormat: String, CaseIterable, Sendable {
  /// Comma-separated, a header line first.
  case csv
  /// Tab-separated, a header line first.
  case tsv
  /// An array of records, one object per row, keys in column order.
  case json

  /// The file extension without its dot.
  public var fileExtension: String { rawValue }

  /// The format a file name asks for: `.tsv` and `.json` by their extension, anything
  /// else CSV.
  public static func inferred(fromPath path: String) -> TableFormat {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    if name.hasSuffix(".tsv") { return .tsv }
    if name.hasSuffix(".json") { return .json }
    return .csv
  }
}

/// A table of results with plain column names, written as CSV, TSV or JSON so that
/// every format holds the same cells.
public struct Table: Sendable, Equatable {
  /// One cell: text, a number or nothing.
  public enum Cell: Sendable, Equatable {
    case text(String)
    case number(Double)
    case integer(Int)
    /// Empty in CSV and TSV, `null` in JSON.
    case missing
  }

  public var columns: [String]
  public var rows: [[Cell]]

  public init(columns: [String], rows: [[Cell]] = []) {
    self.columns = columns
    self.rows = rows
  }

  /// The table in `format`, ending with a line break.
  public func text(as format: TableFormat) -> String {
    switch format {
    case .csv: return delimited(",")
    case .tsv: return delimited("\t")
    case .json: return json
    }
  }

  /// A header line, then a line per row. A text cell is quoted (quotes doubled) only
  /// when it holds the separator, a quote or a line break.
  func delimited(_ separator: Character) -> String {
    func field(_ text: String) -> String {
      guard text.contains(where: { $0 == separator || $0 == "\"" || $0.isNewline }) else { return text }
      return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
    var lines: [String] = []
    lines.reserveCapacity(rows.count + 1)
    lines.append(columns.map(field).joined(separator: String(separator)))
    for row in rows {
      lines.append(
        row.map { cell in
          switch cell {
          case .text(let text): return field(text)
          case .number(let value): return Self.number(value)
          case .integer(let value): return String(value)
          case .missing: return ""
          }
        }.joined(separator: String(separator)))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `[{"time": 0.0, "x": 1.5}, …]`: a record per line. NaN and infinities, which
  /// JSON cannot spell, are `null`.
  var json: String {
    let keys = columns.map { JSONText.string($0) + ": " }
    var lines: [String] = []
    lines.reserveCapacity(rows.count)
    for row in rows {
      var line = "{"
      for (index, cell) in row.enumerated() {
        if index > 0 { line += ", " }
        line += keys[index]
        switch cell {
        case .text(let text): line += JSONText.string(text)
        case .number(let value): line += JSONText.number(value)
        case .integer(let value): line += String(value)
        case .missing: line += "null"
        }
      }
      lines.append(line + "}")
    }
    return lines.isEmpty ? "[]\n" : "[\n" + lines.joined(separator: ",\n") + "\n]\n"
  }

  /// The shortest form that reads back to the same double; `NaN`, `inf`, `-inf`.
  public static func number(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    return "\(value)"
  }
}
