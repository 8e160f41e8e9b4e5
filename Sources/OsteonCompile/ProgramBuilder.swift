import OsteonSyntax

/// Hands out slots beyond the named quantities: one per distinct constant, and
/// fresh scratch slots. Shared by all programs of a model so they use one buffer.
final class SlotAllocator {
  /// The first slot after the named quantities: constants and scratch values.
  let firstFree: Int
  private(set) var next: Int
  private(set) var constants: [(slot: Int, value: Double)] = []
  private var constantSlots: [UInt64: Int] = [:]

  init(firstFree: Int) {
    self.firstFree = firstFree
    next = firstFree
  }

  func scratch() -> Int {
    defer { next += 1 }
    return next
  }

  func constant(_ value: Double) -> Int {
    if let slot = constantSlots[value.bitPattern] { return slot }
    let slot = scratch()
    constantSlots[value.bitPattern] = slot
    constants.append((slot, value))
    return slot
  }
}

/// Code hoisted out of the right-hand side and Jacobian programs: every instruction
/// whose operands do not move with time or the states (parameters, constants, rules
/// of parameters only, and values computed from them). It runs once at the start and
/// again whenever an event, an intervention or `setValue` changes a value, instead
/// of at every evaluation.
final class InvariantCode {
  /// Time, states and the rules and rates that read them.
  private let moving: Set<Int>
  private(set) var instructions: [Instruction] = []

  init(moving: Set<Int>) {
    self.moving = moving
  }

  func moves(_ slot: Int) -> Bool { moving.contains(slot) }

  func append(_ instruction: Instruction) { instructions.append(instruction) }

  /// Every slot written stays: the other programs read them.
  func build() -> Program {
    Program(instructions)
  }
}

/// Lowers terms to register bytecode. Identical subterms are computed once (outside
/// conditional branches); piecewise branches are evaluated lazily with jumps.
final class ProgramBuilder {
  let slots: SlotAllocator
  private(set) var instructions: [Instruction] = []
  private var memo: [MemoKey: Int] = [:]
  /// Where instructions that read no moving value go instead (see `InvariantCode`).
  private let invariants: InvariantCode?
  /// Slots this program writes (outside the invariant code): they move with it.
  private var computedHere: Set<Int> = []
  /// Inside a piecewise branch nothing is hoisted: it may not run.
  private var conditionalDepth = 0

  init(slots: SlotAllocator, hoistingInto invariants: InvariantCode? = nil) {
    self.slots = slots
    self.invariants = invariants
  }

  /// The program, optimized; `kept` lists the scratch slots read from outside it.
  func build(keeping kept: Set<Int> = []) -> Program {
    Program(ProgramOptimizer(scratchBase: slots.firstFree, kept: kept).optimize(instructions))
  }

  private func emit(_ operation: Instruction.Operation, _ destination: Int, _ a: Int, _ b: Int = 0, function: UInt8 = 0)
  {
    let instruction = Instruction(
      operation: operation, function: function, destination: Int32(destination), a: Int32(a), b: Int32(b))
    if let invariants, conditionalDepth == 0, !ProgramOptimizer.isJump(instruction),
      ProgramOptimizer.reads(instruction).allSatisfy({ !computedHere.contains($0) && !invariants.moves($0) })
    {
      invariants.append(instruction)
      return
    }
    instructions.append(instruction)
    if !ProgramOptimizer.isJump(instruction) { computedHere.insert(destination) }
  }

  /// Computes `term` into `target`.
  func assign(_ term: Term, to target: Int) {
    let source = value(of: term)
    if source != target { emit(.copy, target, source) }
  }

  /// Forgets computed subterms; needed after a named slot they read is overwritten.
  func forgetComputedValues() {
    memo.removeAll()
  }

  /// The slot holding the term's value, emitting code as needed.
  func value(of term: Term) -> Int {
    switch term {
    case .constant(let number): return slots.constant(number)
    case .slot(let index): return index
    default: break
    }
    let key = MemoKey(term)
    if let known = memo[key] { return known }
    let result = compute(term)
    memo[key] = result
    return result
  }

