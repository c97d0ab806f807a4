import Foundation
import SECEngine
import SECOutput

/// A merged sweep or sensitivity analysis: the files its unsharded command writes.
public struct MergedDesign: Sendable {
  /// The command whose shards were merged.
  public var command: DesignPlan.Command
  /// The files, in the order the command writes them.
  public var files: [(name: String, text: String)]
  public var scenarioName: String
  public var shards: Int
  public var points: Int
  public var replicates: Int
}

/// Merges the partials of one sharded sweep or sensitivity analysis (MODEL.md §10,
/// docs/cluster.md): each is checked (magic, version, checksum, internal
/// consistency: scenario SHA-256, shard range, the design recomputed from its kind,
/// size, seed and parameters against its recorded SHA-256) and compared with the
/// first readable one in everything the analysis is — command, secsim version,
/// scenario, settings, seed, rng, design (kind, size, levels, parameters and their
/// ranges, design hash), target, replicates, policies, calendar and shard count —
/// but not in where and how a shard ran. Every shard 1…N must be there once; the
/// points' exact states are then summarised exactly as the unsharded command does.
public struct DesignPartialMerger {

  private var reference: DesignPartial?
  private var referencePath = ""
  /// Per design point: a sweep point's summary (computed from its exact state as
  /// it is read, so memory holds summaries, as the unsharded sweep does), or a
  /// sensitivity point's state (one slot); and its party-years.
  private var summaries: [PointSummary?] = []
  private var states: [PointState?] = []
  private var partyYears: [Int64?] = []
  private var seen: [Int: [PartialMerger.ShardRecord]] = [:]
  public private(set) var problems: [String] = []

  public init() {}

  /// Reads and adds one partial file's bytes; a problem is recorded, not thrown.
  public mutating func add(path: String, bytes: [UInt8]) {
    do {
      add(path: path, partial: try DesignPartial(bytes: bytes))
    } catch {
      problems.append("\(path): error: \(error)")
    }
  }

  /// Adds one partial already read.
  public mutating func add(path: String, partial: DesignPartial) {
    if let reference {
      if reference.plan.command != partial.plan.command {
        problems.append(
          "\(path): error: a \(partial.plan.command.rawValue) partial cannot be merged with the \(reference.plan.command.rawValue) "
            + "partials such as \(referencePath); merge the partials of one analysis at a time")
        return
      }
      if let difference = DesignPartialMerger.difference(partial, reference) {
        problems.append(
          "\(path): error: \(difference.field) \(difference.found) differs from \(difference.expected) in \(referencePath); "
            + "the partials of one \(reference.plan.command.rawValue) agree in everything but the shard")
        return
      }
    } else {
      var kept = partial
      kept.states = []
      reference = kept
      referencePath = path
      let n = partial.plan.pointCount
      partyYears = Array(repeating: nil, count: n)
      if partial.plan.command == .sweep { summaries = Array(repeating: nil, count: n) } else { states = Array(repeating: nil, count: n) }
    }
    seen[partial.shard, default: []].append(
      PartialMerger.ShardRecord(path: path, provenance: partial.provenance))
    guard seen[partial.shard]!.count == 1 else { return }
    let plan = partial.plan
    for (i, state) in zip(partial.range, partial.states) {
      partyYears[i] = state.partyYears
      if plan.command == .sweep {
        summaries[i] = PointSummary(state, policies: plan.policies, years: plan.years)
      } else {
        states[i] = state
      }
    }
  }

