import ArgumentParser
import Foundation
import SECEngine
import SECOutput
import SECWhatIf

/// `secsim sweep … --shard I/N` and `secsim sensitivity … --shard I/N`: run one
/// shard's design points and write a design-point partial for `secsim merge`
/// (MODEL.md §10, docs/cluster.md).
enum WhatIfShard {
  /// Runs the points of `spec` in `plan` on `runner` and writes their partial into
  /// `out` (or `--partial`), whole or absent.
  static func write(
    _ spec: ShardSpec, plan: DesignPlan, runner: DesignRunner, loaded: ScenarioArgument.Loaded, settings: [String], rng: String,
    sharding: ShardOptions, out: String
  ) throws {
    let range = spec.points(of: plan.pointCount)
    let (states, seconds) = try ProgressBar.showing(total: range.count * runner.replicates) { progress in
      try whatIf { try plan.run(runner, points: range, progress: progress) }
    }
    let partial = DesignPartial(
      secsimVersion: SECSimVersion.string, scenarioName: loaded.scenario.name, scenarioFile: loaded.displayName,
      scenarioText: loaded.text, settings: settings, rng: rng, replicates: runner.replicates, shardCount: spec.count, plan: plan,
      shard: spec.index, range: range, provenance: sharding.provenance(threads: runner.threads, wallSeconds: seconds), states: states)
    let bytes = partial.bytes()
    let file = sharding.partialFile(out: out, name: partial.fileName)
    try ShardOptions.write(bytes, to: file)
    let command = plan.command.rawValue
    let points =
      range.isEmpty
      ? "no design points: an empty shard, \(spec.count) shards for \(plan.pointCount) points"
      : "design points \(range.lowerBound + 1)–\(range.upperBound) of \(plan.pointCount)"
    print("Wrote \(command) shard \(spec) (\(points), \(bytes.count) bytes) to \(file.path)")
    print(
      "\(range.count) design points × \(runner.replicates) replicates of \(loaded.scenario.name) in "
        + "\(String(format: "%.3g", seconds)) s; merge all \(spec.count) with `secsim merge`")
  }
}
