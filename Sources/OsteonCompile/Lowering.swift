import OsteonNetwork
import OsteonSyntax

/// Turns resolved expressions into terms over slots: names become slots, user
/// functions are inlined, logical and relational built-ins become operators, and
/// constants are folded.
struct Lowering {
  let network: Network
  let layout: ModelLayout
  let functions: [String: FunctionDefinition]

  init(network: Network, layout: ModelLayout) {
    self.network = network
    self.layout = layout
    var functions: [String: FunctionDefinition] = [:]
    for function in network.functions { functions[function.name] = function }
    self.functions = functions
  }

  func lower(_ expression: Expression) -> Term {
    lower(expression, arguments: [:]).simplified()
  }

  /// d(state)/dt: the rate rule, or Σ stoichiometry · rate (over the compartment size
  /// for a concentration, less the dilution when the size changes continuously: SBML
  /// keeps the amount, so [S]' = Σ ν·v / V − [S]·V'/V).
  func derivativeTerm(of id: String) -> Term {
    if case .rate(let expression) = network.rule(of: id) { return lower(expression) }
    guard let species = network.species(id) else { return .zero }
    var terms: [Term] = []
    for (position, reaction) in network.reactions.enumerated() {
      guard let coefficient = stoichiometryTerm(of: id, in: reaction) else { continue }
      let rate = Term.slot(layout.reactionBase + position)
      switch coefficient {
      case .one: terms.append(rate)
      case .constant(-1): terms.append(.negate(rate))
      default: terms.append(.binary(.multiply, coefficient, rate))
      }
    }
    let sum = Self.fold(terms[...]) { previous, term in
      if case .negate(let positive) = term { return .binary(.subtract, previous, positive) }
      return .binary(.add, previous, term)
    }
    var total = sum ?? .zero
    if let factor = species.conversionFactor, let slot = layout.slots[factor], sum != nil {
      // SBML Level 3: reactions change the species by the conversion factor times
      // their extent.
      total = .binary(.multiply, .slot(slot), total)
    }
    if species.hasOnlySubstanceUnits { return total.simplified() }
    guard let volumeSlot = layout.slots[species.compartment] else { return total.simplified() }
    var result = Term.binary(.divide, total, .slot(volumeSlot))
    if network.rule(of: species.compartment) != nil, let stateIndex = layout.stateIndex(of: id) {
      let dilution = Term.binary(
        .divide,
        .binary(.multiply, .slot(layout.stateBase + stateIndex), rateOfChange(of: species.compartment)),
        .slot(volumeSlot))
      result = .binary(.subtract, result, dilution)
    }
    return result.simplified()
  }

  /// The net stoichiometry of a species in a reaction (products minus reactants), a
  /// constant or reading the slots of named stoichiometries; `nil` when it is 0.
  func stoichiometryTerm(of species: String, in reaction: Reaction) -> Term? {
    var constant = 0.0
    var named: Term?
    func add(_ participant: Participant, sign: Double) {
      guard participant.species == species else { return }
      if let id = participant.stoichiometryID, let slot = layout.slots[id] {
        let value = sign < 0 ? Term.negate(.slot(slot)) : .slot(slot)
        named = named.map { .binary(.add, $0, value) } ?? value
      } else {
        constant += sign * participant.stoichiometry
      }
    }
    for participant in reaction.products { add(participant, sign: 1) }
    for participant in reaction.reactants { add(participant, sign: -1) }
    guard let named else { return constant == 0 ? nil : .constant(constant) }
    return (constant == 0 ? named : .binary(.add, named, .constant(constant))).simplified()
  }

  /// `rateOf(id)`: the rate of change of the id's value. A state's derivative, a
  /// rule's total time derivative through the states it reads, 0 for what changes
  /// only at events.
  func rateOfChange(of id: String, depth: Int = 0) -> Term {
    guard let slot = layout.slots[id], depth < 100 else { return .constant(.nan) }
    if layout.stateIndex(of: id) != nil { return derivativeTerm(of: id) }
    if case .assignment(let expression) = network.rule(of: id) {
      return timeDerivative(of: lower(expression), depth: depth)
    }
    if slot >= layout.reactionBase, slot < layout.namedSlotCount, let reaction = network.reaction(id) {
      return timeDerivative(of: lower(reaction.rate), depth: depth)
    }
    return .zero
  }

  /// d(term)/dt along the solution: ∂/∂t plus ∂/∂y·y' for the states, rules and
  /// rates it reads.
  private func timeDerivative(of term: Term, depth: Int) -> Term {
    term.derivative { slot in
      if slot == ModelLayout.timeSlot { return .one }
      guard let id = layout.id(ofSlot: slot), slot < layout.namedSlotCount else { return nil }
      if slot >= layout.parameterBase, slot < layout.ruleBase { return nil }
      let rate = rateOfChange(of: id, depth: depth + 1)
      return rate == .zero ? nil : rate
    }
  }

