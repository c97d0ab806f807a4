/// Where each (policy, class, year, metric) lives in an `AccumulatorBank`, and the
/// histogram range of each, fixed by the scenario's size so that every replicate,
/// thread and shard uses the same layout (MODEL.md §10).
///
/// Year index t runs 0..<Y for the simulated years and Y for the horizon total.
///
/// Slots come in blocks, in this order: each policy's values (policy, then class),
/// each non-baseline policy's paired differences (the same order), then the market.
/// Within the block of (policy k, class c), the slot of (t, `metrics(classIndex: c)[j]`)
/// is `policyBlock(k, c) + t * metrics(classIndex: c).count + j` (likewise
/// `differenceBlock`), and the market's slot of (t, m) is
/// `marketBlock + t * MarketMetric.allCases.count + m.rawValue`: the engine writes a
/// replicate's values block by block, without a table per cell.
public struct MetricLayout: Sendable, Hashable {
  public let policyCount: Int
  public let baseline: Int
  public let years: Int
  /// Slot of a policy metric: [policy][class][t][metric], −1 where the metric does
  /// not exist for the class (capacity metrics outside `all`).
  let policySlots: [Int]
  /// Slot of a paired difference against the baseline, same shape (−1 for the baseline).
  let differenceSlots: [Int]
  /// Slot of a market metric: [t][metric].
  let marketSlots: [Int]
  /// Histogram layouts of every slot, in slot order.
  public let layouts: [HistogramLayout]
  /// Raw values of the policy metrics with a slot in each class, in slot order.
  let classMetrics: [[Int]]
  /// First slot of each (policy, class) block of values, [policy][class].
  let policyBlocks: [Int]
  /// First slot of each (policy, class) block of paired differences (−1 for the baseline).
  let differenceBlocks: [Int]
  /// First market slot.
  public let marketBlock: Int

  static let classCount = MetricClass.allCases.count
  static let metricCount = PolicyMetric.allCases.count
  static let marketCount = MarketMetric.allCases.count

  /// A layout for `policyCount` policies over `years` years of a population of at
  /// most about `parties` Users (present at the start plus expected entrants), whose
  /// market holds about `premises` premises and whose assessments cost at most
  /// `maxDayRate` £ a day.
  public init(policyCount: Int, baseline: Int, years: Int, parties: Int, premises: Double, maxDayRate: Double, maxDays: Double) {
    self.policyCount = policyCount
    self.baseline = baseline
    self.years = years
    var layouts: [HistogramLayout] = []
    let cells = policyCount * Self.classCount * (years + 1) * Self.metricCount
    var policySlots = [Int](repeating: -1, count: cells)
    var differenceSlots = [Int](repeating: -1, count: cells)
    let ranges = MetricRanges(parties: parties, years: years, premises: premises, maxDayRate: maxDayRate, maxDays: maxDays)
    let classMetrics = MetricClass.allCases.map { cls in PolicyMetric.allCases.filter { cls == .all || !$0.allClassOnly }.map(\.rawValue) }
    var blocks = [[Int]](repeating: [Int](repeating: -1, count: policyCount * Self.classCount), count: 2)
    for signed in [false, true] {
      for k in 0..<policyCount where !(signed && k == baseline) {
        for c in 0..<Self.classCount {
          blocks[signed ? 1 : 0][k * Self.classCount + c] = layouts.count
          for t in 0...years {
            for m in classMetrics[c].map({ PolicyMetric.allCases[$0] }) {
              let cell = ((k * Self.classCount + c) * (years + 1) + t) * Self.metricCount + m.rawValue
              let range = ranges.bound(m, total: t == years)
              if signed { differenceSlots[cell] = layouts.count } else { policySlots[cell] = layouts.count }
              layouts.append(HistogramLayout(maxMagnitude: range, signed: signed))
            }
          }
        }
      }
    }
    marketBlock = layouts.count
    var marketSlots = [Int](repeating: -1, count: (years + 1) * Self.marketCount)
    for t in 0...years {
      for m in MarketMetric.allCases {
        marketSlots[t * Self.marketCount + m.rawValue] = layouts.count
        layouts.append(HistogramLayout(maxMagnitude: ranges.bound(m, total: t == years)))
      }
    }
    self.policySlots = policySlots
    self.differenceSlots = differenceSlots
    self.marketSlots = marketSlots
    self.layouts = layouts
    self.classMetrics = classMetrics
    policyBlocks = blocks[0]
    differenceBlocks = blocks[1]
  }

