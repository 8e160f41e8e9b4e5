import ArgumentParser
import OsteonSensitivity

/// `osteon sensitivity sobol`: first-order, total (and second-order) Sobol indices.
struct SensitivitySobol: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sobol",
    abstract: "Sobol indices (Saltelli design on a Sobol sequence, Jansen estimators, bootstrap intervals).",
    discussion: """
      Runs N·(D+2) simulations (N·(2D+2) with second_order) for D groups, N = [sobol] n \
      of the study. Writes into --out: indices.csv (S1 and ST with confidence intervals, \
      per output and group), convergence.csv (the indices on N/4, N/2 and N base \
      samples), second_order.csv when asked, design.csv and outputs.csv (for SALib: \
      sobol.analyze(problem, np.loadtxt("outputs.csv", delimiter=",", skiprows=1))), \
      failures.csv (every failed run with its parameter values). Base samples with a \
      failed run are left out of the indices and counted in indices.csv. With --shard i/N \
      it writes sobol-shard-i-of-N.csv instead; `osteon sensitivity merge` combines them. \
      Ctrl-C keeps the finished runs: the same command resumes.
      """)

  @OptionGroup var options: SensitivityGlobalOptions

  func run() throws { try options.run(.sobol) }
}
