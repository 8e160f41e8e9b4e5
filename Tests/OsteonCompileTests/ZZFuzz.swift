import OsteonSyntax
import Testing
@testable import OsteonCompile
@Test func zzFuzz() {
  var generator = SplitMix64(seed: 7)
  var bad = 0, strictBad = 0
  for _ in 0..<200000 {
    let term = randomTerm(depth: 6, using: &generator)
    let s = term.simplified()
    for _ in 0..<3 {
      let values = point(Double.random(in: -3...3, using: &generator), Double.random(in: -3...3, using: &generator))
      let e = term.evaluate(values); guard e.isFinite else { continue }
      let a = s.evaluate(values)
      if !(Swift.abs(e - a) <= 1e-9 * Swift.max(1, Swift.abs(e))) {
        bad += 1
        if allFinite(term, values) { strictBad += 1 }
        if bad < 6 { print("\(term)\n  → \(s)\n  \(e) vs \(a) strict=\(allFinite(term, values))\n") }
      }
    }
  }
  print("bad", bad, "strictBad", strictBad)
}
