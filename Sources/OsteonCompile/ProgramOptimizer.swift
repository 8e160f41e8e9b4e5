/// A peephole pass over freshly built bytecode. Interpreting costs mostly per
/// instruction dispatched, so it removes instructions without changing any result:
///
/// - a product kept in a scratch slot and read once, by a sum or difference, is
///   computed inside that instruction (`multiplyAdd` and its kin), and
/// - a value computed into a scratch slot only to be copied to a named slot is
///   computed there directly.
///
/// Scratch slots read from outside the program (the derivative and Jacobian slots
/// the integrator collects) are listed in `kept` and never removed. Rewrites stay
/// inside straight-line code: nothing is moved across a jump or a jump target.
struct ProgramOptimizer {
  /// Slots at and above this index are constants or scratch values of one program.
  let scratchBase: Int
  let kept: Set<Int>

  func optimize(_ instructions: [Instruction]) -> [Instruction] {
    compact(eliminateCopies(compact(fuseProducts(instructions))))
  }

  // MARK: - Analysis

  /// Slots an instruction reads.
  static func reads(_ instruction: Instruction) -> [Int] {
    let a = Int(instruction.a)
    let b = Int(instruction.b)
    switch instruction.operation {
    case .jump: return []
    case .copy, .negate, .not, .reciprocal, .square, .call1, .jumpIfZero: return [a]
    case .multiplyAdd, .multiplySubtract, .subtractMultiply: return [a, b, Int(instruction.c)]
    default: return [a, b]
    }
  }

  static func isJump(_ instruction: Instruction) -> Bool {
    instruction.operation == .jump || instruction.operation == .jumpIfZero
  }

  /// Reads per slot, the instructions writing each slot, and the jump targets.
  private func analyze(_ code: [Instruction?]) -> ([Int: Int], [Int: [Int]], Set<Int>) {
    (useCounts(code), definitions(code), jumpTargets(code))
  }

  private func useCounts(_ code: [Instruction?]) -> [Int: Int] {
    var counts: [Int: Int] = [:]
    for case let instruction? in code {
      for slot in Self.reads(instruction) { counts[slot, default: 0] += 1 }
    }
    return counts
  }

  private func definitions(_ code: [Instruction?]) -> [Int: [Int]] {
    var result: [Int: [Int]] = [:]
    for (index, instruction) in code.enumerated() {
      guard let instruction, !Self.isJump(instruction) else { continue }
      result[Int(instruction.destination), default: []].append(index)
    }
    return result
  }

  private func jumpTargets(_ code: [Instruction?]) -> Set<Int> {
    var targets: Set<Int> = []
    for case let instruction? in code where Self.isJump(instruction) { targets.insert(Int(instruction.destination)) }
    return targets
  }

  /// Whether `slot` is private to this program and read exactly once.
  private func isSingleUseScratch(_ slot: Int, uses: [Int: Int], definitions: [Int: [Int]]) -> Bool {
    slot >= scratchBase && !kept.contains(slot) && uses[slot] == 1 && definitions[slot]?.count == 1
  }

  /// Whether the code strictly after `start` up to and including `end` is straight
  /// and leaves `slots` unchanged before `end`.
  private func straight(_ code: [Instruction?], from start: Int, to end: Int, targets: Set<Int>, keeping slots: [Int])
    -> Bool
  {
    for index in (start + 1)...end {
      if targets.contains(index) { return false }
      guard let instruction = code[index] else { continue }
      if Self.isJump(instruction) { return false }
      if index < end, slots.contains(Int(instruction.destination)) { return false }
    }
    return true
  }

  // MARK: - Rewrites

  private func fuseProducts(_ instructions: [Instruction]) -> [Instruction?] {
    var code: [Instruction?] = instructions
    let (uses, defined, targets) = analyze(code)
    for index in code.indices {
      guard let sum = code[index], sum.operation == .add || sum.operation == .subtract else { continue }
      // Try the right operand first: sums are built left to right, so the left one
      // is usually the running total.
      for (operand, other, isLeft) in [(sum.b, sum.a, false), (sum.a, sum.b, true)] {
        let slot = Int(operand)
        guard isSingleUseScratch(slot, uses: uses, definitions: defined), let producer = defined[slot]?.first,
          producer < index, let product = code[producer], product.operation == .multiply,
          straight(code, from: producer, to: index, targets: targets, keeping: [Int(product.a), Int(product.b)])
        else { continue }
        var factors = (product.a, product.b)
        var negated = false
        // (-p)·y with the negation used only here: c + (-p)·y = c - p·y exactly
        // (-(p·y) - c has no fused form).
        if !(sum.operation == .subtract && isLeft),
          let (negation, source) = singleUseNegation(
            of: [product.a, product.b], in: code, before: producer, until: index, uses: uses, definitions: defined,
            targets: targets)
        {
          if factors.0 == code[negation]?.destination { factors.0 = source } else { factors.1 = source }
          negated = true
          code[negation] = nil
        }
        let operation: Instruction.Operation
        if sum.operation == .subtract && isLeft {
          operation = .multiplySubtract
        } else if (sum.operation == .add) == negated {
          operation = .subtractMultiply  // c - p·y
        } else {
          operation = .multiplyAdd  // c + p·y
        }
        code[index] = Instruction(
          operation: operation, destination: sum.destination, a: factors.0, b: factors.1, c: other)
        code[producer] = nil
        break
      }
    }
    return code
  }

  /// A factor of a product that is a negated slot read only there, and the slot:
  /// the negation can be folded into the sum that consumes the product.
  private func singleUseNegation(
    of factors: [Int32], in code: [Instruction?], before producer: Int, until end: Int, uses: [Int: Int],
    definitions: [Int: [Int]], targets: Set<Int>
  ) -> (index: Int, source: Int32)? {
    for factor in factors {
      let slot = Int(factor)
      guard isSingleUseScratch(slot, uses: uses, definitions: definitions), let index = definitions[slot]?.first,
        index < producer, let negation = code[index], negation.operation == .negate,
        straight(code, from: index, to: end, targets: targets, keeping: [Int(negation.a)])
      else { continue }
      return (index, negation.a)
    }
    return nil
  }

  private func eliminateCopies(_ instructions: [Instruction]) -> [Instruction?] {
    var code: [Instruction?] = instructions
    let (uses, defined, targets) = analyze(code)
    for index in code.indices.dropFirst() {
      guard let copy = code[index], copy.operation == .copy, !targets.contains(index),
        let producer = code[index - 1], !Self.isJump(producer),
        Int(producer.destination) == Int(copy.a),
        isSingleUseScratch(Int(copy.a), uses: uses, definitions: defined)
      else { continue }
      var retargeted = producer
      retargeted.destination = copy.destination
      code[index - 1] = retargeted
      code[index] = nil
    }
    return code
  }

  /// Drops removed instructions and renumbers jump targets.
  private func compact(_ code: [Instruction?]) -> [Instruction] {
    var newIndex = [Int](repeating: 0, count: code.count + 1)
    var next = 0
    for (index, instruction) in code.enumerated() {
      newIndex[index] = next
      if instruction != nil { next += 1 }
    }
    newIndex[code.count] = next
    var result: [Instruction] = []
    result.reserveCapacity(next)
    for case var instruction? in code {
      if Self.isJump(instruction) {
        let target = min(max(0, Int(instruction.destination)), code.count)
        instruction.destination = Int32(newIndex[target])
      }
      result.append(instruction)
    }
    return result
  }
}
