import Foundation
import GSL
import SECRules
import SECScenario
import Testing
import _SECSimTestSupport

@testable import SECEngine

/// Roll-out uncertainty (§5.5), customer drift (§5.2) and SoLR size weighting (§5.3):
/// zero variance is the old path exactly; the noise has the configured spread; γ sends
/// more customers to the larger survivors as it grows; drift moves the stated share.
@Suite("roll-out uncertainty, customer drift and SoLR weighting (MODEL.md §5)")
struct MarketProcessTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// A fixture segment: logistic from 0.3 in 2025 towards 0.9, midpoint 2027, steepness 0.4.
  static func segment(years: Int, midpointSD: Double = 0, paceSD: Double = 0) -> RolloutSegment {
    RolloutSegment(
      startYear: 2025, startShare: 0.3, midpoint: [Double](repeating: 2027, count: years),
      steepness: [Double](repeating: 0.4, count: years), ceiling: [Double](repeating: 0.9, count: years), midpointSD: midpointSD,
      paceSD: [Double](repeating: paceSD, count: years))
  }

  static func rolloutInput(years: Int = 5, midpointSD: Double = 0, paceSD: Double = 0) -> EngineInput {
    var input = Fixture.input(parties: Fixture.suppliers(3, domesticPremises: 100_000), policies: [Fixture.policy("today")], years: years)
    let seg = segment(years: years, midpointSD: midpointSD, paceSD: paceSD)
    input.processes.smartShareDomestic = (0..<years).map { seg.share($0, shift: 0) }
    input.processes.smartShareNonDomestic = input.processes.smartShareDomestic
    input.processes.rollout = [seg, segment(years: years)]
    return input
  }

  /// The smart share of each year of one replicate (domestic segment).
  static func shares(_ input: EngineInput, seed: UInt64 = 7, replicate: Int) throws -> [Double] {
    var world = try World(input: input, algorithm: .mt19937)
    world.reset(seed: seed, replicate: replicate)
    return try (0..<input.years).map { yi in
      world.stepFuture(yearIndex: yi)
      return try #require(world.smartShare.first)
    }
  }

  @Test("zero variance: every year's share is the scenario's logistic path exactly, and runs are bit-identical")
  func zeroVarianceIsTheOldPath() throws {
    // Through the scenario compiler: gb-history with its pace noise set to 0.
    let text = try String(contentsOf: Self.root.appendingPathComponent("scenarios/gb-history.yaml"), encoding: .utf8)
      .replacingOccurrences(of: "pace_sd: {value: 0.12,", with: "pace_sd: {value: 0,")
    let scenario = try ScenarioFile.load(yaml: text, file: "h.yaml", baseDirectory: Self.root.appendingPathComponent("scenarios"))
    let policies = try scenario.resolvedPolicies(near: Self.root.appendingPathComponent("scenarios"))
    let input = EngineInput(scenario: scenario, policies: policies, baseline: 0)
    #expect(input.processes.rollout.allSatisfy { !$0.isStochastic })
    for r in 0..<3 {
      var world = try World(input: input, algorithm: .mt19937)
      world.reset(seed: 11, replicate: r)
      for yi in 0..<input.years {
        world.stepFuture(yearIndex: yi)
        let y = input.year(yi)
        #expect(world.smartShare[0] == scenario.processes.rollout.domestic.share(inYear: y, startYear: input.startYear))
        #expect(world.smartShare[1] == scenario.processes.rollout.nonDomestic.share(inYear: y, startYear: input.startYear))
      }
    }
    // The engine's shifted formula with shift 0 agrees with the scenario's.
    let seg = Self.segment(years: 6)
    let path = LogisticPath(startShare: Parameter(0.3), midpointYear: Parameter(2027), steepness: Parameter(0.4), ceiling: Parameter(0.9))
    for yi in 0..<6 { #expect(abs(seg.share(yi, shift: 0) - path.share(inYear: 2025 + yi, startYear: 2025)) < 1e-14) }
    // A segment with sds of 0 gives the same run as no segment at all.
    var plain = Self.rolloutInput()
    plain.processes.rollout = []
    let configuration = RunConfiguration(seed: 5, replicates: 20)
    #expect(try Simulation.run(plain, configuration).state == Simulation.run(Self.rolloutInput(), configuration).state)
  }

  @Test("pace noise: log of each year's factor has sd pace_sd (N = 2,000, ± 5 %); the midpoint shift has sd midpoint_year_sd")
  func spread() throws {
    let n = 2_000
    let sigma = 0.2
    let input = Self.rolloutInput(years: 3, paceSD: sigma)
    let base = input.processes.smartShareDomestic
    var logs: [Double] = []
    for r in 0..<n {
      let s = try Self.shares(input, replicate: r)
      #expect(s[0] == base[0])
      // Year 1: share = path(1) + (path(1) − path(0)) · (e^ε − 1), so ε = ln((s − path(0)) / Δ).
      logs.append(Double.log((s[1] - base[0]) / (base[1] - base[0])))
    }
    let sd = SampleStatistics.standardDeviation(logs)
    // The sd of a normal sample of 2,000 has a standard error of σ/√(2N) ≈ 0.0032: 5 % is ± 3 standard errors.
    #expect(abs(sd - sigma) < 0.05 * sigma, "sd \(sd)")
    #expect(abs(SampleStatistics.mean(logs)) < 4 * sigma / Double(n).squareRoot())

    let shifted = Self.rolloutInput(years: 3, midpointSD: 1.5)
    var shifts: [Double] = []
    for r in 0..<n {
      var world = try World(input: shifted, algorithm: .mt19937)
      world.reset(seed: 7, replicate: r)
      shifts.append(world.rolloutShift[0])
      #expect(world.rolloutShift[1] == 0)
    }
    #expect(abs(SampleStatistics.standardDeviation(shifts) - 1.5) < 0.05 * 1.5)
    // The draws are keyed by replicate and segment, not by policy: two policies or one, the same shares.
    var twoPolicies = Self.rolloutInput(years: 3, paceSD: sigma)
    twoPolicies.policies.append(Fixture.policy("other", threshold: 1))
    #expect(try Self.shares(twoPolicies, replicate: 3) == Self.shares(input, replicate: 3))
  }

  /// Suppliers of 10,000, 100,000 and 1,000,000 homes and one of 5,000 that fails in the
  /// first year: where do its customers go, over `n` replicates?
  static func recipients(gamma: Double, n: Int) throws -> [Int] {
    let sizes: [Double] = [10_000, 100_000, 1_000_000, 5_000]
    let parties = sizes.enumerated().map { i, d in
      PartyTemplate(
        id: "S\(i)", name: "S\(i)", roles: [.supplier], entryYear: 2015, anniversaryQuarter: 1, domesticPremises: d,
        systems: [SystemTemplate(id: "S\(i)-1", srp: nil, startYear: 2015)], userRow: i)
    }
    var input = Fixture.input(parties: parties, policies: [Fixture.policy("today")], years: 1)
    input.events = [[.failure(party: 3, solr: nil)]]
    input.processes.solrSizeExponent = [gamma]
    var counts = [0, 0, 0]
    for r in 0..<n {
      var world = try World(input: input, algorithm: .mt19937)
      world.reset(seed: 3, replicate: r)
      world.stepFuture(yearIndex: 0)
      for i in 0..<3 where world.domestic[i] > sizes[i] + 1 { counts[i] += 1 }
    }
    return counts
  }

  @Test("γ: the SoLR is drawn ∝ size^γ, so more goes to the largest survivor as γ grows (N = 3,000, ± 4 standard errors)")
  func solrWeighting() throws {
    let n = 3_000
    var shareOfLargest: [Double] = []
    for gamma in [0.0, 0.5, 1.0, 2.0] {
      let counts = try Self.recipients(gamma: gamma, n: n)
      #expect(counts.reduce(0, +) == n)
      let w = [10_000.0, 100_000, 1_000_000].map { Double.pow($0, gamma) }
      let expected = w[2] / w.reduce(0, +)
      let observed = Double(counts[2]) / Double(n)
      let se = (expected * (1 - expected) / Double(n)).squareRoot()
      #expect(abs(observed - expected) <= 4 * se + 1e-9, "γ \(gamma): \(observed) vs \(expected)")
      shareOfLargest.append(observed)
    }
    #expect(shareOfLargest == shareOfLargest.sorted() && shareOfLargest[0] < 0.4 && shareOfLargest[3] > 0.98)
  }

  /// A supplier of 2,000,000 homes fails in the first year into a one-year special
  /// administration (threshold 1,000,000); survivors of 10,000 and 1,000,000 homes.
  /// Over `n` replicates, how often does the larger buy the book in the second year?
  static func largerBuys(solrGamma: Double, buyerGamma: [Double], n: Int) throws -> Int {
    let sizes: [Double] = [10_000, 1_000_000, 2_000_000]
    let parties = sizes.enumerated().map { i, d in
      PartyTemplate(
        id: "S\(i)", name: "S\(i)", roles: [.supplier], entryYear: 2015, anniversaryQuarter: 1, domesticPremises: d,
        systems: [SystemTemplate(id: "S\(i)-1", srp: nil, startYear: 2015)], userRow: i)
    }
    var input = Fixture.input(parties: parties, policies: [Fixture.policy("today")], years: 2)
    input.events = [[.failure(party: 2, solr: nil)], []]
    input.processes.specialAdministrationThreshold = [1_000_000, 1_000_000]
    input.processes.specialAdministrationYears = 1
    input.processes.solrSizeExponent = [solrGamma, solrGamma]
    input.processes.buyerSizeExponent = buyerGamma
    var count = 0
    for r in 0..<n {
      var world = try World(input: input, algorithm: .mt19937)
      world.reset(seed: 5, replicate: r)
      world.stepFuture(yearIndex: 0)
      #expect(world.present[2] && world.domestic[2] > 1_000_000)
      world.stepFuture(yearIndex: 1)
      #expect(!world.present[2])
      if world.domestic[1] > 2_500_000 { count += 1 }
    }
    return count
  }

  @Test("the buyer after special administration: its own γ when stated, the SoLR γ otherwise (N = 2,000, ± 4 standard errors)")
  func buyerWeighting() throws {
    let n = 2_000
    func expectShare(_ count: Int, _ gamma: Double) {
      let expected = Double.pow(1_000_000, gamma) / (Double.pow(1_000_000, gamma) + Double.pow(10_000, gamma))
      let observed = Double(count) / Double(n)
      let se = (expected * (1 - expected) / Double(n)).squareRoot()
      #expect(abs(observed - expected) <= 4 * se + 1e-3, "γ \(gamma): \(observed) vs \(expected)")
    }
    // Not stated: the SoLR γ (0 here: either survivor, evenly).
    expectShare(try Self.largerBuys(solrGamma: 0, buyerGamma: [], n: n), 0)
    // Stated: its own (1: in proportion to size, ~99 %), whatever the SoLR γ.
    expectShare(try Self.largerBuys(solrGamma: 0, buyerGamma: [1, 1], n: n), 1)
    expectShare(try Self.largerBuys(solrGamma: 1, buyerGamma: [0.25, 0.25], n: n), 0.25)
  }

  @Test("drift: the named suppliers lose the rate, the others grow by one factor, the total is kept")
  func switching() throws {
    var parties = Fixture.suppliers(3, domesticPremises: 0)
    for (i, d) in [600_000.0, 300_000, 100_000].enumerated() { parties[i].domesticPremises = d }
    var input = Fixture.input(parties: parties, policies: [Fixture.policy("today")], years: 2)
    input.processes.switchingRate = [0.1, 0]
    input.processes.switchingDonor = [true, false, false]
    var world = try World(input: input, algorithm: .mt19937)
    world.reset(seed: 1, replicate: 0)
    world.stepFuture(yearIndex: 0)
    #expect(abs(world.domestic[0] - 540_000) < 1e-6)
    #expect(abs(world.domestic[1] - 345_000) < 1e-6)
    #expect(abs(world.domestic[2] - 115_000) < 1e-6)
    world.stepFuture(yearIndex: 1)  // rate 0: nothing moves
    #expect(abs(world.domestic[0] - 540_000) < 1e-6 && abs(world.domestic[2] - 115_000) < 1e-6)
  }
}
