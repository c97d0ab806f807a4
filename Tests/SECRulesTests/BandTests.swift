import SECRules
import Testing

@Suite("Bands: thresholds, counting rules, SRP aggregation (§8.1, §8.8, §8.11)")
struct BandTests {
  static let current = Policy(name: "today", regime: try! shippedRegime("sec-current"), counting: .secmp0059)

  @Test(
    "threshold boundary decides the year-2 assessment",
    arguments: [
      ("domestic-only 250,000 is small → VUSA", PortfolioCounts(domesticPremises: 250_000), SizeBand.small, AssessmentKind.vusa),
      ("domestic-only 250,001 is large → FUSA", PortfolioCounts(domesticPremises: 250_001), .large, .fusa),
      ("non-domestic-only 50,000 ×5 is small → VUSA", PortfolioCounts(nonDomesticPremises: 50_000), .small, .vusa),
      ("non-domestic-only 50,001 ×5 is large → FUSA", PortfolioCounts(nonDomesticPremises: 50_001), .large, .fusa),
      (
        "mixed 200,000 + 5 × 10,000 = 250,000 is small", PortfolioCounts(domesticPremises: 200_000, nonDomesticPremises: 10_000), .small,
        .vusa
      ),
    ])
  func boundary(_ id: String, _ counts: PortfolioCounts, _ band: SizeBand, _ year2: AssessmentKind) throws {
    let party = Party(id: "S", roles: [.supplier], entryYear: 2025)
    let schedule = try scheduleOne(party, policy: Self.current, years: 2025...2026, counts: { _ in counts })
    let r = try #require(schedule.record("S", 2026)).units[0]
    #expect(r.band == band, "\(id)")
    #expect(r.regular.kind == year2, "\(id)")
    #expect(r.bandDecision.basis == .ownCount(.premisesWeighted))
  }

  @Test("at_least comparison as data: 250,000 becomes large")
  func atLeast() {
    var policy = Self.current
    policy.counting.comparison = .atLeast
    let d = policy.decideBand(role: .supplier, counts: PortfolioCounts(domesticPremises: 250_000))
    #expect(d.band == .large)
  }

  /// ND-only supplier, 40,000 premises with 3 meters per site (120,000 meters):
  /// premises ×5 = 200,000 (small); meters = 120,000 (small); meters ×5 = 600,000 (large).
  /// Mixed supplier 100,000 D + 45,000 ND premises, 4 meters per ND site:
  /// premises w=1 = 145,000 (small); meters = 100,000 + 180,000 = 280,000 (large).
  @Test(
    "meters and premises disagree for many meters per site",
    arguments: [
      (
        "ND-only, premises ×5 → small", PortfolioCounts(nonDomesticPremises: 40_000, nonDomesticMeters: 120_000),
        CountingRule(basis: .premisesWeighted, weight: 5), 200_000.0, SizeBand.small
      ),
      (
        "ND-only, meters → small", PortfolioCounts(nonDomesticPremises: 40_000, nonDomesticMeters: 120_000),
        CountingRule(basis: .meters), 120_000, .small
      ),
      (
        "ND-only, meters ×5 → large", PortfolioCounts(nonDomesticPremises: 40_000, nonDomesticMeters: 120_000),
        CountingRule(basis: .metersWeighted, weight: 5), 600_000, .large
      ),
      (
        "mixed, premises w=1 → small",
        PortfolioCounts(domesticPremises: 100_000, nonDomesticPremises: 45_000, domesticMeters: 100_000, nonDomesticMeters: 180_000),
        CountingRule(basis: .premisesUnweighted), 145_000, .small
      ),
      (
        "mixed, meters → large",
        PortfolioCounts(domesticPremises: 100_000, nonDomesticPremises: 45_000, domesticMeters: 100_000, nonDomesticMeters: 180_000),
        CountingRule(basis: .meters), 280_000, .large
      ),
    ])
  func metersVsPremises(_ id: String, _ counts: PortfolioCounts, _ rule: CountingRule, _ count: Double, _ band: SizeBand) {
    var policy = Self.current
    policy.counting = rule
    let d = policy.decideBand(role: .supplier, counts: counts)
    #expect(d.count == count, "\(id)")
    #expect(d.band == band, "\(id)")
    #expect(d.basis == .ownCount(rule.basis))
  }

  @Test(
    "unbanded roles never read the count (§8.4)",
    arguments: [UserRole.electricityDistributor, .gasTransporter, .otherUser, .registeredSupplierAgent])
  func unbanded(_ role: UserRole) {
    let d = Self.current.decideBand(role: role, counts: PortfolioCounts(domesticPremises: 9_000_000))
    #expect(d.band == nil)
    #expect(d.count == nil)
    #expect(d.basis == .unbanded)
  }

  @Test("networks-banded regime: a DNO serving 2,000,000 premises is large")
  func networkBanded() throws {
    let policy = Policy(name: "n", regime: try shippedRegime("sec-networks-banded"), counting: .secmp0059)
    let d = policy.decideBand(role: .electricityDistributor, counts: PortfolioCounts(domesticPremises: 2_000_000))
    #expect(d.band == .large)
    #expect(policy.decideBand(role: .otherUser, counts: PortfolioCounts(domesticPremises: 2_000_000)).band == nil)
  }

