import Foundation
import OsteonExport
import OsteonSimulate
import Testing

// The manifest's JSON: strings with quotes, backslashes, control characters and any
// Unicode must come back unchanged through an independent parser (Foundation's
// JSONSerialization), and numbers JSON cannot spell (NaN, ±inf) are null.

@Suite("Manifest JSON")
struct ManifestJSONTests {
  /// Every control character, the characters JSON escapes, and Unicode beyond
  /// ASCII: accents (precomposed and combining), a line separator, a character
  /// outside the Basic Multilingual Plane, DEL.
  static let awkward =
    "q\"b\\s/"
    + String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init(_:))))
    + "é e\u{301} \u{2028} \u{1F9B4} \u{7F} end"

  static func manifest() -> Manifest {
    var statistics = SolverStatistics()
    statistics.steps = 12
    statistics.wallTime = .nan
    var manifest = Manifest(
      version: "1.0", networkPath: "dir/" + awkward + ".ant", networkSHA256: String(repeating: "0", count: 64),
      model: awkward, output: "out.csv", method: "msbdf", relativeTolerance: 1e-6, absoluteTolerance: .infinity,
      start: 0, end: 10, points: 11, parameters: [awkward: 2.5, "k_nan": .nan, "k_inf": -.infinity],
      columns: [Manifest.Column(id: awkward, kind: .parameter)], statistics: statistics)
    manifest.commandLine = ["osteon", "simulate", awkward]
    manifest.absoluteTolerancePerState = ["S": 1e-9, "T": .infinity]
    return manifest
  }

  static func parsed(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// Compares scalar by scalar: String equality would let a precomposed é equal a
  /// combining one.
  static func same(_ a: String?, _ b: String) -> Bool {
    a.map { Array($0.unicodeScalars) == Array(b.unicodeScalars) } ?? false
  }

  @Test func stringsSurviveAnIndependentParser() throws {
    let json = try Self.parsed(Self.manifest().json)
    let network = try #require(json["network"] as? [String: Any])
    #expect(Self.same(network["model"] as? String, Self.awkward))
    #expect(Self.same(network["path"] as? String, "dir/" + Self.awkward + ".ant"))
    let commandLine = try #require(json["command_line"] as? [String])
    #expect(commandLine.count == 3 && Self.same(commandLine.last, Self.awkward))
    let columns = try #require(json["columns"] as? [[String: Any]])
    #expect(columns.count == 2 && Self.same(columns.last?["id"] as? String, Self.awkward))
    #expect(Self.same((json["header"] as? [String])?.last, Self.awkward))
    let parameters = try #require(json["parameters"] as? [String: Any])
    let key = try #require(parameters.keys.first { Self.same($0, Self.awkward) })
    #expect(parameters[key] as? Double == 2.5)
  }

  @Test func controlCharactersAreEscapedAndTheRestWrittenAsIs() {
    let text = Self.manifest().json
    // Quotes and backslashes escaped; the two short forms Osteon uses; \u00XX for the
    // other control characters, lowercase hexadecimal.
    #expect(text.contains(#""model": "q\"b\\s/\u0000\u0001"#))
    #expect(text.contains(#"\u0008\t\n\u000b\u000c\u000d\u000e"#))
    #expect(text.contains(#"\u001f"#))
    // No raw control character anywhere except the line breaks of the layout.
    #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    #expect(text.contains("é e\u{301} \u{2028} \u{1F9B4} \u{7F} end"))
  }

  @Test func nonFiniteNumbersAreNull() throws {
    let json = try Self.parsed(Self.manifest().json)
    let parameters = try #require(json["parameters"] as? [String: Any])
    #expect(parameters["k_nan"] is NSNull)
    #expect(parameters["k_inf"] is NSNull)
    let solver = try #require(json["solver"] as? [String: Any])
    let atol = try #require(solver["atol"] as? [String: Any])
    #expect(atol["default"] is NSNull)
    let perState = try #require(atol["per_state"] as? [String: Any])
    #expect(perState["S"] as? Double == 1e-9)
    #expect(perState["T"] is NSNull)
    #expect(solver["rtol"] as? Double == 1e-6)
    #expect(solver["max_step"] is NSNull)
    let statistics = try #require(json["statistics"] as? [String: Any])
    #expect(statistics["wall_time_s"] is NSNull)
    #expect(statistics["steps"] as? Int == 12)
  }

  @Test func finiteNumbersReadBackExactly() throws {
    var manifest = Self.manifest()
    let values: [Double] = [0.1, 1.0 / 3, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -2.5e-7, 6.02214179e23]
    manifest.parameters = Dictionary(uniqueKeysWithValues: values.enumerated().map { ("p\($0.offset)", $0.element) })
    let parameters = try #require(try Self.parsed(manifest.json)["parameters"] as? [String: Double])
    for (index, value) in values.enumerated() {
      #expect(parameters["p\(index)"]?.bitPattern == value.bitPattern, "\(value)")
    }
  }
}
