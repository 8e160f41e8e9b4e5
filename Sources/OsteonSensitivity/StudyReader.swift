import Foundation
import OsteonExperiment

/// Reads a study file: every key known, every value of the right type, every
/// distribution with valid bounds. Ids are checked against the network later
/// (`PreparedStudy`).
struct StudyReader {
  let reader: ExperimentReader
  let document: TOMLDocument

  init(document: TOMLDocument) {
    self.document = document
    reader = ExperimentReader(document: document)
  }

  func error(_ message: String, at path: KeyPath, hint: String? = nil) -> ExperimentError {
    reader.error(message, at: path, hint: hint)
  }

  func read(path: String) throws(ExperimentError) -> SensitivityStudy {
    let top = try reader.table(
      document.root,
      keys: [
        "title", "network", "experiment", "start", "end", "points", "seed", "parameters", "outputs", "sobol", "morris",
        "solver",
      ])
    let target: SensitivityStudy.Target
    switch (top["network"], top["experiment"]) {
    case (let node?, nil): target = .network(path: ExperimentReader.path(try reader.string(node), relativeTo: path))
    case (nil, let node?):
      target = .experiment(path: ExperimentReader.path(try reader.string(node), relativeTo: path))
    case (_?, let node?):
      throw error("give either `network` or `experiment`, not both", at: node.path)
    case (nil, nil):
      throw error(
        "the study names nothing to run: add `network = \"file.ant\"` or `experiment = \"file.toml\"`", at: .root)
    }
    guard let parametersNode = top["parameters"] else {
      throw error("the study has no parameters: add a `[parameters.ID]` table per factor", at: .root)
    }
    var factors: [Factor] = []
    for (id, node) in try reader.orderedTable(parametersNode) { factors.append(try readFactor(id: id, node)) }
    guard !factors.isEmpty else {
      throw error("`parameters` is empty: give at least one factor", at: parametersNode.path)
    }
    guard let outputsNode = top["outputs"] else {
      throw error("the study has no outputs: add `outputs = [\"id\", …]`", at: .root)
    }
    var outputs: [OutputRequest] = []
    for item in try reader.array(outputsNode) { outputs.append(try readOutput(item, target: target)) }
    guard !outputs.isEmpty else { throw error("`outputs` is empty", at: outputsNode.path) }

    var study = SensitivityStudy(path: path, target: target, space: ParameterSpace(factors: factors), outputs: outputs)
    study.document = document
    study.title = try top["title"].map { node throws(ExperimentError) in try reader.string(node) }
    if case .experiment = target {
      for key in ["start", "end", "points", "solver"] {
        if let node = top[key] {
          throw error("`\(key)` belongs to the experiment file: the study runs the experiment as it is", at: node.path)
        }
      }
    }
    if let node = top["start"] { study.start = try reader.number(node) }
    if let node = top["end"] { study.end = try reader.number(node) }
    if study.end < study.start {
      throw error("`end` (\(study.end)) lies before `start` (\(study.start))", at: (top["end"] ?? document.root).path)
    }
    if let node = top["points"] {
      study.points = try reader.integer(node)
      guard study.points >= 2 else { throw error("`points` must be at least 2", at: node.path) }
    }
    if let node = top["seed"] {
      let seed = try reader.integer(node)
      guard seed >= 0 else { throw error("`seed` must not be negative", at: node.path) }
      study.seed = UInt64(seed)
    }
    if let node = top["solver"] { study.solver = try readSolver(node) }
    if let node = top["sobol"] { study.sobol = try readSobol(node) }
    if let node = top["morris"] { study.morris = try readMorris(node) }
    return study
  }