  @Test("party classes (MODEL.md §6)")
  func partyClasses() {
    #expect(PartyClass(roles: [.supplier], counts: PortfolioCounts(domesticPremises: 1)) == .supplierDomestic)
    #expect(PartyClass(roles: [.otherUser, .supplier], counts: PortfolioCounts(nonDomesticPremises: 9)) == .supplierNonDomesticOnly)
    #expect(PartyClass(roles: [.gasTransporter], counts: .zero) == .network)
    #expect(PartyClass(roles: [.registeredSupplierAgent, .otherUser], counts: .zero) == .other)
  }
}

@Suite("SRP aggregation before SECMP0044 (§8.8, §8.12)")
struct SRPAggregationTests {
  /// SRP1 hosts A (50,000 D), B (200,000 D, exits 2027), C (100,000 D) and
  /// D (40,000 ND only): aggregate 350,000 > 250,000 while B is a member.
  static let population = Population(
    parties: [
      Party(id: "A", roles: [.supplier], entryYear: 2020, systems: [UserSystem(id: "A1", host: .srp("SRP1"), startYear: 2020)]),
      Party(
        id: "B", roles: [.supplier], entryYear: 2020, exitYear: 2027, systems: [UserSystem(id: "B1", host: .srp("SRP1"), startYear: 2020)]),
      Party(id: "C", roles: [.supplier], entryYear: 2020, systems: [UserSystem(id: "C1", host: .srp("SRP1"), startYear: 2020)]),
      Party(id: "D", roles: [.supplier], entryYear: 2020, systems: [UserSystem(id: "D1", host: .srp("SRP1"), startYear: 2020)]),
    ],
    srps: [SharedResourceProvider(id: "SRP1", name: "Platform")])
  static let counts: [PortfolioCounts] = [
    PortfolioCounts(domesticPremises: 50_000), PortfolioCounts(domesticPremises: 200_000),
    PortfolioCounts(domesticPremises: 100_000), PortfolioCounts(nonDomesticPremises: 40_000),
  ]

  func run(_ aggregation: Aggregation) throws -> Schedule {
    let policy = Policy(name: "p", regime: try shippedRegime("sec-current"), counting: .secmp0059, aggregation: aggregation)
    let scheduler = try Scheduler(policy: policy, population: Self.population, years: 2025...2029)
    var outcomes = FixedOutcomes()
    return scheduler.run(counts: { p, _ in Self.counts[p] }, outcomes: &outcomes)
  }

  @Test("individual: small User A on a large SRP stays small (derived position: entered 2020 → 2025 is year 3)")
  func individual() throws {
    let s = try run(.individual)
    // ((2025 − 2020) mod 3) + 1 = 3 → USSA, then FUSA, VUSA, USSA, FUSA.
    #expect(s.records.filter { $0.partyID == "A" }.map { $0.units[0].regular.kind } == [.ussa, .fusa, .vusa, .ussa, .fusa])
    #expect(s.record("A", 2025)?.units[0].bandDecision.basis == .ownCount(.premisesWeighted))
  }

  @Test("srp_aggregate: A is large while B is a member, small the year after B exits")
  func aggregate() throws {
    let s = try run(.srpAggregate)
    let a = s.records.filter { $0.partyID == "A" }.map { $0.units[0] }
    #expect(a.map(\.band) == [.large, .large, .large, .small, .small])
    // B exits in 2027: 2027 is still decided on end-2026 counts (350,000); 2028 on 150,000.
    #expect(a[0].bandDecision.basis == .srpAggregate(srp: "SRP1", aggregate: 350_000))
    #expect(a[2].bandDecision.basis == .srpAggregate(srp: "SRP1", aggregate: 350_000))
    #expect(a[3].bandDecision.basis == .ownCount(.premisesWeighted))
    // Large → small: y₀ = 2027, ((2028 − 2027) mod 3) + 1 = 2 → VUSA, then USSA.
    #expect(a.map(\.regular.kind) == [.fusa, .fusa, .fusa, .vusa, .ussa])
    #expect(a.map(\.bandChanged) == [false, false, false, true, false])
    #expect(a[3].decision.transition == .sinceLastFusa)
    #expect(a[0].bandExplanation == "own count 50,000 is small, but SRP SRP1's aggregate 350,000 exceeds the SRP threshold (§8.8)")
    #expect(a[3].regular.description == "vusa in Q1 → approved: small band, year 2 of a 3-year cycle (band changed: since_last_fusa, §8.5)")
    #expect(s.records.filter { $0.partyID == "B" }.map(\.year) == [2025, 2026])
  }

  @Test("non-domestic-only supplier is outside the aggregate by default, inside as data")
  func nonDomesticOnly() throws {
    #expect(try run(.srpAggregate).record("D", 2025)?.units[0].band == .small)
    var included = Aggregation.srpAggregate
    included.includeNonDomesticOnly = true
    #expect(try run(included).record("D", 2025)?.units[0].band == .large)
  }

  @Test("stated SRP aggregate replaces the sum, domestic meters as measure")
  func statedAndMeters() throws {
    var population = Self.population
    population.srps[0].statedAggregate = 240_000
    let policy = Policy(name: "p", regime: try shippedRegime("sec-current"), counting: .secmp0059, aggregation: .srpAggregate)
    var outcomes = FixedOutcomes()
    let s = try Scheduler(policy: policy, population: population, years: 2025...2025)
      .run(counts: { p, _ in Self.counts[p] }, outcomes: &outcomes)
    #expect(s.record("A", 2025)?.units[0].band == .small)
    // Measure = domestic meters: the members' counts carry no meters, so the aggregate is 0.
    var meters = Aggregation.srpAggregate
    meters.measure = .domesticMeters
    #expect(try run(meters).record("A", 2025)?.units[0].band == .small)
  }
}
