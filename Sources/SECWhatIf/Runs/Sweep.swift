import SECEngine

/// A parameter sweep (`secsim sweep`): a design over the parameters' ranges, the
/// engine run at every point on common random numbers, and each point's summary.
public struct Sweep: Sendable {
  public let parameters: [SweptParameter]
  public let design: DesignKind
  public let samples: Int
  /// Unit coordinates of each point, in design order.
  public let unitPoints: [[Double]]
  /// Parameter values of each point, as applied to the scenario.
  public let values: [[Double]]
  /// Policies run, in scenario order.
  public let policies: [String]
  /// The baseline's index in `policies` (nil when it was not run).
  public let baseline: Int?
  public let startYear: Int
  public let years: Int
  public let replicates: Int
  public let seed: UInt64
  public let summaries: [PointSummary]
  /// Party-years simulated over all points.
  public let partyYears: Int64

  /// Runs the design. `samples`: levels per parameter for `grid`, points otherwise.
  public init(runner: DesignRunner, design: DesignKind, samples: Int, progress: ProgressCounter? = nil) throws {
    let d = runner.parameters.count
    let units = try design.points(samples: samples, dimensions: d, seed: runner.seed)
    let values = units.map { u in zip(runner.parameters, u).map { $0.value(atUnit: $1) } }
    let outcome = try runner.run(values, progress: progress) { run in (PointSummary(run), run.partyYears, run.startYear) }
    parameters = runner.parameters
    self.design = design
    self.samples = samples
    unitPoints = units
    self.values = values
    summaries = outcome.map(\.0)
    partyYears = outcome.reduce(0) { $0 + $1.1 }
    policies = summaries.first?.policies ?? []
    years = summaries.first?.years ?? 0
    startYear = outcome.first?.2 ?? 0
    let scenario = try runner.template.scenario(runner.parameters, values: values.first ?? [])
    baseline = policies.firstIndex { $0 == scenario.baseline?.name }
    replicates = runner.replicates
    seed = runner.seed
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
