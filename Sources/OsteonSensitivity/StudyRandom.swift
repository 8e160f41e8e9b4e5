/// xoshiro256** (Blackman and Vigna): the random numbers of Morris trajectories and
/// bootstrap resamples, seeded from the study's seed and a stream number, so that
/// every stream is the same on every machine and thread count.
public struct StudyRandom: RandomNumberGenerator, Sendable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  public init(seed: UInt64, stream: UInt64 = 0) {
    // Four words from the seed and stream through the MurmurHash3 finaliser.
    func mix(_ value: UInt64) -> UInt64 {
      var x = value
      x = (x ^ (x >> 33)) &* 0xFF51_AFD7_ED55_8CCD
      x = (x ^ (x >> 33)) &* 0xC4CE_B9FE_1A85_EC53
      return x ^ (x >> 33)
    }
    let base = mix(seed ^ 0x6A09_E667_F3BC_C908) ^ mix(stream &+ 0xBB67_AE85_84CA_A73B)
    s0 = mix(base &+ 1)
    s1 = mix(base &+ 2)
    s2 = mix(base &+ 3)
    s3 = mix(base &+ 4)
    if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
  }

  public mutating func next() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = s3 << 45 | s3 >> 19
    return result
  }

  /// A uniform integer in 0..<bound (bound > 0), by the multiply-high method.
  public mutating func below(_ bound: Int) -> Int {
    Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
  }
}
