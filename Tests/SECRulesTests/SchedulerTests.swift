import SECRules
import SECScenario
import Testing

private func current() throws -> Policy { Policy(name: "today", regime: try shippedRegime("sec-current"), counting: .secmp0059) }

@Suite("Band transitions (§8.5, §8.14)")
struct TransitionTests {
  @Test("small → large mid-cycle restarts on FUSA; large → small re-enters at VUSA")
  func bothWays() throws {
    // Deciding counts: small 2025–26, large 2027–28, small 2029–31.
    let bands: [Int: PortfolioCounts] = [2025: small, 2026: small, 2027: large, 2028: large, 2029: small, 2030: small, 2031: small]
    let s = try scheduleOne(Party(id: "S", roles: [.supplier], entryYear: 2025), policy: current(), years: 2025...2031) { bands[$0]! }
    let units = s.records.map { $0.units[0] }
    #expect(units.map(\.regular.kind) == [.initialFusa, .vusa, .fusa, .fusa, .vusa, .ussa, .fusa])
    #expect(units.map(\.position) == [1, 2, 1, 1, 2, 3, 1])
    #expect(units.map(\.bandChanged) == [false, false, true, false, true, false, false])
    #expect(units[2].decision.transition == .restart)
    #expect(units[4].decision.transition == .sinceLastFusa)
  }

  @Test("entry is not a band change, even for a large entrant")
  func entryNotChange() throws {
    let s = try scheduleOne(Party(id: "L", roles: [.supplier], entryYear: 2025), policy: current(), years: 2025...2026) { _ in large }
    #expect(s.records.map { $0.units[0].bandChanged } == [false, false])
    #expect(s.records.map { $0.units[0].regular.kind } == [.initialFusa, .fusa])
  }

  @Test("large entrant becoming small in year 2 starts at VUSA (y₀ = entry year)")
  func largeEntrantShrinks() throws {
    let s = try scheduleOne(Party(id: "L", roles: [.supplier], entryYear: 2025), policy: current(), years: 2025...2027) {
      $0 == 2025 ? large : small
    }
    #expect(s.records.map { $0.units[0].regular.kind } == [.initialFusa, .vusa, .ussa])
  }
}

@Suite("Users present at the start (§8.13)")
struct PresentAtStartTests {
  @Test("stated position is used: position 3 → USSA, then FUSA")
  func stated() throws {
    let p = Party(id: "S", roles: [.supplier], entryYear: 2019, statedPositions: [.supplier: 3])
    let s = try scheduleOne(p, policy: current(), years: 2025...2027) { _ in small }
    #expect(s.records.map { $0.units[0].regular.kind } == [.ussa, .fusa, .vusa])
    #expect(s.records.map { $0.units[0].bandChanged } == [false, false, false])
  }

  @Test(
    "derived from entry year assuming an unchanged band",
    arguments: [
      (2024, AssessmentKind.vusa), (2023, .ussa), (2022, .fusa), (2018, .vusa),
    ])
  func derived(_ entry: Int, _ expected: AssessmentKind) throws {
    // ((2025 − entry) mod 3) + 1: 2024 → 2, 2023 → 3, 2022 → 1, 2018 → 7 mod 3 + 1 = 2.
    let s = try scheduleOne(Party(id: "S", roles: [.supplier], entryYear: entry), policy: current(), years: 2025...2025) { _ in small }
    #expect(s.records[0].units[0].regular.kind == expected)
  }

  @Test("a large User present at the start gets a FUSA whatever its entry year")
  func largeDerived() throws {
    let s = try scheduleOne(Party(id: "S", roles: [.supplier], entryYear: 2023), policy: current(), years: 2025...2025) { _ in large }
    #expect(s.records[0].units[0].regular.kind == .fusa)
  }

