import OsteonCompile
import OsteonNetwork
import Testing

// d[S]/dt of a species made by n reactions is their sum. Up to
// `Lowering.chainLimit` (128) terms it is the left-to-right chain
// ((v0 + v1) + v2) + … (the bytecode and rounding every network had before
// there was a limit); above, chains of 128 joined as a balanced tree, so that no
// walk over the term recurses more than about 128 + log2(n/128) levels deep.

@Suite("Long sums")
struct LongSumTests {
  /// The derivative of S for n reactions (`-> S` for even i, `S ->` for odd i, so that
  /// both signs occur), with the first reaction's rate slot.
  static func derivative(reactions n: Int) throws -> (term: Term, firstRate: Int) {
    var text = "S = 1\n"
    for i in 0..<n { text += i % 2 == 0 ? "-> S; 1\n" : "S -> ; 1\n" }
    let loaded = Network.load(text: text, path: "sum.ant")
    let network = try #require(loaded.network, "\(loaded.renderedDiagnostics)")
    let model = try CompiledModel(network: network)
    return (try #require(model.derivativeTerms.first), model.layout.reactionBase)
  }

  /// The rate slots of a sum in order, with their signs, and its depth; nil when the
  /// term is not a sum of rate slots. Iterative, so that it cannot overflow itself.
  static func flatten(_ term: Term) -> (slots: [Int], signs: [Bool], depth: Int)? {
    var slots: [Int] = []
    var signs: [Bool] = []
    var depth = 0
    // (term, positive, depth); the right operand is pushed first so that the left
    // one comes out first.
    var stack: [(Term, Bool, Int)] = [(term, true, 1)]
    while let (node, positive, level) = stack.popLast() {
      depth = max(depth, level)
      switch node {
      case .slot(let slot):
        slots.append(slot)
        signs.append(positive)
      case .negate(.slot(let slot)):
        slots.append(slot)
        signs.append(!positive)
      case .binary(.add, let lhs, let rhs):
        stack.append((rhs, positive, level + 1))
        stack.append((lhs, positive, level + 1))
      case .binary(.subtract, let lhs, let rhs):
        stack.append((rhs, !positive, level + 1))
        stack.append((lhs, positive, level + 1))
      default:
        return nil
      }
    }
    return (slots, signs, depth)
  }

  @Test(arguments: [2, 14, 127, 128, 129, 300, 5_000])
  func sumsKeepEveryRateInOrderWithItsSign(reactions n: Int) throws {
    let (term, firstRate) = try Self.derivative(reactions: n)
    // A species in a compartment of constant size 1: the sum over the size.
    guard case .binary(.divide, let sum, .slot) = term else {
      Issue.record("not a sum over the size: \(term)")
      return
    }
    let flat = try #require(Self.flatten(sum))
    #expect(flat.slots == Array(firstRate..<(firstRate + n)))
    #expect(flat.signs == (0..<n).map { $0 % 2 == 0 })
    if n <= 128 {
      // A plain chain: one level per term.
      #expect(flat.depth == n)
    } else {
      let chains = (n + 127) / 128
      var levels = 0
      while 1 << levels < chains { levels += 1 }
      #expect(flat.depth <= 128 + levels, "depth \(flat.depth) for \(n) terms")
    }
  }
}
