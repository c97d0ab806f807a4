import SECRules
import Testing

@testable import SECEngine

/// Common random numbers and reproducibility (MODEL.md §7, §10).
@Suite("Common random numbers and reproducibility")
struct CommonRandomNumbersTests {
  /// A small market where sizes move, suppliers fail and enter, systems start and
  /// outcomes vary: every random process on.
  static func lively(policies: [Policy], baseline: Int = 0) -> EngineInput {
    var parties = Fixture.suppliers(12, domesticPremises: 200_000)
    for i in parties.indices { parties[i].domesticPremises = 150_000 + Double(i) * 15_000 }
    var input = Fixture.input(parties: parties, policies: policies, years: 6, baseline: baseline)
    let y = input.years
    input.processes.idiosyncraticSD = [Double](repeating: 0.15, count: y)
    input.processes.marketFactorSD = [Double](repeating: 0.05, count: y)
    input.processes.hazard = [[Double](repeating: 0.05, count: y)]
    input.processes.entryRate = [Double](repeating: 1, count: y)
    input.processes.entryLogMean = [Double](repeating: 11, count: y)
    input.processes.entryLogSD = [Double](repeating: 1, count: y)
    input.processes.issueRate = [Double](repeating: 0.5, count: y)
    input.processes.detectionFusa = [Double](repeating: 0.7, count: y)
    input.processes.detectionVusa = [Double](repeating: 0.4, count: y)
    input.processes.detectionUssa = [Double](repeating: 0.1, count: y)
    input.processes.secondSystemAdoption = [Double](repeating: 0.1, count: y)
    input.processes.premisesNoiseSD = [Double](repeating: 0.03, count: y)
    input.processes.outcomeThresholds = [[[(Double, Double, Double)]]](
      repeating: [[(Double, Double, Double)]](repeating: [(Double, Double, Double)](repeating: (0.6, 0.85, 0.95), count: y), count: 2),
      count: 3)
    input.processes.effort = [[EffortTable]](
      repeating: [EffortTable(min: 3, mode: 6, max: 10), EffortTable(min: 2, mode: 3, max: 6)], count: 5)
    return input
  }

  @Test("the merged state is bit-identical with 1, 2 and 7 threads")
  func threadCountDoesNotMatter() throws {
    let input = Self.lively(policies: [Fixture.policy("today"), Fixture.policy("low", threshold: 200_000)])
    let states = try [1, 2, 7].map {
      try Simulation.run(input, RunConfiguration(seed: 42, replicates: 300, threads: $0, blockSize: 16)).state
    }
    #expect(states[0] == states[1])
    #expect(states[0] == states[2])
    #expect(states[0].bank.serialized() == states[2].bank.serialized())
  }

  @Test("every worker gets blocks when two are asked for")
  func everyWorkerWorks() throws {
    let input = Self.lively(policies: [Fixture.policy("today")])
    let (_, plan) = try Simulation.run(input, RunConfiguration(seed: 1, replicates: 200, threads: 2, blockSize: 16))
    #expect(plan.blocksPerWorker == [7, 6])
  }

  @Test("a copy of the baseline policy gives differences of exactly zero")
  func baselineCopy() throws {
    let input = Self.lively(policies: [Fixture.policy("today"), Fixture.policy("copy")])
    let (state, _) = try Simulation.run(input, RunConfiguration(seed: 7, replicates: 300, threads: 2))
    for slot in 0..<state.layout.layouts.count where state.layout.layouts[slot].signed {
      #expect(state.bank.sums[slot] == 0 && state.bank.sumSquares[slot] == 0, "slot \(slot)")
    }
    #expect(state.summary(policy: 0, metric: .fusa, t: input.years).mean > 0)
  }

  @Test("inserting a policy first and reordering the others changes no other policy's results")
  func policyOrder() throws {
    let a = Fixture.policy("today")
    let b = Fixture.policy("low", threshold: 200_000)
    let c = Fixture.policy("unweighted", weight: 1)
    let first = Self.lively(policies: [a, b, c], baseline: 0)
    let second = Self.lively(policies: [Fixture.policy("new", threshold: 100_000), c, a, b], baseline: 2)
    let s1 = try Simulation.run(first, RunConfiguration(seed: 5, replicates: 200, threads: 2)).state
    let s2 = try Simulation.run(second, RunConfiguration(seed: 5, replicates: 200, threads: 2)).state
    let mapping = [(0, 2), (1, 3), (2, 1)]  // (index in first, index in second)
    for (i, j) in mapping {
      for m in PolicyMetric.allCases {
        for t in 0...first.years {
          for cls in 0..<MetricClass.allCases.count where cls == 0 || !m.allClassOnly {
            let x = s1.summary(policy: i, metric: m, t: t, classIndex: cls)
            let y = s2.summary(policy: j, metric: m, t: t, classIndex: cls)
            #expect(x == y || (x.mean.isNaN && y.mean.isNaN), "\(m.name) year \(t) class \(cls)")
          }
        }
      }
    }
    // Differences against the same baseline are the same too.
    #expect(s1.difference(policy: 1, metric: .fusa, t: first.years) == s2.difference(policy: 3, metric: .fusa, t: first.years))
  }

  @Test("policies differing only in threshold: the difference is significant and pairing shrinks its standard error")
  func pairedDifference() throws {
    let input = Self.lively(policies: [Fixture.policy("today"), Fixture.policy("low", threshold: 200_000)])
    let (state, _) = try Simulation.run(input, RunConfiguration(seed: 99, replicates: 1_000, threads: 2))
    let t = input.years
    let diff = state.difference(policy: 1, metric: .fusa, t: t)
    let a = state.summary(policy: 0, metric: .fusa, t: t)
    let b = state.summary(policy: 1, metric: .fusa, t: t)
    #expect(abs(diff.mean) > 5 * diff.se, "mean difference \(diff.mean), se \(diff.se)")
    #expect(abs(diff.mean - (b.mean - a.mean)) < 1e-9)
    let unpaired = (a.se * a.se + b.se * b.se).squareRoot()
    #expect(diff.se < unpaired, "paired se \(diff.se) vs unpaired \(unpaired)")
  }

  @Test("the serialised accumulator state has the same size after 1,000 and 20,000 replicates")
  func fixedStateSize() throws {
    let input = Fixture.input(parties: Fixture.suppliers(2, domesticPremises: 1_000), policies: [Fixture.policy("a")], years: 2)
    let small = try Simulation.run(input, RunConfiguration(seed: 3, replicates: 1_000, threads: 2)).state
    let large = try Simulation.run(input, RunConfiguration(seed: 3, replicates: 20_000, threads: 2)).state
    #expect(small.bank.serialized().count == large.bank.serialized().count)
    #expect(small.tallies.counts.count == large.tallies.counts.count)
    #expect(large.bank.counts[0] == 20_000)
  }
}