  private func lower(_ expression: Expression, arguments: [String: Term]) -> Term {
    switch expression.kind {
    case .number(let value): return .constant(value)
    case .constant(let constant): return .constant(constant.value)
    case .time: return .slot(ModelLayout.timeSlot)
    case .symbol(let name):
      if let argument = arguments[name] { return argument }
      if let slot = layout.slots[name] { return .slot(slot) }
      return .constant(.nan)  // unreachable for a resolved network
    case .negate(let inner): return .negate(lower(inner, arguments: arguments))
    case .not(let inner): return .not(lower(inner, arguments: arguments))
    case .binary(let op, let lhs, let rhs):
      return .binary(op, lower(lhs, arguments: arguments), lower(rhs, arguments: arguments))
    case .call(let name, let rawArguments):
      if name == BuiltinFunction.rateOf.rawValue, let id = rawArguments.first?.symbolName {
        // Inside a function, the argument passed in: `rateOf` of the id it names.
        switch arguments[id] {
        case nil: return rateOfChange(of: id)
        case .slot(ModelLayout.timeSlot): return .one
        case .slot(let slot): return layout.id(ofSlot: slot).map { rateOfChange(of: $0) } ?? .zero
        default: return .zero
        }
      }
      let values = rawArguments.map { lower($0, arguments: arguments) }
      if let function = functions[name] {
        var bound: [String: Term] = [:]
        for (parameter, value) in zip(function.parameters, values) { bound[parameter] = value }
        return lower(function.body, arguments: bound)
      }
      guard let builtin = BuiltinFunction(spelling: name) else { return .constant(.nan) }
      return Self.lowerBuiltin(builtin, values)
    }
  }

  /// The longest left-to-right chain a fold builds: longer folds are cut into chains of
  /// this many, joined as a balanced tree. Every walk over a term (simplification,
  /// differentiation, hashing, code generation, even its release) recurses as deep as
  /// the term, so a species made by 100,000 reactions overflowed the stack. 128 keeps
  /// a debug build within a 512 KiB stack (a macOS task's); up to the limit the
  /// bytecode and rounding are those of a plain chain (every shipped network, and all
  /// but one species of the BioModels corpus, which has 339 reactions).
  static let chainLimit = 128

  /// `items` combined left to right, `((a ∘ b) ∘ c) ∘ …`, in balanced chains of at
  /// most `chainLimit` items (see there); nil when there are none.
  static func fold(_ items: ArraySlice<Term>, _ combine: (Term, Term) -> Term) -> Term? {
    var chains: [Term] = []
    chains.reserveCapacity((items.count + chainLimit - 1) / chainLimit)
    var start = items.startIndex
    while start < items.endIndex {
      let end = min(start + chainLimit, items.endIndex)
      var chain = items[start]
      for item in items[(start + 1)..<end] { chain = combine(chain, item) }
      chains.append(chain)
      start = end
    }
    // Pairs of neighbours, level by level: the order of the items is kept.
    while chains.count > 1 {
      chains = stride(from: 0, to: chains.count, by: 2).map { index in
        index + 1 < chains.count ? combine(chains[index], chains[index + 1]) : chains[index]
      }
    }
    return chains.first
  }

  /// Rewrites n-ary logic, relations and arithmetic forms into operators so the
  /// rest of the compiler sees few shapes.
  static func lowerBuiltin(_ builtin: BuiltinFunction, _ values: [Term]) -> Term {
    func fold(_ op: BinaryOperator, _ items: [Term], empty: Term) -> Term {
      Self.fold(items[...]) { .binary(op, $0, $1) } ?? empty
    }
    func relation(_ op: BinaryOperator) -> Term {
      guard values.count >= 2 else { return .one }
      var pairs: [Term] = []
      for index in 0..<(values.count - 1) { pairs.append(.binary(op, values[index], values[index + 1])) }
      return fold(.and, pairs, empty: .one)
    }
    switch builtin {
    case .and: return fold(.and, values, empty: .one)
    case .or: return fold(.or, values, empty: .zero)
    case .not: return .not(values.first ?? .zero)
    case .xor:
      // odd number of true operands
      guard var result = values.first.map({ Term.binary(.notEqual, $0, .zero) }) else { return .zero }
      for value in values.dropFirst() { result = .binary(.notEqual, result, .binary(.notEqual, value, .zero)) }
      return result
    case .implies:
      return .binary(.or, .not(values.first ?? .zero), .binary(.notEqual, values.count > 1 ? values[1] : .zero, .zero))
    case .lt: return relation(.less)
    case .leq: return relation(.lessEqual)
    case .gt: return relation(.greater)
    case .geq: return relation(.greaterEqual)
    case .eq: return relation(.equal)
    case .neq: return relation(.notEqual)
    case .plus: return fold(.add, values, empty: .zero)
    case .times: return fold(.multiply, values, empty: .one)
    case .minus:
      return values.count == 1
        ? .negate(values[0]) : .binary(.subtract, values.first ?? .zero, values.count > 1 ? values[1] : .zero)
    case .divide: return .binary(.divide, values.first ?? .zero, values.count > 1 ? values[1] : .one)
    case .pow: return .binary(.power, values.first ?? .zero, values.count > 1 ? values[1] : .one)
    case .piecewise:
      var branches: [Term.Branch] = []
      var index = 0
      while index + 1 < values.count {
        branches.append(Term.Branch(value: values[index], condition: values[index + 1]))
        index += 2
      }
      let otherwise = values.count % 2 == 1 ? values[values.count - 1] : .constant(.nan)
      return .piecewise(branches, otherwise: otherwise)
    default:
      return .call(builtin, values)
    }
  }
}
