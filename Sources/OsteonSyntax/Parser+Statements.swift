extension Parser {
  // MARK: - File and blocks

  mutating func parseFile() -> SyntaxTree {
    var models: [ModelSyntax] = []
    var functions: [FunctionSyntax] = []
    var displayNames: [String: String] = [:]
    var imports: [ImportSyntax] = []
    var topLevel = ModelSyntax(
      name: Name(ModelSyntax.topLevelName, .none), isMain: false, statements: [])

    while true {
      skipNewlines()
      if current.kind == .endOfFile { break }
      if isWord(current, "function") {
        if let function = parseFunctionRecovering() { functions.append(function) }
        continue
      }
      if isBlockHeader() {
        let before = dottedNames
        if var model = parseModelBlock(functions: &functions) {
          model.mentionsPaths = dottedNames > before
          models.append(model)
        }
        continue
      }
      if isWord(current, "end") {
        error("`end` without a matching `model` or `function`", at: current.range)
        skipStatement()
        continue
      }
      if isWord(current, "import") {
        let keyword = current
        advance()
        if current.kind == .string {
          imports.append(ImportSyntax(path: unquote(current), range: keyword.range.joined(current.range)))
          advance()
          if !atEndOfStatement { error("expected a new line after the imported file", at: current.range) }
        } else {
          error(
            "expected the file to import in quotes after `import`, found \(describe(current))", at: current.range,
            hint: "write `import \"lemaire2004.ant\"` (relative to this file)")
        }
        skipStatement()
        continue
      }
      // `Name is "…"` after a model's `end` labels that model.
      if current.kind == .identifier, isWord(peek(1), "is"), peek(2).kind == .string {
        let target = text(current)
        if models.contains(where: { $0.name.text == target }) {
          displayNames[target] = unquote(peek(2))
          advance()
          advance()
          advance()
          skipStatement()
          continue
        }
      }
      if let statement = parseStatementRecovering() { topLevel.statements.append(statement) }
    }
    topLevel.mentionsPaths = dottedNames > 0
    models.insert(topLevel, at: 0)
    return SyntaxTree(models: models, functions: functions, modelDisplayNames: displayNames, imports: imports)
  }

  /// `model`/`module` followed by `*`, or by a name and then `(`, a line end or `;`.
  func isBlockHeader() -> Bool {
    guard isWord(current, "model") || isWord(current, "module") else { return false }
    let next = peek(1)
    if next.kind == .star { return true }
    guard next.kind == .identifier else { return false }
    switch peek(2).kind {
    case .leftParen, .newline, .semicolon, .endOfFile: return true
    default: return false
    }
  }

  mutating func parseModelBlock(functions: inout [FunctionSyntax]) -> ModelSyntax? {
    let header = current
    advance()
    var isMain = false
    if current.kind == .star {
      isMain = true
      advance()
    }
    guard current.kind == .identifier else {
      error("expected the model's name after `\(text(header))`, found \(describe(current))", at: current.range)
      skipStatement()
      return nil
    }
    let modelName = Name(text(current), current.range)
    advance()
    var parameters: [Name] = []
    if current.kind == .leftParen {
      // The interface: what an instance binds, in order (`A: M(x, y)`).
      advance()
      while current.kind == .identifier {
        parameters.append(Name(text(current), current.range))
        advance()
        if current.kind == .comma { advance() }
      }
      if current.kind == .rightParen {
        advance()
      } else {
        error("expected `)` to close the model's parameter list", at: current.range)
        while current.kind != .rightParen, current.kind != .newline, current.kind != .endOfFile { advance() }
        if current.kind == .rightParen { advance() }
      }
    }
    var model = ModelSyntax(name: modelName, isMain: isMain, statements: [], parameters: parameters)
    while true {
      skipNewlines()
      if current.kind == .endOfFile {
        // An unterminated comment or notes block already explains the missing `end`.
        if diagnostics.contains(where: { $0.message.hasPrefix("unterminated") }) { return model }
        error(
          "model `\(modelName.text)` has no closing `end`", at: header.range.joined(modelName.range),
          hint: "add `end` after the model's last statement")
        return model
      }
      if isWord(current, "end") {
        advance()
        if !atEndOfStatement {
          error("expected a new line after `end`, found \(describe(current))", at: current.range)
        }
        skipStatement()
        return model
      }
      if isWord(current, "function") {
        warning(
          "libAntimony (Tellurium) rejects a function defined inside a model", at: current.range,
          hint: "move `function … end` before `model \(modelName.text)`; Osteon treats functions as global either way")
        if let function = parseFunctionRecovering() { functions.append(function) }
        continue
      }
      if isBlockHeader() {
        error(
          "models cannot be nested: `\(modelName.text)` has no `end` before this model", at: current.range,
          hint: "close `\(modelName.text)` with `end` first")
        skipStatement()
        continue
      }
      if let statement = parseStatementRecovering() { model.statements.append(statement) }
    }
  }

  mutating func parseFunctionRecovering() -> FunctionSyntax? {
    do {
      return try parseFunction()
    } catch {
      // Skip to the function's `end` so its body is not read as model statements,
      // but stop before a new block so the rest of the file is still checked.
      while current.kind != .endOfFile, !isWord(current, "end") {
        if tokens[max(0, index - 1)].kind == .newline, isWord(current, "function") || isBlockHeader() { return nil }
        advance()
      }
      if isWord(current, "end") { advance() }
      return nil
    }
  }

  mutating func parseFunction() throws -> FunctionSyntax {
    let keyword = current
    advance()
    let functionName = try name("after `function`")
    _ = try expect(.leftParen, "after the function's name")
    var parameters: [Name] = []
    if current.kind != .rightParen {
      while true {
        parameters.append(try name("for a function argument"))
        if current.kind == .comma {
          advance()
          continue
        }
        break
      }
    }
    _ = try expect(.rightParen, "to close the function's argument list")
    skipNewlines()
    if isWord(current, "end") {
      try fail("function `\(functionName.text)` has no body", at: keyword.range.joined(functionName.range))
    }
    let body = try parseExpression()
    skipNewlines()
    let function = FunctionSyntax(name: functionName, parameters: parameters, body: body)
    guard isWord(current, "end") else {
      // The body is complete: keep the function so its calls are not reported too.
      error(
        "expected `end` after the body of function `\(functionName.text)`, found \(describe(current))",
        at: current.range, hint: "a function body is one expression, followed by `end`")
      if !isWord(current, "function"), !isBlockHeader() { skipStatement() }
      return function
    }
    advance()
    return function
  }

  // MARK: - Statements

  mutating func parseStatementRecovering() -> Statement? {
    let start = index
    do {
      return try parseStatement()
    } catch {
      if index == start { advance() }
      // The failing token may itself end the statement; otherwise skip past the end.
      if index > 0, tokens[index - 1].kind == .newline || tokens[index - 1].kind == .semicolon {
        return nil
      }
      skipStatement()
      return nil
    }
  }

  mutating func parseStatement() throws -> Statement? {
    let token = current
    switch token.kind {
    case .dollar:
      if reactionArrowAhead() { return try parseReaction(name: nil) }
      return try parseDeclaration(modifiers: DeclarationModifiers())
    case .number:
      if reactionArrowAhead() { return try parseReaction(name: nil) }
      if peek(1).kind == .equals {
        try fail(
          "algebraic rules (`0 = …`) are not supported: Osteon integrates ODEs, not DAEs",
          at: token.range.joined(peek(1).range),
          hint: "rewrite the constraint as an assignment rule (`x := …`) for one of its variables")
      }
      try fail("a statement cannot start with \(describe(token))", at: token.range)
    case .arrow, .fatArrow:
      return try parseReaction(name: nil)
    case .identifier:
      return try parseIdentifierStatement()
    default:
      try failUnexpected(token, expected: "expected a statement")
    }
  }

  mutating func parseIdentifierStatement() throws -> Statement? {
    let token = current
    let keyword = try parseKeywordStatement()
    if keyword.handled { return keyword.statement }
    // The statement's first name may be a dotted path into an instance (`A.PTH`).
    let pathEnd = dottedPathEnd(from: index)
    let next = tokens[pathEnd]
    let last = tokens[pathEnd - 1]
    if pathEnd - index > 1 {
      if isWord(last, "sboTerm") || isWord(last, "sbo") || isWord(last, "notes") {
        return annotationStatement(key: isWord(last, "notes") ? "notes" : "sboTerm", pathEnd: pathEnd)
      }
      if isWord(last, "conversionFactor"), next.kind == .equals {
        // `S1.conversionFactor = cf`
        var target = try name("")
        target.text = String(target.text.dropLast(".conversionFactor".count))
        advance()
        let factor = try name("for the conversion factor")
        try expectEndOfStatement(after: "the conversion factor")
        return .conversionFactor(target: target, factor: factor)
      }
    }
    let written = file.text(token.range.joined(last.range))
    if next.kind == .star, tokens[pathEnd + 1].kind == .identifier,
      isWord(tokens[dottedPathEnd(from: pathEnd + 1)], "is")
    {
      // `A.x * cf is y`: y replaces A.x, scaled by cf (y = cf·A.x).
      let replaced = try name("")
      advance()
      let factor = try name("for the conversion factor")
      advance()  // `is`
      let replacement = try name("to synchronize with")
      try expectEndOfStatement(after: "the synchronization")
      return .synchronization(replaced, replacement, factor: factor)
    }
    if next.kind == .colon {
      return try parseLabelledStatement()
    }
    if reactionArrowAhead() { return try parseReaction(name: nil) }
    switch next.kind {
    case .equals:
      let target = try name("")
      advance()
      if atEndOfStatement {
        // `x = ;`: libAntimony writes this for a quantity it has no value for.
        try expectEndOfStatement(after: "`\(target.text) =`")
        return .declaration(
          Declaration(
            modifiers: DeclarationModifiers(),
            items: [DeclarationItem(name: target, isBoundary: false, compartment: nil, value: nil, rule: nil)]))
      }
      let value = try parseValue()
      try expectEndOfStatement(after: "the value of `\(target.text)`")
      return .initialValue(target: target, value: value)
    case .colonEquals:
      let target = try name("")
      advance()
      let value = try parseExpression()
      try expectEndOfStatement(after: "the rule for `\(target.text)`")
      return .assignmentRule(target: target, value: value)
    case .prime:
      let target = try name("")
      advance()
      let equals = try expect(.equals, "after `\(target.text)'` in a rate rule")
      if atEndOfStatement {
        // `p8' = ;`: the flattener decides what it clears (and warns if nothing).
        try expectEndOfStatement(after: "the empty rate rule")
        return .emptyRateRule(target: Name(target.text, target.range.joined(equals.range)))
      }
      let value = try parseExpression()
      try expectEndOfStatement(after: "the rate rule for `\(target.text)`")
      return .rateRule(target: target, value: value)
    case .comma, .newline, .semicolon, .endOfFile:
      return try parseDeclaration(modifiers: DeclarationModifiers())
    case .identifier:
      if isWord(next, "in") { return try parseDeclaration(modifiers: DeclarationModifiers()) }
      if isWord(next, "is") {
        let target = try name("")
        advance()
        if current.kind == .identifier {
          // `A.PTH is PTH`: synchronization.
          let other = try name("to synchronize with")
          try expectEndOfStatement(after: "the synchronization")
          return .synchronization(target, other, factor: nil)
        }
        guard current.kind == .string else {
          try fail(
            "expected a quoted display name or a name after `is`, found \(describe(current))", at: current.range,
            hint: "write `\(target.text) is \"Osteoclasts\"`, or `A.x is x` to make two names one quantity")
        }
        let label = unquote(current)
        advance()
        try expectEndOfStatement(after: "the display name")
        return .displayName(target: target, text: label)
      }
      if isWord(next, "has") {
        // Units do not enter the maths; they are kept as metadata.
        let target = try name("")
        advance()
        guard current.kind == .identifier else {
          skipStatement()
          return nil
        }
        let unit = Name(text(current), current.range)
        skipStatement()
        return .annotation(target: target, key: "unit", value: unit.text)
      }
      // `x identity "http://…"`, `model creator1.givenName "…"`: annotations.
      let afterWord = tokens[min(pathEnd + 1, tokens.count - 1)]
      if afterWord.kind == .string || afterWord.kind == .dot {
        skipAnnotation()
        return nil
      }
      try fail(
        "unexpected \(describe(next)) after `\(written)`", at: next.range,
        hint:
          "a statement is a declaration, a reaction (`A -> B; k*A`), a value (`x = 3`), a rule (`x := …`, `x' = …`) or an event (`at …: …`)"
      )
    case .string:
      try fail(
        "unexpected string after `\(written)`", at: next.range,
        hint: "a display name is written `\(written) is \"…\"`")
    default:
      try fail(
        "expected `=`, `:=`, `' =` or a reaction after `\(written)`, found \(describe(next))",
        at: next.range)
    }
  }

  /// Statements that open with a keyword; `handled` is false when the identifier is
  /// not one.
  mutating func parseKeywordStatement() throws -> (handled: Bool, statement: Statement?) {
    let token = current
    if isWord(token, "species") || isWord(token, "compartment") || isWord(token, "const")
      || isWord(token, "var") || isWord(token, "formula") || isWord(token, "substanceOnly")
    {
      var modifiers = DeclarationModifiers()
      while current.kind == .identifier {
        if isWord(current, "species") {
          modifiers.isSpecies = true
        } else if isWord(current, "compartment") {
          modifiers.isCompartment = true
        } else if isWord(current, "const") {
          modifiers.isConstant = true
        } else if isWord(current, "var") {
          modifiers.isVariable = true
        } else if isWord(current, "formula") {
          modifiers.isFormula = true
        } else if isWord(current, "substanceOnly") {
          modifiers.isSubstanceOnly = true
        } else {
          break
        }
        advance()
      }
      if modifiers.isSpecies && modifiers.isCompartment {
        try fail("a name cannot be declared both `species` and `compartment`", at: token.range)
      }
      if modifiers.isConstant && modifiers.isVariable {
        try fail("a name cannot be declared both `const` and `var`", at: token.range)
      }
      return (true, try parseDeclaration(modifiers: modifiers))
    }
    if isWord(token, "unit") {
      // Unit definitions do not enter the maths; keep the name so labels of units
      // (`day is "day"`) are not taken for parameters.
      let unitName = peek(1).kind == .identifier ? Name(text(peek(1)), peek(1).range) : nil
      skipStatement()
      return (true, unitName.map { .unitDefinition($0) })
    }
    if isWord(token, "at") {
      return (true, .event(try parseEvent(name: nil)))
    }
    if isWord(token, "import") {
      try fail(
        "`import` goes at the top of a file, outside any model", at: token.range,
        hint: "move `import \"…\"` before the first `model`")
    }
    if isWord(token, "model") || isWord(token, "module") {
      if peek(1).kind == .dot, isWord(peek(2), "conversionFactor"), peek(3).kind == .equals {
        // `model.conversionFactor = cf`: the factor for every species without its own.
        advance()
        advance()
        advance()
        advance()
        let factor = try name("for the conversion factor")
        try expectEndOfStatement(after: "the conversion factor")
        return (true, .conversionFactor(target: nil, factor: factor))
      }
      if peek(1).kind == .dot || peek(1).kind == .identifier && (peek(2).kind == .string || peek(2).kind == .dot) {
        skipAnnotation()
        return (true, nil)
      }
      try fail("expected a model name after `\(text(token))`", at: peek(1).range)
    }
    if isWord(token, "delete") {
      advance()
      let target = try name("to delete")
      try expectEndOfStatement(after: "the deletion")
      return (true, .deletion(target))
    }
    if isWord(token, "DNA") || isWord(token, "gene") || isWord(token, "operator")
      || isWord(token, "ext") || isWord(token, "event") || isWord(token, "reaction")
    {
      try fail("`\(text(token))` declarations are not supported yet", at: token.range)
    }
    return (false, nil)
  }

  /// `name: …`, a reaction or an event (or a refused submodel).
  mutating func parseLabelledStatement() throws -> Statement? {
    let label = try name("for the label")
    advance()  // ':'
    if isWord(current, "at") {
      return .event(try parseEvent(name: label))
    }
    if current.kind == .identifier, peek(1).kind == .minus, peek(1).end == peek(2).start, peek(2).kind == .leftParen,
      peek(3).kind == .identifier, peek(4).kind == .semicolon
    {
      // `name: A -( B;`: an Antimony interaction of unknown sign; the rate laws carry
      // the maths.
      skipStatement()
      return nil
    }
    if current.kind == .number, peek(1).kind == .equals,
      [.semicolon, .newline, .endOfFile].contains(peek(2).kind)
    {
      // `_alg0: 0 = ;`: an SBML algebraic rule without maths constrains nothing.
      warning("the algebraic rule `\(label.text)` has no maths; it is ignored", at: label.range)
      advance()
      advance()
      try expectEndOfStatement(after: "the empty algebraic rule")
      return nil
    }
    if current.kind == .number, peek(1).kind == .equals {
      // libAntimony writes SBML algebraic rules as `_alg0: 0 = …`.
      try fail(
        "algebraic rules (`\(label.text): 0 = …`) are not supported: Osteon integrates ODEs, not DAEs",
        at: label.range.joined(peek(1).range),
        hint: "rewrite the constraint as an assignment rule (`x := …`) for one of its variables")
    }
    if current.kind == .identifier, peek(1).kind == .leftParen, !reactionArrowAhead() {
      return .instance(try parseInstance(label: label))
    }
    if reactionArrowAhead() {
      return try parseReaction(name: label)
    }
    try fail(
      "expected a reaction (`A -> B; rate`) or an event (`at …: …`) after `\(label.text):`, found \(describe(current))",
      at: current.range)
  }

  /// `A: lemaire2004(PTH, k1), timeconv = 24, extentconv = 1000` after `A:`.
  mutating func parseInstance(label: Name) throws -> InstanceSyntax {
    let model = try name("for the model to instantiate")
    _ = try expect(.leftParen, "after the model's name")
    var arguments: [Name] = []
    if current.kind != .rightParen {
      while true {
        arguments.append(try name("for an argument of `\(model.text)`"))
        if current.kind == .comma {
          advance()
          continue
        }
        break
      }
    }
    let close = try expect(.rightParen, "to close the arguments of `\(model.text)`")
    var instance = InstanceSyntax(
      name: label, model: model, arguments: arguments, timeConversion: nil, extentConversion: nil,
      range: label.range.joined(close.range))
    while current.kind == .comma {
      advance()
      let attribute = try name("for a conversion factor")
      _ = try expect(.equals, "after `\(attribute.text)`")
      switch attribute.text {
      case "timeconv": instance.timeConversion = try parseExpression()
      case "extentconv": instance.extentConversion = try parseExpression()
      default:
        try fail(
          "unknown instance attribute `\(attribute.text)`", at: attribute.range,
          hint: "an instance takes `timeconv = …` and `extentconv = …`")
      }
    }
    try expectEndOfStatement(after: "the instance")
    return instance
  }

  /// Looks ahead, within the current statement, for `->`, `=>` or `-|`.
  func reactionArrowAhead() -> Bool {
    var ahead = index
    while ahead < tokens.count {
      switch tokens[ahead].kind {
      case .arrow, .fatArrow, .inhibits: return true
      case .semicolon, .newline, .endOfFile, .colonEquals, .equals, .colon: return false
      default: ahead += 1
      }
    }
    return false
  }

  // MARK: - Declarations

  mutating func parseDeclaration(modifiers: DeclarationModifiers) throws -> Statement? {
    var items: [DeclarationItem] = []
    if atEndOfStatement {
      try fail("expected a name to declare, found \(describe(current))", at: current.range)
    }
    while true {
      var isBoundary = false
      if current.kind == .dollar {
        isBoundary = true
        advance()
      }
      let declared = try name("to declare")
      var item = DeclarationItem(name: declared, isBoundary: isBoundary, compartment: nil, value: nil, rule: nil)
      if isWord(current, "in") {
        advance()
        item.compartment = try name("for the compartment after `in`")
      }
      if current.kind == .equals {
        advance()
        // `compartment cell = ;` (libAntimony's unset value) declares without a value.
        if !atEndOfStatement, current.kind != .comma { item.value = try parseValue() }
      } else if current.kind == .colonEquals {
        advance()
        item.rule = try parseExpression()
      }
      items.append(item)
      if current.kind == .comma {
        advance()
        while current.kind == .newline { advance() }
        continue
      }
      break
    }
    try expectEndOfStatement(after: "the declaration")
    return .declaration(Declaration(modifiers: modifiers, items: items))
  }

  /// An initial value. A unit after a number (`k = 3 mM`) is read and dropped by the
  /// expression parser, as libAntimony does.
  mutating func parseValue() throws -> Expression {
    try parseExpression()
  }

  // MARK: - Reactions

  mutating func parseReaction(name reactionName: Name?) throws -> Statement? {
    let start = current.start
    let reactants = try parseReactionSide()
    let arrow = current
    switch arrow.kind {
    case .arrow, .fatArrow: advance()
    case .inhibits:
      // Interactions say who regulates whom; the rate law already does. libAntimony
      // reads one only when a `;` ends it.
      var ahead = index
      while ![.semicolon, .newline, .endOfFile].contains(tokens[ahead].kind) { ahead += 1 }
      if tokens[ahead].kind != .semicolon {
        warning(
          "libAntimony (Tellurium) rejects an interaction (`-|`) that no `;` ends; Osteon ignores it",
          at: arrow.range, hint: "end the line with `;`, or remove it: the rate law already carries the regulation")
      }
      skipStatement()
      return nil
    default:
      try fail("expected `->` or `=>` in the reaction, found \(describe(arrow))", at: arrow.range)
    }
    let products = try parseReactionSide()
    var rate: Expression?
    if current.kind == .semicolon {
      advance()
      if !atEndOfStatement { rate = try parseExpression() }
    } else if !atEndOfStatement {
      try fail(
        "expected `;` and a rate law after the reaction's products, found \(describe(current))", at: current.range)
    }
    let end = tokens[max(0, index - 1)].end
    try expectEndOfStatement(after: "the reaction's rate law")
    let reaction = ReactionSyntax(
      name: reactionName, reactants: reactants, products: products, isReversible: arrow.kind == .arrow,
      rate: rate, range: SourceRange(start: start, end: max(start, end)))
    return .reaction(reaction)
  }

  mutating func parseReactionSide() throws -> [ReactionTerm] {
    var terms: [ReactionTerm] = []
    switch current.kind {
    case .arrow, .fatArrow, .inhibits, .semicolon, .newline, .endOfFile: return terms
    default: break
    }
    while true {
      var stoichiometry = 1.0
      var stoichiometryName: Name?
      // libAntimony writes a negative stoichiometry as `A + -1 A`.
      let negative = current.kind == .minus && peek(1).kind == .number
      if negative { advance() }
      if current.kind == .number {
        let token = current
        guard let value = Double(text(token)), value.isFinite else {
          try fail("`\(text(token))` is not a usable stoichiometry", at: token.range)
        }
        stoichiometry = negative ? -value : value
        advance()
      } else if namedStoichiometryAhead() {
        // `n S`: a named stoichiometry, as libAntimony writes species references with ids.
        stoichiometryName = try name("for the stoichiometry")
      }
      var isBoundary = false
      if current.kind == .dollar {
        isBoundary = true
        advance()
      }
      let species = try name("for a species in the reaction")
      terms.append(
        ReactionTerm(
          stoichiometry: stoichiometry, stoichiometryName: stoichiometryName, species: species, isBoundary: isBoundary))
      if current.kind == .plus {
        advance()
        continue
      }
      return terms
    }
  }

  /// `x.sboTerm = 252` or `x.notes = "…"`: the target's metadata, `key` the last
  /// part of the path. Anything else after `=` is skipped as an annotation.
  mutating func annotationStatement(key: String, pathEnd: Int) -> Statement? {
    let parts = (index..<(pathEnd - 2)).filter { tokens[$0].kind == .identifier }.map { text(tokens[$0]) }
    let target = Name(parts.joined(separator: "."), current.range.joined(tokens[pathEnd - 3].range))
    while index < pathEnd { advance() }
    guard current.kind == .equals else {
      skipAnnotation()
      return nil
    }
    advance()
    let first = current
    var last = current
    var count = 0
    while ![.newline, .semicolon, .endOfFile].contains(current.kind) {
      last = current
      count += 1
      advance()
    }
    skipAnnotation()
    guard count > 0 else { return nil }
    // A string is kept without its quotes; anything else as written (`SBO:0000009`).
    let value = count == 1 && first.kind == .string ? unquote(first) : file.text(first.range.joined(last.range))
    return .annotation(target: target, key: key, value: value)
  }

  /// `x.sboTerm = …`, `J1.kineticLaw.sboTerm = …`, `x.notes = …`: annotations, which
  /// do not enter the maths.
  func isAnnotationPath() -> Bool {
    var ahead = 0
    while peek(ahead).kind == .identifier, peek(ahead + 1).kind == .dot, peek(ahead + 2).kind == .identifier {
      ahead += 2
    }
    let last = peek(ahead)
    return ahead > 0 && (isWord(last, "sboTerm") || isWord(last, "sbo") || isWord(last, "notes"))
  }

  /// `n S` or `n $S` followed by what may follow a species in a reaction: `n` is a
  /// stoichiometry (`A -> B k*A`, a forgotten `;`, is not).
  func namedStoichiometryAhead() -> Bool {
    guard current.kind == .identifier else { return false }
    var ahead = dottedPathEnd(from: index)
    if tokens[ahead].kind == .dollar { ahead += 1 }
    guard tokens[ahead].kind == .identifier else { return false }
    switch tokens[dottedPathEnd(from: ahead)].kind {
    case .plus, .arrow, .fatArrow, .inhibits, .semicolon, .newline, .endOfFile: return true
    default: return false
    }
  }

  // MARK: - Events

  mutating func parseEvent(name eventName: Name?) throws -> EventSyntax {
    let start = eventName?.range.start ?? current.start
    advance()  // 'at'
    let first = try parseExpression()
    var trigger = first
    var delay: Expression?
    if isWord(current, "after") {
      advance()
      delay = first
      trigger = try parseExpression()
    }
    var attributes: [EventAttribute] = []
    while current.kind == .comma {
      advance()
      let attribute = try name("for an event attribute")
      let known = ["t0", "priority", "fromTrigger", "persistent"]
      if !known.contains(attribute.text) {
        error(
          "unknown event attribute `\(attribute.text)`", at: attribute.range,
          hint: "event attributes are t0, priority, fromTrigger and persistent")
      }
      _ = try expect(.equals, "after the event attribute `\(attribute.text)`")
      attributes.append(EventAttribute(name: attribute, value: try parseExpression()))
    }
    guard current.kind == .colon else {
      try failUnexpected(
        current, expected: "expected `:` before the event's assignments", hint: "write `at (trigger): x = value`")
    }
    advance()
    var assignments: [(target: Name, value: Expression)] = []
    // An event may assign nothing (`at time > 5: ;`, an SBML event without
    // assignments); an assignment may lack its value (`p = ;`, SBML's event assignment
    // without math), which changes nothing.
    if current.kind != .semicolon {
      // Antimony allows a line break after the `:` and after each `,`, and `:` between
      // assignments.
      while current.kind == .newline { advance() }
      while true {
        let target = try name("for the variable the event sets")
        let equals = try expect(.equals, "after `\(target.text)` in the event's assignment")
        if atEndOfStatement || current.kind == .comma {
          warning(
            "the event's assignment to `\(target.text)` has no value; it changes nothing",
            at: target.range.joined(equals.range))
        } else {
          assignments.append((target, try parseExpression()))
        }
        if current.kind == .comma || current.kind == .colon {
          advance()
          while current.kind == .newline { advance() }
          continue
        }
        break
      }
    }
    let end = tokens[max(0, index - 1)].end
    try expectEndOfStatement(after: "the event")
    return EventSyntax(
      name: eventName, trigger: trigger, delay: delay, attributes: attributes, assignments: assignments,
      range: SourceRange(start: start, end: max(start, end)))
  }

  func unquote(_ token: Token) -> String {
    let raw = text(token)
    var body = Substring(raw)
    if body.hasPrefix("```") || body.hasPrefix("\"\"\"") {
      body = body.dropFirst(3).dropLast(body.count >= 6 ? 3 : 0)
    } else {
      body = body.dropFirst()
      if body.hasSuffix("\"") { body = body.dropLast() }
    }
    return String(body)
  }
}
