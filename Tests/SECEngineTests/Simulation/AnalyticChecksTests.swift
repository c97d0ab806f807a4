import Foundation
import SECRules
import Testing
import _SECSimTestSupport

@testable import SECEngine

/// Processes checked against their analytic expectations, with three seeds fixed in
/// advance and n large enough that 5 standard errors are below 2% of the mean; each
/// check also runs against the parameter biased by 5% and must fail there.
@Suite("Analytic checks of the processes (MODEL.md §5)")
struct AnalyticChecksTests {
  static let seeds: [UInt64] = [11, 2_025, 987_654_321]

  /// (passes with the true parameter, fails with the biased one)
  func check(_ observed: SlotSummary, expected: Double, biasedExpected: Double, _ label: String) {
    let c = StatisticalCheck(observed: observed.mean, expected: expected, standardError: observed.se)
    #expect(5 * observed.se < 0.02 * expected, "\(label): n too small, se \(observed.se)")
    #expect(c.within(standardErrors: 5), "\(label): \(c)")
    let biased = StatisticalCheck(observed: observed.mean, expected: biasedExpected, standardError: observed.se)
    #expect(!biased.within(standardErrors: 5), "\(label) must fail against the biased parameter: \(biased)")
  }

  @Test("failures only: active suppliers after k years is N(1 − h)^k", arguments: seeds)
  func failuresOnly(_ seed: UInt64) throws {
    var input = Fixture.input(parties: Fixture.suppliers(50, domesticPremises: 10_000), policies: [Fixture.policy("a")])
    let h = 0.1
    input.processes.hazard = [[Double](repeating: h, count: input.years)]
    let (state, _) = try Simulation.run(input, RunConfiguration(seed: seed, replicates: 2_000, threads: 2))
    let k = input.years  // failures happen in each of the 5 years
    func expected(_ hazard: Double) -> Double { 50 * pow(1 - hazard, Double(k)) }
    check(state.market(.activeDomesticSuppliers, t: k - 1), expected: expected(h), biasedExpected: expected(h * 1.05), "survivors")
  }

  @Test("Poisson entry: entrants over the horizon average λY", arguments: seeds)
  func poissonEntry(_ seed: UInt64) throws {
    var input = Fixture.input(parties: Fixture.suppliers(5, domesticPremises: 10_000), policies: [Fixture.policy("a")], years: 10)
    let rate = 3.0
    input.processes.entryRate = [Double](repeating: rate, count: input.years)
    let (state, _) = try Simulation.run(input, RunConfiguration(seed: seed, replicates: 3_000, threads: 2))
    let total = state.market(.entries, t: input.years)
    check(total, expected: rate * 10, biasedExpected: rate * 1.05 * 10, "entrants")
    // Every entrant has exactly one initial FUSA, in its entry year.
    #expect(state.summary(policy: 0, metric: .initialFusa, t: input.years).mean == total.mean)
  }

  @Test("detection only: open issues after annual FUSAs match Σ rate·(1 − d)^(k − j + 1)", arguments: seeds)
  func detectionOnly(_ seed: UInt64) throws {
    // 50 large suppliers (count 1 > T = 0.5) with one meter each: a FUSA every year.
    let parties = Fixture.suppliers(50, domesticPremises: 1)
    var input = Fixture.input(parties: parties, policies: [Fixture.policy("a", threshold: 0.5)])
    let rate = 2.0
    let d = 0.6
    input.processes.issueRate = [Double](repeating: rate, count: input.years)
    input.processes.detectionFusa = [Double](repeating: d, count: input.years)
    let (state, _) = try Simulation.run(input, RunConfiguration(seed: seed, replicates: 2_000, threads: 2))
    let k = input.years - 1
    func expected(_ d: Double) -> Double {
      50 * (0...k).reduce(0.0) { $0 + rate * pow(1 - d, Double(k - $1 + 1)) }
    }
    #expect(state.summary(policy: 0, metric: .fusa, t: k).mean == 50)
    check(
      state.summary(policy: 0, metric: .undetectedIssueMeterYears, t: k), expected: expected(d), biasedExpected: expected(d * 1.05),
      "undetected issues")
  }

  /// The engine draws one Exp(1) resistance per issue and treats an assessment as the
  /// hazard −log(1 − d) (`PolicyRun.detect`): with a different d each year an issue
  /// arising in year j is still open after year k with probability Π_{t=j..k}(1 − d_t).
  @Test("detection with a different probability each year: open issues match Σ_j rate·Π_{t≥j}(1 − d_t)", arguments: seeds)
  func detectionVaryingByYear(_ seed: UInt64) throws {
    let parties = Fixture.suppliers(50, domesticPremises: 1)
    var input = Fixture.input(parties: parties, policies: [Fixture.policy("a", threshold: 0.5)])
    let rate = 2.0
    let pattern = [0.5, 0.7, 0.6, 0.65, 0.55]
    let d = (0..<input.years).map { pattern[$0 % pattern.count] }
    input.processes.issueRate = [Double](repeating: rate, count: input.years)
    input.processes.detectionFusa = d
    let (state, _) = try Simulation.run(input, RunConfiguration(seed: seed, replicates: 2_000, threads: 2))
    let k = input.years - 1
    func expected(_ scale: Double) -> Double {
      var total = 0.0
      for j in 0...k {
        var open = rate
        for t in j...k { open *= 1 - d[t] * scale }
        total += open
      }
      return 50 * total
    }
    check(
      state.summary(policy: 0, metric: .undetectedIssueMeterYears, t: k), expected: expected(1), biasedExpected: expected(1.05),
      "undetected issues")
  }
}
