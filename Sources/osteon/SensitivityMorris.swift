import ArgumentParser
import OsteonSensitivity

/// `osteon sensitivity morris`: elementary-effects screening.
struct SensitivityMorris: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "morris",
    abstract: "Morris screening: μ, μ* (with a bootstrap interval) and σ of the elementary effects.",
    discussion: """
      Runs r·(k+1) simulations for r trajectories ([morris] trajectories) over p levels \
      ([morris] levels) of k factors; with [morris] candidates, the r most spread-out of \
      that many trajectories. Writes morris.csv, design.csv, outputs.csv and \
      failures.csv into --out; --shard and resuming as for sobol.
      """)

  @OptionGroup var options: SensitivityGlobalOptions

  func run() throws { try options.run(.morris) }
}
