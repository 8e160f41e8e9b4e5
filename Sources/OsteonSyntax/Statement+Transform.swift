extension SourceRange {
  /// The range moved by `offset` bytes (`.none` stays `.none`): where a file's ranges
  /// lie once several files share one space of offsets.
  public func shifted(by offset: Int) -> SourceRange {
    isNone || offset == 0 ? self : SourceRange(start: start + offset, end: end + offset)
  }
}

/// How to carry a statement into another place: the ids it names and reads renamed
/// (an instance's ids get the instance's path), its ranges moved to their file's
/// place among all loaded files.
public struct StatementTransform {
  public var rename: (String) -> String
  public var offset: Int
  /// An expression to read in place of an id (given before renaming); `nil` keeps the
  /// renamed id.
  public var substitute: (String) -> Expression?

  public init(
    rename: @escaping (String) -> String = { $0 }, offset: Int = 0,
    substitute: @escaping (String) -> Expression? = { _ in nil }
  ) {
    self.rename = rename
    self.offset = offset
    self.substitute = substitute
  }

  public func name(_ name: Name) -> Name {
    Name(rename(name.text), name.range.shifted(by: offset))
  }

  /// Symbols renamed and ranges moved; function names, `time` and constants stay.
  public func expression(_ expression: Expression) -> Expression {
    expression.rewritten { node in
      var copy = node
      copy.range = node.range.shifted(by: offset)
      if case .symbol(let id) = node.kind {
        if var replacement = substitute(id) {
          replacement.range = copy.range
          return replacement
        }
        copy.kind = .symbol(rename(id))
      }
      return copy
    }
  }

  public func statement(_ statement: Statement) -> Statement {
    switch statement {
    case .declaration(var declaration):
      declaration.items = declaration.items.map { item in
        var copy = item
        copy.name = name(item.name)
        copy.compartment = item.compartment.map(name)
        copy.value = item.value.map(expression)
        copy.rule = item.rule.map(expression)
        return copy
      }
      return .declaration(declaration)
    case .reaction(var reaction):
      func terms(_ list: [ReactionTerm]) -> [ReactionTerm] {
        list.map { term in
          var copy = term
          copy.species = name(term.species)
          copy.stoichiometryName = term.stoichiometryName.map(name)
          return copy
        }
      }
      reaction.name = reaction.name.map(name)
      reaction.reactants = terms(reaction.reactants)
      reaction.products = terms(reaction.products)
      reaction.rate = reaction.rate.map(expression)
      reaction.range = reaction.range.shifted(by: offset)
      return .reaction(reaction)
    case .initialValue(let target, let value):
      return .initialValue(target: name(target), value: expression(value))
    case .assignmentRule(let target, let value):
      return .assignmentRule(target: name(target), value: expression(value))
    case .rateRule(let target, let value):
      return .rateRule(target: name(target), value: expression(value))
    case .emptyRateRule(let target):
      return .emptyRateRule(target: name(target))
    case .event(var event):
      event.name = event.name.map(name)
      event.trigger = expression(event.trigger)
      event.delay = event.delay.map(expression)
      event.attributes = event.attributes.map {
        EventAttribute(name: Name($0.name.text, $0.name.range.shifted(by: offset)), value: expression($0.value))
      }
      event.assignments = event.assignments.map { (name($0.target), expression($0.value)) }
      event.range = event.range.shifted(by: offset)
      return .event(event)
    case .displayName(let target, let text):
      return .displayName(target: name(target), text: text)
    case .annotation(let target, let key, let value):
      return .annotation(target: name(target), key: key, value: value)
    case .unitDefinition(let unit):
      // Units are global: their names stay.
      return .unitDefinition(Name(unit.text, unit.range.shifted(by: offset)))
    case .instance(var instance):
      instance.name = name(instance.name)
      instance.model = Name(instance.model.text, instance.model.range.shifted(by: offset))
      instance.arguments = instance.arguments.map(name)
      instance.timeConversion = instance.timeConversion.map(expression)
      instance.extentConversion = instance.extentConversion.map(expression)
      instance.range = instance.range.shifted(by: offset)
      return .instance(instance)
    case .synchronization(let first, let second, let factor):
      return .synchronization(name(first), name(second), factor: factor.map(name))
    case .deletion(let target):
      return .deletion(name(target))
    case .conversionFactor(let target, let factor):
      return .conversionFactor(target: target.map(name), factor: name(factor))
    }
  }
}

extension SyntaxTree {
  /// Every range moved by `offset`: the tree of a file that shares one space of
  /// offsets with others (imports).
  public func shifted(by offset: Int) -> SyntaxTree {
    guard offset != 0 else { return self }
    let transform = StatementTransform(offset: offset)
    var copy = self
    copy.models = models.map { model in
      var moved = model
      moved.name = transform.name(model.name)
      moved.parameters = model.parameters.map(transform.name)
      moved.statements = model.statements.map(transform.statement)
      return moved
    }
    copy.functions = functions.map { function in
      FunctionSyntax(
        name: transform.name(function.name), parameters: function.parameters.map(transform.name),
        body: transform.expression(function.body))
    }
    copy.imports = imports.map { ImportSyntax(path: $0.path, range: $0.range.shifted(by: offset)) }
    return copy
  }
}
