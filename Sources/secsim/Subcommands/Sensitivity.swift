import ArgumentParser
import Foundation
import SECEngine
import SECScenario
import SECWhatIf

/// `secsim sensitivity`: which assumptions drive one output.
struct Sensitivity: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Rank the parameters that drive one output: Sobol indices or Morris effects, and a tornado chart.",
    discussion: """
      Runs the engine over a design of the --param ranges (all points on the same random \
      futures) and measures how much of the output's variation each parameter explains. \
      The output is the mean over --replicates of --metric for --policy, over the horizon \
      (--year total) or in one year.

      --method sobol: first-order (S1, the parameter alone) and total (ST, with its \
      interactions) Sobol indices on a Saltelli design, N(d + 2) runs for d parameters, \
      with 95 % bootstrap intervals. At most 20 parameters: the design needs 2d Sobol \
      dimensions and GSL's gsl_qrng_sobol supports 40.
      --method morris: Morris elementary effects, μ* (importance) and σ (interactions, \
      non-linearity), from --samples trajectories, (d + 1) runs each.
      Both add a tornado: each parameter alone at LOW and HIGH, the others at the \
      scenario's values.

      Writes sensitivity.csv, sensitivity.html and sensitivity.json into --out, all or \
      nothing. A parameter `inert.NAME=0:1` changes nothing: its indices show the noise floor.
      With --shard I/N only a contiguous share of the design points (the tornado's \
      included) runs, into a partial-result file that `secsim merge` combines \
      (docs/cluster.md).

      Example: secsim sensitivity --param 'policies[today].counting.threshold=150000:350000' \
      --param processes.entry.rate=0:3 --param inert.x=0:1 --metric fusa --out out/sens
      See docs/whatif.md.
      """)

  @OptionGroup var input: ScenarioArgument
  @OptionGroup var options: WhatIfOptions

  @Option(help: "sobol or morris.")
  var method: String = "sobol"

  @Option(help: "The output: a metric of summary.csv (fusa, assessor_days, coverage_fusa_share, capacity_exceeded, …).")
  var metric: String = "fusa"

  @Option(help: "The policy whose output is analysed. Default: the baseline.")
  var policy: String?

  @Option(help: "A calendar year of the horizon, or `total` for the horizon total.")
  var year: String = "total"

  @Option(help: "Sobol: base sample N (runs N(d + 2); a power of 2 suits the sequence). Morris: trajectories.")
  var samples: Int = 64

  @Option(help: "Morris: levels of the grid (even).")
  var levels: Int = 4

  @Option(help: "Bootstrap resamples for the intervals.")
  var bootstrap: Int = 1000

  @Option(help: "Output folder (replaced whole at the end). With --shard: the folder the partial goes into.")
  var out: String = "out/sensitivity"

  @OptionGroup var sharding: ShardOptions

  func validate() throws {
    guard let m = SensitivityMethod(rawValue: method) else {
      throw ValidationError("unknown --method '\(method)'; expected sobol or morris")
    }
    guard MetricRef(name: metric) != nil else {
      throw ValidationError("unknown --metric '\(metric)'; expected one of: \(MetricRef.allNames.joined(separator: ", "))")
    }
    if year != "total" && Int(year) == nil { throw ValidationError("--year must be a calendar year or `total` (found \(year))") }
    if m == .sobol && options.params.count > SaltelliDesign.maxParameters {
      throw ValidationError(
        "--method sobol takes at most \(SaltelliDesign.maxParameters) parameters (found \(options.params.count)): the Saltelli design needs "
          + "2 × \(options.params.count) Sobol dimensions and GSL's gsl_qrng_sobol supports at most \(SobolDesign.maxDimensions) "
          + "(MODEL.md §10). Use --method morris, or fewer parameters.")
    }
    if samples < 2 { throw ValidationError("--samples must be at least 2 (found \(samples))") }
    if levels < 2 || levels % 2 != 0 { throw ValidationError("--levels must be an even number ≥ 2 (found \(levels))") }
    if bootstrap < 0 { throw ValidationError("--bootstrap must be ≥ 0 (found \(bootstrap))") }
  }

  func run() throws {
    let loaded = try input.load()
    let (template, parameters) = try options.prepare(loaded)
    let scenario = loaded.scenario
    let algorithm = try options.algorithm(scenario)
    let runner = DesignRunner(
      template: template, parameters: parameters, seed: options.seed ?? scenario.seed, replicates: options.replicates,
      threads: options.threads, algorithm: algorithm)
    let plan = try plan(runner, scenario: scenario)
    if let shard = sharding.spec {
      return try WhatIfShard.write(
        shard, plan: plan, runner: runner, loaded: loaded, settings: options.settings, rng: algorithm.rawValue, sharding: sharding,
        out: out)
    }
    let (analysis, seconds) = try ProgressBar.showing(total: plan.pointCount * options.replicates) { progress in
      try whatIf { try SensitivityAnalysis(runner: runner, plan: plan, progress: progress) }
    }
    let manifest = WhatIfManifest(
      plan: plan, secsimVersion: SECSimVersion.string, scenarioName: scenario.name, scenarioFile: loaded.displayName,
      settings: options.settings, replicates: options.replicates, rng: algorithm.rawValue, threads: options.threads,
      partyYears: analysis.partyYears, wallSeconds: seconds, commandLine: CommandLine.arguments)
    let written = try writeAtomically(
      try WhatIfOutputs.sensitivity(analysis, scenarioName: scenario.name, manifest: manifest), to: out)
    print("Wrote sensitivity.csv, sensitivity.html, sensitivity.json to \(written.path)")
    for (i, p) in parameters.enumerated() {
      if let s = analysis.sobol {
        print(
          "  \(p.name): S1 \(fmt(s.firstOrder[i].value)), ST \(fmt(s.total[i].value)) [\(fmt(s.total[i].low)), \(fmt(s.total[i].high))]")
      } else if let m = analysis.morris {
        print("  \(p.name): μ* \(fmt(m[i].muStar.value)), σ \(fmt(m[i].sigma))")
      }
    }
    print("\(analysis.points) design points × \(options.replicates) replicates in \(String(format: "%.3g", seconds)) s")
  }

  func fmt(_ x: Double) -> String { String(format: "%.3g", x) }

  /// The output analysed: --metric of --policy (default and for market metrics: the
  /// baseline, whose run has them) in --year.
  func target(_ scenario: Scenario) throws -> SensitivityTarget {
    let metricRef = MetricRef(name: metric)!
    let baselineName = scenario.baseline?.name ?? scenario.policies[0].name
    var policyName = policy ?? baselineName
    if case .market = metricRef { policyName = baselineName }
    guard scenario.policies.contains(where: { $0.name == policyName }) else {
      throw ValidationError(
        "unknown --policy '\(policyName)'; the scenario's policies are: \(scenario.policies.map(\.name).joined(separator: ", "))")
    }
    return SensitivityTarget(policy: policyName, metric: metricRef, year: year)
  }

  /// The analysis's design on `runner`.
  func plan(_ runner: DesignRunner, scenario: Scenario) throws -> DesignPlan {
    let target = try target(scenario)
    return try whatIf {
      try DesignPlan.sensitivity(
        runner: runner, method: SensitivityMethod(rawValue: method)!, target: target, samples: samples, levels: levels,
        bootstrap: bootstrap)
    }
  }
}

extension Sensitivity {
  /// This analysis's command line for the shards of a generated job array: every
  /// option explicit, the scenario by absolute path (none: the built-in default);
  /// --threads, --shard and --out are the script's.
  func shardArguments(_ loaded: ScenarioArgument.Loaded) -> [String] {
    var arguments = ["sensitivity"]
    if input.scenario != nil, let url = loaded.url { arguments.append(url.standardizedFileURL.path) }
    arguments += options.shardArguments(loaded.scenario)
    arguments += ["--method", method, "--metric", metric]
    if let policy { arguments += ["--policy", policy] }
    arguments += ["--year", year, "--samples", "\(samples)", "--levels", "\(levels)", "--bootstrap", "\(bootstrap)"]
    return arguments
  }
}
