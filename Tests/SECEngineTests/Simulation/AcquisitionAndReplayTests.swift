import Foundation
import GSL
import SECRules
import Testing
import _SECSimTestSupport

@testable import SECEngine

/// Scheduled acquisitions (a buyer takes the customers, the User leaves, no failure is
/// counted) and replayed entry counts (`entry.exact_until`), MODEL.md §5.3–5.4.
@Suite("acquisitions and replayed entry counts (MODEL.md §5.3–5.4)")
struct AcquisitionAndReplayEngineTests {
  /// Suppliers of 300,000, 200,000, 100,000 and 50,000 homes, 3 years, no hazard.
  static func input(events: [[EngineEvent]]) -> EngineInput {
    var parties = Fixture.suppliers(4, domesticPremises: 0)
    for (i, d) in [300_000.0, 200_000, 100_000, 50_000].enumerated() { parties[i].domesticPremises = d }
    var input = Fixture.input(parties: parties, policies: [Fixture.policy("today")], years: 3)
    input.events = events
    return input
  }

  func market(_ world: World, _ m: MarketMetric) -> Double { world.market[m.rawValue] }

  @Test("the named buyer takes every customer, the User leaves; no failure, SoLR customers or special administration is counted")
  func namedBuyer() throws {
    let input = Self.input(events: [[], [.acquisition(party: 2, buyer: 1)], []])
    var world = try World(input: input, algorithm: .mt19937)
    world.reset(seed: 3, replicate: 0)
    world.stepFuture(yearIndex: 0)
    #expect(market(world, .activeDomesticSuppliers) == 4)
    world.stepFuture(yearIndex: 1)
    #expect(!world.present[2] && world.exitYear[2] == 2026)
    #expect(world.domestic[1] == 300_000 && world.domestic[2] == 0)
    #expect(world.domestic[0] == 300_000 && world.domestic[3] == 50_000)
    #expect(market(world, .activeDomesticSuppliers) == 3)
    #expect(market(world, .failures) == 0 && market(world, .solrCustomers) == 0 && market(world, .specialAdministrations) == 0)
    // Top six: the three that remain hold every home.
    #expect(market(world, .topSixShare) == 1)
  }

  @Test("a buyer that has left: one is drawn among the survivors by size^γ (γ = 0: evenly; N = 1,500, ± 4 standard errors)")
  func absentBuyer() throws {
    // Party 1 fails in the first year (its SoLR named: party 0); in the second, party 2
    // is acquired by party 1, which has gone, so the buyer is party 0 or party 3.
    var input = Self.input(events: [[.failure(party: 1, solr: 0)], [.acquisition(party: 2, buyer: 1)], []])
    input.processes.solrSizeExponent = [0, 0, 0]
    let n = 1_500
    var toLargest = 0
    for r in 0..<n {
      var world = try World(input: input, algorithm: .mt19937)
      world.reset(seed: 9, replicate: r)
      world.stepFuture(yearIndex: 0)
      #expect(world.domestic[0] == 500_000 && !world.present[1])
      world.stepFuture(yearIndex: 1)
      #expect(!world.present[2] && world.domestic[2] == 0)
      #expect(world.domestic[0] + world.domestic[3] == 650_000)
      if world.domestic[0] == 600_000 { toLargest += 1 }
      #expect(market(world, .failures) == 0)
    }
    let se = (0.25 / Double(n)).squareRoot()
    #expect(abs(Double(toLargest) / Double(n) - 0.5) <= 4 * se, "\(toLargest) of \(n)")
  }

  @Test("a book in special administration sold by an acquisition: the sale names the buyer and ends the administration early")
  func saleOfAdministration() throws {
    var input = Self.input(events: [[.failure(party: 0, solr: nil)], [.acquisition(party: 0, buyer: 3)], []])
    input.processes.specialAdministrationThreshold = [250_000, 250_000, 250_000]
    input.processes.specialAdministrationYears = 2
    var world = try World(input: input, algorithm: .mt19937)
    world.reset(seed: 1, replicate: 0)
    world.stepFuture(yearIndex: 0)
    #expect(world.present[0] && market(world, .specialAdministrations) == 1)
    world.stepFuture(yearIndex: 1)
    #expect(!world.present[0] && world.domestic[3] == 350_000)
    #expect(market(world, .failures) == 0)
  }

  @Test("replayed entry counts: exactly the rate in every replicate; Poisson draws vary around it")
  func exactEntries() throws {
    var input = Self.input(events: [[], [], []])
    input.processes.entryRate = [4, 4, 4]
    input.processes.entryExact = [true, true, false]
    var poisson: Set<Double> = []
    for r in 0..<40 {
      var world = try World(input: input, algorithm: .mt19937)
      world.reset(seed: 2, replicate: r)
      world.stepFuture(yearIndex: 0)
      #expect(market(world, .entries) == 4)
      world.stepFuture(yearIndex: 1)
      #expect(market(world, .entries) == 4)
      world.stepFuture(yearIndex: 2)
      poisson.insert(market(world, .entries))
    }
    // Poisson(4) over 40 replicates takes more than one value (P(all equal) < 1e-20).
    #expect(poisson.count > 2)
  }
}
