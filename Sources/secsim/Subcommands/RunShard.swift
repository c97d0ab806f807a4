import ArgumentParser
import Foundation
import SECEngine
import SECOutput

/// `secsim run … --shard I/N`: run one shard's replicate blocks and write a
/// partial-result file for `secsim merge` (MODEL.md §10, docs/cluster.md).
struct ShardOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Run only shard I of N (I from 1 to N: a contiguous range of whole replicate blocks) and write a partial-result file "
        + "instead of the CSVs; `secsim merge` combines the N partials.",
      valueName: "I/N"))
  var shard: String?

  @Option(help: "With --shard: the partial-result file to write. Default: shard-I-of-N.secsim-partial inside --out.")
  var partial: String?

  @Option(
    help: "With --shard under Slurm: the job script that runs this shard (recorded, so a merge can print `sbatch --array=I SCRIPT`).")
  var jobScript: String?

  /// The parsed shard (validated).
  var spec: ShardSpec? { shard.flatMap(ShardSpec.init(parsing:)) }

  func validate() throws {
    if let shard {
      guard ShardSpec(parsing: shard) != nil else {
        throw ValidationError("--shard expects I/N with 1 ≤ I ≤ N (found '\(shard)'); for example --shard 3/8")
      }
    } else if partial != nil || jobScript != nil {
      throw ValidationError("--partial and --job-script go with --shard I/N")
    }
  }
}

extension Run {
  /// Runs shard `spec` of the run `configuration` describes and writes its partial.
  func writePartial(
    _ spec: ShardSpec, loaded: ScenarioArgument.Loaded, input: EngineInput, configuration: RunConfiguration
  ) throws {
    var configuration = configuration
    configuration.range = spec.range(replicates: configuration.replicates, blockSize: configuration.blockSize)
    let shape = StateShape(input)
    guard try shape.matches(input) else {
      throw ValidationError(
        "this run's accumulator layout cannot be described in a partial-result file (the engine's layout rule changed; "
          + "update StateShape in Sources/SECOutput/PartialResult.swift)")
    }
    let started = Date()
    let progress = ProgressCounter()
    let bar = ProgressBar(total: configuration.range.count, counter: progress)
    bar.start()
    let (state, _) = try Simulation.run(input, configuration, progress: progress)
    bar.stop()
    let seconds = Date().timeIntervalSince(started)

    let environment = ProcessInfo.processInfo.environment
    var slurmJob = ""
    if let array = environment["SLURM_ARRAY_JOB_ID"], let task = environment["SLURM_ARRAY_TASK_ID"] {
      slurmJob = "\(array)_\(task)"
    } else if let job = environment["SLURM_JOB_ID"] {
      slurmJob = job
    }
    let jobScript = sharding.jobScript.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? ""
    let partialResult = PartialResult(
      secsimVersion: SECSimVersion.string, scenarioName: loaded.scenario.name, scenarioFile: loaded.displayName,
      scenarioDirectory: loaded.url?.deletingLastPathComponent().path ?? "", scenarioText: loaded.text, seed: configuration.seed,
      rng: configuration.algorithm.rawValue, replicates: configuration.replicates, blockSize: configuration.blockSize,
      shardCount: spec.count,
      labels: RunLabels(
        policies: input.policies.map(\.name), baseline: input.baseline, startYear: input.startYear, years: input.years,
        userRows: input.parties.map { ($0.id, $0.name) }),
      capacityPerQuarter: input.capacityPerQuarter, otherDemandPerQuarter: input.otherDemandPerQuarter, shape: shape,
      shard: spec.index, range: configuration.range, threads: configuration.threads, wallSeconds: seconds,
      host: ProcessInfo.processInfo.hostName, commandLine: CommandLine.arguments, jobScript: jobScript, slurmJob: slurmJob,
      state: state)
    let bytes = partialResult.bytes()
    let file = URL(fileURLWithPath: sharding.partial ?? URL(fileURLWithPath: out).appendingPathComponent(spec.fileName).path)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    // Written beside the target and renamed into place: a partial is whole or absent.
    try Data(bytes).write(to: file, options: .atomic)
    print(
      "Wrote shard \(spec) (replicates \(configuration.range.lowerBound)..<\(configuration.range.upperBound) of "
        + "\(configuration.replicates), \(bytes.count) bytes) to \(file.path)")
    print(
      "\(configuration.range.count) replicates of \(loaded.scenario.name) in \(format(seconds)) s; merge all \(spec.count) with `secsim merge`"
    )
  }
}
