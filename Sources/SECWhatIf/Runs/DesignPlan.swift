import SECEngine
import SECOutput

/// What a what-if command runs, fixed before the engine runs and computed the same
/// way by every process: the design's points (unit coordinates and the parameter
/// values applied), the policies and calendar of every point's run and, for a
/// sensitivity analysis, its target. A shard (`--shard I/N`) runs the contiguous
/// points `ShardSpec.points(of:)` gives; a merge rebuilds the plan from what a
/// partial records (no scenario file needed) and checks it against the recorded
/// design hash.
public struct DesignPlan: Sendable {
  /// The command whose design this is.
  public enum Command: String, Sendable, CaseIterable {
    case sweep, sensitivity

    /// The prefix of its partial-result files (`sweep-shard-I-of-N.secsim-partial`).
    public var filePrefix: String { rawValue + "-" }
  }

  public let command: Command
  public let parameters: [SweptParameter]
  /// grid, lhs or sobol (sweep); saltelli or morris (sensitivity).
  public let design: String
  /// Levels per parameter (grid) or points (lhs, sobol); Sobol base sample N or
  /// Morris trajectories r.
  public let samples: Int
  /// Morris grid levels p (0 for the other designs).
  public let levels: Int
  /// The seed of the design's own streams (Latin hypercube, Morris, bootstrap): the run's master seed.
  public let seed: UInt64
  /// Bootstrap resamples (sensitivity; 0 for a sweep).
  public let bootstrap: Int
  /// The sensitivity target (nil for a sweep).
  public let target: SensitivityTarget?
  /// Unit coordinates of every point, in design order (a sensitivity analysis:
  /// the Saltelli or Morris points, then the tornado's 2d + 1).
  public let unitPoints: [[Double]]
  /// Parameter values of every point, as applied to the scenario.
  public let values: [[Double]]
  /// The policies every point runs, in run order.
  public let policies: [String]
  /// The baseline's index in `policies` (nil when it is not run).
  public let baseline: Int?
  public let startYear: Int
  public let years: Int

  /// Number of design points.
  public var pointCount: Int { values.count }

  /// The year index (`years`: the horizon total) of a sensitivity target.
  public var targetYearIndex: Int? { target.flatMap { Sweep.yearIndex($0.year, startYear: startYear, years: years) } }

  /// Slots each point's exact state keeps.
  public var slotsPerPoint: Int {
    command == .sweep ? PointState.sweepSlotCount(policies: policies.count, years: years) : 1
  }

  /// SHA-256 (hex) of the design: every point's unit coordinates and applied values
  /// as 8-byte bit patterns, in point order.
  public var designSHA256: String {
    var w = ByteWriter()
    w.int(values.count)
    for (u, v) in zip(unitPoints, values) {
      for x in u { w.f64(x) }
      for x in v { w.f64(x) }
    }
    return RunManifest.sha256Hex(w.bytes)
  }

  // MARK: Building

  /// A sweep's plan. `samples`: levels per parameter (grid) or points.
  public static func sweep(runner: DesignRunner, design: DesignKind, samples: Int) throws -> DesignPlan {
    let units = try design.points(samples: samples, dimensions: runner.parameters.count, seed: runner.seed)
    let values = units.map { u in zip(runner.parameters, u).map { $0.value(atUnit: $1) } }
    let input = try runner.input(at: values.first ?? [])
    let scenario = try runner.template.scenario(runner.parameters, values: values.first ?? [])
    let policies = input.policies.map(\.name)
    return DesignPlan(
      command: .sweep, parameters: runner.parameters, design: design.rawValue, samples: samples, levels: 0, seed: runner.seed,
      bootstrap: 0, target: nil, unitPoints: units, values: values, policies: policies,
      baseline: policies.firstIndex { $0 == scenario.baseline?.name }, startYear: input.startYear, years: input.years)
  }