  @Test("y₀ of a User stated at position 3 in 2025 is 2023")
  func lastFull() throws {
    var state = UnitState(presentSince: 2015, statedPosition: 3)
    var outcomes = FixedOutcomes()
    let rules = UnitRules(policy: try current(), role: .supplier)
    let d = state.step(year: 2025, band: .small, quarter: 1, horizon: 2030, rules: rules, unit: AssessedUnit(party: 0), outcomes: &outcomes)
    #expect(d.regular == .ussa)
    #expect(state.lastFullYear == 2023)
    // Becoming large then small again: y₀ = 2026 after the FUSA, 2027 → ((1) mod 3) + 1 = 2.
    _ = state.step(year: 2026, band: .large, quarter: 1, horizon: 2030, rules: rules, unit: AssessedUnit(party: 0), outcomes: &outcomes)
    let d3 = state.step(
      year: 2027, band: .small, quarter: 1, horizon: 2030, rules: rules, unit: AssessedUnit(party: 0), outcomes: &outcomes)
    #expect(d3.regular == .vusa)
  }

  @Test("an entrant in the first simulated year gets its initial FUSA")
  func entrantAtStart() throws {
    let s = try scheduleOne(Party(id: "E", roles: [.otherUser], entryYear: 2025), policy: current(), years: 2025...2025) { _ in small }
    #expect(s.records[0].units[0].regular.kind == .initialFusa)
    #expect(s.records[0].units[0].regular.reason == .entry)
  }
}

@Suite("Follow-ups and remediation plans (§8.6, MODEL.md §2)")
struct FollowUpTests {
  @Test(
    "placement by quarter",
    arguments: [
      (6, 2025, 1, 2025, 3), (6, 2025, 3, 2026, 1), (6, 2025, 4, 2026, 2), (12, 2025, 2, 2026, 2), (1, 2025, 4, 2026, 1),
      (0, 2025, 2, 2025, 2), (24, 2025, 4, 2027, 4),
    ])
  func placement(_ months: Int, _ y: Int, _ q: Int, _ ey: Int, _ eq: Int) {
    let at = FollowUpPolicy(months: months).placement(year: y, quarter: q)
    #expect(at.year == ey && at.quarter == eq, "\(months) months after \(y) Q\(q)")
  }

