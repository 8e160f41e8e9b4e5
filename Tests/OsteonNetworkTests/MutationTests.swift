import Foundation
import OsteonNetwork
import OsteonSyntax
import OsteonTestSupport
import Testing

/// Random byte edits of valid files must never crash or trap the front end: only
/// diagnostics may come out. A crash would end the test process, so reaching the
/// end of this test is the assertion; the checks below make sure the diagnostics
/// themselves are well formed.
@Suite("Mutation")
struct MutationTests {
  /// Bytes that matter to the grammar, plus arbitrary ones.
  /// Mutants per run.
  static let cases = 4_000

  static let alphabet = Array("()[]{},;:=.'$+-*/^<>!&|\"`#@~ \n\tabzAZ_019e.\u{00}".utf8) + [0xC3, 0xA9, 0xFF, 0x80]

  static func mutate(_ bytes: [UInt8], with generator: inout SplitMix64) -> [UInt8] {
    var result = bytes
    let edits = Int.random(in: 1...4, using: &generator)
    for _ in 0..<edits {
      let position = result.isEmpty ? 0 : Int.random(in: 0..<result.count, using: &generator)
      let byte = alphabet.randomElement(using: &generator) ?? 0
      switch Int.random(in: 0..<5, using: &generator) {
      case 0 where !result.isEmpty: result[position] = byte
      case 1 where !result.isEmpty: result.remove(at: position)
      case 2: result.insert(byte, at: position)
      case 3 where result.count > 2:
        // Move a chunk elsewhere: reorders statements and brackets.
        let length = min(Int.random(in: 1...40, using: &generator), result.count - position)
        let chunk = Array(result[position..<(position + length)])
        result.removeSubrange(position..<(position + length))
        let target = result.isEmpty ? 0 : Int.random(in: 0...result.count, using: &generator)
        result.insert(contentsOf: chunk, at: target)
      default:
        let cut = Int.random(in: 0...result.count, using: &generator)
        result = Array(result[0..<cut])  // truncation
      }
    }
    return result
  }

  @Test func randomEditsProduceOnlyDiagnostics() {
    let corpus = (Fixtures.networkFiles(in: "valid") + Fixtures.networkFiles(in: "biomodels"))
      .map { Array(Fixtures.text($0).utf8) }
      .filter { !$0.isEmpty && $0.count < 40_000 }
    #expect(!corpus.isEmpty)
    var generator = SplitMix64(seed: 0x05_7E_0A)
    var runs = 0
    var rejected = 0
    // A fixed count, not a time budget: every machine tests the same mutants.
    while runs < Self.cases {
      guard let original = corpus.randomElement(using: &generator) else { break }
      let mutated = Self.mutate(original, with: &generator)
      let file = SourceFile(path: "mutant.ant", bytes: mutated)
      let loaded = Network.load(file)
      for diagnostic in loaded.diagnostics {
        #expect(diagnostic.range.isNone || (diagnostic.range.start >= 0 && diagnostic.range.start <= mutated.count))
        #expect(!diagnostic.message.isEmpty)
        _ = diagnostic.rendered(in: file)
      }
      if let network = loaded.network {
        _ = network.explanation()
      } else {
        rejected += 1
        #expect(loaded.hasErrors, "rejected without an error")
      }
      runs += 1
    }
    print("mutation: \(runs) mutated files, \(rejected) rejected with diagnostics, none crashed")
    #expect(runs == Self.cases)
    // The edits must mostly break files, or the test is not exercising error paths.
    #expect(rejected * 4 >= runs)
  }
}
