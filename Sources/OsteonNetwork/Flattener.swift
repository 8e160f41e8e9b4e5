import OsteonSyntax

/// Turns a model with instances (`A: lemaire2004()`) into the flat list of statements
/// of one model, before resolution: each instance's statements come first, with its
/// ids under its path (`A.OBp`), then the model's own, so that what the containing
/// model says about an instance's quantity is said last and wins. Synchronized ids
/// (`A.PTH is PTH`, and the arguments of an instance) become one: the containing
/// model's id survives (between two instances' ids, the one written second), with its
/// own value or rule when it has one, else the other's. Nothing of this costs
/// anything at run time: the result is one network.
struct Flattener {
  /// One synchronization: `loser` becomes `survivor` (with a factor, survivor = factor·loser).
  private struct Merge {
    var loser: String
    var survivor: String
    var factor: String?
    /// How the user wrote it, for messages: `A.S is S`, or an instance's argument.
    var written: String
    var range: SourceRange
  }

  /// What an id is, where the syntax already says so; `is` cannot join two kinds.
  private enum Kind: String {
    case species
    case compartment
    case reaction
    case event
  }

  let definitions: [String: ModelDefinition]
  var diagnostics: [Diagnostic] = []
  /// Loser → survivor of each synchronization, in the order written; with a factor,
  /// the survivor is the factor times the loser.
  private var merges: [Merge] = []
  private var deletions: [Name] = []
  /// Model-level conversion factors: (instance path prefix, factor id).
  private(set) var defaultConversionFactors: [(prefix: String, factor: String)] = []
  private(set) var instances: [InstanceOrigin] = []
  /// The synchronizations made, in the order written.
  private(set) var synchronizations: [Synchronization] = []
  /// Ids whose `x' = ;` took away a synchronized id's rate rule.
  private var clearedRules: Set<String> = []

  init(definitions: [String: ModelDefinition]) {
    self.definitions = definitions
  }

  /// The flat statements of `model` (the main model, which no instance path prefixes).
  mutating func flatten(_ model: ModelSyntax) -> [Statement] {
    let statements = flatten(model, prefix: "", chain: [model.name.text], replaced: [])
    return withoutEmptyRules(merged(deleted(statements)))
  }

  /// Drops what is left of `x' = ;` once synchronization has used it, warning about
  /// each one that took nothing away.
  private mutating func withoutEmptyRules(_ statements: [Statement]) -> [Statement] {
    let isEmptyRule: (Statement) -> Bool = {
      if case .emptyRateRule = $0 { true } else { false }
    }
    guard statements.contains(where: isEmptyRule) else { return statements }
    return statements.filter { statement in
      guard case .emptyRateRule(let target) = statement else { return true }
      if !clearedRules.contains(target.text) {
        diagnostics.append(
          .warning("the rate rule for `\(target.text)` has no maths; it is ignored", at: target.range))
      }
      return false
    }
  }

  // MARK: - Instances

  /// `replaced`: the ids that synchronizations in this model or around it replace.
  private mutating func flatten(_ model: ModelSyntax, prefix: String, chain: [String], replaced: Set<String>)
    -> [Statement]
  {
    if prefix.isEmpty, !model.mentionsPaths, !model.statements.contains(where: Self.isModular) {
      return model.statements  // a plain model: nothing to flatten, nothing to copy
    }
    let rename: (String) -> String = { prefix + $0 }
    var replaced = replaced
    for case .synchronization(let first, let second, let factor) in model.statements {
      replaced.insert(rename(Self.loser(first, second, factor: factor).text))
    }
    var result: [Statement] = []
    var instanceNames: Set<String> = []
    for statement in model.statements {
      guard case .instance(let instance) = statement else { continue }
      instanceNames.insert(instance.name.text)
      result += instantiate(instance, in: prefix, chain: chain, replaced: replaced)
    }
    let transform = StatementTransform(rename: rename)
    var unnamedReactions = 0
    var unnamedEvents = 0
    for statement in model.statements {
      if model.mentionsPaths {
        checkPaths(in: statement, instances: instanceNames, model: model.name.text)
        warnIfLibAntimonyRejects(statement)
      }
      switch statement {
      case .instance:
        continue
      case .synchronization(let first, let second, let factor):
        let loser = Self.loser(first, second, factor: factor)
        let survivor = loser.text == first.text ? second : first
        merges.append(
          Merge(
            loser: rename(loser.text), survivor: rename(survivor.text), factor: factor.map { rename($0.text) },
            written: "`\(first.text)\(factor.map { " * " + $0.text } ?? "") is \(second.text)`",
            range: first.range.joined(second.range)))
      case .deletion(let target):
        deletions.append(transform.name(target))
      case .conversionFactor(nil, let factor):
        defaultConversionFactors.append((prefix, rename(factor.text)))
      case .reaction(var reaction) where reaction.name == nil && !prefix.isEmpty:
        // An instance's unnamed reactions are named as libAntimony names them: `A._J0`.
        reaction.name = Name("_J\(unnamedReactions)", reaction.range)
        unnamedReactions += 1
        result.append(transform.statement(.reaction(reaction)))
      case .event(var event) where event.name == nil && !prefix.isEmpty:
        event.name = Name("_E\(unnamedEvents)", event.range)
        unnamedEvents += 1
        result.append(transform.statement(.event(event)))
      default:
        result.append(prefix.isEmpty ? statement : transform.statement(statement))
      }
    }
    return result
  }

