import Foundation
import SECEngine
import SECOutput
import Testing

@testable import SECWhatIf

/// The design-point partial of sweeps and sensitivity analyses (SECSIMDP, issue 16).
@Suite("Design-point partials: shards of a design, format, checksum")
struct DesignPartialTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let deterministic = root.appendingPathComponent("scenarios/deterministic.yaml")

  func runner(replicates: Int = 4) throws -> DesignRunner {
    let template = try ScenarioTemplate(
      text: String(contentsOf: Self.deterministic, encoding: .utf8), file: "deterministic.yaml",
      baseDirectory: Self.deterministic.deletingLastPathComponent())
    let parameters = try template.resolve([
      ParameterRange(path: "policies[today].counting.threshold", low: 150_000, high: 350_000),
      ParameterRange(path: "inert.x", low: 0, high: 1),
    ])
    return DesignRunner(template: template, parameters: parameters, seed: 7, replicates: replicates, threads: 1)
  }

  @Test("the design points of N shards are contiguous, cover every point once and differ by at most one")
  func pointRanges() {
    for total in [1, 2, 5, 21, 100] {
      for n in 1...12 {
        let ranges = (1...n).map { ShardSpec(index: $0, count: n)!.points(of: total) }
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == total)
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
        let sizes = ranges.map(\.count)
        #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1, "\(sizes)")
        #expect(sizes.filter { $0 == 0 }.count == max(0, n - total), "N > P leaves exactly N − P shards empty")
      }
    }
  }

  func partial(_ plan: DesignPlan, _ runner: DesignRunner, shard: Int, of n: Int) throws -> DesignPartial {
    let range = ShardSpec(index: shard, count: n)!.points(of: plan.pointCount)
    return DesignPartial(
      secsimVersion: "test", scenarioName: "deterministic", scenarioFile: "deterministic.yaml", scenarioText: runner.template.text,
      settings: ["day_rate_gbp=900"], rng: "mt19937", replicates: runner.replicates, shardCount: n, plan: plan, shard: shard,
      range: range,
      provenance: ShardProvenance(
        threads: 1, wallSeconds: 0.5, host: "here", commandLine: ["secsim", "sweep"], jobScript: "", slurmJob: ""),
      states: try plan.run(runner, points: range))
  }

  @Test("a sweep partial reads back to the same bytes, plan and exact point states")
  func roundTrip() throws {
    let runner = try runner()
    let plan = try DesignPlan.sweep(runner: runner, design: .grid, samples: 2)
    #expect(plan.pointCount == 4 && plan.policies.first == "today")
    let p = try partial(plan, runner, shard: 2, of: 3)
    #expect(p.fileName == "sweep-shard-2-of-3.secsim-partial")
    let bytes = p.bytes()
    let read = try DesignPartial(bytes: bytes)
    #expect(read.bytes() == bytes)
    #expect(read.states == p.states && read.range == p.range && read.plan.designSHA256 == plan.designSHA256)
    #expect(read.plan.values == plan.values && read.plan.parameters.map(\.range) == plan.parameters.map(\.range))
    #expect(try DesignPartial.stateOffset(bytes) % PartialResult.alignment == 8, "point states start after the aligned point count")
    // The summary from a state read back is the summary the unsharded sweep computes.
    let sweep = try Sweep(runner: runner, plan: plan)
    for (i, state) in zip(read.range, read.states) {
      #expect(PointSummary(state, policies: plan.policies, years: plan.years) == sweep.summaries[i])
    }
  }

  @Test("corrupt, foreign and future-version bytes are refused")
  func refused() throws {
    let runner = try runner(replicates: 2)
    let plan = try DesignPlan.sensitivity(
      runner: runner, method: .morris, target: SensitivityTarget(policy: "today", metric: .policy(.fusa)), samples: 2, levels: 4,
      bootstrap: 10)
    let bytes = try partial(plan, runner, shard: 1, of: 2).bytes()
    var flipped = bytes
    flipped[flipped.count - 40] ^= 1
    #expect(throws: PartialFormatError.badChecksum) { try DesignPartial(bytes: flipped) }
    #expect(throws: PartialFormatError.notAPartial) { try DesignPartial(bytes: Array("SECSIMPR".utf8) + bytes.dropFirst(8)) }
    var future = bytes
    future[8] = 2
    #expect(throws: PartialFormatError.unsupportedDesignVersion(2)) { try DesignPartial(bytes: future) }
    #expect(throws: PartialFormatError.self) {
      try DesignPartial(bytes: PartialResult.resealed(Array(bytes.prefix(100)) + [UInt8](repeating: 0, count: 32)))
    }
  }
}
