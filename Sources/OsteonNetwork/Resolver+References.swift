import OsteonSyntax

extension Resolver {
  /// Checks an expression's references and calls and returns it with built-in
  /// function names in their canonical spelling. `locals` are a function's arguments.
  mutating func resolveExpression(_ expression: Expression, locals: Set<String>? = nil, owner: String? = nil)
    -> Expression
  {
    expression.rewritten { node in
      switch node.kind {
      case .symbol(let name):
        checkReference(name, at: node.range, locals: locals, owner: owner)
        return node
      case .call(let name, let arguments):
        if let builtin = BuiltinFunction(spelling: name) {
          let (low, high) = builtin.arity
          if arguments.count < low || (high.map { arguments.count > $0 } ?? false) {
            error(
              "`\(name)` takes \(builtin.arityDescription), but \(arguments.count) \(arguments.count == 1 ? "was" : "were") given",
              at: node.range)
          }
          if builtin == .rateOf, arguments.count == 1, arguments[0].symbolName == nil {
            error(
              "`rateOf` takes the id of a model quantity, not an expression", at: arguments[0].range,
              hint: "write `rateOf(S1)`; for the rate of an expression, differentiate it by hand")
          }
          return Expression(.call(builtin.rawValue, arguments), range: node.range)
        }
        if ReservedWords.unsupportedFunctions.contains(name) { return node }  // reported by the parser
        if let function = functions[name] {
          if function.parameters.count != arguments.count {
            error(
              "function `\(name)` takes \(function.parameters.count) argument\(function.parameters.count == 1 ? "" : "s"), but \(arguments.count) \(arguments.count == 1 ? "was" : "were") given",
              at: node.range,
              hint:
                "`\(name)(\(function.parameters.map(\.text).joined(separator: ", ")))` is defined on line \(line(of: function.name.range))"
            )
          }
          return node
        }
        let candidates = Array(functions.keys) + BuiltinFunction.allCases.map(\.rawValue)
        let hint = Suggestions.closest(to: name, among: candidates).map { "did you mean `\($0)`?" }
        error("unknown function `\(name)`", at: Self.nameRange(of: node, name: name), hint: hint)
        return node
      default:
        return node
      }
    }
  }

  /// The range of a call's function name (the start of the call).
  static func nameRange(of node: Expression, name: String) -> SourceRange {
    SourceRange(start: node.range.start, end: node.range.start + name.utf8.count)
  }

  mutating func checkReference(_ name: String, at range: SourceRange, locals: Set<String>?, owner: String?) {
    if let locals {
      if locals.contains(name) { return }
      let owned = owner.map { "function `\($0)`" } ?? "a function"
      error(
        "`\(name)` is not an argument of \(owned); a function sees only its arguments", at: range,
        hint: "add `\(name)` to the function's arguments and pass it in the call")
      return
    }
    referenced.insert(name)
    if facts[name] != nil { return }
    // A path into an instance that does not exist was reported by the flattener.
    if let dot = name.lastIndex(of: "."), !instancePaths.contains(String(name[..<dot])) { return }
    if functions[name] != nil {
      error("`\(name)` is a function; call it with arguments, e.g. `\(name)(…)`", at: range)
      return
    }
    if ReservedWords.role(of: name) != nil { return }  // reported by the parser
    guard !reportedUnknown.contains(name) else { return }
    reportedUnknown.insert(name)
    let hint = Suggestions.closest(to: name, among: order).map { "did you mean `\($0)`?" }
    error(
      "unknown identifier `\(name)`: it is not declared, given a value, or produced by a reaction", at: range,
      hint: hint ?? "give it a value, e.g. `\(name) = 1`")
  }
}
