import OsteonSyntax

/// Finds where each key and array element of a TOML text is written, so that an
/// error can point at its line. TOMLKit parses and validates the text; this only
/// follows its structure (tables, arrays of tables, dotted keys, inline tables and
/// arrays), and a text TOMLKit accepted is all it ever reads.
struct TOMLKeyLocator {
  /// Where each key (or array element, or table header) is written.
  private(set) var ranges: [KeyPath: SourceRange] = [:]
  /// Where each scalar value is written.
  private(set) var valueRanges: [KeyPath: SourceRange] = [:]
  private let bytes: [UInt8]
  private var position = 0

  init(bytes: [UInt8]) {
    self.bytes = bytes
    scanDocument()
  }

  // MARK: - Document level

  private mutating func scanDocument() {
    var table = KeyPath.root
    var arrayCounts: [KeyPath: Int] = [:]
    while true {
      skipBlank(newlines: true)
      guard let byte = peek() else { return }
      let start = position
      if byte == UInt8(ascii: "[") {
        let isArray = peek(1) == UInt8(ascii: "[")
        position += isArray ? 2 : 1
        let keys = scanKey()
        var path = KeyPath.root
        for key in keys { path = path.appending(key) }
        while let next = peek(), next != UInt8(ascii: "\n") {
          position += 1
          if next == UInt8(ascii: "]") && (!isArray || peek() != UInt8(ascii: "]")) { break }
        }
        if isArray {
          let index = (arrayCounts[path] ?? -1) + 1
          arrayCounts[path] = index
          record(path, start: start)
          path = path.appending(index)
        }
        record(path, start: start)
        table = path
        skipLine()
      } else {
        scanKeyValue(in: table)
        skipLine()
      }
    }
  }

  /// `key = value` (the key may be dotted).
  private mutating func scanKeyValue(in table: KeyPath) {
    let start = position
    let keys = scanKey()
    guard !keys.isEmpty else {
      skipLine()
      return
    }
    var path = table
    for key in keys {
      path = path.appending(key)
      record(path, start: start)
    }
    skipBlank(newlines: false)
    if peek() == UInt8(ascii: "=") { position += 1 }
    scanValue(at: path)
  }

  // MARK: - Values

  private mutating func scanValue(at path: KeyPath) {
    skipBlank(newlines: false)
    guard let byte = peek() else { return }
    let start = position
    defer {
      if valueRanges[path] == nil { valueRanges[path] = SourceRange(start: start, end: max(start + 1, position)) }
    }
    switch byte {
    case UInt8(ascii: "{"):
      position += 1
      while true {
        skipBlank(newlines: true)
        guard let next = peek() else { return }
        if next == UInt8(ascii: "}") {
          position += 1
          return
        }
        if next == UInt8(ascii: ",") {
          position += 1
          continue
        }
        let before = position
        scanKeyValue(in: path)
        if position == before { position += 1 }
      }
    case UInt8(ascii: "["):
      position += 1
      var index = 0
      while true {
        skipBlank(newlines: true)
        guard let next = peek() else { return }
        if next == UInt8(ascii: "]") {
          position += 1
          return
        }
        if next == UInt8(ascii: ",") {
          position += 1
          index += 1
          continue
        }
        let element = path.appending(index)
        record(element, start: position)
        let before = position
        scanValue(at: element)
        setEnd(of: element)
        if position == before { position += 1 }
      }
    case UInt8(ascii: "\""), UInt8(ascii: "'"):
      _ = scanString()
      setEnd(of: path)
    default:
      let stops: [UInt8] = [
        UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "\n"), UInt8(ascii: "#"),
        UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"),
      ]
      while let next = peek(), !stops.contains(next) { position += 1 }
    }
  }

  /// A possibly dotted key; stops before `=` or `]`.
  private mutating func scanKey() -> [String] {
    var keys: [String] = []
    while true {
      skipBlank(newlines: false)
      guard let byte = peek() else { return keys }
      if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
        keys.append(scanString())
      } else if KeyPath.isBareKeyByte(byte) {
        let start = position
        while let next = peek(), KeyPath.isBareKeyByte(next) { position += 1 }
        keys.append(String(decoding: bytes[start..<position], as: UTF8.self))
      } else {
        return keys
      }
      skipBlank(newlines: false)
      if peek() == UInt8(ascii: ".") {
        position += 1
      } else {
        return keys
      }
    }
  }

  /// A basic or literal string, single- or multi-line; returns its text (escapes
  /// other than `\"` and `\\` are kept as written: keys rarely use them).
  private mutating func scanString() -> String {
    guard let quote = peek() else { return "" }
    let multiline = peek(1) == quote && peek(2) == quote
    position += multiline ? 3 : 1
    var text: [UInt8] = []
    while let byte = peek() {
      if byte == quote {
        if !multiline {
          position += 1
          break
        }
        if peek(1) == quote && peek(2) == quote {
          position += 3
          // A multi-line string may end with up to two more quotes.
          while peek() == quote { position += 1 }
          break
        }
      }
      if byte == UInt8(ascii: "\\") && quote == UInt8(ascii: "\""), let escaped = peek(1) {
        text.append(escaped)
        position += 2
        continue
      }
      if byte == UInt8(ascii: "\n") && !multiline { break }
      text.append(byte)
      position += 1
    }
    return String(decoding: text, as: UTF8.self)
  }

  // MARK: - Bytes

  private func peek(_ ahead: Int = 0) -> UInt8? {
    position + ahead < bytes.count ? bytes[position + ahead] : nil
  }

  private mutating func skipBlank(newlines: Bool) {
    while let byte = peek() {
      if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
        position += 1
      } else if byte == UInt8(ascii: "\n") && newlines {
        position += 1
      } else if byte == UInt8(ascii: "#") {
        while let next = peek(), next != UInt8(ascii: "\n") { position += 1 }
      } else {
        return
      }
    }
  }

  private mutating func skipLine() {
    skipBlank(newlines: false)
    while let byte = peek(), byte != UInt8(ascii: "\n") { position += 1 }
  }

  private mutating func record(_ path: KeyPath, start: Int) {
    if ranges[path] == nil { ranges[path] = SourceRange(start: start, end: position) }
  }

  private mutating func setEnd(of path: KeyPath) {
    if let range = ranges[path], range.end < position, !bytes[range.start..<position].contains(UInt8(ascii: "\n")) {
      ranges[path] = SourceRange(start: range.start, end: position)
    }
  }
}
