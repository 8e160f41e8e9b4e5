/// Elementary effects of a Morris design and their statistics.
public enum MorrisAnalysis {
  public static func analyze(
    design: Design, outputs: [[Double]], names: [String], settings: MorrisSettings, seed: UInt64
  ) -> [MorrisIndices] {
    let k = design.space.factors.count
    let delta = MorrisDesign.delta(levels: settings.levels)
    return names.indices.map { output in
      var effects = [[Double]](repeating: [], count: k)
      for block in 0..<design.blockCount {
        for step in 0..<k {
          let before = block * design.blockSize + step
          let after = before + 1
          guard after < outputs.count, output < outputs[before].count, output < outputs[after].count else {
            continue
          }
          guard let factor = (0..<k).first(where: { design.unit[after][$0] != design.unit[before][$0] }) else {
            continue
          }
          let y0 = outputs[before][output]
          let y1 = outputs[after][output]
          guard y0.isFinite, y1.isFinite else { continue }
          let rose = design.unit[after][factor] > design.unit[before][factor]
          effects[factor].append(rose ? (y1 - y0) / delta : (y0 - y1) / delta)
        }
      }
      var random = StudyRandom(seed: seed, stream: UInt64(output) &+ 0x3053)
      var means: [Double] = []
      var absolute: [Estimate] = []
      var deviations: [Double] = []
      for factor in 0..<k {
        let values = effects[factor]
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let absoluteMean = values.reduce(0) { $0 + abs($1) } / n
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        means.append(mean)
        deviations.append(values.count > 1 ? (squares / (n - 1)).squareRoot() : .nan)
        var resampled: [Double] = []
        if !values.isEmpty {
          for _ in 0..<settings.resamples {
            var sum = 0.0
            for _ in values.indices { sum += abs(values[random.below(values.count)]) }
            resampled.append(sum / n)
          }
        }
        absolute.append(Estimate.percentile(absoluteMean, resampled: resampled, confidence: settings.confidence))
      }
      return MorrisIndices(
        output: names[output], factors: design.space.factors.map(\.id), mean: means, absoluteMean: absolute,
        standardDeviation: deviations, effects: effects.map(\.count))
    }
  }
}
