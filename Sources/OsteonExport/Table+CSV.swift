extension Table {
  /// A table read back from CSV as `text(as: .csv)` and the study files write it: the
  /// first line names the columns; a field is an integer, a number (`NaN`, `inf`
  /// included), empty (missing) or text, quotes undone. `nil` when a line has another
  /// number of fields than the header, or a quote is left open.
  public init?(csv: String) {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var afterQuote = false
    for character in csv {
      if quoted {
        if character == "\"" {
          quoted = false
          afterQuote = true
        } else {
          field.append(character)
        }
        continue
      }
      switch character {
      case "\"":
        // A doubled quote inside a quoted field reopens it with one quote kept.
        if afterQuote { field.append("\"") }
        quoted = true
        afterQuote = false
      case ",":
        record.append(field)
        field = ""
        afterQuote = false
      case "\n", "\r\n":
        record.append(field)
        records.append(record)
        record = []
        field = ""
        afterQuote = false
      default:
        field.append(character)
        afterQuote = false
      }
    }
    if quoted { return nil }
    if !field.isEmpty || !record.isEmpty {
      record.append(field)
      records.append(record)
    }
    guard let header = records.first else { return nil }
    let body = records.dropFirst()
    guard body.allSatisfy({ $0.count == header.count }) else { return nil }
    self.init(columns: header, rows: body.map { $0.map(Self.cell) })
  }

  private static func cell(_ field: String) -> Cell {
    if field.isEmpty { return .missing }
    if let integer = Int(field) { return .integer(integer) }
    if let number = Double(field) { return .number(number) }
    return .text(field)
  }
}
