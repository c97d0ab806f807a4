import ArgumentParser
import Foundation
import GSL
import SECOutput
import SECWhatIf

/// `secsim slurm`: write a Slurm job array that runs a scenario's shards — or a
/// sweep's or sensitivity analysis's design points — and a merge job that starts
/// when every shard succeeded (docs/cluster.md).
struct Slurm: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write Slurm job scripts that run a scenario, a sweep or a sensitivity analysis as N shards and merge them.",
    discussion: """
      Writes into --out: secsim-array.sbatch (a job array, task I runs shard I/N), \
      secsim-merge.sbatch (`secsim merge`, submitted with --dependency=afterok on the \
      array) and submit.sh, and prints the one command that submits both. Partials go \
      to OUT/parts, logs to OUT/logs and the merged results to OUT/results. The \
      scripts' comments say how to find and rerun a failed shard.

      A run:
        secsim slurm mine.yaml --shards 8 --replicates 100000 --out DIR

      A sweep or a sensitivity analysis: put the command you would run on one \
      machine after `--`, without --out, --threads or --shard (the scripts set \
      them). Each task runs a contiguous share of the design points:
        secsim slurm --shards 8 --out DIR -- sweep mine.yaml --param P=1:10
        secsim slurm --shards 8 --out DIR -- sensitivity mine.yaml --param P=0:3
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

  @Option(help: "Replicates of the whole run. Default: the scenario's `replicates`. (A sweep gives its own after --.)")
  var replicates: Int?

  @Option(help: "Master seed of the run. Default: the scenario's `seed`. (A sweep gives its own after --.)")
  var seed: UInt64?

  @Option(help: "GSL generator. Default: the scenario's `rng`.")
  var rng: String?

  @Option(name: .customLong("policy"), help: "Run only this policy (repeatable); the baseline is always included.")
  var policies: [String] = []

  @Option(help: "The secsim executable the jobs run (default: this one). It must be reachable from the compute nodes.")
  var secsim: String?

  @Option(help: "Folder for the scripts, partials, logs and results (shared with the compute nodes).")
  var out: String = "out/slurm"

  @Argument(
    parsing: .postTerminator,
    help: ArgumentHelp(
      "After `--`: a `sweep …` or `sensitivity …` command to shard by design points, as you would run it on one machine "
        + "(scenario, --param, --design, --samples, --replicates, … but not --out, --threads or --shard). Without it, the "
        + "scenario's run is sharded by replicates.",
      valueName: "sweep|sensitivity …"))
  var command: [String] = []

  /// Options the generated scripts set themselves, refused in the command after `--`.
  static let scriptOwned = ["--out", "--threads", "--shard", "--partial", "--job-script", "--list-params"]

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
    guard let name = command.first else { return }
    guard name == "sweep" || name == "sensitivity" else {
      throw ValidationError(
        "after --, give the `sweep …` or `sensitivity …` command to shard (found '\(name)'); a run is sharded without --: "
          + "secsim slurm SCENARIO --shards N …")
    }
    if input.scenario != nil || replicates != nil || seed != nil || rng != nil || !policies.isEmpty {
      throw ValidationError(
        "with `-- \(name) …`, give the scenario, --replicates, --seed, --rng and --policy in the \(name) command after --, not before it")
    }
    for argument in command.dropFirst() {
      if let owned = Slurm.scriptOwned.first(where: { argument == $0 || argument.hasPrefix($0 + "=") }) {
        throw ValidationError(
          "leave \(owned) out of the \(name) command after --: the generated scripts set it"
            + (owned == "--threads" ? " from --cpus" : owned == "--out" ? " (partials go to OUT/parts, results to OUT/results)" : ""))
      }
    }
    _ = try designCommand()
  }

  /// The command after `--`, parsed (and validated) by its own subcommand.
  enum DesignCommand {
    case sweep(Sweep)
    case sensitivity(Sensitivity)
  }

  func designCommand() throws -> DesignCommand? {
    guard let name = command.first else { return nil }
    let arguments = Array(command.dropFirst())
    do {
      return name == "sweep" ? .sweep(try Sweep.parse(arguments)) : .sensitivity(try Sensitivity.parse(arguments))
    } catch {
      let message = name == "sweep" ? Sweep.message(for: error) : Sensitivity.message(for: error)
      throw ValidationError("the \(name) command after --: \(message)")
    }
  }

  /// What the array's tasks run: the secsim arguments before --threads/--shard/--out,
  /// the prefix of the partials' names and a description for the scripts' comments.
  struct Job {
    var arguments: [String]
    var filePrefix: String
    var scenarioName: String
    var description: String
  }

  /// A run of the scenario, sharded by replicate blocks.
  func runJob() throws -> Job {
    let loaded = try input.load()
    let scenario = loaded.scenario
    let known = Set(scenario.policies.map(\.name))
    for name in policies where !known.contains(name) {
      throw ValidationError(
        "unknown --policy '\(name)'; the scenario's policies are: \(scenario.policies.map(\.name).joined(separator: ", "))")
    }
    let reps = replicates ?? scenario.replicates
    let theSeed = seed ?? scenario.seed
    let theRNG = rng ?? scenario.rng.rawValue
    // A scenario the user named is passed by absolute path (the nodes may start elsewhere); none means the built-in default.
    var arguments = ["run"]
    if input.scenario != nil, let url = loaded.url { arguments.append(url.standardizedFileURL.path) }
    arguments += ["--replicates", "\(reps)", "--seed", "\(theSeed)", "--rng", theRNG]
    for p in policies { arguments += ["--policy", p] }
    return Job(
      arguments: arguments, filePrefix: "", scenarioName: scenario.name,
      description: "\(reps) replicates of scenario '\(scenario.name)', seed \(theSeed), --rng \(theRNG)")
  }

  /// A sweep or sensitivity analysis, sharded by design points: its plan is computed
  /// here too, so a bad parameter is found before anything is submitted.
  func designJob(_ design: DesignCommand) throws -> Job {
    let loaded: ScenarioArgument.Loaded
    let plan: DesignPlan
    let arguments: [String]
    switch design {
    case .sweep(let sweep):
      loaded = try sweep.input.load()
      let (template, parameters) = try sweep.options.prepare(loaded)
      let runner = DesignRunner(
        template: template, parameters: parameters, policies: sweep.policies.isEmpty ? nil : sweep.policies,
        seed: sweep.options.seed ?? loaded.scenario.seed, replicates: sweep.options.replicates, threads: 1)
      plan = try whatIf { try DesignPlan.sweep(runner: runner, design: DesignKind(rawValue: sweep.design)!, samples: sweep.samples) }
      arguments = sweep.shardArguments(loaded)
    case .sensitivity(let sensitivity):
      loaded = try sensitivity.input.load()
      let (template, parameters) = try sensitivity.options.prepare(loaded)
      let runner = DesignRunner(
        template: template, parameters: parameters, seed: sensitivity.options.seed ?? loaded.scenario.seed,
        replicates: sensitivity.options.replicates, threads: 1)
      plan = try sensitivity.plan(runner, scenario: loaded.scenario)
      arguments = sensitivity.shardArguments(loaded)
    }
    if shards > plan.pointCount {
      FileHandle.standardError.write(
        Data(
          ("warning: \(shards) shards for \(plan.pointCount) design points: \(shards - plan.pointCount) of them will be empty "
            + "(an empty shard still writes a partial, which the merge needs)\n").utf8))
    }
    let replicatesIndex = arguments.firstIndex(of: "--replicates").map { $0 + 1 }
    return Job(
      arguments: arguments, filePrefix: plan.command.filePrefix, scenarioName: loaded.scenario.name,
      description:
        "a \(plan.command.rawValue) of scenario '\(loaded.scenario.name)': \(plan.pointCount) design points (\(plan.design)) × "
        + "\(replicatesIndex.map { arguments[$0] } ?? "?") replicates,\n# seed \(plan.seed); shard I runs design points "
        + "⌊(I−1)·\(plan.pointCount)/\(shards)⌋ + 1 … ⌊I·\(plan.pointCount)/\(shards)⌋")
  }

  func run() throws {
    let job = try designCommand().map(designJob) ?? runJob()
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
    let runArguments = job.arguments
    let q = PartialMerger.shellQuoted
    // The merge reads this run's N partials only (a glob over shard-*-of-N), so partials of an
    // earlier generation with another N in the same folder are ignored; a missing one is named.
    let partials = "\(q(parts.path))/\(job.filePrefix)shard-*-of-\(shards).\(PartialResult.fileExtension)"
    let name = "secsim-" + job.filePrefix + String(job.scenarioName.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }.prefix(40))

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
        "# (\(job.description)) and writes",
        "# \(parts.path)/\(job.filePrefix)shard-I-of-\(shards).\(PartialResult.fileExtension).",
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
    let submitCommand =
      "jid=$(sbatch --parsable \(q(arrayScript.path))) && echo \"Submitted array job ${jid%%;*}\" && "
      + "sbatch --dependency=afterok:${jid%%;*} \(q(mergeScript.path))"
    let submitText = """
      #!/bin/sh
      # Submits the shard array and the merge that waits for it (generated by `secsim slurm`).
      \(submitCommand)

      """
    try Data(array.utf8).write(to: arrayScript, options: .atomic)
    try Data(merge.utf8).write(to: mergeScript, options: .atomic)
    try Data(submitText.utf8).write(to: submit, options: .atomic)
    for file in [arrayScript, mergeScript, submit] { try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path) }
    print("Wrote \(arrayScript.path) (\(shards) shards), \(mergeScript.path) and \(submit.path).")
    print("Submit both (the merge waits for every shard) with:")
    print(submitCommand)
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
