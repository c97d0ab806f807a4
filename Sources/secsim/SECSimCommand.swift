import ArgumentParser

/// The `secsim` command: subcommands only; all work happens in the libraries.
@main
struct SECSimCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "secsim",
    abstract: "Monte Carlo what-if workbench for SEC Section G8 User Security Assessment policy.",
    discussion: """
      SECSim projects DCC Users' portfolios, applies alternative assessment-threshold \
      policies to the same random futures, and forecasts assessment workload and risk \
      coverage with uncertainty. See README.md and docs/ for the model and its sources.
      """,
    version: SECSimVersion.string,
    subcommands: [
      Run.self, Validate.self, Scenarios.self, Sweep.self, Sensitivity.self, Discover.self, Notebook.self, Merge.self, Slurm.self,
      BacktestCommand.self,
    ]
  )
}
