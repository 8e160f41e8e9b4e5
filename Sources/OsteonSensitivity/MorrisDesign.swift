import Foundation

/// Morris's one-at-a-time trajectories (Morris 1991): from a random point of a
/// p-level grid in the unit hypercube, each factor in random order moves once by
/// Δ = p / (2(p − 1)), up where it can and otherwise down. With candidates, the r
/// most spread-out trajectories are kept (Campolongo et al. 2007's distance,
/// dropping one at a time the trajectory that adds least to the sum of squared
/// distances, as Ruano et al. 2012's local method).
public enum MorrisDesign {
  /// The step in the unit hypercube.
  public static func delta(levels: Int) -> Double { Double(levels) / (2 * Double(levels - 1)) }

  public static func make(space: ParameterSpace, settings: MorrisSettings, seed: UInt64) throws(DesignError) -> Design {
    if let unbounded = space.factors.first(where: { !$0.distribution.isBounded }) {
      throw DesignError(
        "Morris levels include the ends of each range: `\(unbounded.id)` (\(unbounded.distribution.name)) needs bounds")
    }
    if space.groups.count != space.factors.count {
      throw DesignError("Morris designs with groups are not supported: remove `group` or use Sobol")
    }
    let k = space.factors.count
    let p = settings.levels
    let delta = Self.delta(levels: p)
    var random = StudyRandom(seed: seed, stream: 0x4D4F_5252)
    let count = max(settings.candidates, settings.trajectories)
    var trajectories: [[[Double]]] = []
    for _ in 0..<count {
      var point = (0..<k).map { _ in Double(random.below(p)) / Double(p - 1) }
      var order = Array(0..<k)
      for index in stride(from: k - 1, to: 0, by: -1) { order.swapAt(index, random.below(index + 1)) }
      var trajectory = [point]
      for factor in order {
        let canRise = point[factor] + delta <= 1 + 1e-12
        let canFall = point[factor] - delta >= -1e-12
        let rise = canRise && (!canFall || random.below(2) == 0)
        point[factor] = min(1, max(0, point[factor] + (rise ? delta : -delta)))
        trajectory.append(point)
      }
      trajectories.append(trajectory)
    }
    if settings.candidates > settings.trajectories {
      trajectories = Self.mostSpread(trajectories, keep: settings.trajectories)
    }
    return Design(method: .morris, space: space, unit: trajectories.flatMap { $0 }, blockSize: k + 1)
  }

  /// Keeps `keep` trajectories, dropping the one with the smallest sum of squared
  /// distances to the others until `keep` are left (ties: the later one goes).
  static func mostSpread(_ trajectories: [[[Double]]], keep: Int) -> [[[Double]]] {
    let m = trajectories.count
    var distance = [Double](repeating: 0, count: m * m)
    for a in 0..<m {
      for b in (a + 1)..<m {
        var sum = 0.0
        for x in trajectories[a] {
          for y in trajectories[b] {
            var squared = 0.0
            for (u, v) in zip(x, y) { squared += (u - v) * (u - v) }
            sum += squared.squareRoot()
          }
        }
        distance[a * m + b] = sum * sum
        distance[b * m + a] = sum * sum
      }
    }
    var alive = Array(0..<m)
    var contribution = (0..<m).map { a in (0..<m).reduce(0.0) { $0 + distance[a * m + $1] } }
    while alive.count > keep {
      var worst = 0
      for position in alive.indices where contribution[alive[position]] <= contribution[alive[worst]] {
        worst = position
      }
      let removed = alive.remove(at: worst)
      for other in alive { contribution[other] -= distance[other * m + removed] }
    }
    return alive.map { trajectories[$0] }
  }
}
