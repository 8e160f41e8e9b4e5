import OsteonTestSupport
import Testing

@testable import OsteonCompile

// Hoisting moves what reads neither time nor the states out of the right-hand side
// and Jacobian programs. Random terms over moving and fixed inputs are built with and
// without hoisting: the invariant code, run once, plus the program, run at any number
// of moving inputs, must give the unhoisted program's bits.

/// Slots 0–1 move (time, states); 2–3 are parameters; 4 and 5 are named results.
private let movingSlots: Set<Int> = [0, 1]
private let inputSlots = 4
private let namedSlots = 6

private func randomTerm(depth: Int, using generator: inout SplitMix64) -> Term {
  if depth == 0 || Int.random(in: 0..<4, using: &generator) == 0 {
    return Int.random(in: 0..<4, using: &generator) == 0
      ? .constant(Double(Int.random(in: 1...5, using: &generator)))
      : .slot(Int.random(in: 0..<inputSlots, using: &generator))
  }
  let left = randomTerm(depth: depth - 1, using: &generator)
  let right = randomTerm(depth: depth - 1, using: &generator)
  switch Int.random(in: 0..<7, using: &generator) {
  case 0: return .binary(.add, .binary(.multiply, left, right), randomTerm(depth: depth - 1, using: &generator))
  case 1: return .binary(.divide, left, .binary(.add, .constant(4), .binary(.multiply, right, right)))
  case 2: return .negate(left)
  case 3: return .call(.exp, [.binary(.multiply, .constant(0.1), left)])
  case 4:
    return .piecewise(
      [Term.Branch(value: .binary(.multiply, left, right), condition: .binary(.less, left, right))],
      otherwise: .binary(.add, right, left))
  default: return .binary(.subtract, left, right)
  }
}

@Test func hoistedCodeComputesTheSameBits() throws {
  var generator = SplitMix64(seed: 7)
  var hoisted = 0
  for _ in 0..<300 {
    let terms = (0..<4).map { _ in randomTerm(depth: 4, using: &generator) }
    func build(hoisting: Bool) -> (Program, Program?, [Int], SlotAllocator) {
      let allocator = SlotAllocator(firstFree: namedSlots)
      let invariants = hoisting ? InvariantCode(moving: movingSlots) : nil
      let builder = ProgramBuilder(slots: allocator, hoistingInto: invariants)
      // Named slot 4 is read by the later terms, as a rule is by rates.
      builder.assign(terms[0], to: 4)
      let reads4 = Term.binary(.add, terms[1], .slot(4))
      let kept = [builder.value(of: reads4), builder.value(of: terms[2])]
      builder.assign(terms[3], to: 5)
      return (builder.build(keeping: Set(kept)), invariants?.build(), kept, allocator)
    }
    let (plain, _, plainKept, plainSlots) = build(hoisting: false)
    let (program, invariants, kept, slots) = build(hoisting: true)
    let invariantCode = try #require(invariants)
    hoisted += invariantCode.count
    var parameters = [
      0.0, 0.0, Double.random(in: -2...2, using: &generator), Double.random(in: 0.5...2, using: &generator),
    ]
    var hoistedBuffer = [Double](repeating: 0, count: slots.next)
    for (slot, value) in slots.constants { hoistedBuffer[slot] = value }
    for round in 0..<3 {
      // New moving inputs every round; the parameters change only in the last, after
      // which the invariant code runs again (as after an event).
      parameters[0] = Double.random(in: -2...2, using: &generator)
      parameters[1] = Double.random(in: -2...2, using: &generator)
      if round == 2 { parameters[3] *= 1.5 }
      var plainBuffer = [Double](repeating: 0, count: plainSlots.next)
      for (slot, value) in plainSlots.constants { plainBuffer[slot] = value }
      for index in 0..<inputSlots {
        plainBuffer[index] = parameters[index]
        hoistedBuffer[index] = parameters[index]
      }
      plainBuffer.withUnsafeMutableBufferPointer { plain.run($0.baseAddress!) }
      hoistedBuffer.withUnsafeMutableBufferPointer { buffer in
        if round != 1 { invariantCode.run(buffer.baseAddress!) }
        program.run(buffer.baseAddress!)
      }
      for (a, b) in zip([4, 5] + plainKept, [4, 5] + kept) {
        #expect(
          plainBuffer[a].bitPattern == hoistedBuffer[b].bitPattern || (plainBuffer[a].isNaN && hoistedBuffer[b].isNaN),
          "round \(round): \(plainBuffer[a]) vs \(hoistedBuffer[b])")
      }
    }
  }
  // Terms like these have parts that read parameters only.
  #expect(hoisted > 300)
}

@Test func nothingMovingIsHoistedAndNothingInsideABranch() {
  let x = Term.slot(0)  // moving
  let p = Term.slot(2)  // a parameter
  let allocator = SlotAllocator(firstFree: namedSlots)
  let invariants = InvariantCode(moving: movingSlots)
  let builder = ProgramBuilder(slots: allocator, hoistingInto: invariants)
  // p·p is hoisted; x·(p·p) is not; inside the branch p + 1 stays (it may not run).
  builder.assign(.binary(.multiply, x, .binary(.multiply, p, p)), to: 4)
  builder.assign(
    .piecewise([Term.Branch(value: .binary(.add, p, .constant(1)), condition: .binary(.less, x, p))], otherwise: p),
    to: 5)
  let hoisted = invariants.build().instructions
  #expect(hoisted.count == 1)
  #expect(hoisted.first.map { $0.operation == .multiply && $0.a == 2 && $0.b == 2 } == true)
  #expect(!builder.instructions.contains { $0.a == 2 && $0.b == 2 })
  #expect(builder.instructions.contains { $0.operation == .add })
}