  /// Small supplier entered 2025 in anniversary quarter 4: 2025 initial FUSA, 2026
  /// VUSA, 2027 USSA, 2028 FUSA.
  @Test("Deferred VUSA in Q4 wraps into next year's Q2 as a review; Rejected initial FUSA → a FUSA-kind follow-up")
  func wrap() throws {
    let p = Party(id: "S", roles: [.supplier], entryYear: 2025, anniversaryQuarter: 4)
    let s = try scheduleOne(
      p, policy: current(), years: 2025...2028, counts: { _ in small },
      outcomes: [ScheduledOutcomes.key(0, nil, 2025): .rejected, ScheduledOutcomes.key(0, nil, 2026): .deferred])
    let u = s.records.map { $0.units[0] }
    #expect(u.map(\.followUps.count) == [0, 1, 1, 0])
    // 2025 Q4 + 2 quarters = 2026 Q2; 2026 Q4 + 2 = 2027 Q2.
    let f26 = u[1].followUps[0]
    #expect(f26.kind == .followUp && f26.quarter == 2 && f26.isFusaKind)
    #expect(
      f26.reason
        == .followUp(
          FollowUp(
            year: 2026, quarter: 2, triggerKind: .initialFusa, triggerOutcome: .rejected, triggerYear: 2025, triggerQuarter: 4,
            isFusaKind: true)))
    let f27 = u[2].followUps[0]
    #expect(f27.quarter == 2 && !f27.isFusaKind)
    // Follow-ups never move the cycle (§8.5, §8.7).
    #expect(u.map(\.regular.kind) == [.initialFusa, .vusa, .ussa, .fusa])
  }

  @Test("USSAs and follow-ups trigger nothing; past-horizon follow-ups are dropped")
  func noTriggersAndHorizon() throws {
    // Every outcome asked is Rejected. Unbanded Other User entered 2025, quarter 1:
    // 2025 initial (→ 2025 Q3), 2026 VUSA (→ 2026 Q3), 2027 USSA (no outcome).
    let p = Party(id: "O", roles: [.otherUser], entryYear: 2025, anniversaryQuarter: 3)
    let scheduler = try Scheduler(policy: current(), population: Population(parties: [p]), years: 2025...2027)
    var outcomes = FixedOutcomes(.rejected)
    let s = scheduler.run(counts: { _, _ in .zero }, outcomes: &outcomes)
    // Quarter 3 + 2 quarters → next year's Q1: 2025's lands 2026 Q1, 2026's lands 2027 Q1.
    #expect(s.records.map { $0.units[0].followUps.count } == [0, 1, 1])
    #expect(s.records.map { $0.units[0].regular.outcome } == [.rejected, .rejected, nil])
    #expect(s.dropped.isEmpty)
    // Horizon 2026: 2026's follow-up would fall in 2027 → dropped.
    var again = FixedOutcomes(.rejected)
    let short = try Scheduler(policy: current(), population: Population(parties: [p]), years: 2025...2026)
      .run(counts: { _, _ in .zero }, outcomes: &again)
    #expect(short.dropped.count == 1)
    #expect(short.dropped.first?.reason == .horizon)
    #expect(short.dropped.first?.followUp.year == 2027)
  }

  @Test("triggers are data: Approved subject to steps adds a remediation plan, not a follow-up, by default")
  func remediation() throws {
    let p = Party(id: "S", roles: [.supplier], entryYear: 2025)
    var outcomes = FixedOutcomes(.approvedSubjectToSteps)
    let s = try Scheduler(policy: current(), population: Population(parties: [p]), years: 2025...2025)
      .run(counts: { _, _ in small }, outcomes: &outcomes)
    let r = s.records[0]
    #expect(r.units[0].remediationPlans == 1)
    #expect(r.units[0].followUps.isEmpty)
    #expect(r.sscAgendaItems == 2)  // the initial FUSA + the remediation plan
    var policy = try current()
    policy.followUp.triggers = [.approvedSubjectToSteps]
    var again = FixedOutcomes(.approvedSubjectToSteps)
    let t = try Scheduler(policy: policy, population: Population(parties: [p]), years: 2025...2025)
      .run(counts: { _, _ in small }, outcomes: &again)
    #expect(t.records[0].units[0].followUps.count == 1)
    #expect(t.records[0].units[0].followUps[0].isFusaKind == false)
  }
}

@Suite("Exits (§8.12)")
struct ExitTests {
  @Test("an exiting User has no assessment in its exit year and its pending follow-up is dropped")
  func exit() throws {
    let p = Party(id: "S", roles: [.supplier], entryYear: 2025, anniversaryQuarter: 4, exitYear: 2027)
    let s = try scheduleOne(
      p, policy: current(), years: 2025...2029, counts: { _ in small }, outcomes: [ScheduledOutcomes.key(0, nil, 2026): .deferred])
    #expect(s.records.map(\.year) == [2025, 2026])
    #expect(s.dropped.count == 1)
    #expect(s.dropped[0].reason == .exit)
    #expect(s.dropped[0].followUp.year == 2027 && s.dropped[0].followUp.quarter == 2)
  }
}

@Suite("Dual-role Parties (§8.9, SSE's question in seed 002)")
struct DualRoleTests {
  /// A non-domestic supplier that is also an Other User, under pre-SECMP0059 so the
  /// two rows differ: supplier small FUSA, VUSA, USSA; Other User FUSA, USSA, USSA.
  static let party = Party(id: "X", roles: [.otherUser, .supplier], entryYear: 2025)
  static let counts = PortfolioCounts(nonDomesticPremises: 10_000)

