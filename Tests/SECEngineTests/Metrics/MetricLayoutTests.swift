import Testing

@testable import SECEngine

/// The engine writes a replicate's values block by block; the blocks must be the
/// layout's slots exactly, each slot once (MODEL.md §10).
@Suite("Metric layout blocks")
struct MetricLayoutTests {
  @Test("blocks give every cell's slot, and every slot is in exactly one block", arguments: [(4, 0, 10), (3, 2, 1), (1, 0, 5)])
  func blocks(_ shape: (policies: Int, baseline: Int, years: Int)) {
    let layout = MetricLayout(
      policyCount: shape.policies, baseline: shape.baseline, years: shape.years, parties: 120, premises: 1e6, maxDayRate: 900,
      maxDays: 30)
    var seen = [Int](repeating: 0, count: layout.layouts.count)
    for k in 0..<shape.policies {
      for c in 0..<MetricClass.count {
        let metrics = layout.metrics(classIndex: c)
        for t in 0...shape.years {
          for m in PolicyMetric.allCases {
            let slot = layout.policySlot(policy: k, classIndex: c, t: t, metric: m)
            let difference = layout.differenceSlot(policy: k, classIndex: c, t: t, metric: m)
            guard let j = metrics.firstIndex(of: m) else {
              #expect(slot == nil && difference == nil)
              continue
            }
            #expect(slot == layout.policyBlock(policy: k, classIndex: c) + t * metrics.count + j)
            if let slot { seen[slot] += 1 }
            if k == shape.baseline {
              #expect(difference == nil && layout.differenceBlock(policy: k, classIndex: c) == nil)
            } else {
              #expect(difference == layout.differenceBlock(policy: k, classIndex: c).map { $0 + t * metrics.count + j })
              if let difference { seen[difference] += 1 }
            }
          }
        }
      }
    }
    for t in 0...shape.years {
      for m in MarketMetric.allCases {
        let slot = layout.marketSlot(t: t, metric: m)
        #expect(slot == layout.marketBlock + t * MarketMetric.allCases.count + m.rawValue)
        seen[slot] += 1
      }
    }
    #expect(seen.allSatisfy { $0 == 1 })
  }
}
