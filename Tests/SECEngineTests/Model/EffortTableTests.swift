import GSL
import Testing

@testable import SECEngine

/// PERT effort tables (MODEL.md §5.10): GSL's inverse Beta CDF at i/1024 of the
/// standardised shape, scaled to [min, max]; shapes already tabulated are reused.
@Suite("Effort tables")
struct EffortTableTests {
  @Test("the nodes are GSL's Beta quantiles of the PERT shape, and tables of one shape share them")
  func nodesAreTheShapesQuantiles() {
    // (2, 3, 5) and (1, 2, 4) have the same shape: a = 1 + 4/3, b = 1 + 8/3.
    let vusa = EffortTable(min: 2, mode: 3, max: 5)
    let srp = EffortTable(min: 1, mode: 2, max: 4)
    #expect(vusa.nodes.count == EffortTable.resolution + 1)
    #expect(vusa.nodes == srp.nodes)
    for i in [0, 1, 256, 512, 1000, 1024] {
      let p = Double(i) / Double(EffortTable.resolution)
      #expect(vusa.nodes[i] == InverseCDF.beta(p, a: 1 + 4.0 / 3, b: 1 + 8.0 / 3), "node \(i)")
    }
    // Another shape gets its own quantiles (the cache is keyed by the shape, not the bounds).
    let fusa = EffortTable(min: 2, mode: 4, max: 5)
    #expect(fusa.nodes[512] == InverseCDF.beta(0.5, a: 1 + 8.0 / 3, b: 1 + 4.0 / 3))
    #expect(fusa.nodes[512] != vusa.nodes[512])
    // Each table scales the shared quantiles to its own bounds (both 3 days wide).
    #expect(abs(vusa.days(0.5) - (2 + 3 * vusa.nodes[512])) < 1e-12)
    #expect(abs(srp.days(0.5) - (1 + 3 * vusa.nodes[512])) < 1e-12)
  }
}
