import Foundation
import SECEngine
import SECScenario

/// Why a set of partials does not merge: every problem found, each naming the file
/// (or, for a missing shard, its number and the line that reruns it).
public struct PartialMergeError: Error, CustomStringConvertible {
  public var problems: [String]

  public init(problems: [String]) { self.problems = problems }

  public var description: String { problems.joined(separator: "\n") }
}

/// The merged run, ready for `RunOutputs.write`.
public struct MergedRun: Sendable {
  public var state: RunState
  public var labels: RunLabels
  public var manifest: RunManifest
  /// Things the merge could not reproduce exactly (e.g. run.json's scenario facts
  /// when the scenario's folder is not readable here).
  public var warnings: [String]
}

/// Merges the partials of one sharded run (MODEL.md §10): each partial is checked
/// (magic, version, checksum, internal consistency) and compared with the first
/// readable one in everything a run is — secsim version, scenario text (SHA-256),
/// seed, rng, policies and baseline, replicates, block size, shard count, labels,
/// capacity and state shape — but not in what only records where and how a shard
/// ran (its shard number and range, command line, job script, host, threads, time).
/// Every shard 1…N must be present exactly once. The state is merged by integer
/// addition as each file is read, so memory holds one partial at a time.
public struct PartialMerger {
  struct Seen {
    var record: ShardRecord
    var range: Range<Int>
  }

  private var reference: PartialResult?
  private var referencePath = ""
  private var merged: RunState?
  private var seen: [Int: [Seen]] = [:]
  public private(set) var problems: [String] = []

  public init() {}

  /// Reads and merges one partial file's bytes; a problem is recorded, not thrown.
  public mutating func add(path: String, bytes: [UInt8]) {
    let partial: PartialResult
    do {
      partial = try PartialResult(bytes: bytes)
    } catch {
      problems.append("\(path): error: \(error)")
      return
    }
    add(path: path, partial: partial)
  }

  /// Merges one partial already read.
  public mutating func add(path: String, partial: PartialResult) {
    if let reference {
      if let difference = PartialMerger.difference(partial, reference) {
        problems.append(
          "\(path): error: \(difference.field) \(difference.found) differs from \(difference.expected) in \(referencePath); "
            + "the partials of one run agree in everything but the shard")
        return
      }
    } else {
      reference = partial
      referencePath = path
    }
    seen[partial.shard, default: []].append(
      Seen(record: ShardRecord(path: path, provenance: partial.provenance), range: partial.range))
    if merged == nil {
      merged = partial.state
    } else {
      merged!.merge(partial.state)
    }
  }

  /// The first field in which `a` differs from `b`, as (field, found in a, expected from b).
  static func difference(_ a: PartialResult, _ b: PartialResult) -> (field: String, found: String, expected: String)? {
    func q(_ s: String) -> String { "'\(s)'" }
    if a.secsimVersion != b.secsimVersion { return ("secsim version", q(a.secsimVersion), q(b.secsimVersion)) }
    if a.scenarioText != b.scenarioText { return ("scenario SHA-256", a.scenarioSHA256, b.scenarioSHA256) }
    if a.seed != b.seed { return ("seed", "\(a.seed)", "\(b.seed)") }
    if a.rng != b.rng { return ("--rng", q(a.rng), q(b.rng)) }
    if a.labels.policies != b.labels.policies || a.labels.baseline != b.labels.baseline {
      return ("policies", a.labels.policies.joined(separator: ","), b.labels.policies.joined(separator: ","))
    }
    if a.replicates != b.replicates { return ("replicate count", "\(a.replicates)", "\(b.replicates)") }
    if a.shardCount != b.shardCount { return ("shard count N", "\(a.shardCount)", "\(b.shardCount)") }
    if a.blockSize != b.blockSize { return ("block size", "\(a.blockSize)", "\(b.blockSize)") }
    if a.labels != b.labels { return ("labels (years, User rows)", "those of this file", "those") }
    if a.capacityPerQuarter != b.capacityPerQuarter || a.otherDemandPerQuarter != b.otherDemandPerQuarter {
      return ("assessor capacity", "that of this file", "that")
    }
    if a.shape != b.shape { return ("state layout", "that of this file", "that") }
    return nil
  }

