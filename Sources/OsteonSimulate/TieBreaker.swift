/// Chooses among simultaneous events of equal priority. SBML Level 3 leaves their
/// order open and the test suite checks that neither always wins (cases 00952, 01466),
/// so the choice is random, from a seeded generator (SplitMix64): the same seed gives
/// the same run.
struct TieBreaker {
  private var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  /// A uniformly chosen index in `0..<count` (`count` > 0).
  mutating func choose(among count: Int) -> Int {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Int(z % UInt64(max(1, count)))
  }
}