  func readFactor(id: String, _ node: TOMLNode) throws(ExperimentError) -> Factor {
    let fields = try reader.table(node, keys: ["distribution", "bounds", "mean", "sd", "mu", "sigma", "group"])
    guard let kindNode = fields["distribution"] else {
      throw error(
        "missing `distribution`", at: node.path, hint: "uniform, loguniform, normal, truncnormal or lognormal")
    }
    let kind = try reader.string(kindNode)
    var bounds: (lower: Double, upper: Double)?
    if let node = fields["bounds"] {
      let values = try reader.numbers(node)
      guard values.count == 2 else { throw error("`bounds` takes two numbers, [lower, upper]", at: node.path) }
      guard values[0] < values[1] else {
        throw error("the lower bound (\(values[0])) must lie below the upper (\(values[1]))", at: node.path)
      }
      bounds = (values[0], values[1])
    }
    func required(_ key: String) throws(ExperimentError) -> Double {
      guard let node = fields[key] else { throw error("a \(kind) distribution needs `\(key)`", at: node.path) }
      return try reader.number(node)
    }
    func refuse(_ keys: [String]) throws(ExperimentError) {
      for key in keys {
        if let extra = fields[key] { throw error("a \(kind) distribution takes no `\(key)`", at: extra.path) }
      }
    }
    func positiveDeviation(_ key: String) throws(ExperimentError) -> Double {
      let value = try required(key)
      guard value > 0 else { throw error("`\(key)` must be positive", at: fields[key]?.path ?? node.path) }
      return value
    }
    let distribution: Distribution
    switch kind {
    case "uniform", "loguniform":
      try refuse(["mean", "sd", "mu", "sigma"])
      guard let bounds else { throw error("a \(kind) distribution needs `bounds = [lower, upper]`", at: node.path) }
      if kind == "loguniform" {
        guard bounds.lower > 0 else {
          throw error("a loguniform distribution needs positive bounds", at: fields["bounds"]?.path ?? node.path)
        }
        distribution = .logUniform(lower: bounds.lower, upper: bounds.upper)
      } else {
        distribution = .uniform(lower: bounds.lower, upper: bounds.upper)
      }
    case "normal", "truncnormal":
      try refuse(["mu", "sigma"])
      if kind == "truncnormal", bounds == nil {
        throw error("a truncnormal distribution needs `bounds = [lower, upper]`", at: node.path)
      }
      distribution = .normal(
        mean: try required("mean"), standardDeviation: try positiveDeviation("sd"), lower: bounds?.lower,
        upper: bounds?.upper)
    case "lognormal":
      try refuse(["mean", "sd"])
      if let bounds, bounds.lower < 0 {
        throw error("a lognormal distribution's bounds cannot be negative", at: fields["bounds"]?.path ?? node.path)
      }
      distribution = .logNormal(
        mu: try required("mu"), sigma: try positiveDeviation("sigma"), lower: bounds.map { max($0.lower, 0) },
        upper: bounds?.upper)
    default:
      throw error(
        "unknown distribution `\(kind)`", at: kindNode.path,
        hint: "uniform, loguniform, normal, truncnormal or lognormal")
    }
    let group = try fields["group"].map { node throws(ExperimentError) in try reader.string(node) }
    return Factor(id: id, distribution: distribution, group: group, path: node.path)
  }

  func readOutput(_ node: TOMLNode, target: SensitivityStudy.Target) throws(ExperimentError) -> OutputRequest {
    let isExperiment = if case .experiment = target { true } else { false }
    if case .string(let variable) = node.kind {
      guard !isExperiment else {
        throw error(
          "an experiment's outputs name an arm: `{ arm = \"…\", summary = \"…\" }` or `{ arm = \"…\", variable = \"…\" }`",
          at: node.path)
      }
      return OutputRequest(.finalValue(variable: variable), path: node.path)
    }
    let fields = try reader.table(node, keys: ["variable", "time_resolved", "arm", "summary"])
    let variable = try fields["variable"].map { node throws(ExperimentError) in try reader.string(node) }
    if isExperiment {
      guard let armNode = fields["arm"] else { throw error("missing `arm`", at: node.path) }
      let arm = try reader.string(armNode)
      if let extra = fields["time_resolved"] {
        throw error("an arm's variable is always time-resolved on the experiment's grid", at: extra.path)
      }
      switch (fields["summary"], variable) {
      case (let summary?, nil):
        return OutputRequest(.summary(arm: arm, name: try reader.string(summary)), path: node.path)
      case (nil, let variable?): return OutputRequest(.armTimeResolved(arm: arm, variable: variable), path: node.path)
      default: throw error("give either `summary` or `variable`", at: node.path)
      }
    }
    for key in ["arm", "summary"] {
      if let extra = fields[key] {
        throw error("`\(key)` is for experiments; this study runs a network", at: extra.path)
      }
    }
    guard let variable else { throw error("missing `variable`", at: node.path) }
    let resolved = try fields["time_resolved"].map { node throws(ExperimentError) in try reader.bool(node) } ?? false
    return OutputRequest(
      resolved ? .timeResolved(variable: variable) : .finalValue(variable: variable), path: node.path)
  }

