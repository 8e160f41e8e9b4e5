/// Jansen's estimators on a Saltelli design (Jansen 1999; Saltelli et al. 2010,
/// table 2): with V the variance of f over A and B,
///   ST_g = mean((f(A) − f(AB_g))²) / 2V,
///   S1_g = 1 − mean((f(B) − f(AB_g))²) / 2V,
/// and, with the BA_g matrices, the closed second-order effect
///   S2_gh = 1 − mean((f(BA_g) − f(AB_h))²) / 2V − S1_g − S1_h
/// (BA_g and AB_h share exactly the columns of g and h).
public enum SobolAnalysis {
  /// The indices of every output. `outputs[row][output]` holds the runs' outputs
  /// in design order (NaN for a failed run); base samples with any non-finite
  /// value are left out of that output's indices and counted.
  public static func analyze(
    design: Design, outputs: [[Double]], names: [String], settings: SobolSettings, seed: UInt64
  ) -> [SobolIndices] {
    let groups = design.space.groups
    let d = groups.count
    let secondOrder = design.blockSize == 2 * d + 2 && d >= 2
    return names.indices.map { output in
      // Per base sample: f(A), f(AB_1…D), [f(BA_1…D)], f(B).
      var blocks: [[Double]] = []
      var excluded = 0
      for block in 0..<design.blockCount {
        let rows = (block * design.blockSize)..<((block + 1) * design.blockSize)
        let values = rows.map { row in row < outputs.count && output < outputs[row].count ? outputs[row][output] : .nan
        }
        if values.allSatisfy(\.isFinite) { blocks.append(values) } else { excluded += 1 }
      }
      let full = Self.indices(blocks, d: d, secondOrder: secondOrder)
      // Bootstrap: the same resampled base samples for every index of the output.
      var random = StudyRandom(seed: seed, stream: UInt64(output) &+ 0x5EED)
      var s1Samples = [[Double]](repeating: [], count: d)
      var stSamples = [[Double]](repeating: [], count: d)
      var s2Samples = [[Double]](repeating: [], count: full.s2.count)
      if !blocks.isEmpty {
        var resample = blocks
        for _ in 0..<settings.resamples {
          for index in resample.indices { resample[index] = blocks[random.below(blocks.count)] }
          let estimate = Self.indices(resample, d: d, secondOrder: secondOrder)
          for g in 0..<d {
            s1Samples[g].append(estimate.s1[g])
            stSamples[g].append(estimate.st[g])
          }
          for pair in estimate.s2.indices { s2Samples[pair].append(estimate.s2[pair]) }
        }
      }
      var convergence: [(samples: Int, firstOrder: [Double], total: [Double])] = []
      for fraction in [4, 2, 1] {
        let n = design.blockCount / fraction
        var prefix: [[Double]] = []
        for block in 0..<n {
          let rows = (block * design.blockSize)..<((block + 1) * design.blockSize)
          let values = rows.map { row in
            row < outputs.count && output < outputs[row].count ? outputs[row][output] : .nan
          }
          if values.allSatisfy(\.isFinite) { prefix.append(values) }
        }
        let estimate = Self.indices(prefix, d: d, secondOrder: false)
        convergence.append((n, estimate.s1, estimate.st))
      }
      var pairs: [(i: Int, j: Int, estimate: Estimate)] = []
      var pair = 0
      if secondOrder {
        for i in 0..<d {
          for j in (i + 1)..<d {
            pairs.append(
              (i, j, Estimate.percentile(full.s2[pair], resampled: s2Samples[pair], confidence: settings.confidence)))
            pair += 1
          }
        }
      }
      return SobolIndices(
        output: names[output], groups: groups.map(\.name),
        firstOrder: (0..<d).map {
          Estimate.percentile(full.s1[$0], resampled: s1Samples[$0], confidence: settings.confidence)
        },
        total: (0..<d).map {
          Estimate.percentile(full.st[$0], resampled: stSamples[$0], confidence: settings.confidence)
        },
        secondOrder: pairs, validSamples: blocks.count, excludedSamples: excluded, variance: full.variance,
        convergence: convergence)
    }
  }

  /// S1, ST (and S2 for i < j) from blocks laid out as the design's.
  static func indices(_ blocks: [[Double]], d: Int, secondOrder: Bool) -> (
    s1: [Double], st: [Double], s2: [Double], variance: Double
  ) {
    let n = Double(blocks.count)
    let last = d + 1 + (secondOrder ? d : 0)
    var mean = 0.0
    for block in blocks { mean += block[0] + block[last] }
    mean /= 2 * n
    var variance = 0.0
    for block in blocks {
      variance += (block[0] - mean) * (block[0] - mean) + (block[last] - mean) * (block[last] - mean)
    }
    variance /= 2 * n
    var s1 = [Double](repeating: 0, count: d)
    var st = [Double](repeating: 0, count: d)
    for g in 0..<d {
      var total = 0.0
      var first = 0.0
      for block in blocks {
        let ab = block[1 + g]
        total += (block[0] - ab) * (block[0] - ab)
        first += (block[last] - ab) * (block[last] - ab)
      }
      st[g] = total / (2 * n) / variance
      s1[g] = 1 - first / (2 * n) / variance
    }
    var s2: [Double] = []
    if secondOrder {
      for i in 0..<d {
        for j in (i + 1)..<d {
          var sum = 0.0
          for block in blocks {
            let difference = block[1 + d + i] - block[1 + j]
            sum += difference * difference
          }
          s2.append(1 - sum / (2 * n) / variance - s1[i] - s1[j])
        }
      }
    }
    return (s1, st, s2, variance)
  }
}
