import Foundation
import Testing

/// Ctrl-C stops a simulation at its next step: exit 130, a one-line message, and no
/// output file or manifest (nothing half-written).
@Suite("Interrupting a run")
struct InterruptTests {
  @Test func ctrlCStopsTheRunAndWritesNothing() throws {
    let scratch = try Scratch()
    // A network that takes seconds to simulate: 50 copies of a 30-species cascade.
    let generated = try Osteon.run(
      ["bench-parse", "--instances", "50", "--states", "30", "--repeat", "1", "--write", "."], in: scratch.url)
    #expect(generated.status == 0, "\(generated)")
    let outcome = try Osteon.run(
      ["simulate", "cascades.ant", "--end", "100", "--out", "run.csv"], in: scratch.url, interruptAfter: 1.5)
    #expect(outcome.status == 130, "\(outcome)")
    #expect(outcome.standardError.contains("interrupted at t = "), "\(outcome)")
    #expect(scratch.read("run.csv") == nil)
    #expect(scratch.read("run.manifest.json") == nil)
  }
}