  @Test("one_per_party: one cycle following the supplier row, one initial FUSA")
  func onePerParty() throws {
    let policy = Policy(name: "p", regime: try shippedRegime("sec-pre-mp0059"), counting: .secmp0059, dualRole: .onePerParty)
    let s = try scheduleOne(Self.party, policy: policy, years: 2025...2028) { _ in Self.counts }
    #expect(s.records.allSatisfy { $0.units.count == 1 })
    #expect(s.records[0].units[0].role == .supplier && s.records[0].units[0].unit.role == nil)
    #expect(s.regularKinds() == [.initialFusa, .vusa, .ussa, .fusa])
  }

  @Test("one_per_role: each role its own initial FUSA and cycle; only the supplier reads the count")
  func onePerRole() throws {
    let policy = Policy(name: "p", regime: try shippedRegime("sec-pre-mp0059"), counting: .secmp0059, dualRole: .onePerRole)
    let s = try scheduleOne(Self.party, policy: policy, years: 2025...2028) { _ in Self.counts }
    #expect(s.records.allSatisfy { $0.units.map(\.role) == [.supplier, .otherUser] })
    #expect(s.regularKinds(unit: 0) == [.initialFusa, .vusa, .ussa, .fusa])
    #expect(s.regularKinds(unit: 1) == [.initialFusa, .ussa, .ussa, .fusa])
    #expect(s.records[0].units[1].bandDecision.basis == .unbanded)
    #expect(s.records[0].assessments.filter { $0.kind == .initialFusa }.count == 2)
  }

  @Test("one_per_role outcomes and follow-ups are per role")
  func perRoleOutcomes() throws {
    let policy = Policy(name: "p", regime: try shippedRegime("sec-pre-mp0059"), counting: .secmp0059, dualRole: .onePerRole)
    let s = try scheduleOne(
      Self.party, policy: policy, years: 2025...2025, counts: { _ in Self.counts },
      outcomes: [ScheduledOutcomes.key(0, .otherUser, 2025): .rejected])
    #expect(s.records[0].units.map(\.followUps.count) == [0, 1])
  }

  @Test("a large supplier that is also an electricity distributor follows the supplier row (FUSA every year)")
  func supplierDistributor() throws {
    let p = Party(id: "Y", roles: [.electricityDistributor, .supplier], entryYear: 2020)
    let s = try scheduleOne(p, policy: current(), years: 2025...2027) { _ in large }
    #expect(s.regularKinds() == [.fusa, .fusa, .fusa])
  }
}

@Suite("Second User Systems (seed 004, §8.10, §8.15)")
struct SecondSystemTests {
  /// Small supplier entered 2020, stated at position 2 in 2025 (quarter 1):
  /// 2025 VUSA, 2026 USSA, 2027 FUSA, 2028 VUSA, 2029 USSA, 2030 FUSA.
  /// P-1 in service since 2018 (assessed at start); P-2 bespoke from 2026 Q3;
  /// P-3 on SRP2 (assessed 2024) from 2026 Q2; P-4 bespoke from 2027 Q3.
  static let party = Party(
    id: "P", roles: [.supplier], entryYear: 2020, anniversaryQuarter: 1, statedPositions: [.supplier: 2],
    systems: [
      UserSystem(id: "P-1", startYear: 2018),
      UserSystem(id: "P-2", startYear: 2026, startQuarter: 3),
      UserSystem(id: "P-3", host: .srp("SRP2"), startYear: 2026, startQuarter: 2),
      UserSystem(id: "P-4", startYear: 2027, startQuarter: 3),
    ])

  func run(_ rule: SecondSystemPolicy) throws -> Schedule {
    let policy = Policy(name: "p", regime: try shippedRegime("sec-current"), counting: .secmp0059, secondSystem: rule)
    let population = Population(parties: [Self.party], srps: [SharedResourceProvider(id: "SRP2", assessedYear: 2024)])
    var outcomes = FixedOutcomes()
    let variates = ["P-2": 0.3, "P-4": 0.7]
    return try Scheduler(policy: policy, population: population, years: 2025...2030)
      .run(counts: { _, _ in small }, outcomes: &outcomes, sscVariate: { _, id, _ in variates[id] ?? 0.99 })
  }

