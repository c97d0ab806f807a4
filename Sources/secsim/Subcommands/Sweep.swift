import ArgumentParser
import Foundation
import GSL
import SECEngine
import SECOutput
import SECScenario
import SECWhatIf

/// Options every what-if command that runs the engine shares: the parameters and
/// fixed settings, replicates, seed, generator, threads and the output folder.
struct WhatIfOptions: ParsableArguments {
  @Option(
    name: .customLong("param"),
    help: ArgumentHelp(
      "A parameter to vary, PATH=LOW:HIGH (repeatable). PATH is a numeric field of the scenario as diagnostics spell it: "
        + "policies[today].counting.threshold, processes.entry.rate, capacity.assessor_days_per_quarter, day_rate_gbp. "
        + "`inert.NAME` is a dummy that changes nothing (a control). --list-params lists every PATH.",
      valueName: "PATH=LOW:HIGH"))
  var params: [String] = []

  @Option(
    name: .customLong("set"),
    help: ArgumentHelp("Fix a field at one value for the whole analysis, PATH=VALUE (repeatable).", valueName: "PATH=VALUE"))
  var settings: [String] = []

  @Option(help: "Replicates (random futures) per design point; every point runs the same ones.")
  var replicates: Int = 50

  @Option(help: "Master seed; any 64-bit number. Default: the scenario's `seed`.")
  var seed: UInt64?

  @Option(help: "Worker threads (results do not depend on it).")
  var threads: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "GSL generator: \(RNGAlgorithm.allCases.map(\.rawValue).joined(separator: " or ")). Default: the scenario's `rng`.")
  var rng: String?

  @Flag(help: "List every PATH the scenario offers to --param and --set, then stop.")
  var listParams = false

  func validate() throws {
    if replicates < 1 { throw ValidationError("--replicates must be at least 1 (found \(replicates))") }
    if threads < 1 { throw ValidationError("--threads must be at least 1 (found \(threads))") }
    if let rng, RNGAlgorithm(rawValue: rng) == nil {
      throw ValidationError("unknown --rng '\(rng)'; expected one of: \(RNGAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    if !listParams && params.isEmpty { throw ValidationError("give at least one --param PATH=LOW:HIGH (--list-params lists the paths)") }
    _ = try ranges()
    _ = try fixed()
  }

  /// The parsed `--param` ranges.
  func ranges() throws -> [ParameterRange] {
    do {
      return try params.map { text throws(WhatIfError) in try ParameterRange(parsing: text) }
    } catch {
      throw ValidationError(error.description)
    }
  }

  /// The parsed `--set` values (ranges with LOW = HIGH).
  func fixed() throws -> [ParameterRange] {
    try settings.map { text in
      guard let eq = text.lastIndex(of: "="), let v = Double(text[text.index(after: eq)...].replacingOccurrences(of: "_", with: "")) else {
        throw ValidationError("--set '\(text)': expected PATH=VALUE (e.g. processes.effort.fusa.bespoke.min=7)")
      }
      return ParameterRange(path: String(text[..<eq]), low: v, high: v)
    }
  }

  /// The scenario as a template with the `--set` values fixed, its parameters
  /// resolved; prints the path list and exits for `--list-params`.
  func prepare(_ loaded: ScenarioArgument.Loaded) throws -> (ScenarioTemplate, [SweptParameter]) {
    try whatIf {
      var template = try ScenarioTemplate(
        text: loaded.text, file: loaded.displayName, baseDirectory: loaded.url?.deletingLastPathComponent())
      if listParams {
        for path in try template.parameterPaths() { print(path) }
        throw ExitCode.success
      }
      try template.fix(try fixed())
      let parameters = try template.resolve(try ranges())
      return (template, parameters)
    }
  }

  func algorithm(_ scenario: Scenario) throws -> RNGAlgorithm { try RNGAlgorithm(named: rng ?? scenario.rng.rawValue) }
}

/// Runs `body`, turning what-if errors into the exit codes of MODEL.md §9: a usage
/// problem is a ValidationError (64), an invalid scenario or input prints every
/// problem and exits 2.
func whatIf<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as WhatIfError {
    switch error {
    case .usage(let message): throw ValidationError(message)
    case .invalidScenario, .invalidInput:
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      throw ExitCode(ScenarioError.exitCode)
    }
  }
}

/// Writes named files into `out` all or nothing (MODEL.md §10).
func writeAtomically(_ files: [(name: String, text: String)], to out: String) throws -> URL {
  var folder = try OutputFolder(target: URL(fileURLWithPath: out))
  do {
    for file in files { try folder.write(file.text, to: file.name) }
    try folder.commit()
  } catch {
    folder.discard()
    throw error
  }
  return folder.target
}

