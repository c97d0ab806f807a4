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
    var runner = runner
    runner.policies = [target.policy]
    runner.baselineOptional = true
    let d = runner.parameters.count
    let design: [[Double]]
    var saltelli: SaltelliDesign?
    var trajectories: MorrisDesign?
    switch method {
    case .sobol:
      let s = try SaltelliDesign(base: samples, dimensions: d)
      saltelli = s
      design = s.points
    case .morris:
      let m = MorrisDesign(trajectories: samples, dimensions: d, levels: levels, seed: runner.seed)
      trajectories = m
      design = m.points
    }
    let base = runner.parameters.map { p -> Double in
      guard !p.range.isInert, let v = p.baseValue, p.range.high > p.range.low else { return 0.5 }
      return min(1, max(0, (v - p.range.low) / (p.range.high - p.range.low)))
    }
    let units = design + Tornado.points(base: base)
    let values = units.map { u in zip(runner.parameters, u).map { $0.value(atUnit: $1) } }
    let metric = target.metric
    let year = target.year
    let outcome = try runner.run(values, progress: progress) { run -> (Double, Int64) in
      guard let t = Sweep.yearIndex(year, startYear: run.startYear, years: run.years) else {
        throw WhatIfError.usage(
          "--year \(year) is outside the scenario's horizon \(run.startYear)–\(run.startYear + run.years - 1) (or `total`)")
      }
      let layout = run.state.layout
      switch metric {
      case .policy(let m):
        guard let slot = layout.policySlot(policy: 0, classIndex: 0, t: t, metric: m) else { return (.nan, run.partyYears) }
        return (run.state.bank.summary(slot, scale: m.unit.scale).mean, run.partyYears)
      case .market(let m):
        return (run.state.bank.summary(layout.marketSlot(t: t, metric: m), scale: m.unit.scale).mean, run.partyYears)
      }
    }
    let outputs = outcome.map(\.0)
    let mainOutputs = Array(outputs[0..<design.count])
    parameters = runner.parameters
    self.method = method
    self.target = target
    self.samples = samples
    replicates = runner.replicates
    morrisLevels = levels
    points = units.count
    partyYears = outcome.reduce(0) { $0 + $1.1 }
    if let saltelli {
      let (fA, fB, fAB) = saltelli.split(mainOutputs)
      sobol = SobolIndices(fA: fA, fB: fB, fAB: fAB, bootstrap: bootstrap, seed: runner.seed)
      morris = nil
    } else if let trajectories {
      morris = MorrisEffect.estimate(trajectories, outputs: mainOutputs, bootstrap: bootstrap, seed: runner.seed)
      sobol = nil
    } else {
      sobol = nil
      morris = nil
    }
    tornado = Tornado(base: base, outputs: Array(outputs[design.count...]))
  }

  /// The parameter values of the tornado's base point.
  public var baseValues: [Double] { zip(parameters, tornado.base).map { $0.value(atUnit: $1) } }
}