  /// A sensitivity analysis's plan: the Saltelli (Sobol) or Morris points, then
  /// the tornado's. Only the target's policy runs.
  public static func sensitivity(
    runner: DesignRunner, method: SensitivityMethod, target: SensitivityTarget, samples: Int, levels: Int, bootstrap: Int
  ) throws -> DesignPlan {
    let runner = sensitivityRunner(runner, target: target)
    let d = runner.parameters.count
    let design: [[Double]]
    switch method {
    case .sobol: design = try SaltelliDesign(base: samples, dimensions: d).points
    case .morris: design = MorrisDesign(trajectories: samples, dimensions: d, levels: levels, seed: runner.seed).points
    }
    let units = design + Tornado.points(base: tornadoBase(runner.parameters))
    let values = units.map { u in zip(runner.parameters, u).map { $0.value(atUnit: $1) } }
    let input = try runner.input(at: values.first ?? [])
    guard Sweep.yearIndex(target.year, startYear: input.startYear, years: input.years) != nil else {
      throw WhatIfError.usage(
        "--year \(target.year) is outside the scenario's horizon \(input.startYear)–\(input.startYear + input.years - 1) (or `total`)")
    }
    let policies = input.policies.map(\.name)
    return DesignPlan(
      command: .sensitivity, parameters: runner.parameters, design: method == .sobol ? "saltelli" : "morris", samples: samples,
      levels: method == .morris ? levels : 0, seed: runner.seed, bootstrap: bootstrap, target: target, unitPoints: units,
      values: values, policies: policies, baseline: policies.firstIndex(of: target.policy), startYear: input.startYear,
      years: input.years)
  }

  /// The plan a partial result describes, rebuilt without the scenario: the design
  /// is recomputed from its kind, size, seed and parameters.
  static func rebuilt(
    command: Command, parameters: [SweptParameter], design: String, samples: Int, levels: Int, seed: UInt64, bootstrap: Int,
    target: SensitivityTarget?, policies: [String], baseline: Int?, startYear: Int, years: Int
  ) throws -> DesignPlan {
    let d = parameters.count
    let units: [[Double]]
    switch (command, design) {
    case (.sweep, _):
      guard let kind = DesignKind(rawValue: design), kind.pointCount(samples: samples, dimensions: d) <= 100_000_000 else {
        throw WhatIfError.invalidInput("unknown sweep design '\(design)' or more than 100,000,000 points")
      }
      units = try kind.points(samples: samples, dimensions: d, seed: seed)
    case (.sensitivity, "saltelli"):
      units = try SaltelliDesign(base: samples, dimensions: d).points + Tornado.points(base: tornadoBase(parameters))
    case (.sensitivity, "morris"):
      units =
        MorrisDesign(trajectories: samples, dimensions: d, levels: levels, seed: seed).points
        + Tornado.points(base: tornadoBase(parameters))
    default: throw WhatIfError.invalidInput("unknown sensitivity design '\(design)'")
    }
    let values = units.map { u in zip(parameters, u).map { $0.value(atUnit: $1) } }
    return DesignPlan(
      command: command, parameters: parameters, design: design, samples: samples, levels: levels, seed: seed, bootstrap: bootstrap,
      target: target, unitPoints: units, values: values, policies: policies, baseline: baseline, startYear: startYear, years: years)
  }

  /// The runner of a sensitivity analysis: the target's policy only.
  static func sensitivityRunner(_ runner: DesignRunner, target: SensitivityTarget) -> DesignRunner {
    var runner = runner
    runner.policies = [target.policy]
    runner.baselineOptional = true
    return runner
  }

  /// The tornado's base point in unit coordinates: each parameter's scenario value
  /// clamped into its range (the middle for inert parameters and per-year series).
  static func tornadoBase(_ parameters: [SweptParameter]) -> [Double] {
    parameters.map { p -> Double in
      guard !p.range.isInert, let v = p.baseValue, p.range.high > p.range.low else { return 0.5 }
      return min(1, max(0, (v - p.range.low) / (p.range.high - p.range.low)))
    }
  }

  // MARK: Running

  /// Runs the points `range` of the plan on `runner` (its design and seed) and
  /// returns each point's exact state, in point order: a shard's work.
  public func run(_ runner: DesignRunner, points range: Range<Int>, progress: ProgressCounter? = nil) throws -> [PointState] {
    let chosen = Array(values[range])
    switch command {
    case .sweep:
      return try runner.run(chosen, progress: progress) { PointState(sweep: $0) }
    case .sensitivity:
      guard let target, let t = targetYearIndex else { return [] }
      let metric = target.metric
      return try DesignPlan.sensitivityRunner(runner, target: target).run(chosen, progress: progress) {
        PointState(metric: metric, t: t, of: $0)
      }
    }
  }
}
