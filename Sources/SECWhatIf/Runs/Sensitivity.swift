import SECEngine

/// The global sensitivity method of `secsim sensitivity`.
public enum SensitivityMethod: String, CaseIterable, Sendable, Codable {
  /// First-order and total Sobol indices on a Saltelli design (at most 20 parameters).
  case sobol
  /// Morris elementary effects (μ*, μ, σ) on random trajectories.
  case morris
}

/// What the indices are about: one metric of one policy (class `all`) in one year
/// or over the horizon, as a mean over the replicates of a design point.
public struct SensitivityTarget: Sendable, Hashable {
  /// The policy's name (market metrics: the baseline is run).
  public var policy: String
  public var metric: MetricRef
  /// `total` or a calendar year.
  public var year: String

  public init(policy: String, metric: MetricRef, year: String = "total") {
    self.policy = policy
    self.metric = metric
    self.year = year
  }
}

/// A global sensitivity analysis (`secsim sensitivity`): Sobol indices or Morris
/// effects of one output, and a one-at-a-time tornado, from engine runs on common
/// random numbers. The output at a design point is the mean of the target metric
/// over that point's replicates, so Monte Carlo noise shared by all points (the
/// same futures) does not show up as sensitivity; an inert parameter gets indices
/// of exactly 0.
public struct SensitivityAnalysis: Sendable {
  public let parameters: [SweptParameter]
  public let method: SensitivityMethod
  public let target: SensitivityTarget
  public let samples: Int
  public let replicates: Int
  /// Sobol: base sample N; the runs are N(d + 2).
  public let sobol: SobolIndices?
  /// Morris: one per parameter.
  public let morris: [MorrisEffect]?
  public let morrisLevels: Int
  public let tornado: Tornado
  /// Number of design points run (including the tornado's 2d + 1).
  public let points: Int
  public let partyYears: Int64

  /// Runs the analysis. `runner.policies` is replaced by the target's policy.
  ///
  /// - Parameters:
  ///   - samples: Sobol base sample N (a power of 2 suits the Sobol sequence) or
  ///     Morris trajectories r.
  ///   - levels: Morris grid levels p (even).
  ///   - bootstrap: resamples for the intervals.
  public init(
    runner: DesignRunner, method: SensitivityMethod, target: SensitivityTarget, samples: Int, levels: Int = 4, bootstrap: Int = 1000,
    progress: ProgressCounter? = nil
  ) throws {
    let plan = try DesignPlan.sensitivity(
      runner: runner, method: method, target: target, samples: samples, levels: levels, bootstrap: bootstrap)
    try self.init(runner: runner, plan: plan, progress: progress)
  }

  /// Runs every point of a sensitivity analysis's plan on `runner`.
  public init(runner: DesignRunner, plan: DesignPlan, progress: ProgressCounter? = nil) throws {
    let states = try plan.run(runner, points: 0..<plan.pointCount, progress: progress)
    try self.init(plan: plan, states: states, replicates: runner.replicates)
  }

  /// The analysis from its plan and every point's exact state, in point order (a
  /// merge of shards builds it this way).
  init(plan: DesignPlan, states: [PointState], replicates: Int) throws {
    guard let target = plan.target, states.count == plan.pointCount else {
      throw WhatIfError.invalidInput("a sensitivity analysis needs its target and one state per design point")
    }
    let method: SensitivityMethod = plan.design == "saltelli" ? .sobol : .morris
    let d = plan.parameters.count
    let outputs = states.map { $0.output(target.metric) }
    let designCount = plan.pointCount - (2 * d + 1)
    let mainOutputs = Array(outputs[0..<designCount])
    parameters = plan.parameters
    self.method = method
    self.target = target
    samples = plan.samples
    self.replicates = replicates
    morrisLevels = method == .morris ? plan.levels : 4
    points = plan.pointCount
    partyYears = states.reduce(0) { $0 + $1.partyYears }
    switch method {
    case .sobol:
      let saltelli = try SaltelliDesign(base: plan.samples, dimensions: d)
      let (fA, fB, fAB) = saltelli.split(mainOutputs)
      sobol = SobolIndices(fA: fA, fB: fB, fAB: fAB, bootstrap: plan.bootstrap, seed: plan.seed)
      morris = nil
    case .morris:
      let trajectories = MorrisDesign(trajectories: plan.samples, dimensions: d, levels: plan.levels, seed: plan.seed)
      morris = MorrisEffect.estimate(trajectories, outputs: mainOutputs, bootstrap: plan.bootstrap, seed: plan.seed)
      sobol = nil
    }
    tornado = Tornado(base: DesignPlan.tornadoBase(plan.parameters), outputs: Array(outputs[designCount...]))
  }

  /// The parameter values of the tornado's base point.
  public var baseValues: [Double] { zip(parameters, tornado.base).map { $0.value(atUnit: $1) } }
}
