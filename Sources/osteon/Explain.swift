import ArgumentParser
import OsteonNetwork

struct Explain: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the resolved model as a modeller would check it.",
    discussion: """
      Shows compartments, species with initial values, parameters, the right-hand side \
      of each state variable written out in plain maths, reactions, assignment rules \
      in evaluation order, initial assignments and events with their attributes. \
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
  }
}
