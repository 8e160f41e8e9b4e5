import Foundation
import OsteonNetwork
import OsteonSyntax

/// Paths of the test data in Tests/Fixtures.
enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  /// `.ant` files of a fixture folder, sorted by name.
  static func networkFiles(in folder: String) -> [URL] {
    let directory = root.appendingPathComponent(folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".ant") }.sorted().map { directory.appendingPathComponent($0) }
  }

  static func text(_ url: URL) -> String {
    (try? String(contentsOf: url, encoding: .utf8)) ?? ""
  }

  static func load(_ url: URL) -> LoadedNetwork {
    Network.load(text: text(url), path: url.lastPathComponent)
  }

  /// Expectation lines of a fixture: `// expect-error: 3:12: message` → (3, 12, "message").
  static func expectations(_ prefix: String, in text: String) -> [(line: Int, column: Int, message: String)] {
    text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard trimmed.hasPrefix("// \(prefix):") else { return nil }
      let rest = trimmed.dropFirst("// \(prefix):".count).trimmingCharacters(in: .whitespaces)
      let parts = rest.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      guard parts.count >= 2, let lineNumber = Int(parts[0].trimmingCharacters(in: .whitespaces)) else { return nil }
      let columnAndMessage = parts.count == 3 ? (String(parts[1]), String(parts[2])) : split(String(parts[1]))
      guard let column = Int(columnAndMessage.0.trimmingCharacters(in: .whitespaces)) else { return nil }
      return (lineNumber, column, columnAndMessage.1.trimmingCharacters(in: .whitespaces))
    }
  }

  /// "12 message" → ("12", "message")
  private static func split(_ text: String) -> (String, String) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard let space = trimmed.firstIndex(of: " ") else { return (trimmed, "") }
    return (String(trimmed[..<space]), String(trimmed[space...]))
  }
}
