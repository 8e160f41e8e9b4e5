/// Saltelli's design (Saltelli 2002; Saltelli et al. 2010) on Sobol points: two
/// independent matrices A and B (the first and last k coordinates of a 2k-dimensional
/// Sobol sequence), and for each group g the matrix AB_g (A with g's columns taken
/// from B), and with second-order indices BA_g (B with g's columns from A). Rows
/// come in SALib's order per base sample: A, AB_1…AB_D, [BA_1…BA_D,] B, so that
/// the design and outputs files can be read by SALib's `sobol.analyze` unchanged.
public enum SaltelliDesign {
  /// The design for `samples` base samples (a power of two). The first `samples`
  /// points of the sequence are skipped (the first is the origin, which an
  /// unbounded distribution maps to −∞), so every prefix of N/4, N/2 and N base
  /// samples is a balanced block of the sequence.
  public static func make(space: ParameterSpace, samples: Int, secondOrder: Bool) throws(DesignError) -> Design {
    let k = space.factors.count
    guard 2 * k <= SobolSequence.maximumDimension else {
      throw DesignError(
        "a Sobol design takes at most \(SobolSequence.maximumDimension / 2) factors (GSL's Sobol sequence has \(SobolSequence.maximumDimension) dimensions); this study has \(k): group some, or screen them with Morris first"
      )
    }
    guard samples >= 4, samples & (samples - 1) == 0 else {
      throw DesignError("the number of base samples must be a power of two, at least 4; got \(samples)")
    }
    guard let points = SobolSequence.points(dimension: 2 * k, count: samples, skip: samples) else {
      throw DesignError("GSL could not make a Sobol sequence of dimension \(2 * k)")
    }
    let groups = space.groups
    let d = groups.count
    let blockSize = secondOrder && d >= 2 ? 2 * d + 2 : d + 2
    var unit: [[Double]] = []
    unit.reserveCapacity(samples * blockSize)
    for point in points {
      let a = Array(point[0..<k])
      let b = Array(point[k..<(2 * k)])
      unit.append(a)
      for group in groups {
        var row = a
        for member in group.members { row[member] = b[member] }
        unit.append(row)
      }
      if blockSize == 2 * d + 2 {
        for group in groups {
          var row = b
          for member in group.members { row[member] = a[member] }
          unit.append(row)
        }
      }
      unit.append(b)
    }
    return Design(method: .sobol, space: space, unit: unit, blockSize: blockSize)
  }
}
