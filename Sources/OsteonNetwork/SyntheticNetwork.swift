/// Generated networks of any size, for benchmarks and stress tests.
public enum SyntheticNetwork {
  /// A valid network with `reactions` Michaelis–Menten steps along a chain of species,
  /// two parameters per reaction, an assignment rule every tenth step, display
  /// names, and a dosing event.
  public static func text(reactions: Int) -> String {
    let count = max(1, reactions)
    var lines: [String] = []
    lines.reserveCapacity(count * 5 + 20)
    lines.append("// Generated: \(count)-reaction chain")
    lines.append("model *synthetic_chain()")
    lines.append("  compartment cell = 1")
    lines.append("  species S0 in cell = 10")
    for index in 1...count {
      lines.append("  species S\(index) in cell = 0")
    }
    lines.append("  $E in cell = 1")
    for index in 0..<count {
      let enzyme = index % 10 == 0 ? "E_eff\(index)" : "E"
      lines.append("  R\(index): S\(index) -> S\(index + 1); \(enzyme)*kcat\(index)*S\(index)/(Km\(index) + S\(index))")
      lines.append("  kcat\(index) = \(1.0 + Double(index % 7) * 0.25); Km\(index) = \(0.5 + Double(index % 5) * 0.1)")
      if index % 10 == 0 {
        lines.append("  E_eff\(index) := E*(1 + 0.1*sin(time/\(index + 1)))")
      }
    }
    lines.append("  R_out: S\(count) -> ; k_out*S\(count)")
    lines.append("  k_out = 0.1")
    lines.append("  var dose = 0")
    lines.append("  dosing: at time >= 10, t0 = false: dose = 1, S0 = S0 + 5")
    lines.append("  S0 is \"substrate\"")
    lines.append("end")
    return lines.joined(separator: "\n") + "\n"
  }
}
