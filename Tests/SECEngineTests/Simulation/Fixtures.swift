import SECRules

@testable import SECEngine

/// Hand-built engine inputs: every process off (zero variance, zero rates), so a
/// test turns on exactly the process it checks.
enum Fixture {
  static let regime = Regime(
    name: "test",
    roles: [
      .supplier: .banded(small: [.fusa, .vusa, .ussa], large: [.fusa]),
      .electricityDistributor: .unbanded(cycle: [.fusa, .vusa, .ussa]),
      .gasTransporter: .unbanded(cycle: [.fusa, .vusa, .ussa]),
      .otherUser: .unbanded(cycle: [.fusa, .vusa, .ussa]),
      .registeredSupplierAgent: .unbanded(cycle: [.fusa, .vusa, .ussa]),
    ],
    rolePriority: [.supplier, .electricityDistributor, .gasTransporter, .registeredSupplierAgent, .otherUser])

  static func policy(_ name: String, threshold: Double = 250_000, weight: Double = 5) -> Policy {
    Policy(name: name, regime: regime, counting: CountingRule(basis: .premisesWeighted, weight: weight, threshold: threshold))
  }

  static func processes(years y: Int) -> ProcessValues {
    let zero = [Double](repeating: 0, count: y)
    let one = [Double](repeating: 1, count: y)
    let approved = [[[(Double, Double, Double)]]](
      repeating: [[(Double, Double, Double)]](repeating: [(Double, Double, Double)](repeating: (1, 1, 1), count: y), count: 2),
      count: 3)
    return ProcessValues(
      domesticGrowth: zero, nonDomesticGrowth: zero, marketFactorSD: zero, idiosyncraticSD: zero,
      hazardClassBounds: [], hazard: [zero], specialAdministrationThreshold: [Double](repeating: 1e12, count: y),
      specialAdministrationYears: 1, entryRate: zero, entryLogMean: [Double](repeating: 10, count: y), entryLogSD: zero,
      entryNonDomesticOnlyShare: zero, smartShareDomestic: one, smartShareNonDomestic: one, domesticMetersPerPremises: one,
      nonDomesticMetersMean: 1, nonDomesticMetersSD: 0, toSRP: zero, toBespoke: zero, betweenSRPs: zero,
      secondSystemAdoption: zero, secondSystemOnAssessedSRP: zero, issueRate: zero, detectionFusa: one, detectionVusa: one,
      detectionUssa: one, detectionReview: one, premisesNoiseSD: zero, outcomeThresholds: approved,
      effort: [[EffortTable]](repeating: [.constant(5), .constant(5)], count: 5))
  }

  static func suppliers(_ n: Int, domesticPremises: Double, entryYear: Int = 2015) -> [PartyTemplate] {
    (0..<n).map { i in
      PartyTemplate(
        id: "S\(i)", name: "S\(i)", roles: [.supplier], entryYear: entryYear, anniversaryQuarter: i % 4 + 1,
        domesticPremises: domesticPremises, systems: [SystemTemplate(id: "S\(i)-1", srp: nil, startYear: entryYear)], userRow: i)
    }
  }

  static func input(parties: [PartyTemplate], policies: [Policy], years: Int = 5, baseline: Int = 0) -> EngineInput {
    EngineInput(
      startYear: 2025, years: years, parties: parties, srps: [], processes: processes(years: years),
      events: [[EngineEvent]](repeating: [], count: years), policies: policies, baseline: baseline,
      capacityPerQuarter: [[Double]](repeating: [100, 100, 100, 100], count: years),
      otherDemandPerQuarter: [[Double]](repeating: [0, 0, 0, 0], count: years),
      dayRateGBP: [Double](repeating: 1_000, count: years), roleWeights: [:])
  }
}

extension RunState {
  /// Summary of a policy metric, in its unit.
  func summary(policy k: Int, metric: PolicyMetric, t: Int, classIndex c: Int = 0) -> SlotSummary {
    bank.summary(layout.policySlot(policy: k, classIndex: c, t: t, metric: metric)!, scale: metric.unit.scale)
  }

  func difference(policy k: Int, metric: PolicyMetric, t: Int, classIndex c: Int = 0) -> SlotSummary {
    bank.summary(layout.differenceSlot(policy: k, classIndex: c, t: t, metric: metric)!, scale: metric.unit.scale)
  }

  func market(_ metric: MarketMetric, t: Int) -> SlotSummary {
    bank.summary(layout.marketSlot(t: t, metric: metric), scale: metric.unit.scale)
  }
}
