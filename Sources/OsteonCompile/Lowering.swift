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

  /// Rewrites n-ary logic, relations and arithmetic forms into operators so the
  /// rest of the compiler sees few shapes.
  static func lowerBuiltin(_ builtin: BuiltinFunction, _ values: [Term]) -> Term {
    func fold(_ op: BinaryOperator, _ items: [Term], empty: Term) -> Term {
      guard var result = items.first else { return empty }
      for item in items.dropFirst() { result = .binary(op, result, item) }
      return result
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
