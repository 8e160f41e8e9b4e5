import OsteonExport

extension PreparedStudy {
  /// The study's design for a method, from its settings and seed.
  public func design(_ method: StudyMethod) throws(DesignError) -> Design {
    switch method {
    case .sobol:
      try SaltelliDesign.make(space: study.space, samples: study.sobol.samples, secondOrder: study.sobol.secondOrder)
    case .morris: try MorrisDesign.make(space: study.space, settings: study.morris, seed: study.seed)
    }
  }

  /// What identifies a study's rows: the bytes of its files (the study, and the
  /// network or experiment it runs) and the method. Shards of one study share it.
  public static func fingerprint(method: StudyMethod, files: [[UInt8]]) -> String {
    var bytes = Array("osteon-sensitivity/1 \(method.rawValue)\n".utf8)
    for file in files {
      bytes += Array("\(file.count)\n".utf8)
      bytes += file
    }
    return SHA256.hex(bytes)
  }

  /// Every row of a design from shard files: each row exactly once, every file of
  /// the same study and method.
  public static func merge(
    _ parts: [(path: String, header: ShardHeader, outcomes: [RowOutcome])], expecting header: ShardHeader
  ) throws(StudyFileError) -> [RowOutcome] {
    var rows = [RowOutcome?](repeating: nil, count: header.rows)
    var source = [String?](repeating: nil, count: header.rows)
    for part in parts {
      guard part.header.method == header.method, part.header.fingerprint == header.fingerprint,
        part.header.rows == header.rows
      else {
        throw StudyFileError(
          path: part.path, line: 1,
          message:
            "belongs to another study or method (\(part.header.method.rawValue), study \(part.header.fingerprint.prefix(12))…); this one is \(header.method.rawValue), study \(header.fingerprint.prefix(12))…"
        )
      }
      for outcome in part.outcomes {
        if let other = source[outcome.row] {
          throw StudyFileError(path: part.path, line: 1, message: "row \(outcome.row) is also in `\(other)`")
        }
        rows[outcome.row] = outcome
        source[outcome.row] = part.path
      }
    }
    let missing = rows.indices.filter { rows[$0] == nil }
    if let first = missing.first {
      throw StudyFileError(
        path: parts.first?.path ?? "(no files)", line: 1,
        message:
          "\(missing.count) of \(header.rows) rows are in no shard file (the first: row \(first)); run the missing shards first"
      )
    }
    return rows.compactMap { $0 }
  }
}
