/// The little CSV that study files need: fields quoted when they hold a comma, a
/// quote or a line break; numbers in Swift's shortest form that reads back exactly,
/// NaN spelled `NaN` whatever its sign bit (as pandas, polars and R read it; Swift
/// writes `nan` or `-nan`).
enum CSVText {
  static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  static func number(_ value: Double) -> String { value.isNaN ? "NaN" : "\(value)" }

  static func line(_ fields: [String]) -> String { fields.joined(separator: ",") + "\n" }

  /// The fields of one line (quotes undone), or `nil` for an unclosed quote.
  static func fields(_ line: Substring) -> [String]? {
    var fields: [String] = []
    var current = ""
    var quoted = false
    var iterator = line.makeIterator()
    var pending: Character? = iterator.next()
    while let character = pending {
      pending = iterator.next()
      if quoted {
        if character == "\"" {
          if pending == "\"" {
            current.append("\"")
            pending = iterator.next()
          } else {
            quoted = false
          }
        } else {
          current.append(character)
        }
      } else if character == "\"" {
        quoted = true
      } else if character == "," {
        fields.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    guard !quoted else { return nil }
    fields.append(current)
    return fields
  }
}