  @Test("the cycle under test")
  func cycle() throws {
    #expect(try run(.init(rule: .none)).regularKinds() == [.vusa, .ussa, .fusa, .vusa, .ussa, .fusa])
  }

  @Test("none: unassessed until the first regular FUSA at or after the start; VUSA and USSA do not clear")
  func none() throws {
    let s = try run(.init(rule: .none))
    #expect(s.records.map(\.unassessedSystems) == [[], ["P-2"], ["P-4"], ["P-4"], ["P-4"], []])
    #expect(s.records.allSatisfy { $0.systemAssessments.isEmpty })
    // P-4 starts 2027 Q3, after the 2027 Q1 FUSA: it waits for 2030.
    #expect(s.record("P", 2027)?.systemsCleared == ["P-2"])
    #expect(s.record("P", 2030)?.systemsCleared == ["P-4"])
    #expect(s.record("P", 2026)?.systemStarts.map(\.action) == [.unassessedNotNotified, .alreadyAssessed])
    #expect(s.records.allSatisfy { $0.systemStarts.allSatisfy { !$0.notified } })
  }

  @Test("notify_ssc: SRP-assessed system needs nothing; u < p assesses, else unassessed")
  func notify() throws {
    let s = try run(.init(rule: .notifySSC, probability: 0.5))
    let r26 = try #require(s.record("P", 2026))
    #expect(r26.systemStarts.map(\.action) == [.assess, .alreadyAssessed])
    #expect(r26.systemAssessments.map(\.quarter) == [3])
    #expect(r26.systemAssessments[0].reason == .secondSystem(system: "P-2", rule: .notifySSC))
    #expect(s.record("P", 2027)?.systemStarts.map(\.action) == [.unassessedSSCDeclined])
    #expect(s.records.map(\.unassessedSystems) == [[], [], ["P-4"], ["P-4"], ["P-4"], []])
    // Agenda 2026: USSA + two notifications + one system assessment.
    #expect(r26.sscAgendaItems == 4)
  }

  @Test("always_assess: every new system assessed in its start quarter, even in a FUSA year")
  func always() throws {
    let s = try run(.init(rule: .alwaysAssess))
    #expect(s.record("P", 2026)?.systemAssessments.map(\.quarter) == [3, 2])
    #expect(s.record("P", 2027)?.systemAssessments.map(\.quarter) == [3])
    #expect(s.record("P", 2027)?.units[0].regular.kind == .fusa)
    #expect(s.records.allSatisfy { $0.unassessedSystems.isEmpty })
  }

  @Test("systems present at entry are covered by the initial FUSA")
  func entrantSystems() throws {
    let p = Party(
      id: "E", roles: [.otherUser], entryYear: 2026,
      systems: [UserSystem(id: "E-1", startYear: 2026), UserSystem(id: "E-2", startYear: 2027)])
    let policy = Policy(name: "p", regime: try shippedRegime("sec-current"), counting: .secmp0059, secondSystem: .init(rule: .none))
    let s = try scheduleOne(p, policy: policy, years: 2025...2029) { _ in .zero }
    // E-2 starts 2027 (VUSA), 2028 USSA, 2029 FUSA clears it.
    #expect(s.records.map(\.unassessedSystems) == [[], ["E-2"], ["E-2"], []])
  }
}

@Suite("A made-up regime runs through the same engine")
struct MadeUpRegimeTests {
  static let yaml = """
    name: four-year
    description: 4-year cycles, banded gas transporters, continue on small to large
    entry_kind: initial_fusa
    roles:
      supplier: { small: [fusa, vusa, ussa, ussa], large: [fusa, vusa] }
      electricity_distributor: { cycle: [fusa, vusa, ussa, ussa] }
      gas_transporter: { small: [fusa, ussa, ussa, ussa], large: [fusa] }
      other_user: { cycle: [fusa, ussa, ussa, ussa] }
      registered_supplier_agent: { cycle: [fusa, ussa, ussa, ussa] }
    role_priority: [gas_transporter, supplier, electricity_distributor, registered_supplier_agent, other_user]
    transitions: { small_to_large: continue, large_to_small: since_last_fusa }
    """

