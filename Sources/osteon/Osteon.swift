import ArgumentParser

@main
struct Osteon: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "osteon",
    abstract: "Signaling-network models of bone remodeling and osteoporosis.",
    discussion: """
      Networks are plain-text files in the core of the Antimony language (the text \
      format of Tellurium): species, reactions with rate laws, assignment rules \
      (x := …), rate rules (x' = …), events and functions.

      Exit status: 0 on success, 64 on a usage error, 65 when a network file is invalid, 70 when a simulation fails or `steady` finds no steady state, 73 when an output file cannot be written, 130 when interrupted (Ctrl-C stops a run at its next step and writes nothing).
      """,
    version: OsteonVersion.string,
    subcommands: [
      Check.self, Explain.self, Simulate.self, Steady.self, Run.self, Bench.self, BenchParse.self, BenchRun.self,
      Sensitivity.self, BenchSensitivity.self,
    ]
  )
}

enum OsteonVersion {
  static let string = "0.1.0"
}