  private func compute(_ term: Term) -> Int {
    switch term {
    case .constant(let number): return slots.constant(number)
    case .slot(let index): return index
    case .negate(let inner):
      let operand = value(of: inner)
      let destination = slots.scratch()
      emit(.negate, destination, operand)
      return destination
    case .not(let inner):
      let operand = value(of: inner)
      let destination = slots.scratch()
      emit(.not, destination, operand)
      return destination
    case .binary(let op, let lhs, let rhs):
      if op == .power, let exponent = rhs.constantValue, let special = power(lhs, exponent) { return special }
      let left = value(of: lhs)
      let right = value(of: rhs)
      let destination = slots.scratch()
      emit(Self.operation(op), destination, left, right)
      return destination
    case .call(let function, let arguments):
      return call(function, arguments)
    case .piecewise(let branches, let otherwise):
      conditionalDepth += 1
      defer { conditionalDepth -= 1 }
      let destination = slots.scratch()
      var jumpsToEnd: [Int] = []
      for branch in branches {
        let saved = memo
        let condition = value(of: branch.condition)
        let skip = instructions.count
        emit(.jumpIfZero, 0, condition)
        let result = value(of: branch.value)
        emit(.copy, destination, result)
        jumpsToEnd.append(instructions.count)
        emit(.jump, 0, 0)
        instructions[skip].destination = Int32(instructions.count)
        // Values computed inside a branch may not have run: forget them.
        memo = saved
      }
      let saved = memo
      let fallback = value(of: otherwise)
      emit(.copy, destination, fallback)
      memo = saved
      for jump in jumpsToEnd { instructions[jump].destination = Int32(instructions.count) }
      return destination
    }
  }

  /// Small integer and half powers without calling `pow`.
  private func power(_ base: Term, _ exponent: Double) -> Int? {
    switch exponent {
    case 1: return value(of: base)
    case 2:
      let x = value(of: base)
      let destination = slots.scratch()
      emit(.square, destination, x)
      return destination
    case 3:
      let x = value(of: base)
      let square = slots.scratch()
      emit(.square, square, x)
      let destination = slots.scratch()
      emit(.multiply, destination, square, x)
      return destination
    case 4:
      let x = value(of: base)
      let square = slots.scratch()
      emit(.square, square, x)
      let destination = slots.scratch()
      emit(.square, destination, square)
      return destination
    case -1:
      let x = value(of: base)
      let destination = slots.scratch()
      emit(.reciprocal, destination, x)
      return destination
    case -2:
      let x = value(of: base)
      let square = slots.scratch()
      emit(.square, square, x)
      let destination = slots.scratch()
      emit(.reciprocal, destination, square)
      return destination
    case 0.5:
      let x = value(of: base)
      let destination = slots.scratch()
      emit(.call1, destination, x, function: FunctionCode.sqrt.rawValue)
      return destination
    default:
      return nil
    }
  }

