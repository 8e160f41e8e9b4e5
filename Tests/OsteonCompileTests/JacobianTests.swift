import Foundation
import OsteonCompile
import OsteonNetwork
import OsteonTestSupport
import Testing

/// The compiled symbolic Jacobian must equal a numerical one: for every fixture
/// network, at random states, each entry agrees with a Richardson-extrapolated
/// central difference of the compiled right-hand side.
///
/// Tolerance: |J − FD| ≤ 1e-6·|FD| + 1e-9·max|FD in the row|. Entries where the
/// right-hand side is not smooth between the probe points (a piecewise switch, a
/// floor) are recognised by the two difference steps disagreeing and skipped.
@Suite("Jacobian")
struct JacobianTests {
  static let fixtures: [URL] = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures")
    var files: [URL] = []
    for folder in ["valid", "biomodels", "simulation"] {
      let directory = root.appendingPathComponent(folder)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
      files += names.filter { $0.hasSuffix(".ant") }.sorted().map { directory.appendingPathComponent($0) }
    }
    // The shipped networks too.
    let published = root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
      "Networks/published")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: published.path)) ?? []
    files += names.filter { $0.hasSuffix(".ant") }.sorted().map { published.appendingPathComponent($0) }
    return files
  }()

  @Test(arguments: fixtures)
  func symbolicJacobianMatchesFiniteDifferences(_ url: URL) throws {
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    let loaded = Network.load(text: text, path: url.lastPathComponent)
    let network = try #require(loaded.network, "\(loaded.renderedDiagnostics)")
    let model = try CompiledModel(network: network)
    let n = model.layout.states.count
    guard n > 0 else { return }
    var buffer = try model.initialBuffer(start: 0)
    // Seeded from the file name (stable across runs, unlike hashValue).
    var generator = SplitMix64(seed: url.lastPathComponent.utf8.reduce(17) { $0 &* 31 &+ UInt64($1) })
    let base = buffer
    var checked = 0
    var skipped = 0
    for _ in 0..<3 {
      // A random state near the initial one (zeros become small positive values).
      for index in 0..<n {
        let slot = model.layout.stateBase + index
        let start = base[slot] == 0 ? 0.05 : base[slot]
        buffer[slot] = start * Double.random(in: 0.6...1.4, using: &generator)
      }
      buffer[0] = Double.random(in: 0...1, using: &generator)
      let f0 = rightHandSide(model, &buffer)
      guard f0.allSatisfy(\.isFinite) else { continue }
      let jacobian = symbolicJacobian(model, &buffer)
      for column in 0..<n {
        let slot = model.layout.stateBase + column
        let y = buffer[slot]
        let h = 1e-3 * max(abs(y), 1e-6)
        func centralDifference(_ step: Double) -> [Double] {
          buffer[slot] = y + step
          let plus = rightHandSide(model, &buffer)
          buffer[slot] = y - step
          let minus = rightHandSide(model, &buffer)
          buffer[slot] = y
          return zip(plus, minus).map { ($0 - $1) / (2 * step) }
        }
        let coarse = centralDifference(h)
        let fine = centralDifference(h / 2)
        for row in 0..<n {
          let estimate = (4 * fine[row] - coarse[row]) / 3
          let rowScale = (0..<n).map { abs(jacobian[row * n + $0]) }.max() ?? 0
          let agreement = abs(fine[row] - coarse[row])
          if !estimate.isFinite || agreement > 1e-2 * max(abs(fine[row]), 1e-3 * rowScale, 1e-300) {
            skipped += 1
            continue
          }
          let symbolic = jacobian[row * n + column]
          let tolerance = 1e-6 * abs(estimate) + 1e-9 * rowScale + 1e-300
          #expect(
            abs(symbolic - estimate) <= tolerance,
            "\(url.lastPathComponent): ∂f[\(model.layout.states[row])]/∂\(model.layout.states[column]) symbolic \(symbolic) vs finite difference \(estimate)"
          )
          checked += 1
        }
      }
    }
    #expect(checked >= skipped, "\(url.lastPathComponent): only \(checked) entries checked, \(skipped) skipped")
  }

  func rightHandSide(_ model: CompiledModel, _ buffer: inout [Double]) -> [Double] {
    buffer.withUnsafeMutableBufferPointer { pointer in
      guard let base = pointer.baseAddress else { return [] }
      model.rightHandSide.run(base)
      return model.derivativeSlots.map { base[$0] }
    }
  }

  func symbolicJacobian(_ model: CompiledModel, _ buffer: inout [Double]) -> [Double] {
    let n = model.layout.states.count
    return buffer.withUnsafeMutableBufferPointer { pointer in
      guard let base = pointer.baseAddress else { return [] }
      model.jacobian.run(base)
      var matrix = [Double](repeating: 0, count: n * n)
      for entry in model.jacobianEntries { matrix[entry.row * n + entry.column] += base[entry.slot] }
      return matrix
    }
  }
}