  /// Whether a statement is about instances (or a model-wide conversion factor).
  static func isModular(_ statement: Statement) -> Bool {
    switch statement {
    case .instance, .synchronization, .deletion, .conversionFactor(nil, _): return true
    default: return false
    }
  }

  /// Which of `first is second` gives way: with a factor (`A.x * cf is y`) the first;
  /// otherwise the id deeper in instances, and between equals the first.
  static func loser(_ first: Name, _ second: Name, factor: Name?) -> Name {
    guard factor == nil else { return first }
    let firstDepth = first.text.split(separator: ".").count
    let secondDepth = second.text.split(separator: ".").count
    return firstDepth < secondDepth ? second : first
  }

  /// The statements of one instance, converted to the containing model's time and
  /// extent when the instance says so, and its interface bound to the arguments.
  private mutating func instantiate(
    _ instance: InstanceSyntax, in prefix: String, chain: [String], replaced: Set<String>
  ) -> [Statement] {
    let modelName = instance.model.text
    guard let definition = definitions[modelName] else {
      let hint = Suggestions.closest(to: modelName, among: Array(definitions.keys)).map { "did you mean `\($0)`?" }
      error(
        "instance `\(instance.name.text)` copies the model `\(modelName)`, which is not defined or imported",
        at: instance.model.range, hint: hint ?? "define `model \(modelName)()` or `import` the file that does")
      return []
    }
    if chain.contains(modelName) {
      error(
        "model `\(modelName)` contains itself: \((chain + [modelName]).map { "`\($0)`" }.joined(separator: " → "))",
        at: instance.model.range)
      return []
    }
    let parameters = definition.syntax.parameters
    // Fewer arguments than the interface has leave the rest unbound, as in libAntimony.
    if instance.arguments.count > parameters.count {
      let wanted = parameters.isEmpty ? "none" : parameters.map { "`\($0.text)`" }.joined(separator: ", ")
      error(
        "`\(modelName)` takes \(parameters.count) argument\(parameters.count == 1 ? "" : "s") (\(wanted)), but \(instance.arguments.count) \(instance.arguments.count == 1 ? "was" : "were") given",
        at: instance.range)
    }
    let path = prefix + instance.name.text
    instances.append(InstanceOrigin(path: path, model: modelName, file: definition.file))
    var statements = flatten(definition.syntax, prefix: path + ".", chain: chain + [modelName], replaced: replaced)
    let outside = StatementTransform(rename: { prefix + $0 })
    let time = instance.timeConversion.map(outside.expression)
    let extent = instance.extentConversion.map(outside.expression)
    if time != nil || extent != nil {
      var reactions: Set<String> = []
      // A reaction replaced from outside is read in the units of what replaces it
      // (with the synchronization's own factor, if any).
      for case .reaction(let reaction) in statements {
        if let name = reaction.name, !replaced.contains(name.text) { reactions.insert(name.text) }
      }
      statements = statements.map { Self.convert($0, time: time, extent: extent, reactions: reactions) }
    }
    for (parameter, argument) in zip(parameters, instance.arguments) {
      merges.append(
        Merge(
          loser: path + "." + parameter.text, survivor: prefix + argument.text, factor: nil,
          written: "argument `\(argument.text)` for `\(parameter.text)` of `\(modelName)`", range: argument.range))
    }
    return statements
  }

