import OsteonTestSupport
import Testing

@testable import OsteonCompile

// The peephole optimizer must not change any value a caller can read: programs of
// random terms (sums of products, negations, piecewise branches, shared subterms)
// are run optimized and unoptimized and compared bit for bit, and both against the
// tree evaluator `Term.evaluate` (the independent reference).

/// Slots 0–3 are inputs the terms read; 4 and 5 are named results they never read.
private let inputSlots = 4
private let namedSlots = 6

private func randomTerm(depth: Int, using generator: inout SplitMix64) -> Term {
  if depth == 0 || Int.random(in: 0..<5, using: &generator) == 0 {
    return Bool.random(using: &generator)
      ? .slot(Int.random(in: 0..<inputSlots, using: &generator))
      : .constant(Double(Int.random(in: -3...3, using: &generator)) / 2)
  }
  let left = randomTerm(depth: depth - 1, using: &generator)
  let right = randomTerm(depth: depth - 1, using: &generator)
  switch Int.random(in: 0..<8, using: &generator) {
  case 0, 1: return .binary(.add, .binary(.multiply, left, right), randomTerm(depth: depth - 1, using: &generator))
  case 2: return .binary(.subtract, left, .binary(.multiply, .negate(right), left))
  case 3: return .binary(.subtract, .binary(.multiply, .negate(left), right), right)
  case 4: return .negate(left)
  case 5: return .binary(.divide, left, .binary(.add, .constant(4), .binary(.multiply, right, right)))
  case 6:
    return .piecewise(
      [Term.Branch(value: .binary(.multiply, left, right), condition: .binary(.less, left, right))],
      otherwise: .binary(.add, .binary(.multiply, right, .constant(2)), left))
  default: return .binary(.add, left, right)
  }
}

@Test func optimizedProgramsComputeTheSameValues() throws {
  var generator = SplitMix64(seed: 99)
  var removed = 0
  for _ in 0..<300 {
    let allocator = SlotAllocator(firstFree: namedSlots)
    let builder = ProgramBuilder(slots: allocator)
    let terms = (0..<4).map { _ in randomTerm(depth: 4, using: &generator) }
    // Two terms assigned to named slots (4 and 5, read afterwards), two left in
    // scratch slots that the caller reads (like derivative slots).
    builder.assign(terms[0], to: 4)
    let kept = [builder.value(of: terms[1]), builder.value(of: terms[2])]
    builder.assign(terms[3], to: 5)
    let plain = Program(builder.instructions)
    let optimized = builder.build(keeping: Set(kept))
    removed += plain.count - optimized.count
    #expect(optimized.count <= plain.count)

    let inputs = (0..<inputSlots).map { _ in Double.random(in: -2...2, using: &generator) }
    var buffer = [Double](repeating: 0, count: allocator.next)
    for (index, value) in inputs.enumerated() { buffer[index] = value }
    for (slot, value) in allocator.constants { buffer[slot] = value }
    var before = buffer
    var after = buffer
    before.withUnsafeMutableBufferPointer { plain.run($0.baseAddress!) }
    after.withUnsafeMutableBufferPointer { optimized.run($0.baseAddress!) }
    for slot in [4, 5] + kept {
      #expect(before[slot].bitPattern == after[slot].bitPattern, "slot \(slot): \(before[slot]) vs \(after[slot])")
    }
    // Against the tree evaluator.
    func input(_ slot: Int) -> Double { slot < inputSlots ? inputs[slot] : .nan }
    let reference = [
      (4, terms[0].evaluate(input)), (kept[0], terms[1].evaluate(input)), (kept[1], terms[2].evaluate(input)),
      (5, terms[3].evaluate(input)),
    ]
    for (slot, value) in reference where value.isFinite {
      #expect(abs(after[slot] - value) <= 1e-12 * max(1, abs(value)), "slot \(slot): \(after[slot]) vs \(value)")
    }
  }
  // The rewrites do happen on terms like these.
  #expect(removed > 300)
}

@Test func jumpTargetsSurviveRemovedInstructions() {
  // A piecewise term whose branches contain fusable products: the jumps must still
  // land on the right instructions after the products are folded away.
  let x = Term.slot(0)
  let y = Term.slot(1)
  let term = Term.piecewise(
    [Term.Branch(value: .binary(.add, .binary(.multiply, x, y), y), condition: .binary(.greater, x, y))],
    otherwise: .binary(.subtract, y, .binary(.multiply, .negate(x), x)))
  let allocator = SlotAllocator(firstFree: 3)
  let builder = ProgramBuilder(slots: allocator)
  builder.assign(term, to: 2)
  let program = builder.build()
  #expect(program.count < builder.instructions.count)
  for (xValue, yValue) in [(3.0, 2.0), (1.0, 5.0), (-2.0, -1.0)] {
    var buffer = [Double](repeating: 0, count: allocator.next)
    buffer[0] = xValue
    buffer[1] = yValue
    for (slot, value) in allocator.constants { buffer[slot] = value }
    buffer.withUnsafeMutableBufferPointer { program.run($0.baseAddress!) }
    let expected = xValue > yValue ? xValue * yValue + yValue : yValue + xValue * xValue
    #expect(buffer[2] == expected, "x=\(xValue) y=\(yValue)")
  }
}
