import ArgumentParser
import Foundation
import SECEngine
import SECOutput

/// `secsim run … --shard I/N`: run one shard's replicate blocks and write a
/// partial-result file for `secsim merge` (MODEL.md §10, docs/cluster.md).
struct ShardOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Run only shard I of N (I from 1 to N) and write a partial-result file instead of the outputs; `secsim merge` combines "
        + "the N partials into the outputs of the whole command. `run` splits its replicate blocks, `sweep` and `sensitivity` "
        + "their design points, in contiguous ranges (docs/cluster.md).",
      valueName: "I/N"))
  var shard: String?

  @Option(
    help:
      "With --shard: the partial-result file to write. Default: shard-I-of-N.secsim-partial (sweep-shard-…, sensitivity-shard-…) inside --out."
  )
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

  /// The job script as recorded in a partial: an absolute path, "" when none.
  var recordedJobScript: String { jobScript.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? "" }

  /// The partial's file: --partial, or `name` inside `out`.
  func partialFile(out: String, name: String) -> URL {
    URL(fileURLWithPath: partial ?? URL(fileURLWithPath: out).appendingPathComponent(name).path)
  }

  /// This shard's record of where and how it ran: this process's host and command
  /// line, the job script given, the Slurm job it runs in.
  func provenance(threads: Int, wallSeconds: Double) -> ShardProvenance {
    ShardProvenance(
      threads: threads, wallSeconds: wallSeconds, host: ProcessInfo.processInfo.hostName, commandLine: CommandLine.arguments,
      jobScript: recordedJobScript, slurmJob: ShardOptions.slurmJob())
  }

  /// `SLURM_ARRAY_JOB_ID_SLURM_ARRAY_TASK_ID` (or `SLURM_JOB_ID`), "" when not under Slurm.
  static func slurmJob() -> String {
    let environment = ProcessInfo.processInfo.environment
    if let array = environment["SLURM_ARRAY_JOB_ID"], let task = environment["SLURM_ARRAY_TASK_ID"] { return "\(array)_\(task)" }
    return environment["SLURM_JOB_ID"] ?? ""
  }

  /// Writes a partial beside its target and renames it into place: whole or absent.
  static func write(_ bytes: [UInt8], to file: URL) throws {
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: file, options: .atomic)
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
    let ((state, _), seconds) = try ProgressBar.showing(total: configuration.range.count) { progress in
      try Simulation.run(input, configuration, progress: progress)
    }

    let partialResult = PartialResult(
      secsimVersion: SECSimVersion.string, scenarioName: loaded.scenario.name, scenarioFile: loaded.displayName,
      scenarioDirectory: loaded.url?.deletingLastPathComponent().path ?? "", scenarioText: loaded.text, seed: configuration.seed,
      rng: configuration.algorithm.rawValue, replicates: configuration.replicates, blockSize: configuration.blockSize,
      shardCount: spec.count,
      labels: RunLabels(
        policies: input.policies.map(\.name), baseline: input.baseline, startYear: input.startYear, years: input.years,
        userRows: input.parties.map { ($0.id, $0.name) }),
      capacityPerQuarter: input.capacityPerQuarter, otherDemandPerQuarter: input.otherDemandPerQuarter, shape: shape,
      shard: spec.index, range: configuration.range, provenance: sharding.provenance(threads: configuration.threads, wallSeconds: seconds),
      state: state)
    let bytes = partialResult.bytes()
    let file = sharding.partialFile(out: out, name: spec.fileName)
    try ShardOptions.write(bytes, to: file)
    print(
      "Wrote shard \(spec) (replicates \(configuration.range.lowerBound)..<\(configuration.range.upperBound) of "
        + "\(configuration.replicates), \(bytes.count) bytes) to \(file.path)")
    print(
      "\(configuration.range.count) replicates of \(loaded.scenario.name) in \(format(seconds)) s; merge all \(spec.count) with `secsim merge`"
    )
  }
}
