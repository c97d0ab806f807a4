import ArgumentParser
import Foundation
import GSL
import SECEngine
import SECOutput
import SECRules
import SECScenario

/// `secsim run`: the Monte Carlo run of a scenario, every policy on the same futures.
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a scenario's policies on the same random futures and write the results.",
    discussion: """
      Writes summary.csv, differences.csv, users.csv, impact.csv, run.json and report.html \
      into --out (docs/outputs.md), all or \
      nothing: an earlier folder there stays as it was if the run fails. The same \
      seed, replicates and --rng give the same CSV bytes whatever --threads is.
      """)

  @OptionGroup var input: ScenarioArgument

  @Option(help: "Replicates (random futures) to run. Default: the scenario's `replicates`.")
  var replicates: Int?

  @Option(help: "Master seed; any 64-bit number. Default: the scenario's `seed`.")
  var seed: UInt64?

  @Option(help: "Worker threads (results do not depend on it).")
  var threads: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "GSL generator: \(RNGAlgorithm.allCases.map(\.rawValue).joined(separator: " or ")). Default: the scenario's `rng`.")
  var rng: String?

  @Option(name: .customLong("policy"), help: "Run only this policy (repeatable); the baseline is always included.")
  var policies: [String] = []

  @Option(help: "Output folder (replaced whole at the end of a successful run).")
  var out: String = "out/run"

  @OptionGroup var sharding: ShardOptions

  func validate() throws {
    if let replicates, replicates < 1 {
      throw ValidationError("--replicates must be at least 1 (found \(replicates))")
    }
    if threads < 1 { throw ValidationError("--threads must be at least 1 (found \(threads))") }
    if let rng, RNGAlgorithm(rawValue: rng) == nil {
      throw ValidationError(
        "unknown --rng '\(rng)'; expected one of: \(RNGAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))")
    }
  }

  func run() throws {
    let loaded = try input.load()
    let scenario = loaded.scenario
    guard let baselineName = scenario.baseline?.name else { throw ExitCode(ScenarioError.exitCode) }
    let known = Set(scenario.policies.map(\.name))
    for name in policies where !known.contains(name) {
      let names = scenario.policies.map(\.name).joined(separator: ", ")
      throw ValidationError("unknown --policy '\(name)'; the scenario's policies are: \(names)")
    }
    var chosen: [Policy] = []
    for policy in loaded.policies where policies.isEmpty || policies.contains(policy.name) || policy.name == baselineName {
      chosen.append(policy)
    }
    let baseline = chosen.firstIndex { $0.name == baselineName } ?? 0
    let engineInput = EngineInput(scenario: scenario, policies: chosen, baseline: baseline)
    let algorithm = try RNGAlgorithm(named: rng ?? scenario.rng.rawValue)
    let configuration = RunConfiguration(
      seed: seed ?? scenario.seed, replicates: replicates ?? scenario.replicates, threads: threads, algorithm: algorithm)
    if let shard = sharding.spec {
      return try writePartial(shard, loaded: loaded, input: engineInput, configuration: configuration)
    }

    let ((state, plan), seconds) = try ProgressBar.showing(total: configuration.replicates) { progress in
      try Simulation.run(engineInput, configuration, progress: progress)
    }

    let labels = RunLabels(
      policies: chosen.map(\.name), baseline: baseline, startYear: engineInput.startYear, years: engineInput.years,
      userRows: engineInput.parties.map { ($0.id, $0.name) })
    let manifest = RunManifest(
      version: SECSimVersion.string, scenarioName: scenario.name, scenarioFile: loaded.displayName, scenarioText: loaded.text,
      seed: configuration.seed, rng: algorithm.rawValue, replicates: configuration.replicates, threads: configuration.threads,
      blockSize: plan.blockSize, blocksPerWorker: plan.blocksPerWorker, policies: labels.policies, baseline: baselineName,
      capacityPerQuarter: engineInput.capacityPerQuarter, otherDemandPerQuarter: engineInput.otherDemandPerQuarter,
      startYear: engineInput.startYear, wallSeconds: seconds, partyYears: state.partyYears,
      commandLine: CommandLine.arguments, scenario: scenario)
    var folder = try OutputFolder(target: URL(fileURLWithPath: out))
    do {
      try RunOutputs.write(state: state, labels: labels, manifest: manifest, into: folder)
      try folder.commit()
    } catch {
      folder.discard()
      throw error
    }
    let rate = Double(configuration.replicates) / max(seconds, 1e-9)
    let partyRate = Double(state.partyYears) / max(seconds, 1e-9)
    print("Wrote \(RunOutputs.files.joined(separator: ", ")) to \(folder.target.path)")
    print(
      "\(configuration.replicates) replicates of \(scenario.name) × \(chosen.count) policies in \(format(seconds)) s: "
        + "\(format(rate)) replicates/s, \(format(partyRate)) party-years/s")
  }

  func format(_ x: Double) -> String { x >= 100 ? String(Int(x.rounded())) : String(format: "%.3g", x) }
}