  /// The policy metrics with a slot in class index c, in slot order.
  public func metrics(classIndex c: Int) -> [PolicyMetric] { classMetrics[c].map { PolicyMetric.allCases[$0] } }

  /// First slot of policy k's values for class index c (t = 0, the class's first metric).
  public func policyBlock(policy k: Int, classIndex c: Int) -> Int { policyBlocks[k * Self.classCount + c] }

  /// First slot of policy k's paired differences for class index c; nil for the baseline.
  public func differenceBlock(policy k: Int, classIndex c: Int) -> Int? {
    let s = differenceBlocks[k * Self.classCount + c]
    return s < 0 ? nil : s
  }

  /// Index of a per-replicate cell [policy][class][t][metric] (the same indexing as the slots).
  public func cell(policy k: Int, classIndex c: Int, t: Int, metric m: Int) -> Int {
    ((k * MetricLayout.classCount + c) * (years + 1) + t) * MetricLayout.metricCount + m
  }

  /// Number of per-replicate cells.
  public var cellCount: Int { policyCount * Self.classCount * (years + 1) * Self.metricCount }

  public func policySlot(policy k: Int, classIndex c: Int, t: Int, metric: PolicyMetric) -> Int? {
    let s = policySlots[cell(policy: k, classIndex: c, t: t, metric: metric.rawValue)]
    return s < 0 ? nil : s
  }

  public func differenceSlot(policy k: Int, classIndex c: Int, t: Int, metric: PolicyMetric) -> Int? {
    let s = differenceSlots[cell(policy: k, classIndex: c, t: t, metric: metric.rawValue)]
    return s < 0 ? nil : s
  }

  public func marketSlot(t: Int, metric: MarketMetric) -> Int { marketSlots[t * Self.marketCount + metric.rawValue] }

}

/// Histogram ranges (in each metric's integer unit), generous bounds derived from
/// the scenario's size. A value beyond them is clamped and reported as overflow.
struct MetricRanges {
  let assessments: UInt64
  let days: UInt64
  let pence: UInt64
  let meters: UInt64
  let years: Int

  init(parties: Int, years: Int, premises: Double, maxDayRate: Double, maxDays: Double) {
    let n = Double(Swift.max(parties, 16))
    assessments = UInt64(8 * n)
    days = UInt64(8 * n * Swift.max(maxDays, 1) * 10)
    pence = UInt64(8 * n * Swift.max(maxDays, 1) * Swift.max(maxDayRate, 1) * 100)
    meters = UInt64(Swift.max(premises, 1) * 4)
    self.years = years
  }

  func bound(_ m: PolicyMetric, total: Bool) -> UInt64 {
    let span: UInt64 = total ? UInt64(Swift.max(years, 1)) : 1
    switch m {
    case .fusa, .vusa, .ussa, .followUp, .initialFusa, .systemAssessment, .assessmentsTotal, .sscAgendaItems, .largeBandUsers,
      .bandChanges, .remediationPlans:
      return assessments * span
    case .assessorDays, .peakQuarterAssessorDays, .assessorDaysQ1, .assessorDaysQ2, .assessorDaysQ3, .assessorDaysQ4:
      return days * span
    case .costGBP, .costPerUserGBP: return pence * span
    case .capacityExceeded: return 1
    case .coverageFusaShare: return 1_000_000
    case .fusaAgeYears: return UInt64(100_000)
    case .unassessedSystemMeters: return meters * span
    case .undetectedIssueMeterYears: return meters * 64 * span
    }
  }

  func bound(_ m: MarketMetric, total: Bool) -> UInt64 {
    let span: UInt64 = total ? UInt64(Swift.max(years, 1)) : 1
    switch m {
    case .activeDomesticSuppliers, .activeNonDomesticSuppliers, .entries, .failures, .specialAdministrations:
      return assessments * span
    case .solrCustomers, .domesticPremises, .nonDomesticPremises: return meters * span
    case .topSixShare, .smartShare: return 1_000_000
    }
  }
}