  /// An instance's statement in the containing model's units (SBML comp): its time is
  /// the containing model's time over `time`, its rates per time are divided by
  /// `time`, its delays multiplied, and its reaction rates multiplied by `extent`;
  /// where its maths reads one of its `reactions`, it reads the rate in its own units.
  static func convert(_ statement: Statement, time: Expression?, extent: Expression?, reactions: Set<String>)
    -> Statement
  {
    func scaledTime(_ expression: Expression) -> Expression {
      expression.rewritten { node in
        switch node.kind {
        case .time:
          guard let time else { return node }
          return Expression(.binary(.divide, node, time), range: node.range)
        case .symbol(let id) where reactions.contains(id):
          var rate = node
          if let time { rate = Expression(.binary(.multiply, rate, time), range: node.range) }
          if let extent { rate = Expression(.binary(.divide, rate, extent), range: node.range) }
          return rate
        default:
          return node
        }
      }
    }
    func perTime(_ expression: Expression) -> Expression {
      guard let time else { return expression }
      return Expression(.binary(.divide, expression, time), range: expression.range)
    }
    switch statement {
    case .declaration(var declaration):
      declaration.items = declaration.items.map { item in
        var copy = item
        copy.value = item.value.map(scaledTime)
        copy.rule = item.rule.map(scaledTime)
        return copy
      }
      return .declaration(declaration)
    case .reaction(var reaction):
      reaction.rate = reaction.rate.map { rate in
        let converted = perTime(scaledTime(rate))
        guard let extent else { return converted }
        return Expression(.binary(.multiply, converted, extent), range: rate.range)
      }
      return .reaction(reaction)
    case .initialValue(let target, let value): return .initialValue(target: target, value: scaledTime(value))
    case .assignmentRule(let target, let value): return .assignmentRule(target: target, value: scaledTime(value))
    case .rateRule(let target, let value): return .rateRule(target: target, value: perTime(scaledTime(value)))
    case .event(var event):
      event.trigger = scaledTime(event.trigger)
      event.delay = event.delay.map { delay in
        guard let time else { return delay }
        return Expression(.binary(.multiply, scaledTime(delay), time), range: delay.range)
      }
      event.assignments = event.assignments.map { ($0.target, scaledTime($0.value)) }
      return .event(event)
    default:
      return statement
    }
  }

  // MARK: - Checks

  /// A dotted id must start with an instance of the model it is written in.
  private mutating func checkPaths(in statement: Statement, instances: Set<String>, model: String) {
    var names: [(text: String, range: SourceRange)] = []
    // The transform visits every id a statement names or reads: collect them.
    var seen: [String] = []
    let collect = StatementTransform(rename: { id in
      seen.append(id)
      return id
    })
    switch statement {
    case .instance, .unitDefinition:
      return
    case .deletion(let target):
      names = [(target.text, target.range)]
    case .synchronization(let first, let second, let factor):
      names = [(first.text, first.range), (second.text, second.range)] + (factor.map { [($0.text, $0.range)] } ?? [])
    default:
      _ = collect.statement(statement)
    }
    for (text, range) in names { check(text, range) }
    for id in seen where id.contains(".") { check(id, statementRange(statement)) }

    func check(_ id: String, _ range: SourceRange) {
      guard let dot = id.firstIndex(of: ".") else { return }
      let head = String(id[..<dot])
      guard !instances.contains(head) else { return }
      let known = instances.sorted().map { "`\($0)`" }.joined(separator: ", ")
      error(
        "`\(id)`: model `\(model)` has no instance `\(head)`", at: range,
        hint: instances.isEmpty ? "create one first, e.g. `\(head): SomeModel()`" : "its instances are \(known)")
    }
  }

  /// libAntimony 3.3 loses an instance's id (`A.k`) read by a rule, an initial
  /// assignment or an event of the containing model (its SBML names it `A_k`, the
  /// flattened model `A__k`) and rejects the file; reaction rates and `A.k is k` work.
  private mutating func warnIfLibAntimonyRejects(_ statement: Statement) {
    var expressions: [Expression] = []
    switch statement {
    case .initialValue(_, let value), .assignmentRule(_, let value), .rateRule(_, let value):
      expressions = [value]
    case .declaration(let declaration):
      expressions = declaration.items.flatMap { [$0.value, $0.rule].compactMap { $0 } }
    case .event(let event):
      expressions = [event.trigger] + (event.delay.map { [$0] } ?? []) + event.assignments.map(\.value)
      if let target = event.assignments.first(where: { $0.target.text.contains(".") })?.target {
        warnLibAntimony(target.text, at: target.range)
        return
      }
    default:
      return
    }
    for expression in expressions {
      if let reference = expression.symbolReferences.first(where: { $0.name.contains(".") }) {
        warnLibAntimony(reference.name, at: reference.range)
        return
      }
    }
  }

  private mutating func warnLibAntimony(_ id: String, at range: SourceRange) {
    let local = id.split(separator: ".").last.map(String.init) ?? id
    diagnostics.append(
      .warning(
        "libAntimony (Tellurium) rejects `\(id)` in a rule, initial value or event of the model that holds the instance; Osteon accepts it",
        at: range, hint: "for a file both read, synchronize it (`\(id) is \(local)`) and use `\(local)`"))
  }