  func readSolver(_ node: TOMLNode) throws(ExperimentError) -> Experiment.SolverSettings {
    let fields = try reader.table(node, keys: ["method", "rtol", "atol", "max_steps"])
    var solver = Experiment.SolverSettings()
    if let node = fields["method"] { solver.method = try reader.string(node) }
    if let node = fields["rtol"] { solver.relativeTolerance = try positive(node) }
    if let node = fields["atol"] { solver.absoluteTolerance = try positive(node) }
    if let node = fields["max_steps"] { solver.maximumSteps = Int(try positive(node)) }
    return solver
  }

  func readSobol(_ node: TOMLNode) throws(ExperimentError) -> SobolSettings {
    let fields = try reader.table(node, keys: ["n", "second_order", "resamples", "confidence"])
    var settings = SobolSettings()
    if let node = fields["n"] {
      settings.samples = try reader.integer(node)
      guard settings.samples >= 4, settings.samples & (settings.samples - 1) == 0 else {
        throw error("`n` must be a power of two, at least 4 (Sobol points balance in blocks of 2^m)", at: node.path)
      }
    }
    if let node = fields["second_order"] { settings.secondOrder = try reader.bool(node) }
    if let node = fields["resamples"] { settings.resamples = Int(try positive(node)) }
    if let node = fields["confidence"] { settings.confidence = try level(node) }
    return settings
  }

  func readMorris(_ node: TOMLNode) throws(ExperimentError) -> MorrisSettings {
    let fields = try reader.table(node, keys: ["trajectories", "levels", "candidates", "resamples", "confidence"])
    var settings = MorrisSettings()
    if let node = fields["trajectories"] {
      settings.trajectories = try reader.integer(node)
      guard settings.trajectories >= 2 else { throw error("`trajectories` must be at least 2", at: node.path) }
    }
    if let node = fields["levels"] {
      settings.levels = try reader.integer(node)
      guard settings.levels >= 2, settings.levels % 2 == 0 else {
        throw error("`levels` must be even and at least 2", at: node.path)
      }
    }
    if let node = fields["candidates"] {
      settings.candidates = try reader.integer(node)
      guard settings.candidates == 0 || settings.candidates >= settings.trajectories else {
        throw error("`candidates` must be 0 or at least `trajectories` (\(settings.trajectories))", at: node.path)
      }
    }
    if let node = fields["resamples"] { settings.resamples = Int(try positive(node)) }
    if let node = fields["confidence"] { settings.confidence = try level(node) }
    return settings
  }

  func positive(_ node: TOMLNode) throws(ExperimentError) -> Double {
    let value = try reader.number(node)
    guard value > 0 else { throw error("must be positive", at: node.path) }
    return value
  }

  func level(_ node: TOMLNode) throws(ExperimentError) -> Double {
    let value = try reader.number(node)
    guard value > 0, value < 1 else { throw error("a confidence level lies between 0 and 1", at: node.path) }
    return value
  }
}

extension SensitivityStudy {
  /// Reads a study from its text; `path` names the file in errors and is the folder
  /// the network or experiment path is relative to.
  public init(text: String, path: String) throws(ExperimentError) {
    let document = try TOMLDocument(path: path, text: text)
    self = try StudyReader(document: document).read(path: path)
  }

  /// Reads a study file.
  public init(contentsOfFile path: String) throws(ExperimentError) {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
      let data = FileManager.default.contents(atPath: path)
    else {
      throw ExperimentError(
        "cannot read study file `\(path)`: \(isFolder.boolValue ? "it is a folder" : "no such file")")
    }
    guard let text = String(validating: Array(data), as: UTF8.self) else {
      throw ExperimentError("study file `\(path)` is not UTF-8 text")
    }
    try self.init(text: text, path: path)
  }
}
