import Foundation
import SECRules
import SECScenario
import Testing

@testable import SECEngine

/// scenarios/deterministic.yaml: zero variance and scheduled events, so every
/// replicate is the same and every count can be derived by hand (the derivation is
/// the table below, following the scenario's own comments and MODEL.md §8).
@Suite("The deterministic scenario, derived by hand")
struct DeterministicScenarioTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static func load() throws -> (Scenario, [Policy], EngineInput) {
    let url = root.appendingPathComponent("scenarios/deterministic.yaml")
    let scenario = try ScenarioFile.load(contentsOf: url)
    let policies = try scenario.resolvedPolicies(near: url.deletingLastPathComponent())
    let baseline = policies.firstIndex { $0.name == scenario.baseline?.name } ?? 0
    return (scenario, policies, EngineInput(scenario: scenario, policies: policies, baseline: baseline))
  }

  /// Per year 2025…2029 (index 0…4), for policy `today`:
  ///
  /// | year | FUSA            | VUSA   | USSA  | initial | follow-up | large       | band change | remediation |
  /// | 2025 | D1 D2 N1 O1     | E1     | D3    |         |           | D1 N1       |             | D1 (steps)  |
  /// | 2026 | D1 N1           | D2 O1  | E1    |         |           | D1 N1       |             |             |
  /// | 2027 | D1 D2 N1 E1     |        | O1    | X1      | O1 (Q1)   | D1 D2 N1    | D2 (→large) |             |
  /// | 2028 | D1 D2 N1 O1     | E1 X1  |       |         |           | D1 D2 N1    |             |             |
  /// | 2029 | D1 D2 N1        | O1     | E1 X1 |         |           | D1 D2 N1    |             |             |
  ///
  /// D3 fails in 2026 (no assessment from 2026; its homes go to D2, whose end-2026
  /// count 300,000 > 250,000 makes it large in 2027). O1's 2026 VUSA (Q3) is
  /// Deferred: a review ⌈6/3⌉ = 2 quarters later, 2027 Q1. Under `always` D2's second
  /// system (2028) gets one system assessment; under `today` p = 0 gives none.
  static let expected: [PolicyMetric: [Double]] = [
    .fusa: [4, 2, 4, 4, 3], .vusa: [1, 2, 0, 2, 1], .ussa: [1, 1, 1, 0, 2], .initialFusa: [0, 0, 1, 0, 0],
    .followUp: [0, 0, 1, 0, 0], .systemAssessment: [0, 0, 0, 0, 0], .largeBandUsers: [2, 2, 3, 3, 3],
    .bandChanges: [0, 0, 1, 0, 0], .remediationPlans: [1, 0, 0, 0, 0],
    // Days: FUSA 5, VUSA 2, USSA 1, initial FUSA 6, review 2 (all bespoke).
    .assessorDays: [23, 15, 29, 24, 19],
  ]

  @Test("every count matches the hand derivation, with sd = 0")
  func handDerived() throws {
    let (_, _, input) = try Self.load()
    let (state, _) = try Simulation.run(input, RunConfiguration(seed: 1, replicates: 10, threads: 2))
    for (metric, years) in Self.expected {
      for (yi, value) in years.enumerated() {
        let s = state.summary(policy: 0, metric: metric, t: yi)
        #expect(s.mean == value && s.sd == 0, "\(metric.name) \(2025 + yi): \(s.mean) (sd \(s.sd)), expected \(value)")
      }
      let total = state.summary(policy: 0, metric: metric, t: 5)
      #expect(total.mean == years.reduce(0, +), "\(metric.name) total")
    }
    // `always` differs only by the system assessment of D2-2 in 2028 (FUSA effort, 5 days).
    #expect(state.summary(policy: 1, metric: .systemAssessment, t: 3).mean == 1)
    #expect(state.difference(policy: 1, metric: .systemAssessment, t: 5).mean == 1)
    #expect(state.difference(policy: 1, metric: .assessorDays, t: 5).mean == 5)
    #expect(state.difference(policy: 1, metric: .fusa, t: 5).mean == 0)
    // SSC agenda: one item per assessment, per remediation plan, per notification.
    let agenda = state.summary(policy: 0, metric: .sscAgendaItems, t: 5).mean
    #expect(agenda == 17 + 6 + 5 + 1 + 1 + 1 + 1, "assessments 31, remediation 1, D2-2 notification 1")
    // Market: D3's failure moves 100,000 homes through SoLR in 2026; X1 enters in 2027.
    #expect(state.market(.failures, t: 1).mean == 1)
    #expect(state.market(.solrCustomers, t: 1).mean == 100_000)
    #expect(state.market(.entries, t: 2).mean == 1)
  }

  @Test("count_timing same_year: D2's 2026 count (300,000 after the SoLR transfer) makes it large in 2026, not 2027")
  func sameYearTiming() throws {
    let (scenario, policies, _) = try Self.load()
    var sameYear = policies
    for i in sameYear.indices { sameYear[i].countTiming = .sameYear }
    let input = EngineInput(scenario: scenario, policies: sameYear, baseline: 0)
    let (state, _) = try Simulation.run(input, RunConfiguration(seed: 1, replicates: 3, threads: 1))
    // 2026: FUSA D1 N1 and now D2 (band change in 2026); 2027: D2 stays large (FUSA), no band change.
    #expect(state.summary(policy: 0, metric: .fusa, t: 1).mean == 3)
    #expect(state.summary(policy: 0, metric: .bandChanges, t: 1).mean == 1)
    #expect(state.summary(policy: 0, metric: .bandChanges, t: 2).mean == 0)
    #expect(state.summary(policy: 0, metric: .vusa, t: 1).mean == 1, "only O1's VUSA remains in 2026")
  }

  @Test("the engine agrees with the regime engine's explained schedule")
  func agreesWithScheduler() throws {
    let (scenario, policies, input) = try Self.load()
    let (state, _) = try Simulation.run(input, RunConfiguration(seed: 1, replicates: 4, threads: 1))
    // The scheduler's population: the engine's Users with the failure as an exit and
    // the scheduled entrant and second system in place.
    var users = scenario.population.allUsers
    for event in scenario.events {
      if case .entry(var spec) = event.kind {
        spec.entryYear = event.year
        users.append(spec)
      }
    }
    var parties = users.map { $0.party(anniversaryQuarter: 1) }
    let d3 = parties.firstIndex { $0.id == "D3" }!
    parties[d3].exitYear = 2026
    let d2 = parties.firstIndex { $0.id == "D2" }!
    parties[d2].systems.append(UserSystem(id: "D2-2", host: .bespoke, startYear: 2028, startQuarter: 2))
    let population = Population(parties: parties, srps: [])
    let tallies = state.tallies
    for (k, policy) in policies.enumerated() {
      let scheduler = try Scheduler(policy: policy, population: population, years: scenario.years)
      // Counts: what decided each party-year in the engine (deterministic here).
      let counts: (Int, Int) -> PortfolioCounts = { p, year in
        let present = tallies.value(row: p, year: year - 2025, policy: k, field: .present)
        let sum = tallies.value(row: p, year: year - 2025, policy: k, field: .decidingCountSum)
        return PortfolioCounts(domesticPremises: present > 0 ? Int(sum / present) : 0)
      }
      var outcomes = ClosureOutcomes { unit, year, kind in
        for e in scenario.events where e.year == year && e.user == parties[unit.party].id {
          if case .outcome(let k, let o) = e.kind, k == kind { return o }
        }
        return .approved
      }
      let schedule = scheduler.run(counts: counts, outcomes: &outcomes)
      for record in schedule.records {
        let row = record.party
        let yi = record.year - 2025
        func engine(_ f: UserTallies.Field) -> Int64 { tallies.value(row: row, year: yi, policy: k, field: f) / 4 }
        let kinds = record.units.map(\.regular.kind)
        #expect(engine(.fusa) == Int64(kinds.filter { $0 == .fusa }.count), "\(policy.name) \(record.partyID) \(record.year) FUSA")
        #expect(engine(.vusa) == Int64(kinds.filter { $0 == .vusa }.count), "\(policy.name) \(record.partyID) \(record.year) VUSA")
        #expect(engine(.ussa) == Int64(kinds.filter { $0 == .ussa }.count), "\(policy.name) \(record.partyID) \(record.year) USSA")
        #expect(engine(.initialFusa) == Int64(kinds.filter { $0 == .initialFusa }.count), "\(record.partyID) \(record.year) initial")
        #expect(engine(.followUp) == Int64(record.units.flatMap(\.followUps).count), "\(record.partyID) \(record.year) follow-ups")
        #expect(
          engine(.systemAssessment) == Int64(record.systemAssessments.count),
          "\(policy.name) \(record.partyID) \(record.year) system assessments")
        #expect(engine(.bandChange) == (record.units.first?.bandChanged == true ? 1 : 0), "\(record.partyID) \(record.year) band change")
      }
    }
  }
}