  /// Where a statement is, for a message about something inside it.
  private func statementRange(_ statement: Statement) -> SourceRange {
    switch statement {
    case .declaration(let declaration): return declaration.items.first?.name.range ?? .none
    case .reaction(let reaction): return reaction.range
    case .event(let event): return event.range
    case .initialValue(let target, let value), .assignmentRule(let target, let value), .rateRule(let target, let value):
      return target.range.joined(value.range)
    case .displayName(let target, _), .deletion(let target), .emptyRateRule(let target), .annotation(let target, _, _):
      return target.range
    case .conversionFactor(let target, let factor): return (target?.range ?? factor.range).joined(factor.range)
    case .synchronization(let first, let second, _): return first.range.joined(second.range)
    case .instance(let instance): return instance.range
    case .unitDefinition(let unit): return unit.range
    }
  }

  // MARK: - Deletions and synchronizations

  private mutating func deleted(_ statements: [Statement]) -> [Statement] {
    guard !deletions.isEmpty else { return statements }
    var defined: Set<String> = []
    for statement in statements { defined.formUnion(Self.definedIDs(statement)) }
    var doomed: Set<String> = []
    for target in deletions {
      if defined.contains(target.text) {
        doomed.insert(target.text)
      } else {
        error("cannot delete `\(target.text)`: nothing by that name is defined", at: target.range)
      }
    }
    return statements.compactMap { statement in
      switch statement {
      case .reaction(let reaction) where reaction.name.map({ doomed.contains($0.text) }) ?? false: return nil
      case .event(let event) where event.name.map({ doomed.contains($0.text) }) ?? false: return nil
      case .initialValue(let target, _), .assignmentRule(let target, _), .rateRule(let target, _):
        return doomed.contains(target.text) ? nil : statement
      case .declaration(var declaration):
        declaration.items.removeAll { doomed.contains($0.name.text) }
        return declaration.items.isEmpty ? nil : .declaration(declaration)
      default:
        return statement
      }
    }
  }

  /// The ids a statement defines (declares, gives a value or rule, or names).
  static func definedIDs(_ statement: Statement) -> [String] {
    switch statement {
    case .declaration(let declaration): return declaration.items.map(\.name.text)
    case .reaction(let reaction):
      return (reaction.name.map { [$0.text] } ?? []) + (reaction.reactants + reaction.products).map(\.species.text)
    case .event(let event): return event.name.map { [$0.text] } ?? []
    case .initialValue(let target, _), .assignmentRule(let target, _), .rateRule(let target, _):
      return [target.text]
    default: return []
    }
  }

