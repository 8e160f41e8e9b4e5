import Foundation
import OsteonNetwork
import OsteonSimulate

/// Reads an experiment file into an `Experiment`: every key known, every value of
/// the right type, times in order, windows that neither run backwards nor overlap.
/// Ids are checked against the network later (`ExperimentPlan`).
package struct ExperimentReader {
  let document: TOMLDocument
  var timeUnit: String?
  var start = 0.0
  var end = 0.0
  var phases: [Experiment.Phase] = []

  package init(document: TOMLDocument) {
    self.document = document
  }

  package func error(_ message: String, at path: KeyPath, atValue: Bool = true, hint: String? = nil) -> ExperimentError
  {
    document.error(message, at: path, atValue: atValue, hint: hint)
  }

  // MARK: - Whole file

  mutating func read(path: String) throws(ExperimentError) -> Experiment {
    let top = try table(
      document.root,
      keys: [
        "network", "title", "time_unit", "start", "end", "preequilibrate", "phases", "baseline", "arms", "scans",
        "output", "summaries", "solver",
      ])
    guard let networkNode = top["network"] else {
      throw error("the experiment names no network: add `network = \"file.ant\"`", at: .root)
    }
    let network = try string(networkNode)
    let networkPath = Self.path(network, relativeTo: path)
    let title = try top["title"].map { node throws(ExperimentError) in try string(node) }
    if let node = top["time_unit"] {
      let unit = try string(node)
      guard Self.secondsPerUnit(unit) != nil else {
        throw error(
          "unknown time unit `\(unit)`", at: node.path,
          hint: "use one of second, minute, hour, day, week, month, year (or s, min, h, d, wk, mo, y)")
      }
      timeUnit = unit
    }
    // Phases first: times elsewhere may name them.
    if let node = top["phases"] { try readPhases(node) }
    if let node = top["start"] {
      start = try time(node, role: .start)
    } else if let first = phases.first {
      start = first.start
    }
    if let node = top["end"] {
      end = try time(node, role: .end)
    } else if let last = phases.last {
      end = last.end
    } else {
      throw error("the experiment has no end: give `end = …` (in the network's time unit) or phases", at: .root)
    }
    guard end > start else {
      throw error(
        "the experiment ends (end = \(end)) before it starts (start = \(start))", at: (top["end"] ?? document.root).path
      )
    }
    for phase in phases where phase.start < start || phase.end > end {
      throw error(
        "phase `\(phase.name)` (\(phase.start)–\(phase.end)) lies outside the experiment (\(start)–\(end))",
        at: KeyPath.root.appending("phases").appending(phase.name))
    }
    let preequilibrate = try top["preequilibrate"].map { node throws(ExperimentError) in try bool(node) } ?? false
    let baseline = try top["baseline"].map { node throws(ExperimentError) in try settings(node) } ?? []
    guard let armsNode = top["arms"] else {
      throw error("the experiment has no arms: add at least one `[arms.NAME]` table", at: .root)
    }
    let arms = try readArms(armsNode)
    let scans = try top["scans"].map { node throws(ExperimentError) in try readScans(node, arms: arms) } ?? []
    var variables: [Experiment.Setting.Name] = []
    var outputTimes = SimulationProblem.grid(start: start, end: end, points: 101)
    if let node = top["output"] { (variables, outputTimes) = try readOutput(node) }
    let summaries =
      try top["summaries"].map { node throws(ExperimentError) in try readSummaries(node, arms: arms) } ?? []
    let solver = try top["solver"].map { node throws(ExperimentError) in try readSolver(node) } ?? .init()
    return Experiment(
      path: path, networkPath: networkPath, title: title, timeUnit: timeUnit, start: start, end: end, phases: phases,
      preequilibrate: preequilibrate, baseline: baseline, arms: arms, scans: scans, variables: variables,
      outputTimes: outputTimes, summaries: summaries, solver: solver)
  }

  /// `target` read from the folder of `file`, kept relative when both are, with
  /// `folder/..` pairs taken out.
  package static func path(_ target: String, relativeTo file: String) -> String {
    guard !target.hasPrefix("/"), let slash = file.lastIndex(of: "/") else { return target }
    var parts: [Substring] = []
    for part in (file[...slash] + target).split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == "..", let last = parts.last, last != ".." {
        parts.removeLast()
      } else {
        parts.append(part)
      }
    }
    return (file.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
  }

  // MARK: - Phases

  mutating func readPhases(_ node: TOMLNode) throws(ExperimentError) {
    let entries = try orderedTable(node)
    for (name, span) in entries {
      var from: Double
      var to: Double
      switch span.kind {
      case .array(let bounds):
        guard bounds.count == 2 else {
          throw error("a phase is `[from, to]` or `{ from = …, to = … }`", at: span.path)
        }
        from = try time(bounds[0], role: .start)
        to = try time(bounds[1], role: .end)
      case .table:
        let fields = try table(span, keys: ["from", "to"])
        guard let fromNode = fields["from"], let toNode = fields["to"] else {
          throw error("phase `\(name)` needs both `from` and `to`", at: span.path)
        }
        from = try time(fromNode, role: .start)
        to = try time(toNode, role: .end)
      default:
        throw error("a phase is `[from, to]` or `{ from = …, to = … }`, not \(span.typeName)", at: span.path)
      }
      guard to > from else {
        throw error("phase `\(name)` ends (\(to)) before it starts (\(from))", at: span.path)
      }
      if let previous = phases.last, from < previous.end {
        throw error(
          "phase `\(name)` (\(from)–\(to)) overlaps phase `\(previous.name)` (\(previous.start)–\(previous.end)): phases run one after another",
          at: span.path)
      }
      phases.append(Experiment.Phase(name: name, start: from, end: to))
    }
  }

  // MARK: - Arms

  func readArms(_ node: TOMLNode) throws(ExperimentError) -> [Arm] {
    let entries = try orderedTable(node)
    guard !entries.isEmpty else { throw error("the experiment has no arms", at: node.path) }
    var own: [String: (label: String, includes: [(String, KeyPath)], actions: [Arm.Action])] = [:]
    for (name, armNode) in entries {
      own[name] = try readArm(name: name, armNode)
    }
    // Includes: an arm takes the actions of the arms it names, then its own.
    var arms: [Arm] = []
    for (name, _) in entries {
      var actions: [Arm.Action] = []
      var visiting: [String] = []
      var collected: Set<String> = []
      func collect(_ arm: String) throws(ExperimentError) {
        guard let entry = own[arm], !collected.contains(arm) else { return }
        visiting.append(arm)
        for (included, path) in entry.includes {
          guard own[included] != nil else {
            throw error(
              "`\(included)` is not an arm", at: path,
              hint: Suggestions.closest(to: included, among: entries.map(\.key)).map { "did you mean `\($0)`?" })
          }
          if visiting.contains(included) {
            throw error(
              "arms include each other: \((visiting + [included]).joined(separator: " → "))", at: path)
          }
          try collect(included)
        }
        actions += entry.actions
        collected.insert(arm)
        visiting.removeLast()
      }
      try collect(name)
      try checkWindows(actions)
      arms.append(Arm(name: name, label: own[name]?.label ?? name, actions: actions))
    }
    return arms
  }

  func readArm(name: String, _ node: TOMLNode) throws(ExperimentError) -> (
    label: String, includes: [(String, KeyPath)], actions: [Arm.Action]
  ) {
    let fields = try table(
      node,
      keys: [
        "label", "include", "set", "initial", "changes", "schedule", "knockouts", "doses", "infusions",
      ])
    let label = try fields["label"].map { node throws(ExperimentError) in try string(node) } ?? name
    var includes: [(String, KeyPath)] = []
    if let list = fields["include"] {
      for item in try array(list) { includes.append((try string(item), item.path)) }
    }
    var actions: [Arm.Action] = []
    for setting in try fields["set"].map({ node throws(ExperimentError) in try settings(node) }) ?? [] {
      actions.append(.init(kind: .setValue(setting.value), target: setting.name, time: nil, entry: setting.name.path))
    }
    for setting in try fields["initial"].map({ node throws(ExperimentError) in try settings(node) }) ?? [] {
      actions.append(.init(kind: .setValue(setting.value), target: setting.name, time: nil, entry: setting.name.path))
    }
    if let list = fields["changes"] {
      for item in try array(list) { actions += try readChange(item) }
    }
    if let list = fields["schedule"] {
      for item in try array(list) { actions += try readSchedule(item) }
    }
    if let list = fields["knockouts"] {
      for item in try array(list) { actions += try readKnockout(item) }
    }
    if let list = fields["doses"] {
      for item in try array(list) { actions += try readDose(item) }
    }
    if let list = fields["infusions"] {
      for item in try array(list) { actions += try readInfusion(item) }
    }
    return (label, includes, actions)
  }

  /// `{ parameter = "k", set = v | scale = f, from = t | at = t, until = t | during = "phase" }`
  func readChange(_ node: TOMLNode) throws(ExperimentError) -> [Arm.Action] {
    let fields = try table(node, keys: ["parameter", "set", "scale", "from", "at", "until", "during"])
    let target = try name(fields, "parameter", in: node)
    let change: ParameterChange
    switch (fields["set"], fields["scale"]) {
    case (let value?, nil): change = .set(try number(value))
    case (nil, let factor?): change = .scale(try number(factor))
    case (.some, .some): throw error("give `set` or `scale`, not both", at: node.path, atValue: false)
    case (nil, nil): throw error("a change needs `set = value` or `scale = factor`", at: node.path, atValue: false)
    }
    let (from, until) = try window(fields, in: node, fromKeys: ["from", "at"])
    var actions = [Arm.Action(kind: .changeParameter(change), target: target, time: from, entry: node.path)]
    if let until {
      actions.append(.init(kind: .changeParameter(.restore), target: target, time: until, entry: node.path))
    }
    return actions
  }

  /// `{ parameter = "k", times = [t0, t1, …], values = [v0, v1, …], until = t }`: piecewise constant.
  func readSchedule(_ node: TOMLNode) throws(ExperimentError) -> [Arm.Action] {
    let fields = try table(node, keys: ["parameter", "times", "values", "until"])
    let target = try name(fields, "parameter", in: node)
    guard let timesNode = fields["times"], let valuesNode = fields["values"] else {
      throw error("a schedule needs `times = [...]` and `values = [...]`", at: node.path, atValue: false)
    }
    let timeNodes = try array(timesNode)
    var times: [Double] = []
    for item in timeNodes { times.append(try time(item, role: .start)) }
    let values = try numbers(valuesNode)
    guard times.count == values.count, !times.isEmpty else {
      throw error(
        "a schedule needs as many values as times (\(values.count) values, \(times.count) times)", at: valuesNode.path)
    }
    for index in times.indices.dropFirst() where times[index] <= times[index - 1] {
      throw error(
        "schedule times must increase: \(times[index]) follows \(times[index - 1])", at: timeNodes[index].path)
    }
    for (index, value) in times.enumerated() { try checkInside(value, at: timeNodes[index].path) }
    var actions = zip(times, values).map { time, value in
      Arm.Action(kind: .changeParameter(.set(value)), target: target, time: time, entry: node.path)
    }
    if let untilNode = fields["until"] {
      let until = try time(untilNode, role: .end)
      try checkInside(until, at: untilNode.path)
      guard let last = times.last, until > last else {
        throw error("the schedule ends (until = \(until)) before its last change", at: untilNode.path)
      }
      actions.append(.init(kind: .changeParameter(.restore), target: target, time: until, entry: node.path))
    }
    return actions
  }

  /// `{ reaction = "J" | production_of = "S", factor = 0, from, until, during }`
  func readKnockout(_ node: TOMLNode) throws(ExperimentError) -> [Arm.Action] {
    let fields = try table(node, keys: ["reaction", "production_of", "factor", "from", "until", "during"])
    let factor = try fields["factor"].map { node throws(ExperimentError) in try number(node) } ?? 0
    guard factor >= 0 else { throw error("a rate factor must not be negative (got \(factor))", at: node.path) }
    let (from, until) = try window(fields, in: node, fromKeys: ["from"], defaultStart: false)
    let target: Experiment.Setting.Name
    let scale: Arm.Action.Kind
    let restore: Arm.Action.Kind
    switch (fields["reaction"], fields["production_of"]) {
    case (.some, nil):
      target = try name(fields, "reaction", in: node)
      (scale, restore) = (.scaleReaction(factor), .restoreReaction)
    case (nil, .some):
      target = try name(fields, "production_of", in: node)
      (scale, restore) = (.scaleProduction(factor), .restoreProduction)
    case (.some, .some):
      throw error("give `reaction` or `production_of`, not both", at: node.path, atValue: false)
    case (nil, nil):
      throw error(
        "a knockout names a `reaction = \"id\"` or a species with `production_of = \"id\"`", at: node.path,
        atValue: false)
    }
    var actions = [Arm.Action(kind: scale, target: target, time: from, entry: node.path)]
    if let until { actions.append(.init(kind: restore, target: target, time: until, entry: node.path)) }
    return actions
  }

  /// `{ species = "S", amount = a | concentration = c, at = t | times = [...] | at, every, count }`
  func readDose(_ node: TOMLNode) throws(ExperimentError) -> [Arm.Action] {
    let fields = try table(node, keys: ["species", "amount", "concentration", "at", "times", "every", "count"])
    let target = try name(fields, "species", in: node)
    let kind: Arm.Action.Kind
    switch (fields["amount"], fields["concentration"]) {
    case (let amount?, nil): kind = .doseAmount(try number(amount))
    case (nil, let rise?): kind = .doseConcentration(try number(rise))
    case (.some, .some): throw error("give `amount` or `concentration`, not both", at: node.path, atValue: false)
    case (nil, nil):
      throw error(
        "a dose needs `amount = …` (substance) or `concentration = …` (a rise of the concentration)", at: node.path,
        atValue: false)
    }
    var times: [Double] = []
    if let list = fields["times"] {
      if fields["at"] != nil || fields["every"] != nil || fields["count"] != nil {
        throw error("give `times = [...]` or `at` (with `every` and `count`), not both", at: list.path, atValue: false)
      }
      for item in try array(list) {
        let time = try time(item, role: .start)
        try checkInside(time, at: item.path)
        if let last = times.last, time <= last {
          throw error("dose times must increase: \(time) follows \(last)", at: item.path)
        }
        times.append(time)
      }
    } else {
      guard let atNode = fields["at"] else {
        throw error("a dose needs a time: `at = t` or `times = [...]`", at: node.path, atValue: false)
      }
      let first = try time(atNode, role: .start)
      try checkInside(first, at: atNode.path)
      var count = 1
      var interval = 0.0
      if let countNode = fields["count"] {
        count = try integer(countNode)
        guard count >= 1 else { throw error("`count` must be at least 1 (got \(count))", at: countNode.path) }
        guard let everyNode = fields["every"] else {
          throw error("`count` needs `every`: the time between doses", at: countNode.path, atValue: false)
        }
        interval = try duration(everyNode)
        guard interval > 0 else {
          throw error("`every` must be positive (got \(interval))", at: everyNode.path)
        }
      } else if let everyNode = fields["every"] {
        throw error("`every` needs `count`: the number of doses", at: everyNode.path, atValue: false)
      }
      for index in 0..<count {
        let time = first + Double(index) * interval
        guard time <= end else {
          throw error(
            "dose \(index + 1) of \(count) falls at \(time), after the experiment ends (\(end))",
            at: (fields["count"] ?? atNode).path)
        }
        times.append(time)
      }
    }
    return times.map { Arm.Action(kind: kind, target: target, time: $0, entry: node.path) }
  }

  /// `{ species = "S", rate = r, from, until, during }`: amount per time unit.
  func readInfusion(_ node: TOMLNode) throws(ExperimentError) -> [Arm.Action] {
    let fields = try table(node, keys: ["species", "rate", "from", "until", "during"])
    let target = try name(fields, "species", in: node)
    guard let rateNode = fields["rate"] else {
      throw error("an infusion needs `rate = …` (amount per time unit)", at: node.path, atValue: false)
    }
    let rate = try number(rateNode)
    let (from, until) = try window(fields, in: node, fromKeys: ["from"], defaultStart: false)
    var actions = [Arm.Action(kind: .infusion(rate), target: target, time: from ?? start, entry: node.path)]
    if let until { actions.append(.init(kind: .stopInfusion, target: target, time: until, entry: node.path)) }
    return actions
  }

  /// A window from `fromKeys` (default: the start, or untimed when `defaultStart` is
  /// false) to `until`, or a phase's span from `during`.
  func window(
    _ fields: [String: TOMLNode], in node: TOMLNode, fromKeys: [String], defaultStart: Bool = true
  ) throws(ExperimentError) -> (from: Double?, until: Double?) {
    let fromNodes = fromKeys.compactMap { fields[$0] }
    if fromNodes.count > 1 {
      throw error("give `\(fromKeys[0])` or `\(fromKeys[1])`, not both", at: fromNodes[1].path, atValue: false)
    }
    if let during = fields["during"] {
      if let other = fromNodes.first ?? fields["until"] {
        throw error("give `during` or `from`/`until`, not both", at: other.path, atValue: false)
      }
      let phaseName = try string(during)
      guard let phase = phases.first(where: { $0.name == phaseName }) else {
        throw error(
          "`\(phaseName)` is not a phase of the experiment", at: during.path,
          hint: phases.isEmpty
            ? "declare phases in a [phases] table"
            : Suggestions.closest(to: phaseName, among: phases.map(\.name)).map { "did you mean `\($0)`?" }
              ?? "phases: \(phases.map(\.name).joined(separator: ", "))")
      }
      return (phase.start, phase.end)
    }
    var from: Double? = defaultStart ? start : nil
    if let fromNode = fromNodes.first {
      from = try time(fromNode, role: .start)
      try checkInside(from ?? start, at: fromNode.path)
    }
    guard let untilNode = fields["until"] else { return (from, nil) }
    let until = try time(untilNode, role: .end)
    try checkInside(until, at: untilNode.path)
    let opening = from ?? start
    guard until > opening else {
      throw error(
        "the window ends (until = \(until)) \(until == opening ? "where" : "before") it starts (from = \(opening))",
        at: untilNode.path)
    }
    return (from ?? start, until)
  }

  /// Windows acting on one target must not overlap. Each entry of the file (a
  /// change, a schedule, a knockout, an infusion) is one window, from its first
  /// action to the one that undoes it (or the end).
  func checkWindows(_ actions: [Arm.Action]) throws(ExperimentError) {
    struct Window {
      var from: Double
      var until: Double
      var entry: KeyPath
    }
    var entries: [KeyPath] = []
    var byEntry: [KeyPath: [Arm.Action]] = [:]
    for action in actions {
      if byEntry[action.entry] == nil { entries.append(action.entry) }
      byEntry[action.entry, default: []].append(action)
    }
    var windows: [(target: String, list: [Window])] = []
    for entry in entries {
      guard let list = byEntry[entry], let first = list.first else { continue }
      let group: String
      switch first.kind {
      case .changeParameter: group = "parameter"
      case .scaleReaction: group = "reaction"
      case .scaleProduction: group = "production"
      case .infusion: group = "infusion"
      default: continue
      }
      let closing = list.last { action in
        switch action.kind {
        case .changeParameter(.restore), .restoreReaction, .restoreProduction, .stopInfusion: true
        default: false
        }
      }
      let window = Window(from: first.time ?? start, until: closing?.time ?? .infinity, entry: entry)
      let key = group + " " + first.target.id
      func span(_ window: Window) -> String {
        "\(Self.format(window.from))–\(window.until.isInfinite ? "end" : Self.format(window.until))"
      }
      if let index = windows.firstIndex(where: { $0.target == key }) {
        for other in windows[index].list where other.from < window.until && window.from < other.until {
          throw error(
            "this window (\(span(window))) on `\(first.target.id)` overlaps `\(other.entry)` (\(span(other))): one target, one window at a time",
            at: entry, atValue: false)
        }
        windows[index].list.append(window)
      } else {
        windows.append((key, [window]))
      }
    }
  }

  // MARK: - Scans, output, summaries, solver

  func readScans(_ node: TOMLNode, arms: [Arm]) throws(ExperimentError) -> [Scan] {
    var scans: [Scan] = []
    for (index, item) in try array(node).enumerated() {
      let fields = try table(item, keys: ["name", "arms", "vary"])
      let name = try fields["name"].map { node throws(ExperimentError) in try string(node) } ?? "scan\(index + 1)"
      if scans.contains(where: { $0.name == name }) {
        throw error("two scans are named `\(name)`", at: (fields["name"] ?? item).path)
      }
      var armNames = arms.map(\.name)
      if let list = fields["arms"] {
        armNames = []
        for entry in try array(list) {
          let arm = try string(entry)
          guard arms.contains(where: { $0.name == arm }) else {
            throw error(
              "`\(arm)` is not an arm", at: entry.path,
              hint: Suggestions.closest(to: arm, among: arms.map(\.name)).map { "did you mean `\($0)`?" })
          }
          armNames.append(arm)
        }
      }
      guard let vary = fields["vary"] else {
        throw error("a scan needs `vary = { parameter = [values] }`", at: item.path, atValue: false)
      }
      var axes: [Scan.Axis] = []
      for (parameter, valuesNode) in try orderedTable(vary) {
        axes.append(Scan.Axis(parameter: .init(id: parameter, path: valuesNode.path), values: try range(valuesNode)))
      }
      guard (1...2).contains(axes.count) else {
        throw error("a scan varies one or two parameters, not \(axes.count)", at: vary.path, atValue: false)
      }
      scans.append(Scan(name: name, arms: armNames, axes: axes))
    }
    return scans
  }

  /// A list of numbers, or `{ from, to, points, spacing = "linear" | "log" }`.
  func range(_ node: TOMLNode) throws(ExperimentError) -> [Double] {
    if case .array = node.kind {
      let values = try numbers(node)
      guard !values.isEmpty else { throw error("the list of values is empty", at: node.path) }
      return values
    }
    let fields = try table(node, keys: ["from", "to", "points", "spacing"])
    guard let fromNode = fields["from"], let toNode = fields["to"], let pointsNode = fields["points"] else {
      throw error(
        "a range is a list of values or `{ from = a, to = b, points = n, spacing = \"log\" }`", at: node.path,
        atValue: false)
    }
    let from = try number(fromNode)
    let to = try number(toNode)
    let points = try integer(pointsNode)
    guard points >= 2 else { throw error("a range needs at least 2 points (got \(points))", at: pointsNode.path) }
    let spacing = try fields["spacing"].map { node throws(ExperimentError) in try string(node) } ?? "linear"
    switch spacing {
    case "linear":
      return (0..<points).map { from + (to - from) * Double($0) / Double(points - 1) }
    case "log":
      guard from > 0, to > 0 else {
        throw error("a log range needs positive ends (from = \(from), to = \(to))", at: node.path, atValue: false)
      }
      let (a, b) = (log10(from), log10(to))
      return (0..<points).map { index in
        index == 0 ? from : index == points - 1 ? to : pow(10, a + (b - a) * Double(index) / Double(points - 1))
      }
    default:
      throw error("`spacing` is \"linear\" or \"log\", not \"\(spacing)\"", at: fields["spacing"]?.path ?? node.path)
    }
  }

  func readOutput(_ node: TOMLNode) throws(ExperimentError) -> ([Experiment.Setting.Name], [Double]) {
    let fields = try table(node, keys: ["variables", "times", "points", "step"])
    var variables: [Experiment.Setting.Name] = []
    if let list = fields["variables"] {
      for item in try array(list) { variables.append(.init(id: try string(item), path: item.path)) }
    }
    let given = ["times", "points", "step"].compactMap { key in fields[key].map { (key, $0) } }
    if given.count > 1 {
      throw error("give one of `times`, `points` or `step`", at: given[1].1.path, atValue: false)
    }
    guard let (key, grid) = given.first else {
      return (variables, SimulationProblem.grid(start: start, end: end, points: 101))
    }
    switch key {
    case "times":
      var times: [Double] = []
      for item in try array(grid) {
        let time = try time(item, role: .start)
        try checkInside(time, at: item.path)
        if let last = times.last, time <= last {
          throw error("output times must increase: \(time) follows \(last)", at: item.path)
        }
        times.append(time)
      }
      guard !times.isEmpty else { throw error("no output times", at: grid.path) }
      return (variables, times)
    case "points":
      let count = try integer(grid)
      guard count >= 2 else { throw error("`points` must be at least 2 (got \(count))", at: grid.path) }
      return (variables, SimulationProblem.grid(start: start, end: end, points: count))
    default:
      let step = try duration(grid)
      guard step > 0 else { throw error("`step` must be positive (got \(step))", at: grid.path) }
      guard (end - start) / step <= 10_000_000 else {
        throw error("`step` = \(step) makes more than 10 million output times", at: grid.path)
      }
      return (variables, SimulationProblem.grid(start: start, end: end, step: step))
    }
  }

  func readSummaries(_ node: TOMLNode, arms: [Arm]) throws(ExperimentError) -> [Summary] {
    var summaries: [Summary] = []
    for item in try array(node) {
      let fields = try table(
        item,
        keys: [
          "name", "variable", "kind", "at", "reference_time", "reference_arm", "from", "until", "threshold",
          "direction", "report",
        ])
      let variable = try name(fields, "variable", in: item)
      guard let kindNode = fields["kind"] else {
        throw error(
          "a summary needs `kind`: value, percent_change, min, max, auc or first_crossing", at: item.path,
          atValue: false)
      }
      let kindName = try string(kindNode)
      func required(_ key: String, for purpose: String) throws(ExperimentError) -> TOMLNode {
        guard let node = fields[key] else {
          throw error("a `\(kindName)` summary needs `\(key)` (\(purpose))", at: item.path, atValue: false)
        }
        return node
      }
      func timeField(_ key: String, role: TimeRole, default value: Double) throws(ExperimentError) -> Double {
        guard let node = fields[key] else { return value }
        let time = try time(node, role: role)
        try checkInside(time, at: node.path)
        return time
      }
      let allowed: Set<String>
      let kind: Summary.Kind
      switch kindName {
      case "value":
        allowed = ["at"]
        kind = .value(at: try timeField("at", role: .start, default: end))
      case "percent_change":
        allowed = ["at", "reference_time", "reference_arm"]
        let at = try timeField("at", role: .start, default: end)
        switch (fields["reference_time"], fields["reference_arm"]) {
        case (let time?, nil):
          kind = .changeFromTime(at: at, referenceTime: try timeField("reference_time", role: .start, default: start))
          _ = time
        case (nil, let arm?):
          let armName = try string(arm)
          guard arms.contains(where: { $0.name == armName }) else {
            throw error(
              "`\(armName)` is not an arm", at: arm.path,
              hint: Suggestions.closest(to: armName, among: arms.map(\.name)).map { "did you mean `\($0)`?" })
          }
          kind = .changeFromArm(at: at, referenceArm: armName)
        case (.some, .some):
          throw error("give `reference_time` or `reference_arm`, not both", at: item.path, atValue: false)
        case (nil, nil):
          throw error(
            "a percent change needs `reference_time` (the arm's own value then) or `reference_arm` (another arm at the same time)",
            at: item.path, atValue: false)
        }
      case "min", "max", "auc":
        allowed = ["from", "until"]
        let from = try timeField("from", role: .start, default: start)
        let until = try timeField("until", role: .end, default: end)
        guard until > from else {
          throw error(
            "the window ends (until = \(until)) before it starts (from = \(from))", at: (fields["until"] ?? item).path)
        }
        kind =
          kindName == "min"
          ? .minimum(from: from, until: until)
          : kindName == "max" ? .maximum(from: from, until: until) : .areaUnderCurve(from: from, until: until)
      case "first_crossing":
        allowed = ["threshold", "direction", "from", "report"]
        let threshold = try number(try required("threshold", for: "the level to cross"))
        var direction = 0
        if let node = fields["direction"] {
          switch try string(node) {
          case "down": direction = -1
          case "up": direction = 1
          case "either": direction = 0
          case let other:
            throw error("`direction` is \"down\", \"up\" or \"either\", not \"\(other)\"", at: node.path)
          }
        }
        kind = .firstCrossing(
          threshold: threshold, direction: direction, from: try timeField("from", role: .start, default: start))
      default:
        throw error(
          "unknown summary kind `\(kindName)`", at: kindNode.path,
          hint: "kinds: value, percent_change, min, max, auc, first_crossing")
      }
      let common: Set<String> = ["name", "variable", "kind"]
      for (key, node) in try orderedTable(item) where !common.contains(key) && !allowed.contains(key) {
        throw error("`\(key)` does not apply to a `\(kindName)` summary", at: node.path, atValue: false)
      }
      let defaultName: String
      switch kind {
      case .value(let at): defaultName = "\(variable.id)@\(Self.format(at))"
      case .changeFromTime(let at, let reference):
        defaultName = "\(variable.id)@\(Self.format(at)) %Δ vs t=\(Self.format(reference))"
      case .changeFromArm(let at, let arm): defaultName = "\(variable.id)@\(Self.format(at)) %Δ vs \(arm)"
      case .minimum: defaultName = "min \(variable.id)"
      case .maximum: defaultName = "max \(variable.id)"
      case .areaUnderCurve: defaultName = "AUC \(variable.id)"
      case .firstCrossing(let threshold, _, _):
        defaultName =
          "\(variable.id) crosses \(Self.format(threshold))"
          + (fields["report"].flatMap { node in if case .string(let id) = node.kind { " (\(id))" } else { nil } } ?? "")
      }
      let name = try fields["name"].map { node throws(ExperimentError) in try string(node) } ?? defaultName
      if summaries.contains(where: { $0.name == name }) {
        throw error("two summaries are named `\(name)`", at: (fields["name"] ?? item).path)
      }
      var summary = Summary(name: name, variable: variable, kind: kind, path: item.path)
      if fields["report"] != nil { summary.report = try self.name(fields, "report", in: item) }
      summaries.append(summary)
    }
    return summaries
  }

  func readSolver(_ node: TOMLNode) throws(ExperimentError) -> Experiment.SolverSettings {
    let fields = try table(node, keys: ["method", "rtol", "atol", "max_steps"])
    var solver = Experiment.SolverSettings()
    if let method = fields["method"] { solver.method = try string(method) }
    if let rtol = fields["rtol"] {
      solver.relativeTolerance = try number(rtol)
      guard solver.relativeTolerance > 0 else { throw error("`rtol` must be positive", at: rtol.path) }
    }
    if let atol = fields["atol"] {
      solver.absoluteTolerance = try number(atol)
      guard solver.absoluteTolerance > 0 else { throw error("`atol` must be positive", at: atol.path) }
    }
    if let steps = fields["max_steps"] {
      solver.maximumSteps = try integer(steps)
      guard solver.maximumSteps > 0 else { throw error("`max_steps` must be positive", at: steps.path) }
    }
    return solver
  }

  // MARK: - Values

  /// A table's entries by key, every key checked against those allowed.
  package func table(_ node: TOMLNode, keys allowed: [String]) throws(ExperimentError) -> [String: TOMLNode] {
    var fields: [String: TOMLNode] = [:]
    for (key, child) in try orderedTable(node) {
      guard allowed.contains(key) else {
        throw error(
          "unknown key `\(key)`", at: child.path, atValue: false,
          hint: Suggestions.closest(to: key, among: allowed).map { "did you mean `\($0)`?" }
            ?? "keys here: \(allowed.joined(separator: ", "))")
      }
      fields[key] = child
    }
    return fields
  }

  package func orderedTable(_ node: TOMLNode) throws(ExperimentError) -> [(key: String, node: TOMLNode)] {
    guard case .table(let entries) = node.kind else {
      throw error("expected a table, found \(node.typeName)", at: node.path)
    }
    return entries
  }

  package func array(_ node: TOMLNode) throws(ExperimentError) -> [TOMLNode] {
    guard case .array(let items) = node.kind else {
      throw error("expected an array, found \(node.typeName)", at: node.path)
    }
    return items
  }

  package func string(_ node: TOMLNode) throws(ExperimentError) -> String {
    guard case .string(let text) = node.kind else {
      throw error("expected a string, found \(node.typeName)", at: node.path)
    }
    return text
  }

  package func bool(_ node: TOMLNode) throws(ExperimentError) -> Bool {
    guard case .bool(let value) = node.kind else {
      throw error("expected true or false, found \(node.typeName)", at: node.path)
    }
    return value
  }

  package func number(_ node: TOMLNode) throws(ExperimentError) -> Double {
    switch node.kind {
    case .integer(let value): return Double(value)
    case .float(let value):
      guard value.isFinite else { throw error("expected a finite number, found \(value)", at: node.path) }
      return value
    default: throw error("expected a number, found \(node.typeName)", at: node.path)
    }
  }

  package func integer(_ node: TOMLNode) throws(ExperimentError) -> Int {
    guard case .integer(let value) = node.kind else {
      throw error("expected an integer, found \(node.typeName)", at: node.path)
    }
    return value
  }

  package func numbers(_ node: TOMLNode) throws(ExperimentError) -> [Double] {
    var values: [Double] = []
    for item in try array(node) { values.append(try number(item)) }
    return values
  }

  /// `{ id = value, … }`
  func settings(_ node: TOMLNode) throws(ExperimentError) -> [Experiment.Setting] {
    var settings: [Experiment.Setting] = []
    for (key, value) in try orderedTable(node) {
      settings.append(Experiment.Setting(name: .init(id: key, path: value.path), value: try number(value)))
    }
    return settings
  }

  /// A string field naming an id of the network.
  func name(_ fields: [String: TOMLNode], _ key: String, in node: TOMLNode) throws(ExperimentError)
    -> Experiment.Setting.Name
  {
    guard let field = fields[key] else {
      throw error("missing `\(key)`", at: node.path, atValue: false)
    }
    return .init(id: try string(field), path: field.path)
  }

  // MARK: - Times

  enum TimeRole {
    case start
    case end
  }

  /// A time: a number in the network's unit, a number with a unit ("50 y"), or a
  /// phase's name (its start, or its end where a window closes).
  func time(_ node: TOMLNode, role: TimeRole) throws(ExperimentError) -> Double {
    guard case .string(let text) = node.kind else { return try number(node) }
    if let phase = phases.first(where: { $0.name == text }) { return role == .start ? phase.start : phase.end }
    return try quantity(text, at: node)
  }

  /// A length of time (`every`, `step`): a number or a number with a unit.
  func duration(_ node: TOMLNode) throws(ExperimentError) -> Double {
    guard case .string(let text) = node.kind else { return try number(node) }
    return try quantity(text, at: node)
  }

  func quantity(_ text: String, at node: TOMLNode) throws(ExperimentError) -> Double {
    let parts = text.split(separator: " ", omittingEmptySubsequences: true)
    guard parts.count == 2, let value = Double(parts[0]), value.isFinite else {
      throw error(
        "`\(text)` is not a time: write a number in the network's time unit, a number and a unit (\"50 y\"), or a phase's name",
        at: node.path, hint: phases.isEmpty ? nil : "phases: \(phases.map(\.name).joined(separator: ", "))")
    }
    guard let unit = Self.secondsPerUnit(String(parts[1])) else {
      throw error(
        "unknown time unit `\(parts[1])`", at: node.path,
        hint: "use one of second, minute, hour, day, week, month, year (or s, min, h, d, wk, mo, y)")
    }
    guard let timeUnit, let own = Self.secondsPerUnit(timeUnit) else {
      throw error(
        "`\(text)` has a unit, but the experiment does not say the network's: add `time_unit = \"day\"` (or the network's own)",
        at: node.path)
    }
    return value * unit / own
  }

  /// Seconds in a time unit (a month is a twelfth of a Julian year).
  package static func secondsPerUnit(_ unit: String) -> Double? {
    let day = 86_400.0
    switch unit.lowercased() {
    case "s", "sec", "second", "seconds": return 1
    case "min", "minute", "minutes": return 60
    case "h", "hr", "hour", "hours": return 3_600
    case "d", "day", "days": return day
    case "wk", "week", "weeks": return 7 * day
    case "mo", "month", "months": return 365.25 * day / 12
    case "y", "yr", "a", "year", "years": return 365.25 * day
    default: return nil
    }
  }

  func checkInside(_ time: Double, at path: KeyPath) throws(ExperimentError) {
    guard time >= start, time <= end else {
      throw error(
        "\(Self.format(time)) lies outside the experiment (\(Self.format(start))–\(Self.format(end)))", at: path)
    }
  }

  static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
  }
}