  func policy() throws -> Policy {
    Policy(name: "made-up", regime: try RegimeFile.load(yaml: Self.yaml, file: "four-year.yaml"), counting: .secmp0059)
  }

  @Test("banded gas transporter: small 4-year cycle, large FUSA every year")
  func gasTransporter() throws {
    let small6 = try scheduleOne(Party(id: "G", roles: [.gasTransporter], entryYear: 2025), policy: policy(), years: 2025...2030) { _ in
      small
    }
    #expect(small6.regularKinds() == [.initialFusa, .ussa, .ussa, .ussa, .fusa, .ussa])
    let large3 = try scheduleOne(Party(id: "G", roles: [.gasTransporter], entryYear: 2025), policy: policy(), years: 2025...2027) { _ in
      large
    }
    #expect(large3.regularKinds() == [.initialFusa, .fusa, .fusa])
  }

  @Test("large → small with since_last_fusa over a large cycle of FUSA, VUSA")
  func sinceLastFusa() throws {
    // 2025 large entry (y₀ 2025), 2026 large pos 2 VUSA, 2027 small: ((2027 − 2025) mod 4) + 1 = 3 → USSA, 2028 USSA, 2029 FUSA.
    let s = try scheduleOne(Party(id: "S", roles: [.supplier], entryYear: 2025), policy: policy(), years: 2025...2029) {
      $0 <= 2026 ? large : small
    }
    #expect(s.regularKinds() == [.initialFusa, .vusa, .ussa, .ussa, .fusa])
    #expect(s.records.map { $0.units[0].position } == [1, 2, 3, 4, 1])
  }

  @Test("small → large with continue wraps the position into the large cycle")
  func continueRule() throws {
    // 2025 small entry (1), 2026 small VUSA (2), 2027 large: (2 mod 2) + 1 = 1 → FUSA, 2028 large VUSA.
    let s = try scheduleOne(Party(id: "S", roles: [.supplier], entryYear: 2025), policy: policy(), years: 2025...2028) {
      $0 <= 2026 ? small : large
    }
    #expect(s.regularKinds() == [.initialFusa, .vusa, .fusa, .vusa])
    #expect(s.records[2].units[0].decision.transition == .continue)
  }

  @Test("dual role follows the regime's own priority (gas transporter first here)")
  func priority() throws {
    let s = try scheduleOne(Party(id: "Z", roles: [.supplier, .gasTransporter], entryYear: 2025), policy: policy(), years: 2025...2026) {
      _ in small
    }
    #expect(s.records[0].units[0].role == .gasTransporter)
    #expect(s.regularKinds() == [.initialFusa, .ussa])
  }
}

@Suite("Scheduler input validation")
struct SchedulerValidationTests {
  @Test("every problem of the population and policy is listed")
  func problems() throws {
    var policy = try current()
    policy.followUp.months = 48
    let population = Population(parties: [
      Party(id: "A", roles: [], entryYear: 2025, anniversaryQuarter: 5),
      Party(
        id: "A", roles: [.supplier], entryYear: 2025, exitYear: 2025, systems: [UserSystem(id: "A1", host: .srp("NOPE"), startYear: 2025)]),
    ])
    #expect {
      _ = try Scheduler(policy: policy, population: population, years: 2025...2030)
    } throws: { error in
      let text = String(describing: error)
      return [
        "follow_up.months", "parties.A.roles: no role", "anniversary_quarter: must be 1–4", "parties.A: duplicate id",
        "exit_year: must be after the entry year 2025", "unknown SRP NOPE",
      ].allSatisfy { text.contains($0) }
    }
  }
}
