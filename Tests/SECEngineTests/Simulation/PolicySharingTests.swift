import SECRules
import Testing

@testable import SECEngine

/// Policies whose state and bands are equal share a party's yearly work
/// (`PolicySharing`); the results must be exactly those of computing every policy
/// on its own (MODEL.md §10: variates keyed by entity, never by policy).
@Suite("Shared per-policy work")
struct PolicySharingTests {
  /// The lively market of the CRN tests plus two dual-role Users (two units under
  /// one assessment per role).
  static func input(policies: [Policy], baseline: Int = 0) -> EngineInput {
    var input = CommonRandomNumbersTests.lively(policies: policies, baseline: baseline)
    for i in 0..<2 {
      input.parties.append(
        PartyTemplate(
          id: "D\(i)", name: "D\(i)", roles: [.supplier, .electricityDistributor], entryYear: 2016, anniversaryQuarter: i + 2,
          domesticPremises: 240_000 + Double(i) * 20_000,
          systems: [SystemTemplate(id: "D\(i)-1", srp: nil, startYear: 2016)], userRow: input.parties.count))
    }
    return input
  }

  /// Equal thresholds (a copy), thresholds that split the Users differently, another
  /// counting basis, and policies whose rules beyond the band differ (follow-ups,
  /// second systems, one assessment per role), which must never share.
  static let policies: [Policy] = {
    var followUp = Fixture.policy("follow-up 12 months")
    followUp.followUp = FollowUpPolicy(months: 12)
    var perRole = Fixture.policy("per role")
    perRole.dualRole = .onePerRole
    var perRoleLow = Fixture.policy("per role, low", threshold: 200_000)
    perRoleLow.dualRole = .onePerRole
    var always = Fixture.policy("always assess")
    always.secondSystem = SecondSystemPolicy(rule: .alwaysAssess)
    var sameYear = Fixture.policy("same year")
    sameYear.countTiming = .sameYear
    return [
      Fixture.policy("today"), Fixture.policy("copy"), Fixture.policy("low", threshold: 200_000),
      Fixture.policy("unweighted", weight: 1), followUp, perRole, perRoleLow, always, sameYear,
      Fixture.policy("high", threshold: 300_000),
    ]
  }()

  @Test("sharing on and off give the same state, slot for slot and tally for tally")
  func sharingIsExact() throws {
    let input = Self.input(policies: Self.policies)
    let shared = try Simulation.run(input, RunConfiguration(seed: 3, replicates: 200, threads: 2)).state
    let plain = try Simulation.run(input, RunConfiguration(seed: 3, replicates: 200, threads: 2, sharesPolicyWork: false)).state
    #expect(shared == plain)
    #expect(shared.bank.serialized() == plain.bank.serialized())
    // The test means something only if the bands differ between some policies.
    #expect(shared.difference(policy: 2, metric: .largeBandUsers, t: input.years).mean != 0)
  }

  @Test("each policy run together with the others gives its rows run alone")
  func togetherEqualsAlone() throws {
    let together = Self.input(policies: Self.policies)
    let all = try Simulation.run(together, RunConfiguration(seed: 9, replicates: 120, threads: 2)).state
    for (k, policy) in Self.policies.enumerated() {
      let alone = try Simulation.run(Self.input(policies: [policy]), RunConfiguration(seed: 9, replicates: 120, threads: 1)).state
      for m in PolicyMetric.allCases {
        for t in 0...together.years {
          for cls in 0..<MetricClass.allCases.count where cls == 0 || !m.allClassOnly {
            let x = all.summary(policy: k, metric: m, t: t, classIndex: cls)
            let y = alone.summary(policy: 0, metric: m, t: t, classIndex: cls)
            #expect(x == y || (x.mean.isNaN && y.mean.isNaN), "\(policy.name) \(m.name) year \(t) class \(cls)")
          }
        }
      }
    }
  }
}
