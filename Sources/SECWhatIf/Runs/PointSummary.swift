import SECEngine

/// A metric a what-if command can analyse: a policy metric (class `all`) or a
/// market metric (policy `market`), by its CSV name (MODEL.md §6).
public enum MetricRef: Sendable, Hashable, CustomStringConvertible {
  case policy(PolicyMetric)
  case market(MarketMetric)

  /// The metric named `name` in summary.csv, or nil.
  public init?(name: String) {
    if let m = PolicyMetric.allCases.first(where: { $0.name == name }) {
      self = .policy(m)
    } else if let m = MarketMetric.allCases.first(where: { $0.name == name }) {
      self = .market(m)
    } else {
      return nil
    }
  }

  public var name: String {
    switch self {
    case .policy(let m): return m.name
    case .market(let m): return m.name
    }
  }

  public var description: String { name }

  /// Every metric name, policy metrics first.
  public static var allNames: [String] { PolicyMetric.allCases.map(\.name) + MarketMetric.allCases.map(\.name) }
}

/// The means and standard errors of one design point, class `all`: every policy
/// metric per policy and every market metric, per year and for the horizon total
/// (t = years). A few kilobytes, so a sweep of many points keeps them all.
public struct PointSummary: Sendable, Hashable {
  public let policies: [String]
  public let years: Int
  /// [policy][metric][t], t = 0 … years.
  let means: [Double]
  let ses: [Double]
  /// [metric][t].
  let marketMeans: [Double]
  let marketSEs: [Double]

  /// The summary of a finished point, computed from its exact state
  /// (`PointState(sweep:)`), as a merge of shards computes it.
  public init(_ run: PointRun) { self.init(PointState(sweep: run), policies: run.policies, years: run.years) }

  init(policies: [String], years: Int, means: [Double], ses: [Double], marketMeans: [Double], marketSEs: [Double]) {
    self.policies = policies
    self.years = years
    self.means = means
    self.ses = ses
    self.marketMeans = marketMeans
    self.marketSEs = marketSEs
  }

  func index(_ k: Int, _ m: PolicyMetric, _ t: Int) -> Int { (k * PolicyMetric.allCases.count + m.rawValue) * (years + 1) + t }

  /// Mean over replicates of a policy metric (t = years: the horizon total).
  public func mean(policy k: Int, _ m: PolicyMetric, t: Int) -> Double { means[index(k, m, t)] }
  public func se(policy k: Int, _ m: PolicyMetric, t: Int) -> Double { ses[index(k, m, t)] }
  public func mean(_ m: MarketMetric, t: Int) -> Double { marketMeans[m.rawValue * (years + 1) + t] }
  public func se(_ m: MarketMetric, t: Int) -> Double { marketSEs[m.rawValue * (years + 1) + t] }

  /// Mean of a metric for a policy (ignored for market metrics).
  public func mean(_ metric: MetricRef, policy k: Int, t: Int) -> Double {
    switch metric {
    case .policy(let m): return mean(policy: k, m, t: t)
    case .market(let m): return mean(m, t: t)
    }
  }

  public func se(_ metric: MetricRef, policy k: Int, t: Int) -> Double {
    switch metric {
    case .policy(let m): return se(policy: k, m, t: t)
    case .market(let m): return se(m, t: t)
    }
  }
}
