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
    let loaded: LoadedNetwork
    do {
      loaded = try Network.load(path: file)
    } catch {
      Output.standardError(error.description)
      throw ExitCode(exitDataError)
    }
    if !loaded.diagnostics.isEmpty { Output.standardError(loaded.renderedDiagnostics) }
    guard let network = loaded.network else { throw ExitCode(exitDataError) }
    Output.standardOutput(network.explanation())
  }
}