  /// Renames every loser to its survivor. The survivor keeps its own value, rule,
  /// reaction or event when it has one; otherwise it takes the loser's. A loser with
  /// a factor (survivor = factor·loser) is read as survivor/factor, and its values
  /// and rules become factor times theirs.
  private mutating func merged(_ statements: [Statement]) -> [Statement] {
    guard !merges.isEmpty else { return statements }
    var survivorOf: [String: String] = [:]
    var factorOf: [String: String] = [:]
    func find(_ id: String) -> String {
      var current = id
      var steps = 0
      while let next = survivorOf[current], next != current, steps < 10_000 {
        current = next
        steps += 1
      }
      return current
    }
    var kinds = Self.kinds(in: statements)
    for merge in merges {
      let root = find(merge.survivor)
      let lost = find(merge.loser)
      guard lost != root else { continue }
      if let kept = kinds[root], let gone = kinds[lost], kept != gone {
        error(
          "\(merge.written) would make one quantity of a \(gone.rawValue) (`\(merge.loser)`) and a \(kept.rawValue) (`\(merge.survivor)`)",
          at: merge.range, hint: "only quantities of the same kind can be synchronized")
        continue
      }
      survivorOf[lost] = root
      kinds[root] = kinds[root] ?? kinds[lost]
      if let factor = merge.factor { factorOf[lost] = factor }
      synchronizations.append(Synchronization(id: merge.loser, keptAs: merge.survivor, factor: merge.factor))
    }
    synchronizations = synchronizations.map { Synchronization(id: $0.id, keptAs: find($0.keptAs), factor: $0.factor) }
    // What each id defines under its own name: a starting value, a rule, or a whole
    // reaction or event.
    var ownValue: Set<String> = []
    var ownRule: Set<String> = []
    var ownAssignmentRule: Set<String> = []
    var ownElement: Set<String> = []
    for statement in statements {
      switch statement {
      case .initialValue(let target, _): ownValue.insert(target.text)
      case .assignmentRule(let target, _):
        ownRule.insert(target.text)
        ownAssignmentRule.insert(target.text)
      case .rateRule(let target, _), .emptyRateRule(let target): ownRule.insert(target.text)
      case .declaration(let declaration):
        for item in declaration.items {
          if item.value != nil { ownValue.insert(item.name.text) }
          if item.rule != nil {
            ownRule.insert(item.name.text)
            ownAssignmentRule.insert(item.name.text)
          }
        }
      case .reaction(let reaction):
        if let name = reaction.name { ownElement.insert(name.text) }
      case .event(let event):
        if let name = event.name { ownElement.insert(name.text) }
      default: break
      }
    }
    /// A loser's starting value gives way to its survivor's value or assignment rule.
    func valueOverridden(_ id: String) -> Bool {
      let root = find(id)
      return root != id && (ownValue.contains(root) || ownAssignmentRule.contains(root))
    }
    /// A loser's rule gives way to its survivor's rule; its assignment rule also to its
    /// survivor's value (a value and an assignment rule cannot both hold).
    func ruleOverridden(_ id: String, assignment: Bool) -> Bool {
      let root = find(id)
      return root != id && (ownRule.contains(root) || assignment && ownValue.contains(root))
    }
    func overridden(_ id: String) -> Bool {
      let root = find(id)
      return root != id && ownElement.contains(root)
    }
    /// A loser's value in its survivor's terms: factor times it.
    func scaled(_ value: Expression, for id: String) -> Expression {
      guard let factor = factorOf[id] else { return value }
      return Expression(.binary(.multiply, .symbol(factor), value), range: value.range)
    }
    let transform = StatementTransform(
      rename: find,
      substitute: { id in
        // Reading a loser with a factor: survivor / factor.
        guard let factor = factorOf[id] else { return nil }
        return Expression(.binary(.divide, .symbol(find(id)), .symbol(find(factor))), range: .none)
      })
    return statements.compactMap { statement in
      switch statement {
      case .initialValue(let target, let value):
        if valueOverridden(target.text) { return nil }
        return transform.statement(.initialValue(target: target, value: scaled(value, for: target.text)))
      case .assignmentRule(let target, let value):
        if ruleOverridden(target.text, assignment: true) { return nil }
        return transform.statement(.assignmentRule(target: target, value: scaled(value, for: target.text)))
      case .rateRule(let target, let value):
        if ruleOverridden(target.text, assignment: false) {
          clearedRules.insert(find(target.text))
          return nil
        }
        return transform.statement(.rateRule(target: target, value: scaled(value, for: target.text)))
      case .reaction(let reaction) where reaction.name.map({ overridden($0.text) }) ?? false:
        return nil
      case .event(var event):
        if event.name.map({ overridden($0.text) }) ?? false { return nil }
        event.assignments = event.assignments.map { ($0.target, scaled($0.value, for: $0.target.text)) }
        return transform.statement(.event(event))
      case .declaration(var declaration):
        declaration.items = declaration.items.map { item in
          var kept = item
          kept.value = valueOverridden(item.name.text) ? nil : item.value.map { scaled($0, for: item.name.text) }
          kept.rule =
            ruleOverridden(item.name.text, assignment: true) ? nil : item.rule.map { scaled($0, for: item.name.text) }
          return kept
        }
        return transform.statement(.declaration(declaration))
      default:
        return transform.statement(statement)
      }
    }
  }

  /// The kinds the statements give their ids: declared species and compartments,
  /// reaction participants and compartments, named reactions and events.
  private static func kinds(in statements: [Statement]) -> [String: Kind] {
    var kinds: [String: Kind] = [:]
    for statement in statements {
      switch statement {
      case .declaration(let declaration):
        for item in declaration.items {
          if declaration.modifiers.isCompartment {
            kinds[item.name.text] = .compartment
          } else if declaration.modifiers.isSpecies || item.compartment != nil {
            kinds[item.name.text] = .species
          }
          if let compartment = item.compartment { kinds[compartment.text] = .compartment }
        }
      case .reaction(let reaction):
        for term in reaction.reactants + reaction.products { kinds[term.species.text] = .species }
        if let name = reaction.name { kinds[name.text] = .reaction }
      case .event(let event):
        if let name = event.name { kinds[name.text] = .event }
      default: break
      }
    }
    return kinds
  }

  private mutating func error(_ message: String, at range: SourceRange, hint: String? = nil) {
    diagnostics.append(.error(message, at: range, hint: hint))
  }
}
