import PropertyBased
import SECRules
import Testing

private let countGen = Gen.int(in: 0...3_000_000)
private let basisGen = Gen<CountingBasis>.case
private let weightGen = Gen.double(in: 0...20)

private func counts(_ v: [Int]) -> PortfolioCounts {
  PortfolioCounts(domesticPremises: v[0], nonDomesticPremises: v[1], domesticMeters: v[2], nonDomesticMeters: v[3])
}

@Suite("Properties of counting rules and the scheduler")
struct PropertyTests {
  @Test("the weighted count is monotone in each input")
  func monotone() async {
    await propertyCheck(input: countGen.array(of: 4), Gen.int(in: 0...3), Gen.int(in: 0...500_000), basisGen, weightGen) {
      base, field, delta, basis, w in
      var more = base
      more[field] += delta
      let rule = CountingRule(basis: basis, weight: w)
      #expect(rule.count(counts(more)) >= rule.count(counts(base)))
    }
  }

  @Test("with w = 1 the weighted and unweighted rules agree (premises and meters)")
  func weightOne() async {
    await propertyCheck(input: countGen.array(of: 4), Gen.double(in: 1...2_000_000), Gen<ThresholdComparison>.case) { v, t, cmp in
      let c = counts(v)
      for (weighted, plain) in [(CountingBasis.premisesWeighted, CountingBasis.premisesUnweighted), (.metersWeighted, .meters)] {
        let a = CountingRule(basis: weighted, weight: 1, threshold: t, comparison: cmp)
        let b = CountingRule(basis: plain, weight: 7, threshold: t, comparison: cmp)  // w ignored by the plain rule
        #expect(a.count(c) == b.count(c))
        #expect(a.band(forCount: a.count(c)) == b.band(forCount: b.count(c)))
      }
    }
  }

  @Test("lowering T never makes a User small (own count or SRP aggregate)")
  func lowerT() async throws {
    let regime = try shippedRegime("sec-current")
    await propertyCheck(
      input: countGen.array(of: 4), basisGen, Gen.double(in: 1...1_000_000), Gen.double(in: 0...1), Gen.int(in: 0...1_000_000).optional(),
      Gen.bool
    ) { v, basis, high, fraction, aggregate, srpMode in
      let low = high * fraction
      func band(_ t: Double) -> SizeBand? {
        let policy = Policy(
          name: "p", regime: regime, counting: CountingRule(basis: basis, weight: 5, threshold: max(t, 1e-9)),
          aggregation: srpMode ? .srpAggregate : .individual)
        return policy.decideBand(role: .supplier, counts: counts(v), srp: aggregate.map { SRPExposure(srp: "X", aggregate: Double($0)) })
          .band
      }
      if band(high) == .large { #expect(band(low) == .large) }
    }
  }

  /// A random one- or two-role Party under a random shipped regime, dual-role mode,
  /// entry and exit years, yearly deciding counts and outcomes.
  @Test("at most one regular assessment per unit and year; a large unit always gets a FUSA or initial FUSA")
  func schedulerInvariants() async throws {
    let regimes = try ["sec-current", "sec-pre-mp0059", "sec-networks-banded"].map(shippedRegime)
    let roleSets: [[UserRole]] = [
      [.supplier], [.electricityDistributor], [.gasTransporter], [.otherUser], [.registeredSupplierAgent],
      [.supplier, .otherUser], [.gasTransporter, .supplier], [.electricityDistributor, .registeredSupplierAgent],
    ]
    await propertyCheck(
      count: 300, input: Gen.int(in: 0..<regimes.count), Gen.int(in: 0..<roleSets.count), Gen.bool, Gen.int(in: 2015...2032),
      Gen.int(in: 2026...2036).optional(), Gen.int(in: 0...600_000).array(of: 10), Gen.int(in: 0...3).array(of: 10),
      Gen.int(in: 1...4)
    ) { ri, si, perRole, entry, exit, levels, outcomeIndex, quarter in
      let policy = Policy(
        name: "p", regime: regimes[ri], counting: .secmp0059, aggregation: .srpAggregate, dualRole: perRole ? .onePerRole : .onePerParty)
      let party = Party(
        id: "P", roles: roleSets[si], entryYear: entry, anniversaryQuarter: quarter, exitYear: exit.map { max($0, entry + 1) },
        systems: [UserSystem(id: "P1", host: .srp("SRP"), startYear: entry)])
      let other = Party(id: "Q", roles: [.supplier], entryYear: 2010, systems: [UserSystem(id: "Q1", host: .srp("SRP"), startYear: 2010)])
      let scheduler = try Scheduler(
        policy: policy, population: Population(parties: [party, other], srps: [SharedResourceProvider(id: "SRP")]), years: 2025...2034)
      var outcomes = ClosureOutcomes { _, y, _ in Outcome.allCases[outcomeIndex[y - 2025]] }
      let schedule = scheduler.run(
        counts: { p, y in PortfolioCounts(domesticPremises: p == 0 ? levels[y - 2025] : 100_000) }, outcomes: &outcomes)
      let mine = schedule.records.filter { $0.partyID == "P" }
      // One record per present year, none outside [entry, exit).
      #expect(mine.map(\.year) == (2025...2034).filter { party.isPresent(in: $0) })
      for record in mine {
        let units = record.units.map(\.unit)
        #expect(Set(units).count == units.count)
        #expect(units.count == (perRole ? Set(party.roles).count : 1))
        for unit in record.units {
          let regular = unit.assessments.filter { [.fusa, .vusa, .ussa, .initialFusa].contains($0.kind) }
          #expect(regular.count == 1)
          if unit.band == .large { #expect(unit.regular.kind == .fusa || unit.regular.kind == .initialFusa) }
          #expect((unit.regular.kind == .initialFusa) == (record.year == entry))
        }
      }
    }
  }
}