  private func call(_ function: BuiltinFunction, _ arguments: [Term]) -> Int {
    let values = arguments.map { value(of: $0) }
    func unary(_ code: FunctionCode) -> Int {
      let destination = slots.scratch()
      emit(.call1, destination, values.first ?? slots.constant(.nan), function: code.rawValue)
      return destination
    }
    func binary(_ code: FunctionCode, _ x: Int, _ y: Int) -> Int {
      let destination = slots.scratch()
      emit(.call2, destination, x, y, function: code.rawValue)
      return destination
    }
    switch function {
    case .log where values.count == 2: return binary(.logBase, values[0], values[1])
    case .log, .ln: return unary(.ln)
    case .root where values.count == 2: return binary(.root, values[0], values[1])
    case .root, .sqrt: return unary(.sqrt)
    case .pow:
      let destination = slots.scratch()
      emit(.power, destination, values.first ?? slots.constant(.nan), values.count > 1 ? values[1] : slots.constant(1))
      return destination
    case .sqr:
      let destination = slots.scratch()
      emit(.square, destination, values.first ?? slots.constant(.nan))
      return destination
    case .quotient:
      return binary(
        .quotient, values.first ?? slots.constant(.nan), values.count > 1 ? values[1] : slots.constant(.nan))
    case .rem:
      return binary(
        .remainder, values.first ?? slots.constant(.nan), values.count > 1 ? values[1] : slots.constant(.nan))
    case .min, .max:
      guard var result = values.first else { return slots.constant(.nan) }
      if values.count == 1 { return result }
      for next in values.dropFirst() { result = binary(function == .min ? .minimum : .maximum, result, next) }
      return result
    default:
      if let code = FunctionCode.allCases.first(where: {
        $0.builtin == function && $0.rawValue < FunctionCode.logBase.rawValue
      }) {
        return unary(code)
      }
      // Forms that lowering rewrites never reach here; evaluate generically.
      return slots.constant(.nan)
    }
  }

  /// A term as a memo key, with a hash of its top levels only, computed once.
  /// `Term`'s own hash reads the whole tree, so looking up every node of a long sum
  /// would take time quadratic in its length; the few top levels tell terms apart as
  /// well in practice, and equal hashes are still confirmed by comparing the terms.
  private struct MemoKey: Hashable {
    let term: Term
    let topHash: Int

    init(_ term: Term) {
      self.term = term
      var hasher = Hasher()
      Self.hashTop(term, depth: 0, into: &hasher)
      topHash = hasher.finalize()
    }

    static func == (lhs: MemoKey, rhs: MemoKey) -> Bool { lhs.topHash == rhs.topHash && lhs.term == rhs.term }

    func hash(into hasher: inout Hasher) { hasher.combine(topHash) }

    /// Levels below the root that the hash reads.
    static let depthLimit = 4
    /// Arguments or branches of one node that the hash reads (their count always).
    static let breadthLimit = 4

    static func hashTop(_ term: Term, depth: Int, into hasher: inout Hasher) {
      guard depth <= depthLimit else { return }
      switch term {
      case .constant(let value):
        hasher.combine(0)
        hasher.combine(value.bitPattern)
      case .slot(let index):
        hasher.combine(1)
        hasher.combine(index)
      case .negate(let inner):
        hasher.combine(2)
        hashTop(inner, depth: depth + 1, into: &hasher)
      case .not(let inner):
        hasher.combine(3)
        hashTop(inner, depth: depth + 1, into: &hasher)
      case .binary(let op, let lhs, let rhs):
        hasher.combine(4)
        hasher.combine(op)
        hashTop(lhs, depth: depth + 1, into: &hasher)
        hashTop(rhs, depth: depth + 1, into: &hasher)
      case .call(let function, let arguments):
        hasher.combine(5)
        hasher.combine(function)
        hasher.combine(arguments.count)
        for argument in arguments.prefix(breadthLimit) { hashTop(argument, depth: depth + 1, into: &hasher) }
      case .piecewise(let branches, let otherwise):
        hasher.combine(6)
        hasher.combine(branches.count)
        for branch in branches.prefix(breadthLimit) {
          hashTop(branch.value, depth: depth + 1, into: &hasher)
          hashTop(branch.condition, depth: depth + 1, into: &hasher)
        }
        hashTop(otherwise, depth: depth + 1, into: &hasher)
      }
    }
  }

  static func operation(_ op: BinaryOperator) -> Instruction.Operation {
    switch op {
    case .add: return .add
    case .subtract: return .subtract
    case .multiply: return .multiply
    case .divide: return .divide
    case .power: return .power
    case .less: return .less
    case .lessEqual: return .lessEqual
    case .greater: return .greater
    case .greaterEqual: return .greaterEqual
    case .equal: return .equal
    case .notEqual: return .notEqual
    case .and: return .and
    case .or: return .or
    }
  }
}
