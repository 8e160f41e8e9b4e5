/// The first line of a shard or checkpoint file: which study, method and slice
/// its rows belong to, so that `merge` refuses files of another study.
public struct ShardHeader: Sendable, Equatable {
  public var method: StudyMethod
  /// SHA-256 of the study file, its network or experiment file and the design settings.
  public var fingerprint: String
  /// Rows in the whole design.
  public var rows: Int
  /// 1-based shard index and count (1/1 for a whole run).
  public var shard: Int
  public var shards: Int

  public init(method: StudyMethod, fingerprint: String, rows: Int, shard: Int, shards: Int) {
    self.method = method
    self.fingerprint = fingerprint
    self.rows = rows
    self.shard = shard
    self.shards = shards
  }

  var line: String {
    "# osteon sensitivity method=\(method.rawValue) study=\(fingerprint) rows=\(rows) shard=\(shard)/\(shards)\n"
  }

  init?(line: Substring) {
    var fields: [String: String] = [:]
    for part in line.split(separator: " ") {
      let pieces = part.split(separator: "=", maxSplits: 1)
      if pieces.count == 2 { fields[String(pieces[0])] = String(pieces[1]) }
    }
    guard line.hasPrefix("# osteon sensitivity "), let method = fields["method"].flatMap(StudyMethod.init(rawValue:)),
      let fingerprint = fields["study"], let rows = fields["rows"].flatMap({ Int($0) }),
      let slice = fields["shard"]?.split(separator: "/"), slice.count == 2, let shard = Int(slice[0]),
      let shards = Int(slice[1])
    else { return nil }
    self.init(method: method, fingerprint: fingerprint, rows: rows, shard: shard, shards: shards)
  }
}
