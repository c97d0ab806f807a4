import SECEngine

/// A parameter sweep (`secsim sweep`): a design over the parameters' ranges, the
/// engine run at every point on common random numbers, and each point's summary.
public struct Sweep: Sendable {
  /// The design every point ran (parameters, design, points, policies, calendar, seed).
  public let plan: DesignPlan
  public var parameters: [SweptParameter] { plan.parameters }
  public var design: DesignKind { DesignKind(rawValue: plan.design) ?? .grid }
  public var samples: Int { plan.samples }
  /// Unit coordinates of each point, in design order.
  public var unitPoints: [[Double]] { plan.unitPoints }
  /// Parameter values of each point, as applied to the scenario.
  public var values: [[Double]] { plan.values }
  /// Policies run, in scenario order.
  public var policies: [String] { plan.policies }
  /// The baseline's index in `policies` (nil when it was not run).
  public var baseline: Int? { plan.baseline }
  public var startYear: Int { plan.startYear }
  public var years: Int { plan.years }
  public var seed: UInt64 { plan.seed }
  public let replicates: Int
  public let summaries: [PointSummary]
  /// Party-years simulated over all points.
  public let partyYears: Int64

  /// Runs the design. `samples`: levels per parameter for `grid`, points otherwise.
  public init(runner: DesignRunner, design: DesignKind, samples: Int, progress: ProgressCounter? = nil) throws {
    try self.init(runner: runner, plan: try DesignPlan.sweep(runner: runner, design: design, samples: samples), progress: progress)
  }

  /// Runs every point of a sweep's plan on `runner`.
  public init(runner: DesignRunner, plan: DesignPlan, progress: ProgressCounter? = nil) throws {
    let policies = plan.policies
    let years = plan.years
    // Each point is reduced to its summary at once (computed from its exact state, as a merge does).
    let outcome = try runner.run(plan.values, progress: progress) { run in
      let state = PointState(sweep: run)
      return (PointSummary(state, policies: policies, years: years), state.partyYears)
    }
    self.init(plan: plan, summaries: outcome.map(\.0), partyYears: outcome.reduce(0) { $0 + $1.1 }, replicates: runner.replicates)
  }

  /// A sweep from its plan and every point's summary, in point order (a merge of
  /// shards builds it this way).
  init(plan: DesignPlan, summaries: [PointSummary], partyYears: Int64, replicates: Int) {
    self.plan = plan
    self.replicates = replicates
    self.summaries = summaries
    self.partyYears = partyYears
  }

  /// The calendar year of index t, or `total`.
  public func yearLabel(_ t: Int) -> String { t == years ? "total" : String(startYear + t) }

  /// The index t of a year label (`total` or a calendar year in the horizon).
  public static func yearIndex(_ label: String, startYear: Int, years: Int) -> Int? {
    if label == "total" { return years }
    guard let y = Int(label), (startYear..<(startYear + years)).contains(y) else { return nil }
    return y - startYear
  }

  /// The frontier of every point: for each policy, horizon assessor days and mean
  /// FUSA coverage, and whether it is non-dominated at that point.
  public var frontier: [[(days: Double, coverage: Double, nonDominated: Bool)]] {
    summaries.map { s in
      let pairs = policies.indices.map {
        (days: s.mean(policy: $0, .assessorDays, t: years), coverage: s.mean(policy: $0, .coverageFusaShare, t: years))
      }
      let marks = PolicyFrontier.nonDominated(pairs)
      return zip(pairs, marks).map { (days: $0.days, coverage: $0.coverage, nonDominated: $1) }
    }
  }
}
