/// A name as written, with where it was written.
public struct Name: Sendable, Hashable {
  public var text: String
  public var range: SourceRange

  public init(_ text: String, _ range: SourceRange) {
    self.text = text
    self.range = range
  }
}

/// The parsed file: its models and functions, in source order.
public struct SyntaxTree: Sendable {
  /// Models (`model … end`); statements outside any block form a model named `__main`.
  public var models: [ModelSyntax]
  /// Function definitions; they are global, wherever they were written.
  public var functions: [FunctionSyntax]
  /// Display names given to models (`BIOMD0000000278 is "Lemaire2004"` after `end`).
  public var modelDisplayNames: [String: String]
  /// `import "file.ant"` lines, in the order written.
  public var imports: [ImportSyntax] = []

  /// The model to simulate: the one marked `*`, else the top-level statements, else
  /// the last model written.
  public var mainModel: ModelSyntax? {
    if let marked = models.last(where: \.isMain) { return marked }
    if let top = models.first(where: { $0.name.text == ModelSyntax.topLevelName }), !top.statements.isEmpty {
      return top
    }
    return models.last(where: { $0.name.text != ModelSyntax.topLevelName }) ?? models.first
  }
}

/// One `model`/`module` block.
public struct ModelSyntax: Sendable {
  public static let topLevelName = "__main"
  public var name: Name
  public var isMain: Bool
  public var statements: [Statement]
  /// The interface: `model lemaire2004(PTH, k1)`; an instance binds them in order.
  public var parameters: [Name] = []
  /// Whether the model writes a dotted name (`A.x`) anywhere.
  public var mentionsPaths = false
}

/// `import "file.ant"`: the models and functions of another file, relative to this one.
public struct ImportSyntax: Sendable {
  public var path: String
  public var range: SourceRange
}

/// `A: lemaire2004(PTH, k1), timeconv = 24, extentconv = 1000`: a copy of a model whose
/// ids are reached as `A.x`; its interface parameters are the given ids.
public struct InstanceSyntax: Sendable {
  public var name: Name
  public var model: Name
  public var arguments: [Name]
  /// Submodel time units per time unit of the containing model (SBML comp).
  public var timeConversion: Expression?
  /// Containing model's extent units per submodel extent unit (SBML comp).
  public var extentConversion: Expression?
  public var range: SourceRange
}

/// `function name(a, b) body end`
public struct FunctionSyntax: Sendable {
  public var name: Name
  public var parameters: [Name]
  public var body: Expression
}

/// One statement of a model.
public enum Statement: Sendable {
  case declaration(Declaration)
  case reaction(ReactionSyntax)
  /// `x = expr`: an initial value or initial assignment (or the rate of reaction `x`).
  case initialValue(target: Name, value: Expression)
  /// `x := expr`
  case assignmentRule(target: Name, value: Expression)
  /// `x' = expr`
  case rateRule(target: Name, value: Expression)
  /// `x' = ;`: a rate rule without maths. libAntimony writes it for a rule that SBML
  /// comp deletes: it takes away the rule `x` would get from an id synchronized with it.
  case emptyRateRule(target: Name)
  case event(EventSyntax)
  /// `x is "Osteoclast"`
  case displayName(target: Name, text: String)
  /// Metadata that does not enter the maths: `x has mole_per_litre` (key `unit`),
  /// `x.sboTerm = 252`, `x.notes = "…"`.
  case annotation(target: Name, key: String, value: String)
  /// `unit day = 86400 second`: only the name is kept (units do not enter the maths).
  case unitDefinition(Name)
  /// `A: lemaire2004()`
  indirect case instance(InstanceSyntax)
  /// `A.PTH is PTH`: one quantity under two names. With a factor, `A.x * cf is y`:
  /// y is cf times A.x (SBML comp's conversion factor of a replaced element).
  indirect case synchronization(Name, Name, factor: Name?)
  /// `delete A.J1`
  case deletion(Name)
  /// `S1.conversionFactor = cf`, or for the whole model (`model.conversionFactor = cf`)
  /// when `target` is `nil`: the factor by which reactions change species amounts.
  case conversionFactor(target: Name?, factor: Name)
}

/// Declaration keywords that can precede a list of names.
public struct DeclarationModifiers: Sendable, Hashable {
  public var isSpecies = false
  public var isCompartment = false
  public var isConstant = false
  public var isVariable = false
  public var isFormula = false
  public var isSubstanceOnly = false

  public init() {}
}

/// `species S1 in C = 3, $S2` and bare `S in C`.
public struct Declaration: Sendable {
  public var modifiers: DeclarationModifiers
  public var items: [DeclarationItem]
}

public struct DeclarationItem: Sendable {
  public var name: Name
  public var isBoundary: Bool
  public var compartment: Name?
  public var value: Expression?
  public var rule: Expression?
}

/// A species and its stoichiometry on one side of a reaction.
public struct ReactionTerm: Sendable {
  public var stoichiometry: Double
  /// `n S`: the stoichiometry is the value of `n` (an SBML species reference id),
  /// which rules and events may change; `stoichiometry` is then 1 and unused.
  public var stoichiometryName: Name? = nil
  public var species: Name
  public var isBoundary: Bool

  public init(stoichiometry: Double, stoichiometryName: Name? = nil, species: Name, isBoundary: Bool) {
    self.stoichiometry = stoichiometry
    self.stoichiometryName = stoichiometryName
    self.species = species
    self.isBoundary = isBoundary
  }
}

/// `R1: A + 2 B -> C; rate`
public struct ReactionSyntax: Sendable {
  /// `nil` for an unnamed reaction.
  public var name: Name?
  public var reactants: [ReactionTerm]
  public var products: [ReactionTerm]
  /// `=>` is irreversible; `->` may run both ways (the rate law decides).
  public var isReversible: Bool
  public var rate: Expression?
  public var range: SourceRange
}

/// `E1: at D after (trigger), t0=false, priority=1: a = expr, b = expr`
public struct EventSyntax: Sendable {
  public var name: Name?
  public var trigger: Expression
  public var delay: Expression?
  public var attributes: [EventAttribute]
  public var assignments: [(target: Name, value: Expression)]
  public var range: SourceRange
}

public struct EventAttribute: Sendable {
  public var name: Name
  public var value: Expression
}
