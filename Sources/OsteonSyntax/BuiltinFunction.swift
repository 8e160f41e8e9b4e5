/// The built-in functions of the language, with the spellings that name them and
/// how many arguments they take.
public enum BuiltinFunction: String, Sendable, Hashable, CaseIterable {
  case abs, exp, ln, log, log10, sqrt, pow, root, sqr, floor, ceil, factorial, min, max
  case sin, cos, tan, sec, csc, cot, sinh, cosh, tanh, sech, csch, coth
  case asin, acos, atan, asec, acsc, acot, asinh, acosh, atanh, asech, acsch, acoth
  case piecewise, quotient, rem
  case and, or, xor, not, implies
  case lt, leq, gt, geq, eq, neq
  case plus, minus, times, divide
  /// `rateOf(x)`: the rate of change of x's value (SBML Level 3 version 2).
  case rateOf

  /// The built-in a spelling names: canonical names and aliases (`power`, `ceiling`,
  /// `arcsin` …).
  public init?(spelling: String) {
    if let direct = BuiltinFunction(rawValue: spelling) {
      self = direct
      return
    }
    switch spelling {
    case "power": self = .pow
    case "ceiling": self = .ceil
    case "arcsin": self = .asin
    case "arccos": self = .acos
    case "arctan": self = .atan
    case "arcsec": self = .asec
    case "arccsc": self = .acsc
    case "arccot": self = .acot
    case "arcsinh": self = .asinh
    case "arccosh": self = .acosh
    case "arctanh": self = .atanh
    case "arcsech": self = .asech
    case "arccsch": self = .acsch
    case "arccoth": self = .acoth
    default: return nil
    }
  }

  /// Allowed argument counts; `nil` upper bound means any number.
  public var arity: (minimum: Int, maximum: Int?) {
    switch self {
    case .log, .root: return (1, 2)
    case .pow, .quotient, .rem, .divide, .implies: return (2, 2)
    case .min, .max, .piecewise: return (1, nil)
    case .and, .or, .xor, .plus, .times: return (0, nil)
    case .lt, .leq, .gt, .geq, .eq, .neq: return (2, nil)
    case .minus: return (1, 2)
    default: return (1, 1)  // rateOf too
    }
  }

  /// "1 argument", "1 or 2 arguments", "at least 2 arguments".
  public var arityDescription: String {
    let (low, high) = arity
    func plural(_ n: Int) -> String { n == 1 ? "1 argument" : "\(n) arguments" }
    guard let high else { return low == 0 ? "any number of arguments" : "at least " + plural(low) }
    if low == high { return plural(low) }
    return "\(low) or " + plural(high)
  }
}

/// Words the language reserves: identifiers may not use them.
public enum ReservedWords {
  /// Statement keywords.
  public static let keywords: Set<String> = [
    "model", "module", "end", "function", "species", "compartment", "const", "var", "formula",
    "substanceOnly", "in", "at", "after", "unit", "has", "is", "import", "event", "reaction",
    "DNA", "gene", "operator", "ext", "delete",
  ]

  /// Functions that Antimony knows but Osteon refuses (not supported yet): random
  /// distributions and delays.
  public static let unsupportedFunctions: Set<String> = [
    "delay", "normal", "uniform", "exponential", "gamma", "poisson", "binomial",
    "bernoulli", "cauchy", "chisquare", "laplace", "rayleigh", "lognormal", "truncatedNormal",
    "truncatedLognormal", "truncatedExponential", "truncatedGamma", "truncatedPoisson",
  ]

  /// What a reserved word is, for the message when it is used as a name; `nil` if it
  /// is free to use.
  public static func role(of word: String) -> String? {
    roles[word]
  }

  /// Every reserved word with its role, built once (this is asked for every name).
  private static let roles: [String: String] = {
    var table: [String: String] = [:]
    for word in keywords { table[word] = "a keyword" }
    for word in [
      "time", "pi", "exponentiale", "avogadro", "true", "false", "inf", "infinity", "INF", "NaN", "NAN",
      "nan", "notanumber",
    ] {
      table[word] = "a built-in constant"
    }
    let aliases = [
      "power", "ceiling", "arcsin", "arccos", "arctan", "arcsec", "arccsc", "arccot", "arcsinh", "arccosh",
      "arctanh", "arcsech", "arccsch", "arccoth",
    ]
    for word in BuiltinFunction.allCases.map(\.rawValue) + aliases + Array(unsupportedFunctions) {
      table[word] = "a built-in function"
    }
    return table
  }()
}