/// `secsim sweep`: the engine run over a design of parameter values.
struct Sweep: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a scenario over a design of parameter values and chart the responses.",
    discussion: """
      Varies one or more scenario fields over their ranges and runs every policy at each \
      design point, all points on the same random futures (common random numbers), so that \
      differences between points come from the parameters.

      Designs: `grid` (--samples levels per parameter, every combination), `lhs` (a Latin \
      hypercube of --samples points), `sobol` (the first --samples points of GSL's Sobol \
      sequence; at most 40 parameters).

      Writes into --out, all or nothing: sweep.csv (one row per design point × policy × \
      metric: the parameter values, the horizon total's mean and standard error, each \
      year's mean), frontier.csv (assessor days against FUSA coverage per point and \
      policy, non-dominated policies marked), sweep.html (response charts and the policy \
      frontier) and sweep.json (what was run). CSV bytes do not depend on --threads.

      With --shard I/N only the design points ⌊(I−1)·P/N⌋ ..< ⌊I·P/N⌋ of the P points \
      run, into a partial-result file; `secsim merge` writes the same files from the N \
      partials (docs/cluster.md).

      Example: secsim sweep --param 'policies[today].counting.weight=1:10' --design grid \
      --samples 10 --out out/weight
      See docs/whatif.md.
      """)

  @OptionGroup var input: ScenarioArgument
  @OptionGroup var options: WhatIfOptions

  @Option(help: "Design: grid, lhs or sobol.")
  var design: String = "lhs"

  @Option(help: "Levels per parameter (grid) or design points (lhs, sobol).")
  var samples: Int = 20

  @Option(name: .customLong("policy"), help: "Run only this policy (repeatable); the baseline is always included.")
  var policies: [String] = []

  @Option(help: "Output folder (replaced whole at the end of a successful sweep). With --shard: the folder the partial goes into.")
  var out: String = "out/sweep"

  @OptionGroup var sharding: ShardOptions

  func validate() throws {
    guard let kind = DesignKind(rawValue: design) else {
      throw ValidationError("unknown --design '\(design)'; expected grid, lhs or sobol")
    }
    if samples < 1 || (kind == .grid && samples < 2) {
      throw ValidationError("--samples must be at least \(kind == .grid ? 2 : 1) for a \(design) design (found \(samples))")
    }
    let d = options.params.count
    if kind == .sobol && d > SobolDesign.maxDimensions {
      throw ValidationError(
        "a Sobol design takes at most \(SobolDesign.maxDimensions) parameters (GSL's gsl_qrng_sobol; MODEL.md §10); found \(d)")
    }
    if kind == .grid && kind.pointCount(samples: samples, dimensions: d) > 100_000 {
      throw ValidationError("a grid of \(samples) levels over \(d) parameters has more than 100,000 points; use --design lhs or sobol")
    }
  }

  func run() throws {
    let loaded = try input.load()
    let (template, parameters) = try options.prepare(loaded)
    let scenario = loaded.scenario
    let algorithm = try options.algorithm(scenario)
    let kind = DesignKind(rawValue: design)!
    let runner = DesignRunner(
      template: template, parameters: parameters, policies: policies.isEmpty ? nil : policies, seed: options.seed ?? scenario.seed,
      replicates: options.replicates, threads: options.threads, algorithm: algorithm)
    let plan = try whatIf { try DesignPlan.sweep(runner: runner, design: kind, samples: samples) }
    if let shard = sharding.spec {
      return try WhatIfShard.write(
        shard, plan: plan, runner: runner, loaded: loaded, settings: options.settings, rng: algorithm.rawValue, sharding: sharding,
        out: out)
    }
    let (sweep, seconds) = try ProgressBar.showing(total: plan.pointCount * options.replicates) { progress in
      try whatIf { try SECWhatIf.Sweep(runner: runner, plan: plan, progress: progress) }
    }
    let manifest = WhatIfManifest(
      plan: plan, secsimVersion: SECSimVersion.string, scenarioName: scenario.name, scenarioFile: loaded.displayName,
      settings: options.settings, replicates: options.replicates, rng: algorithm.rawValue, threads: options.threads,
      partyYears: sweep.partyYears, wallSeconds: seconds, commandLine: CommandLine.arguments)
    let target = try writeAtomically(try WhatIfOutputs.sweep(sweep, scenarioName: scenario.name, manifest: manifest), to: out)
    print("Wrote sweep.csv, frontier.csv, sweep.html, sweep.json to \(target.path)")
    print(
      "\(sweep.values.count) design points × \(options.replicates) replicates × \(sweep.policies.count) policies in "
        + "\(String(format: "%.3g", seconds)) s: \(Int((Double(sweep.partyYears) / max(seconds, 1e-9)).rounded())) party-years/s")
  }
}

extension Sweep {
  /// This sweep's command line for the shards of a generated job array: every option
  /// explicit (seed and --rng resolved from the scenario), the scenario by absolute
  /// path (none: the built-in default); --threads, --shard and --out are the script's.
  func shardArguments(_ loaded: ScenarioArgument.Loaded) -> [String] {
    var arguments = ["sweep"]
    if input.scenario != nil, let url = loaded.url { arguments.append(url.standardizedFileURL.path) }
    arguments += options.shardArguments(loaded.scenario)
    arguments += ["--design", design, "--samples", "\(samples)"]
    for p in policies { arguments += ["--policy", p] }
    return arguments
  }
}

extension WhatIfOptions {
  /// --param, --set, --replicates, --seed and --rng, explicit.
  func shardArguments(_ scenario: Scenario) -> [String] {
    var arguments: [String] = []
    for p in params { arguments += ["--param", p] }
    for s in settings { arguments += ["--set", s] }
    arguments += ["--replicates", "\(replicates)", "--seed", "\(seed ?? scenario.seed)", "--rng", rng ?? scenario.rng.rawValue]
    return arguments
  }
}
