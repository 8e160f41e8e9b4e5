import ArgumentParser

/// `osteon sensitivity`: local, Morris and Sobol sensitivity analysis, and the merge
/// of shards run apart.
struct Sensitivity: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Sensitivity analysis: local (forward sensitivities), Morris screening, Sobol indices.",
    discussion: """
      A study is a TOML file naming a network or an experiment, its factors (a \
      distribution per parameter, optional groups) and its outputs (see \
      Networks/sensitivity/README.md). `sobol` and `morris` run its design on every \
      core, or one slice of it with --shard i/N (a Slurm job array); `merge` combines \
      the shard files into exactly the files of a single run.
      """,
    subcommands: [SensitivitySobol.self, SensitivityMorris.self, SensitivityMerge.self, SensitivityLocal.self]
  )
}
