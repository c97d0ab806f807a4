import SECEngine

/// The exact summary state of one design point (MODEL.md §10): for each slot a
/// what-if command reports, the integer moments n, Σx and Σx² of the point's
/// replicates in the metric's fixed unit, and the party-years simulated. Means and
/// standard errors are computed from it once, at the end, so a point's summary is
/// the same bits whether it was computed in one process or read back from a shard's
/// partial result. Its size depends on the policies and years, never on the
/// replicate count.
///
/// A sweep keeps every class-`all` slot: [policy][metric][t] (t = 0 … years, the
/// last the horizon total), then [market metric][t]. A sensitivity analysis keeps
/// one slot, its target's.
public struct PointState: Sendable, Hashable {
  /// Party-years simulated at this point.
  public var partyYears: Int64
  /// The kept slots' moments, in the order above.
  public var moments: [SlotMoments]

  public init(partyYears: Int64, moments: [SlotMoments]) {
    self.partyYears = partyYears
    self.moments = moments
  }

  /// Slots a sweep keeps per point.
  public static func sweepSlotCount(policies: Int, years: Int) -> Int {
    (policies * PolicyMetric.allCases.count + MarketMetric.allCases.count) * (years + 1)
  }

  /// Every class-`all` slot of a finished point (a sweep's state).
  public init(sweep run: PointRun) {
    let layout = run.state.layout
    var moments: [SlotMoments] = []
    moments.reserveCapacity(PointState.sweepSlotCount(policies: run.policies.count, years: run.years))
    for k in run.policies.indices {
      for m in PolicyMetric.allCases {
        for t in 0...run.years {
          // Class `all` (index 0) has every metric.
          moments.append(run.state.bank.moments(layout.policySlot(policy: k, classIndex: 0, t: t, metric: m)!))
        }
      }
    }
    for m in MarketMetric.allCases {
      for t in 0...run.years { moments.append(run.state.bank.moments(layout.marketSlot(t: t, metric: m))) }
    }
    self.init(partyYears: run.partyYears, moments: moments)
  }

  /// The target's slot of a finished point (a sensitivity analysis's state): the
  /// metric of the run's first (only) policy at year index `t`.
  public init(metric: MetricRef, t: Int, of run: PointRun) {
    let layout = run.state.layout
    let slot: Int
    switch metric {
    case .policy(let m): slot = layout.policySlot(policy: 0, classIndex: 0, t: t, metric: m)!
    case .market(let m): slot = layout.marketSlot(t: t, metric: m)
    }
    self.init(partyYears: run.partyYears, moments: [run.state.bank.moments(slot)])
  }

  /// A sensitivity point's output: the mean over replicates of its one slot.
  public func output(_ metric: MetricRef) -> Double { moments[0].mean(scale: metric.scale) }
}

extension MetricRef {
  /// The metric's integer unit per unit of the metric.
  var scale: Double {
    switch self {
    case .policy(let m): return m.unit.scale
    case .market(let m): return m.unit.scale
    }
  }
}

extension PointSummary {
  /// The summary of a sweep point's exact state (`PointState(sweep:)`).
  public init(_ state: PointState, policies: [String], years: Int) {
    precondition(state.moments.count == PointState.sweepSlotCount(policies: policies.count, years: years), "not a sweep point's state")
    let policyCount = policies.count * PolicyMetric.allCases.count * (years + 1)
    var means: [Double] = []
    var ses: [Double] = []
    means.reserveCapacity(policyCount)
    ses.reserveCapacity(policyCount)
    var at = 0
    for _ in policies.indices {
      for m in PolicyMetric.allCases {
        for _ in 0...years {
          means.append(state.moments[at].mean(scale: m.unit.scale))
          ses.append(state.moments[at].se(scale: m.unit.scale))
          at += 1
        }
      }
    }
    var marketMeans: [Double] = []
    var marketSEs: [Double] = []
    for m in MarketMetric.allCases {
      for _ in 0...years {
        marketMeans.append(state.moments[at].mean(scale: m.unit.scale))
        marketSEs.append(state.moments[at].se(scale: m.unit.scale))
        at += 1
      }
    }
    self.init(policies: policies, years: years, means: means, ses: ses, marketMeans: marketMeans, marketSEs: marketSEs)
  }
}
