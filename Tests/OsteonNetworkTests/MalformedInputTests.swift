import Foundation
import OsteonNetwork
import OsteonSyntax
import Testing

/// Each file in Tests/Fixtures/malformed holds one or more mistakes and states the
/// errors it must produce as `// expect-error: LINE:COL: message`.
@Suite("Malformed input")
struct MalformedInputTests {
  static let files = Fixtures.networkFiles(in: "malformed")

  @Test func thereAreEnoughCases() {
    #expect(Self.files.count >= 40)
  }

  @Test(arguments: files)
  func reportsExactlyTheExpectedErrors(_ url: URL) {
    let text = Fixtures.text(url)
    let expected = Fixtures.expectations("expect-error", in: text)
    #expect(!expected.isEmpty, "\(url.lastPathComponent) states no expect-error")
    // Imports are read beside the fixture.
    let loaded = Network.load(
      SourceFile(path: url.lastPathComponent, text: text), directory: url.deletingLastPathComponent().path)
    #expect(loaded.network == nil, "\(url.lastPathComponent) was accepted")
    let errors = loaded.diagnostics.filter { $0.severity == .error }
    for expectation in expected {
      let found = errors.contains { error in
        let position = loaded.position(error)
        return position.line == expectation.line && position.column == expectation.column
          && error.message.contains(expectation.message)
      }
      #expect(
        found,
        "\(url.lastPathComponent): no error at \(expectation.line):\(expectation.column) containing “\(expectation.message)”; got:\n\(loaded.renderedDiagnostics)"
      )
    }
    for line in text.split(separator: "\n") where line.hasPrefix("// expect-hint:") {
      let hint = line.dropFirst("// expect-hint:".count).trimmingCharacters(in: .whitespaces)
      #expect(
        loaded.diagnostics.contains { $0.hint?.contains(hint) ?? false },
        "\(url.lastPathComponent): no hint containing “\(hint)”:\n\(loaded.renderedDiagnostics)")
    }
    #expect(
      errors.count == expected.count,
      "\(url.lastPathComponent): expected \(expected.count) errors, got \(errors.count):\n\(loaded.renderedDiagnostics)"
    )
  }
}
