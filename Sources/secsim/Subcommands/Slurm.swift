import ArgumentParser
import Foundation
import GSL
import SECOutput

/// `secsim slurm`: write a Slurm job array that runs a scenario's shards and a merge
/// job that starts when every shard succeeded (docs/cluster.md).
struct Slurm: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write Slurm job scripts that run a scenario as N shards and merge them.",
    discussion: """
      Writes into --out: secsim-array.sbatch (a job array, task I runs `secsim run … \
      --shard I/N`), secsim-merge.sbatch (`secsim merge`, submitted with \
      --dependency=afterok on the array) and submit.sh, and prints the one command \
      that submits both. Partials go to OUT/parts, logs to OUT/logs and the merged \
      results to OUT/results. The scripts' comments say how to find and rerun a \
      failed shard.
      """)

  @OptionGroup var input: ScenarioArgument

  @Option(help: "Number of shards N (array tasks 1…N).")
  var shards: Int

  @Option(help: "Slurm partition (default: the cluster's default partition).")
  var partition: String?

  @Option(help: "Time limit of each task and of the merge, in Slurm's format (e.g. 30:00, 2:00:00, 1-00:00:00).")
  var time: String = "1:00:00"

  @Option(help: "CPUs per task (secsim's --threads).")
  var cpus: Int = 1

  @Option(help: "Replicates of the whole run. Default: the scenario's `replicates`.")
  var replicates: Int?

  @Option(help: "Master seed. Default: the scenario's `seed`.")
  var seed: UInt64?

  @Option(help: "GSL generator. Default: the scenario's `rng`.")
  var rng: String?

  @Option(name: .customLong("policy"), help: "Run only this policy (repeatable); the baseline is always included.")
  var policies: [String] = []

  @Option(help: "The secsim executable the jobs run (default: this one). It must be reachable from the compute nodes.")
  var secsim: String?

  @Option(help: "Folder for the scripts, partials, logs and results (shared with the compute nodes).")
  var out: String = "out/slurm"

  func validate() throws {
    if shards < 1 || shards > ShardSpec.maxCount {
      throw ValidationError("--shards must be from 1 to \(ShardSpec.maxCount) (found \(shards))")
    }
    if cpus < 1 { throw ValidationError("--cpus must be at least 1 (found \(cpus))") }
    if let replicates, replicates < 1 { throw ValidationError("--replicates must be at least 1 (found \(replicates))") }
    if let rng, RNGAlgorithm(rawValue: rng) == nil {
      throw ValidationError("unknown --rng '\(rng)'; expected one of: \(RNGAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    for (name, value) in [("--time", time), ("--partition", partition ?? "x")] where value.isEmpty || value.contains(where: \.isNewline) {
      throw ValidationError("\(name) must be one non-empty line")
    }
  }

  func run() throws {
    let loaded = try input.load()
    let scenario = loaded.scenario
    let known = Set(scenario.policies.map(\.name))
    for name in policies where !known.contains(name) {
      throw ValidationError(
        "unknown --policy '\(name)'; the scenario's policies are: \(scenario.policies.map(\.name).joined(separator: ", "))")
    }
    let fm = FileManager.default
    let folder = URL(fileURLWithPath: out).standardizedFileURL
    let parts = folder.appendingPathComponent("parts")
    let logs = folder.appendingPathComponent("logs")
    let results = folder.appendingPathComponent("results")
    for dir in [folder, parts, logs] { try fm.createDirectory(at: dir, withIntermediateDirectories: true) }
    let arrayScript = folder.appendingPathComponent("secsim-array.sbatch")
    let mergeScript = folder.appendingPathComponent("secsim-merge.sbatch")
    let submit = folder.appendingPathComponent("submit.sh")

    let executable = secsim.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? Slurm.thisExecutable()
    let reps = replicates ?? scenario.replicates
    let theSeed = seed ?? scenario.seed
    let theRNG = rng ?? scenario.rng.rawValue
    // A scenario the user named is passed by absolute path (the nodes may start elsewhere); none means the built-in default.
    var runArguments = ["run"]
    if input.scenario != nil, let url = loaded.url { runArguments.append(url.standardizedFileURL.path) }
    runArguments += ["--replicates", "\(reps)", "--seed", "\(theSeed)", "--rng", theRNG]
    for p in policies { runArguments += ["--policy", p] }
    let q = PartialMerger.shellQuoted
    // The merge reads this run's N partials only (a glob over shard-*-of-N), so partials of an
    // earlier generation with another N in the same folder are ignored; a missing one is named.
    let partials = "\(q(parts.path))/shard-*-of-\(shards).\(PartialResult.fileExtension)"
    let name = "secsim-" + String(scenario.name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }.prefix(40))

    let header = ["#!/bin/bash"]
    func directives(_ jobName: String, output: String) -> [String] {
      var d = ["#SBATCH --job-name=\(jobName)", "#SBATCH --output=\(output)", "#SBATCH --time=\(time)"]
      if let partition { d.append("#SBATCH --partition=\(partition)") }
      return d
    }
    let recovery = Slurm.recoveryComment(
      shards: shards, arrayScript: arrayScript.path, mergeScript: mergeScript.path, partials: partials, results: results.path,
      logs: logs.path, executable: executable)
    let array =
      (header + directives(name, output: logs.appendingPathComponent("shard-%a-job%A.out").path) + [
        "#SBATCH --array=1-\(shards)",
        "#SBATCH --cpus-per-task=\(cpus)",
        "#SBATCH --ntasks=1",
        "#",
        "# Generated by secsim \(SECSimVersion.string) `secsim slurm`: task I of this job array runs shard I of \(shards)",
        "# (\(reps) replicates of scenario '\(scenario.name)', seed \(theSeed), --rng \(theRNG)) and writes",
        "# \(parts.path)/shard-I-of-\(shards).\(PartialResult.fileExtension).",
        "#",
      ] + recovery + [
        "set -euo pipefail",
        "shard=$((SLURM_ARRAY_TASK_ID))",
        "exec \(q(executable)) \(runArguments.map(q).joined(separator: " ")) \\",
        "  --threads \"${SLURM_CPUS_PER_TASK:-\(cpus)}\" --shard \"$shard/\(shards)\" \\",
        "  --out \(q(parts.path)) --job-script \(q(arrayScript.path))",
      ]).joined(separator: "\n") + "\n"
    let merge =
      (header + directives(name + "-merge", output: logs.appendingPathComponent("merge-job%j.out").path) + [
        "#SBATCH --cpus-per-task=1",
        "#SBATCH --ntasks=1",
        "#",
        "# Generated by secsim \(SECSimVersion.string) `secsim slurm`: merges the \(shards) partials of",
        "# \(arrayScript.path) into \(results.path).",
        "# Submitted with --dependency=afterok:<array job id>, it starts only when every shard succeeded;",
        "# see \(arrayScript.lastPathComponent) for what to do when one failed.",
        "set -euo pipefail",
        "exec \(q(executable)) merge \(partials) --out \(q(results.path))",
      ]).joined(separator: "\n") + "\n"
    let command =
      "jid=$(sbatch --parsable \(q(arrayScript.path))) && echo \"Submitted array job ${jid%%;*}\" && "
      + "sbatch --dependency=afterok:${jid%%;*} \(q(mergeScript.path))"
    let submitText = """
      #!/bin/sh
      # Submits the shard array and the merge that waits for it (generated by `secsim slurm`).
      \(command)

      """
    try Data(array.utf8).write(to: arrayScript, options: .atomic)
    try Data(merge.utf8).write(to: mergeScript, options: .atomic)
    try Data(submitText.utf8).write(to: submit, options: .atomic)
    for file in [arrayScript, mergeScript, submit] { try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path) }
    print("Wrote \(arrayScript.path) (\(shards) shards), \(mergeScript.path) and \(submit.path).")
    print("Submit both (the merge waits for every shard) with:")
    print(command)
  }

  /// What to do when a task fails, as comments of the array script.
  static func recoveryComment(
    shards: Int, arrayScript: String, mergeScript: String, partials: String, results: String, logs: String, executable: String
  ) -> [String] {
    let q = PartialMerger.shellQuoted
    return [
      "# WHEN A TASK FAILS the merge job never starts: squeue shows it PENDING with reason",
      "# DependencyNeverSatisfied. To recover:",
      "#   1. Find the failed shard(s), either from Slurm (no sacct needed):",
      "#        scontrol show job <ARRAY_JOB_ID> | grep -E 'ArrayTaskId|JobState|ExitCode'",
      "#        squeue -j <ARRAY_JOB_ID>,<MERGE_JOB_ID> -t all",
      "#      or from the partials themselves (names each missing shard and its rerun line):",
      "#        \(q(executable)) merge \(partials) --out \(q(results))",
      "#      The task's log is \(logs)/shard-<I>-job<ARRAY_JOB_ID>.out.",
      "#   2. Cancel the merge job that can no longer start:  scancel <MERGE_JOB_ID>",
      "#   3. Rerun only the failed shard(s) I (several: --array=2,5) and merge after them:",
      "#        jid=$(sbatch --parsable --array=I \(q(arrayScript))) && sbatch --dependency=afterok:${jid%%;*} \(q(mergeScript))",
      "#      (or rerun with `sbatch --array=I \(q(arrayScript))` and, once it finished, run the merge line of step 1).",
      "#   Shards that succeeded are not rerun: their partials stay valid, and a rerun",
      "#   shard computes exactly the state it would have computed the first time.",
      "#",
    ]
  }

  /// The absolute path of the running secsim.
  static func thisExecutable() -> String {
    if let path = Bundle.main.executableURL?.resolvingSymlinksInPath().path, FileManager.default.isExecutableFile(atPath: path) {
      return path
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
  }
}
