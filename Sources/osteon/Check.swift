import ArgumentParser
import OsteonNetwork

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check network files for errors and warnings.",
    discussion: """
      Parses and resolves each file and prints every diagnostic to standard error as \
      `file:line:col: error: message`, with the source line and a caret. A one-line \
      summary per file goes to standard output. Exits 0 when every file is valid \
      (warnings allowed) and 65 when any file has an error.
      """
  )

  @Argument(help: "Network files (.ant) to check.")
  var files: [String]

  @Flag(name: .long, help: "Do not print warnings.")
  var noWarnings = false

  func validate() throws {
    if files.isEmpty {
      throw ValidationError("give at least one network file, e.g. `osteon check Networks/lemaire2004.ant`")
    }
  }

  func run() throws {
    var failed = false
    for path in files {
      let loaded: LoadedNetwork
      do {
        loaded = try Network.load(path: path)
      } catch {
        Output.standardError(error.description)
        failed = true
        continue
      }
      let shown = loaded.diagnostics.filter { !noWarnings || $0.severity == .error }
      if !shown.isEmpty {
        Output.standardError(shown.map { loaded.render($0) }.joined(separator: "\n"))
      }
      let errors = loaded.diagnostics.filter { $0.severity == .error }.count
      let warnings = loaded.diagnostics.filter { $0.severity == .warning }.count
      if let network = loaded.network {
        Output.standardOutput(
          "\(path): ok — \(network.species.count) species, \(network.reactions.count) reactions, \(network.stateVariables.count) state variables, \(warnings) warning\(warnings == 1 ? "" : "s")"
        )
      } else {
        failed = true
        Output.standardOutput(
          "\(path): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
      }
    }
    if failed { throw ExitCode(exitDataError) }
  }
}
