import ArgumentParser
import Foundation
import OsteonCompile
import OsteonNetwork
import OsteonSimulate

struct Steady: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Find a steady state of a network and say whether it is stable.",
    discussion: """
      Solves f(x) = 0 for the states x, where f is every state's rate of change, with \
      the parameters held at the network's values (or those of --set) and the rates \
      evaluated at --time. Newton's method (GSL's hybridsj, with the exact Jacobian) \
      starts from the network's initial values; if it fails, the network is \
      integrated (msbdf) over ever longer spans and Newton restarts from where each \
      ends. Events take no part: the steady state is that of the equations as they \
      stand at --time.

      A point is steady when every |dx_i/dt| is below 1e-10 times the rate at which \
      x_i would change if every state moved by its own size.

      Conservation laws of the reactions (A <-> B keeps A + B) are found from the \
      stoichiometry: the totals of the start are kept, and each law gives the Jacobian \
      a zero eigenvalue, reported as a neutral direction. So does a free state, one \
      that no rate reads (an accumulated bone volume): it keeps its starting value, \
      and the point is steady only if its own rate vanishes there.

      Prints each state's value, the method, the largest |dx/dt| left, the \
      eigenvalues of the Jacobian (by real part, largest first) and the verdict: \
      stable (every other eigenvalue has a negative real part), unstable (n \
      eigenvalues with positive real part) or marginal (a real part of 0). With \
      --json, the same as one JSON object.

      Exit status 70, with nothing on standard output, when there is no steady state: \
      the message says what was tried and the largest rate it reached.

      Example: osteon steady Networks/published/lemaire2004.ant --set injecting=1 --set I_P=1000 \
      (the steady state under continuous PTH: the injection window's events take no part, so the \
      window is held open with --set injecting=1).
      """
  )

  @Argument(help: "The network file (.ant).")
  var file: String

  @Option(name: .customLong("set"), help: ParameterSettings.help)
  var assignments: [String] = []

  @Option(parsing: .unconditional, help: "Time at which the rates are evaluated, in the network's time unit.")
  var time: Double = 0

  @Flag(help: "Write one JSON object instead of text.")
  var json = false

  func validate() throws {
    if !time.isFinite { throw ValidationError("--time must be a finite number; got \(time)") }
    _ = try ParameterSettings.values(of: assignments)
  }

  func run() throws {
    do {
      try findAndReport()
    } catch let error as ValidationError {
      throw usageError(error.message, command: Self.self)
    }
  }

  func findAndReport() throws {
    let (_, network) = try loadNetwork(file)
    let model = try CompiledModel(network: network)
    let parameters = try ParameterSettings.values(of: assignments)
    try ParameterSettings.check(Array(parameters.keys), in: model, file: file)
    let steady: SteadyState
    do {
      steady = try findSteadyState(of: model, parameters: parameters, time: time)
    } catch {
      if error.kind == .invalidProblem { throw ValidationError(error.message) }
      Output.standardError("\(file): error: \(error.description)")
      throw ExitCode(exitSoftwareFailure)
    }
    Output.standardOutput(json ? try jsonReport(steady) : textReport(steady))
  }

  /// stable / unstable (n eigenvalues with positive real part) / marginal (…).
  static func verdict(_ steady: SteadyState) -> String {
    if steady.unstableDirections > 0 {
      let count = steady.unstableDirections
      return "unstable (\(count) eigenvalue\(count == 1 ? "" : "s") with positive real part)"
    }
    if steady.marginalDirections > 0 {
      let count = steady.marginalDirections
      return
        "marginal (\(count) eigenvalue\(count == 1 ? "" : "s") with zero real part: the linearization cannot decide)"
    }
    return "stable"
  }

  static func format(_ value: Double) -> String { String(format: "%.10g", value) }

  static func format(real: Double, imaginary: Double) -> String {
    guard imaginary != 0 else { return format(real) }
    return "\(format(real)) \(imaginary < 0 ? "-" : "+") \(format(abs(imaginary)))i"
  }

  func textReport(_ steady: SteadyState) -> String {
    var lines: [String] = []
    let method: String
    switch steady.method {
    case .newton: method = "Newton's method, \(steady.iterations) iteration\(steady.iterations == 1 ? "" : "s")"
    case .integration: method = "integration over \(Self.format(steady.integratedTime)) time units"
    case .integrationThenNewton:
      method =
        "integration over \(Self.format(steady.integratedTime)) time units, then Newton's method (\(steady.iterations) iterations in all)"
    }
    lines.append("\(file): steady state at t = \(Self.format(steady.time)) by \(method)")
    lines.append("largest |dx/dt| left: \(String(format: "%.3g", steady.residual))")
    let width = max(5, steady.stateIDs.map(\.count).max() ?? 0)
    lines.append("state".padding(toLength: width, withPad: " ", startingAt: 0) + "  value")
    for (id, value) in zip(steady.stateIDs, steady.values) {
      lines.append(id.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + Self.format(value))
    }
    if steady.stateIDs.isEmpty { lines.append("(none: the network has no state variables, so nothing changes)") }
    lines.append("eigenvalues of the Jacobian (by real part):")
    for (index, value) in steady.eigenvalues.enumerated() {
      let neutral = steady.neutralEigenvalues.contains(index) ? "  (neutral direction)" : ""
      lines.append("  " + Self.format(real: value.real, imaginary: value.imaginary) + neutral)
    }
    for law in steady.conservationLaws {
      lines.append("conserved: \(law.description)")
    }
    for id in steady.freeStates {
      lines.append("free: \(id) is read by no rate, so every value of it is as steady (kept at its start)")
    }
    var verdict = "verdict: \(Self.verdict(steady))"
    if steady.neutralDirections > 0 {
      var sources: [String] = []
      let laws = steady.conservationLaws.count
      let free = steady.freeStates.count
      if laws > 0 { sources.append("\(laws) conservation law\(laws == 1 ? "" : "s")") }
      if free > 0 { sources.append("\(free) free state\(free == 1 ? "" : "s")") }
      verdict +=
        "; the zero eigenvalue\(laws + free == 1 ? "" : "s") of \(sources.joined(separator: " and ")) \(laws + free == 1 ? "is a neutral direction" : "are neutral directions"), not instability"
    }
    lines.append(verdict)
    let events = steady.model.network.events.count
    if events > 0 {
      lines.append(
        "note: the network's \(events) event\(events == 1 ? "" : "s") took no part; parameters were held as at the start (change them with --set)"
      )
    }
    return lines.joined(separator: "\n")
  }

  /// What `--json` writes.
  struct Report: Encodable {
    struct State: Encodable {
      var id: String
      var value: Double
    }
    struct Eigenvalue: Encodable {
      var real: Double
      var imaginary: Double
      var neutral: Bool
    }
    struct Law: Encodable {
      var coefficients: [String: Double]
      var total: Double
      var text: String
    }
    var file: String
    var model: String
    var time: Double
    var method: String
    var iterations: Int
    var integratedTime: Double
    var residual: Double
    var states: [State]
    var eigenvalues: [Eigenvalue]
    var conservationLaws: [Law]
    var freeStates: [String]
    var stable: Bool
    var unstableDirections: Int
    var marginalDirections: Int
    var neutralDirections: Int
    var verdict: String
  }

  func jsonReport(_ steady: SteadyState) throws -> String {
    let report = Report(
      file: file, model: steady.model.network.name, time: steady.time, method: steady.method.rawValue,
      iterations: steady.iterations, integratedTime: steady.integratedTime, residual: steady.residual,
      states: zip(steady.stateIDs, steady.values).map { Report.State(id: $0, value: $1) },
      eigenvalues: steady.eigenvalues.enumerated().map { index, value in
        Report.Eigenvalue(
          real: value.real, imaginary: value.imaginary, neutral: steady.neutralEigenvalues.contains(index))
      },
      conservationLaws: steady.conservationLaws.map { law in
        Report.Law(
          coefficients: Dictionary(law.terms.map { ($0.state, $0.coefficient) }, uniquingKeysWith: { $1 }),
          total: law.total, text: law.description)
      },
      freeStates: steady.freeStates, stable: steady.isStable, unstableDirections: steady.unstableDirections,
      marginalDirections: steady.marginalDirections, neutralDirections: steady.neutralDirections,
      verdict: Self.verdict(steady))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return String(decoding: try encoder.encode(report), as: UTF8.self)
  }
}
