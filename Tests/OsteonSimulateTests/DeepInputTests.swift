import Foundation
import OsteonCompile
import OsteonNetwork
import OsteonSimulate
import Testing

// A species made by 100,000 unnamed reactions `-> S; 1`: a valid network whose
// right-hand side is one long sum. Every stage must cope without overflowing the
// stack, also where stacks are small (a task, a thread of 512 KiB as on macOS).
// Reference: S' = 100,000 with S(0) = 0, so S(1) = 100,000, which any BDF order
// reproduces up to rounding (tolerance 1e-9 relative).

@Suite("Deep input")
struct DeepInputTests {
  static let reactions = 100_000

  /// S at t = 1.
  static func finalAmount() throws -> Double {
    let text = "S = 0\n" + String(repeating: "-> S; 1\n", count: reactions)
    let loaded = Network.load(text: text, path: "deep.ant")
    let network = try #require(loaded.network, "\(loaded.renderedDiagnostics)")
    #expect(network.reactions.count == reactions)
    let model = try CompiledModel(network: network)
    var problem = SimulationProblem(model: model, end: 1, points: 3)
    problem.columns = ["S"]
    let trajectory = try Simulator().solve(problem)
    return try #require(trajectory.value("S", at: 1))
  }

  static func check(_ value: Double) {
    #expect(abs(value - Double(reactions)) <= 1e-9 * Double(reactions), "S(1) = \(value)")
  }

  /// `osteon explain` writes the long sum out: 100,000 terms of `1`, with no walk
  /// nesting deeply (chains of 128 joined pairwise).
  @Test func theLongSumIsExplainedOnASmallStack() async throws {
    let text = "S = 0\n" + String(repeating: "-> S; 1\n", count: Self.reactions)
    let network = try #require(Network.load(text: text, path: "deep.ant").network)
    let explanation = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
      let thread = Thread { continuation.resume(returning: network.explanation()) }
      thread.stackSize = 512 * 1024
      thread.start()
    }
    let equation = try #require(explanation.split(separator: "\n").first { $0.hasPrefix("  d[S]/dt = ") })
    // Every reaction's rate appears once: 100,000 ones.
    #expect(equation.split(separator: "1").count - 1 >= Self.reactions)
  }

  @Test func manyReactionsIntoOneSpeciesInATask() async throws {
    Self.check(try await Task.detached { try Self.finalAmount() }.value)
  }

  @Test func manyReactionsIntoOneSpeciesOnASmallStack() async throws {
    let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Double, any Error>) in
      let thread = Thread { continuation.resume(with: Result { try Self.finalAmount() }) }
      thread.stackSize = 512 * 1024
      thread.start()
    }
    Self.check(value)
  }
}
