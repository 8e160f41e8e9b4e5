/// Near-miss suggestions for misspelled names.
package enum Suggestions {
  /// The candidate closest to `name` by edit distance, if close enough to be a
  /// plausible typo (at most a third of the name's length, at least 1).
  package static func closest(to name: String, among candidates: [String]) -> String? {
    let target = Array(name.lowercased().utf8)
    // A one- or two-letter name is as close to every other short name: only a
    // difference in case is worth suggesting there.
    let limit = target.count <= 2 ? 0 : max(1, target.count / 3)
    var best: (distance: Int, candidate: String)?
    for candidate in candidates where candidate != name {
      if limit == 0, candidate.lowercased() == name.lowercased() { return candidate }
      let other = Array(candidate.lowercased().utf8)
      if abs(other.count - target.count) > limit { continue }
      let distance = editDistance(target, other, limit: limit)
      if distance <= limit, distance < (best?.distance ?? Int.max) {
        best = (distance, candidate)
      }
    }
    return best?.candidate
  }

  /// Levenshtein distance with transpositions counted as one edit; stops early
  /// past `limit`.
  static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previousPrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      var rowMinimum = current[0]
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          value = min(value, previousPrevious[j - 2] + 1)
        }
        current[j] = value
        rowMinimum = min(rowMinimum, value)
      }
      if rowMinimum > limit { return rowMinimum }
      previousPrevious = previous
      previous = current
    }
    return previous[b.count]
  }
}
