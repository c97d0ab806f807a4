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

  /// Exchanges the first User Systems of parties a and b (a system changing party:
  /// today's future never does it, a scheduled acquisition may).
  static func swapFirstSystems(_ w: inout World, _ a: Int, _ b: Int) {
    let sa = w.firstSystem[a]
    let sb = w.firstSystem[b]
    guard sa >= 0, sb >= 0 else { return }
    w.firstSystem[a] = sb
    w.firstSystem[b] = sa
    let na = w.nextSystemOfParty[sa]
    w.nextSystemOfParty[sa] = w.nextSystemOfParty[sb]
    w.nextSystemOfParty[sb] = na
    w.systemOwner[sa] = b
    w.systemOwner[sb] = a
  }

  @Test("a system moving to another party mid-run: the shared path still equals each policy computed alone")
  func movedSystem() throws {
    let input = Self.input(policies: Self.policies)
    var world = try World(input: input, algorithm: .mt19937)
    let arena = world.arena
    let parties = input.parties.count + 64
    var exposure = YearExposure(arena, parties: parties, systems: 2 * parties)
    var shared = input.policies.map { PolicyRun(policy: $0, roleSlots: world.roleSlots, templates: input.parties, arena: arena) }
    var plain = input.policies.map { PolicyRun(policy: $0, roleSlots: world.roleSlots, templates: input.parties, arena: arena) }
    var sharing = PolicySharing(policies: input.policies, arena: arena, parties: parties, systems: 2 * parties)
    #expect(sharing.enabled)
    let sharedResults = input.policies.map { _ in YearResults(arena) }
    let plainResults = input.policies.map { _ in YearResults(arena) }
    let cells = MetricClass.count * YearResults.width
    for replicate in 0..<4 {
      world.reset(seed: 17, replicate: replicate)
      sharing.reset()
      for k in shared.indices {
        shared[k].reset()
        plain[k].reset()
      }
      for yi in 0..<input.years {
        world.stepFuture(yearIndex: yi)
        // Parties 4 (210,000 premises) and 7 (255,000) sit between the policies'
        // thresholds, so their state differs between policies.
        if yi == 2 || yi == 4 { Self.swapFirstSystems(&world, 4, 7) }
        exposure.update(world, year: input.year(yi))
        for k in shared.indices { shared[k].beginYear(world, yearIndex: yi, results: sharedResults[k]) }
        sharing.assessYear(world, exposure, runs: &shared, results: sharedResults)
        for k in shared.indices {
          shared[k].endYear(world, exposure, yearIndex: yi, results: sharedResults[k], shared: sharing.shared(policy: k))
          plain[k].assess(world, exposure, yearIndex: yi, results: plainResults[k])
          let same = (0..<cells).allSatisfy { sharedResults[k].values[$0].bitPattern == plainResults[k].values[$0].bitPattern }
          #expect(same, "replicate \(replicate) year \(yi) policy \(k)")
          for p in 0..<world.partyCount where world.present[p] {
            // The party's year is read from the policy that computed it.
            let h = Int(sharing.stateClass[p * input.policies.count + k])
            #expect(shared[h].yearBand[p] == plain[k].yearBand[p] && shared[h].yearKind[p] == plain[k].yearKind[p])
            #expect(shared[h].yearFollowUps[p] == plain[k].yearFollowUps[p])
            #expect(shared[h].yearSystemAssessments[p] == plain[k].yearSystemAssessments[p])
            #expect(shared[h].yearBandChanged[p] == plain[k].yearBandChanged[p])
            #expect(shared[k].yearCount[p] == plain[k].yearCount[p])
          }
        }
      }
    }
  }
}
