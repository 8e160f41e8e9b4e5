import ArgumentParser
import OsteonCompile
import OsteonNetwork
import OsteonSimulate

struct Explain: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the resolved model as a modeller would check it.",
    discussion: """
      Shows compartments, species with initial values, parameters, the right-hand side \
      of each state variable written out in plain maths, reactions, assignment rules \
      in evaluation order, initial assignments and events with their attributes, \
      and how sparse the exact Jacobian is (with the linear solver msbdf then uses). \
      Exits 65 (with diagnostics on standard error) if the file has errors.
      """
  )

  @Argument(help: "The network file (.ant) to explain.")
  var file: String

  func run() throws {
    let (loaded, network) = try loadNetwork(file)
    let warnings = loaded.diagnostics.filter { $0.severity != .error }
    if !warnings.isEmpty { Output.standardError(warnings.map { loaded.render($0) }.joined(separator: "\n")) }
    Output.standardOutput(network.explanation())
    if let model = try? CompiledModel(network: network) { Output.standardOutput(Self.sparsity(of: model)) }
  }

  /// The Jacobian's sparsity and the linear solver `--linear-solver auto` picks for msbdf.
  static func sparsity(of model: CompiledModel) -> String {
    let sparsity = model.jacobianSparsity
    let n = sparsity.stateCount
    func percent(_ fraction: Double) -> String {
      let value = (fraction * 1000).rounded() / 10
      return value == 0 && fraction > 0 ? "<0.1%" : "\(value)%"
    }
    let solver = LinearSolver.auto.resolved(for: sparsity, method: .msbdf)
    let why =
      solver == .sparse
      ? "KLU on the pattern" : n > LinearSolver.denseLimit ? "too dense for KLU" : "small: Osteon's dense kernels"
    return [
      "",
      "Jacobian",
      "  \(n) states: \(sparsity.nonZeros) of \(n * n) entries of ∂f/∂y can be non-zero (\(percent(sparsity.density)));"
        + " I − hγJ: \(sparsity.iterationEntries.count) (\(percent(sparsity.iterationDensity)))",
      "  linear solver (msbdf, --linear-solver auto): \(solver.rawValue) (\(why))",
    ].joined(separator: "\n")
  }
}