  /// The first field in which `a` differs from `b`, as (field, found in a, expected from b).
  static func difference(_ a: DesignPartial, _ b: DesignPartial) -> (field: String, found: String, expected: String)? {
    func q(_ s: String) -> String { "'\(s)'" }
    let pa = a.plan
    let pb = b.plan
    if a.secsimVersion != b.secsimVersion { return ("secsim version", q(a.secsimVersion), q(b.secsimVersion)) }
    if a.scenarioText != b.scenarioText { return ("scenario SHA-256", a.scenarioSHA256, b.scenarioSHA256) }
    if a.settings != b.settings {
      return ("--set", q(a.settings.joined(separator: " ")), q(b.settings.joined(separator: " ")))
    }
    if pa.seed != pb.seed { return ("seed", "\(pa.seed)", "\(pb.seed)") }
    if a.rng != b.rng { return ("--rng", q(a.rng), q(b.rng)) }
    if a.replicates != b.replicates { return ("replicate count", "\(a.replicates)", "\(b.replicates)") }
    if pa.design != pb.design { return ("design", q(pa.design), q(pb.design)) }
    if pa.samples != pb.samples { return ("--samples", "\(pa.samples)", "\(pb.samples)") }
    if pa.levels != pb.levels { return ("--levels", "\(pa.levels)", "\(pb.levels)") }
    func described(_ p: [SweptParameter]) -> String { q(p.map { $0.range.description }.joined(separator: " ")) }
    if pa.parameters != pb.parameters { return ("parameters", described(pa.parameters), described(pb.parameters)) }
    if pa.pointCount != pb.pointCount { return ("design point count", "\(pa.pointCount)", "\(pb.pointCount)") }
    if pa.designSHA256 != pb.designSHA256 { return ("design SHA-256", pa.designSHA256, pb.designSHA256) }
    if pa.target != pb.target {
      func t(_ t: SensitivityTarget?) -> String { t.map { q("\($0.metric.name) of \($0.policy), \($0.year)") } ?? "none" }
      return ("target", t(pa.target), t(pb.target))
    }
    if pa.bootstrap != pb.bootstrap { return ("--bootstrap", "\(pa.bootstrap)", "\(pb.bootstrap)") }
    if pa.policies != pb.policies || pa.baseline != pb.baseline {
      return ("policies", pa.policies.joined(separator: ","), pb.policies.joined(separator: ","))
    }
    if pa.startYear != pb.startYear || pa.years != pb.years {
      return ("calendar", "\(pa.startYear)+\(pa.years)", "\(pb.startYear)+\(pb.years)")
    }
    if a.shardCount != b.shardCount { return ("shard count N", "\(a.shardCount)", "\(b.shardCount)") }
    // The scenario file as named is not compared (shards may name one file differently); its text is.
    return nil
  }

  /// The merged analysis's files, or every problem: unreadable, corrupt or
  /// mismatched files, duplicated shards, and missing shards with the lines that
  /// rerun each.
  public func result(commandLine: [String]) throws(PartialMergeError) -> MergedDesign {
    var problems = problems
    guard let reference else {
      problems.append("error: no partial-result file could be read, so there is nothing to merge")
      throw PartialMergeError(problems: problems)
    }
    let n = reference.shardCount
    problems += PartialMerger.shardSetProblems(
      seen, of: n, filePrefix: reference.plan.command.filePrefix)
    guard problems.isEmpty else { throw PartialMergeError(problems: problems) }

    let plan = reference.plan
    let years = partyYears.compactMap { $0 }
    guard years.count == plan.pointCount else {
      throw PartialMergeError(problems: ["error: the shards hold \(years.count) of \(plan.pointCount) design points"])
    }
    let manifest = WhatIfManifest(
      plan: plan, secsimVersion: reference.secsimVersion, scenarioName: reference.scenarioName, scenarioFile: reference.scenarioFile,
      settings: reference.settings, replicates: reference.replicates, rng: reference.rng, threads: n, partyYears: years.reduce(0, +),
      wallSeconds: (1...n).compactMap { seen[$0]?.first?.provenance.wallSeconds }.reduce(0, +), commandLine: commandLine)
    do {
      let files: [(name: String, text: String)]
      switch plan.command {
      case .sweep:
        let sweep = Sweep(
          plan: plan, summaries: summaries.compactMap { $0 }, partyYears: manifest.partyYears, replicates: reference.replicates)
        files = try WhatIfOutputs.sweep(sweep, scenarioName: reference.scenarioName, manifest: manifest)
      case .sensitivity:
        let analysis = try SensitivityAnalysis(plan: plan, states: states.compactMap { $0 }, replicates: reference.replicates)
        files = try WhatIfOutputs.sensitivity(analysis, scenarioName: reference.scenarioName, manifest: manifest)
      }
      return MergedDesign(
        command: plan.command, files: files, scenarioName: reference.scenarioName, shards: n, points: plan.pointCount,
        replicates: reference.replicates)
    } catch {
      throw PartialMergeError(problems: ["error: the merged \(plan.command.rawValue) cannot be summarised: \(error)"])
    }
  }
}
