/// The files of a study: shard (and checkpoint) files holding rows' outputs, and
/// the result files made from every row: design.csv and outputs.csv (SALib reads
/// them with `np.loadtxt(…, delimiter=",", skiprows=1)`), failures.csv, and the
/// indices. Result files depend only on the rows' outcomes, so a merge of shards
/// writes exactly the bytes of a single run.
public enum StudyFiles {
  // MARK: - Rows

  /// The column line of row files: row, status, time, message, then the outputs.
  public static func rowHeader(names: [String]) -> String {
    CSVText.line(["row", "status", "time", "message"] + names.map(CSVText.field))
  }

  /// One row's line: `ok` and its outputs, or the failure's kind, time and message.
  public static func rowLine(_ outcome: RowOutcome, outputs count: Int) -> String {
    switch outcome.result {
    case .success(let values):
      return CSVText.line([String(outcome.row), "ok", "", ""] + values.map(CSVText.number))
    case .failure(let failure):
      return CSVText.line(
        [
          String(outcome.row), CSVText.field(failure.kind), CSVText.number(failure.time),
          CSVText.field(failure.message),
        ]
          + Array(repeating: "", count: count))
    }
  }

  /// A shard file: its header, the column line and every row in order.
  public static func shardText(header: ShardHeader, names: [String], outcomes: [RowOutcome]) -> String {
    var text = header.line + rowHeader(names: names)
    for outcome in outcomes.sorted(by: { $0.row < $1.row }) { text += rowLine(outcome, outputs: names.count) }
    return text
  }

  /// Reads a shard or checkpoint file. A last line cut short (a run killed while
  /// writing it) is dropped when `allowTruncatedEnd`; anything else malformed is an
  /// error naming the file and line.
  public static func readRows(_ text: String, path: String, names: [String], allowTruncatedEnd: Bool = false)
    throws(StudyFileError) -> (header: ShardHeader, outcomes: [RowOutcome])
  {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last == "" { lines.removeLast() }
    let endsCleanly = text.hasSuffix("\n")
    guard let first = lines.first, let header = ShardHeader(line: first) else {
      throw StudyFileError(
        path: path, line: 1, message: "not an osteon sensitivity row file (no `# osteon sensitivity` line)")
    }
    guard lines.count >= 2, lines[1] + "\n" == Substring(rowHeader(names: names)) else {
      throw StudyFileError(path: path, line: 2, message: "its columns are not this study's outputs")
    }
    var outcomes: [RowOutcome] = []
    for (index, line) in lines.enumerated().dropFirst(2) {
      let isLast = index == lines.count - 1
      func fail(_ message: String) -> StudyFileError { StudyFileError(path: path, line: index + 1, message: message) }
      guard let fields = CSVText.fields(line), fields.count == 4 + names.count, let row = Int(fields[0]),
        row >= 0, row < header.rows
      else {
        if isLast && allowTruncatedEnd && !endsCleanly { break }
        throw fail("malformed row")
      }
      if isLast && allowTruncatedEnd && !endsCleanly { break }
      if fields[1] == "ok" {
        var values: [Double] = []
        for field in fields[4...] {
          guard let value = Double(field) else { throw fail("`\(field)` is not a number") }
          values.append(value)
        }
        outcomes.append(RowOutcome(row: row, result: .success(values)))
      } else {
        guard let time = Double(fields[2]) else { throw fail("`\(fields[2])` is not a time") }
        outcomes.append(
          RowOutcome(row: row, result: .failure(SampleFailure(kind: fields[1], time: time, message: fields[3]))))
      }
    }
    return (header, outcomes)
  }

  // MARK: - Results

  /// Every result file of a finished design: name and text.
  public static func results(
    study: PreparedStudy, design: Design, outcomes: [RowOutcome]
  ) -> [(name: String, text: String)] {
    let names = study.outputNames
    let factors = design.space.factors.map(\.id)
    var designText = CSVText.line(factors.map(CSVText.field))
    var outputsText = CSVText.line(names.map(CSVText.field))
    var failuresText = CSVText.line(["row", "kind", "time", "message"] + factors.map(CSVText.field))
    var outputs: [[Double]] = []
    outputs.reserveCapacity(outcomes.count)
    for outcome in outcomes {
      let values = design.values(row: outcome.row)
      designText += CSVText.line(values.map(CSVText.number))
      let row = outcome.outputs(count: names.count)
      outputs.append(row)
      outputsText += CSVText.line(row.map(CSVText.number))
      if case .failure(let failure) = outcome.result {
        failuresText += CSVText.line(
          [
            String(outcome.row), CSVText.field(failure.kind), CSVText.number(failure.time),
            CSVText.field(failure.message),
          ] + values.map(CSVText.number))
      }
    }
    var files = [("design.csv", designText), ("outputs.csv", outputsText), ("failures.csv", failuresText)]
    switch design.method {
    case .sobol:
      let indices = SobolAnalysis.analyze(
        design: design, outputs: outputs, names: names, settings: study.study.sobol, seed: study.study.seed)
      files += sobolFiles(indices)
    case .morris:
      let indices = MorrisAnalysis.analyze(
        design: design, outputs: outputs, names: names, settings: study.study.morris, seed: study.study.seed)
      var text = CSVText.line(
        ["output", "factor", "mu", "mu_star", "mu_star_low", "mu_star_high", "sigma", "effects"])
      for output in indices {
        for (index, factor) in output.factors.enumerated() {
          let star = output.absoluteMean[index]
          text += CSVText.line(
            [CSVText.field(output.output), CSVText.field(factor)]
              + [output.mean[index], star.value, star.lower, star.upper, output.standardDeviation[index]].map(
                CSVText.number) + [String(output.effects[index])])
        }
      }
      files.append(("morris.csv", text))
    }
    return files
  }

  static func sobolFiles(_ indices: [SobolIndices]) -> [(String, String)] {
    var text = CSVText.line(
      [
        "output", "group", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high", "valid_samples", "excluded_samples",
      ])
    var convergence = CSVText.line(["output", "group", "samples", "S1", "ST"])
    var second = CSVText.line(["output", "group_i", "group_j", "S2", "S2_low", "S2_high"])
    for output in indices {
      for (index, group) in output.groups.enumerated() {
        let s1 = output.firstOrder[index]
        let st = output.total[index]
        text += CSVText.line(
          [CSVText.field(output.output), CSVText.field(group)]
            + [s1.value, s1.lower, s1.upper, st.value, st.lower, st.upper].map(CSVText.number)
            + [String(output.validSamples), String(output.excludedSamples)])
        for step in output.convergence {
          convergence += CSVText.line(
            [CSVText.field(output.output), CSVText.field(group), String(step.samples)]
              + [step.firstOrder[index], step.total[index]].map(CSVText.number))
        }
      }
      for pair in output.secondOrder {
        second += CSVText.line(
          [CSVText.field(output.output), CSVText.field(output.groups[pair.i]), CSVText.field(output.groups[pair.j])]
            + [pair.estimate.value, pair.estimate.lower, pair.estimate.upper].map(CSVText.number))
      }
    }
    var files = [("indices.csv", text), ("convergence.csv", convergence)]
    if indices.contains(where: { !$0.secondOrder.isEmpty }) { files.append(("second_order.csv", second)) }
    return files
  }
}