  /// The merged run, or every problem: unreadable, corrupt or mismatched files,
  /// duplicated shards, and missing shards with the line that reruns each.
  public func result(commandLine: [String]) throws(PartialMergeError) -> MergedRun {
    var problems = problems
    guard let reference, let state = merged else {
      problems.append("error: no partial-result file could be read, so there is nothing to merge")
      throw PartialMergeError(problems: problems)
    }
    let n = reference.shardCount
    problems += PartialMerger.shardSetProblems(
      seen.mapValues { $0.map(\.record) }, of: n)
    guard problems.isEmpty else { throw PartialMergeError(problems: problems) }

    let shards = (1...n).compactMap { seen[$0]?.first }
    var warnings: [String] = []
    let directory = reference.scenarioDirectory.isEmpty ? nil : URL(fileURLWithPath: reference.scenarioDirectory, isDirectory: true)
    let check = ScenarioFile.check(yaml: reference.scenarioText, file: reference.scenarioFile, baseDirectory: directory)
    if check.scenario == nil {
      let first = check.diagnostics.first.map { "\($0)" } ?? "unknown problem"
      warnings.append(
        "run.json leaves out the scenario's description, parameter sources and policy settings: "
          + "its text no longer reads here (\(first))")
    }
    let manifest = RunManifest(
      version: reference.secsimVersion, scenarioName: reference.scenarioName, scenarioFile: reference.scenarioFile,
      scenarioText: reference.scenarioText, seed: reference.seed, rng: reference.rng, replicates: reference.replicates, threads: n,
      blockSize: reference.blockSize,
      blocksPerWorker: shards.map { ($0.range.count + reference.blockSize - 1) / reference.blockSize },
      policies: reference.labels.policies, baseline: reference.labels.policies[reference.labels.baseline],
      capacityPerQuarter: reference.capacityPerQuarter, otherDemandPerQuarter: reference.otherDemandPerQuarter,
      startYear: reference.labels.startYear, wallSeconds: shards.reduce(0) { $0 + $1.record.provenance.wallSeconds },
      partyYears: state.partyYears,
      commandLine: commandLine, scenario: check.scenario)
    return MergedRun(state: state, labels: reference.labels, manifest: manifest, warnings: warnings)
  }

  /// Where a shard's partial was read from and how it was run, as far as the
  /// shard-set check needs (`shardSetProblems`).
  public struct ShardRecord: Sendable {
    public var path: String
    public var provenance: ShardProvenance
    public init(path: String, provenance: ShardProvenance) {
      self.path = path
      self.provenance = provenance
    }
  }

  /// The problems of a set of shards 1…`n` (run or design partials alike): each shard
  /// given more than once, then each missing one with the exact lines that rerun it
  /// (`missingShardMessage`: the job script and command line the present shards
  /// recorded; `filePrefix` names an explicit `--partial` file).
  public static func shardSetProblems(_ seen: [Int: [ShardRecord]], of n: Int, filePrefix: String = "") -> [String] {
    var problems: [String] = []
    for shard in seen.keys.sorted() {
      guard let copies = seen[shard], copies.count > 1 else { continue }
      problems.append(
        "\(copies[1...].map(\.path).joined(separator: ", ")): error: shard \(shard) of \(n) is there more than once "
          + "(also \(copies[0].path)); give each shard once")
    }
    let all = seen.values.flatMap { $0 }
    for shard in 1...n where seen[shard] == nil {
      problems.append(
        missingShardMessage(
          shard, of: n, present: seen.keys.sorted(), jobScript: all.map(\.provenance.jobScript).first(where: { !$0.isEmpty }),
          commandLine: all.first?.provenance.commandLine, filePrefix: filePrefix))
    }
    return problems
  }

  /// "shard I of N is missing (present: …)", then `sbatch --array=I SCRIPT` when
  /// the present shards recorded a job script, and the command line of a present
  /// shard with `--shard I/N` (and an explicit `--partial` renamed for shard I,
  /// its file name starting with `filePrefix`).
  public static func missingShardMessage(
    _ shard: Int, of n: Int, present: [Int], jobScript: String?, commandLine: [String]?, filePrefix: String = ""
  ) -> String {
    let list = present.map(String.init).joined(separator: ", ")
    var message = "error: shard \(shard) of \(n) is missing (present: \(list.isEmpty ? "none" : list))"
    if let script = jobScript, !script.isEmpty {
      message += "\n  rerun it with: sbatch --array=\(shard) \(shellQuoted(script))"
    }
    if let line = commandLine, !line.isEmpty {
      message +=
        "\n  or run it here: \(rerunLine(line, shard: shard, of: n, filePrefix: filePrefix).map(shellQuoted).joined(separator: " "))"
    }
    return message
  }

  /// A shard's command line with `--shard` set to I/N (and an explicit `--partial`
  /// file renamed for shard I).
  public static func rerunLine(_ line: [String], shard: Int, of n: Int, filePrefix: String = "") -> [String] {
    let spec = ShardSpec(index: shard, count: n)
    func renamed(_ path: String) -> String {
      guard let spec else { return path }
      return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(spec.fileName(prefix: filePrefix)).path
    }
    var out: [String] = []
    var i = 0
    while i < line.count {
      let arg = line[i]
      if arg == "--shard" || arg == "--partial", i + 1 < line.count {
        out.append(arg)
        out.append(arg == "--shard" ? "\(shard)/\(n)" : renamed(line[i + 1]))
        i += 2
        continue
      }
      if arg.hasPrefix("--shard=") {
        out.append("--shard=\(shard)/\(n)")
      } else if arg.hasPrefix("--partial=") {
        out.append("--partial=" + renamed(String(arg.dropFirst("--partial=".count))))
      } else {
        out.append(arg)
      }
      i += 1
    }
    return out
  }

  /// POSIX shell quoting (unchanged when only safe characters).
  public static func shellQuoted(_ s: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+%@")
    if !s.isEmpty && s.allSatisfy(safe.contains) { return s }
    return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
