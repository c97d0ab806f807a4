import SECRules
import Testing

@testable import SECEngine

/// A year's results keep the assessments' additions as exact integers
/// (`YearResults.exact`): counts, and assessor days in fixed point of 2⁻³² day.
@Suite("Exact year results")
struct YearResultsTests {
  @Test("fixed-point days: exact for multiples of 2⁻³², otherwise the nearest, halves away from zero")
  func fixedDays() {
    #expect(YearResults.fixedDays(0) == 0)
    #expect(YearResults.fixedDays(1) == 1 << 32)
    #expect(YearResults.fixedDays(7.25) == 29 << 30)
    #expect(YearResults.fixedDays(0x1p-33) == 1)  // half a unit: away from zero
    #expect(YearResults.fixedDays(0x1p-34) == 0)
    #expect(YearResults.fixedDays(-0x1p-33) == -1)
    #expect(YearResults.fixedDays(3 * 0x1p-33) == 2)
    // Never further than half a unit from the days.
    for days in [0.1, 1.0 / 3, 2.718281828, 9.99999, 123.456] {
      let error = Double(YearResults.fixedDays(days)) / YearResults.dayScale - days
      #expect(abs(error) <= 0x1p-33, "\(days)")
    }
  }

  @Test("sums do not depend on the order of the additions; settle gives days, cost at the day rate and quarters")
  func orderAndSettle() {
    let arena = Arena()
    let forward = YearResults(arena)
    let backward = YearResults(arena)
    let days = [3.7, 0.1, 9.25, 1.0 / 3, 5.5, 2.2, 0.7]
    let classes: [PartyClassIndex] = [.supplierDomestic, .other, .supplierDomestic, .network, .other, .other, .supplierDomestic]
    func add(_ r: YearResults, _ i: Int) {
      let fixed = YearResults.fixedDays(days[i])
      r.record(.fusa, class: classes[i])
      r.record(.assessorDays, fixed, class: classes[i])
      r.recordQuarter(i % 4 + 1, fixed)
    }
    for i in days.indices { add(forward, i) }
    for i in days.indices.reversed() { add(backward, i) }
    for i in 0..<YearResults.cellCount { #expect(forward.exact[i] == backward.exact[i]) }
    forward.settle(dayRate: 1_100)
    backward.settle(dayRate: 1_100)
    for i in 0..<YearResults.cellCount { #expect(forward.values[i].bitPattern == backward.values[i].bitPattern) }
    let total = days.map { Double(YearResults.fixedDays($0)) }.reduce(0, +) / YearResults.dayScale
    #expect(forward.value(.fusa, classIndex: 0) == 7)
    #expect(forward.value(.fusa, classIndex: PartyClassIndex.other.rawValue + 1) == 3)
    #expect(forward.value(.assessorDays, classIndex: 0) == total)
    #expect(abs(total - days.reduce(0, +)) < 1e-8)
    #expect(forward.value(.costGBP, classIndex: 0) == total * 1_100)
    let quarters = (0..<4).map { forward.quarterDays[$0] }
    #expect(abs(quarters.reduce(0, +) - total) < 1e-9)
    #expect(abs(quarters[0] - (3.7 + 5.5)) < 1e-8)
    // A metric `record` never adds to stays as the year's figures set it.
    #expect(forward.value(.coverageFusaShare, classIndex: 0) == 0)
  }
}
