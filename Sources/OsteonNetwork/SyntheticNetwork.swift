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

extension SyntheticNetwork {
  /// A network of `instances` copies of one `states`-species signaling cascade, all
  /// driven by one shared ligand `L`, each copy with its own input rate: written with
  /// modules (`model cascade(L)`, `C1: cascade(L)`, `C1.k_in = …`).
  public static func modular(instances: Int, states: Int) -> String {
    let count = max(1, instances)
    let length = max(1, states)
    var lines: [String] = ["// Generated: \(count) instances of a \(length)-state cascade", "model cascade(L)"]
    lines += cascadeBody(states: length, prefix: "", ligand: "L").map { "  " + $0 }
    lines.append("end")
    lines.append("")
    lines.append("model *cascades()")
    lines.append("  compartment cell = 1")
    lines.append("  species $L in cell = 1")
    for index in 1...count {
      lines.append("  C\(index): cascade(L)")
      lines.append("  C\(index).k_in = \(inputRate(index))")
    }
    lines.append("end")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The network of `modular(instances:states:)` written out flat, copy by copy
  /// (`C1_S1` for `C1.S1`), in the order flattening gives.
  public static func flat(instances: Int, states: Int) -> String {
    let count = max(1, instances)
    let length = max(1, states)
    var lines: [String] = [
      "// Generated: \(count) copies of a \(length)-state cascade, flat", "model *cascades_flat()",
    ]
    for index in 1...count {
      lines += cascadeBody(states: length, prefix: "C\(index)_", ligand: "L").map { "  " + $0 }
    }
    lines.append("  compartment cell = 1")
    lines.append("  species $L in cell = 1")
    for index in 1...count {
      lines.append("  C\(index)_k_in = \(inputRate(index))")
    }
    lines.append("end")
    return lines.joined(separator: "\n") + "\n"
  }

  private static func inputRate(_ index: Int) -> Double {
    0.5 + Double(index % 10) * 0.1
  }

  /// One cascade: L activates S1 at k_in; each S_i activates S_(i+1) with Michaelis–
  /// Menten kinetics; every species decays.
  private static func cascadeBody(states: Int, prefix p: String, ligand: String) -> [String] {
    var lines: [String] = ["compartment \(p)cell = 1"]
    for index in 1...states {
      lines.append("species \(p)S\(index) in \(p)cell = 0")
    }
    lines.append("\(p)k_in = 1; \(p)k_deg = 0.2")
    lines.append("\(p)activation: => \(p)S1; \(p)k_in*\(ligand)")
    for index in 1..<states {
      lines.append(
        "\(p)step\(index): \(p)S\(index) -> \(p)S\(index + 1); \(p)V\(index)*\(p)S\(index)/(\(p)K\(index) + \(p)S\(index))"
      )
      lines.append(
        "\(p)V\(index) = \(1.0 + Double(index % 7) * 0.25); \(p)K\(index) = \(0.5 + Double(index % 5) * 0.1)")
    }
    for index in 1...states {
      lines.append("\(p)decay\(index): \(p)S\(index) -> ; \(p)k_deg*\(p)S\(index)")
    }
    return lines
  }
}

extension SyntheticNetwork {
  /// The linear chain of the scaling benchmark (`osteon bench --scale`): n reactions
  /// `Ji: Ai -> Ai+1; ki*Ai/(1 + Ai)` over n + 1 species in one compartment, A0 = 10
  /// and the rest 0 at the start, ki = 1 + 0.25·(i mod 4). Antimony as libAntimony
  /// reads it too (Networks/benchmarks/scale_bench.py writes the same text).
  public static func chain(reactions: Int) -> String {
    let count = max(1, reactions)
    var lines: [String] = []
    lines.reserveCapacity(2 * count + 8)
    lines.append("// Generated: \(count)-reaction chain (osteon bench --scale)")
    lines.append("model *chain\(count)()")
    lines.append("  compartment cell = 1;")
    lines.append("  species " + (0...count).map { "A\($0)" }.joined(separator: ", ") + " in cell;")
    lines.append("  A0 = 10;")
    for index in 1...count { lines.append("  A\(index) = 0;") }
    for index in 0..<count {
      lines.append("  J\(index): A\(index) -> A\(index + 1); k\(index)*A\(index)/(1 + A\(index));")
      lines.append("  k\(index) = \(1 + 0.25 * Double(index % 4));")
    }
    lines.append("end")
    return lines.joined(separator: "\n") + "\n"
  }
}
