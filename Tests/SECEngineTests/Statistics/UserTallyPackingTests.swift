import SECRules
import Testing

@testable import SECEngine

/// The recorder packs the 0/1 fields of a party-year into 8-bit lanes and settles
/// them into its counts before any lane could pass 255; its tallies must equal a
/// plain field-by-field count, however many party-years a row takes.
@Suite("User tally recorder, packed lanes")
struct UserTallyPackingTests {
  /// SplitMix64: a fixed sequence of test data.
  struct Numbers {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
  }

  /// The tallies of `record`, counted field by field into the tallies' own layout.
  static func reference(
    _ counts: inout [Int64], _ w: World, runs: [PolicyRun], holders: Buffer<Int8>?, baseline: Int, yearIndex yi: Int, years: Int
  ) {
    let policies = runs.count
    let fields = UserTallies.Field.allCases.count
    for p in 0..<w.partyCount where w.present[p] {
      func holder(_ k: Int) -> Int { holders.map { Int($0[p * policies + k]) } ?? k }
      let base = runs[holder(baseline)]
      for k in 0..<policies {
        let run = runs[holder(k)]
        let at = ((w.userRow[p] * years + yi) * policies + k) * fields
        func add(_ field: UserTallies.Field, _ v: Int64) { counts[at + field.rawValue] += v }
        add(.present, 1)
        if run.yearBand[p] == .large { add(.large, 1) }
        switch run.yearKind[p] {
        case .fusa?: add(.fusa, 1)
        case .vusa?: add(.vusa, 1)
        case .ussa?: add(.ussa, 1)
        case .initialFusa?: add(.initialFusa, 1)
        default: break
        }
        add(.followUp, Int64(max(0, run.yearFollowUps[p])))
        add(.systemAssessment, Int64(max(0, run.yearSystemAssessments[p])))
        if run.yearBandChanged[p] { add(.bandChange, 1) }
        if run.yearBand[p] != base.yearBand[p] || run.yearKind[p] != base.yearKind[p] { add(.differsFromBaseline, 1) }
        add(.decidingCountSum, Int64(runs[k].yearCount[p].rounded()))
      }
    }
  }

  @Test(
    "packed tallies equal a field-by-field count over 1,200 replicates, rows shared by up to 8 parties, every lane past 255",
    arguments: [false, true])
  func packedEqualsReference(shared: Bool) throws {
    let (starting, years, policies, baseline) = (12, 3, 4, 1)
    let input = Fixture.input(
      parties: Fixture.suppliers(starting, domesticPremises: 100_000),
      policies: (0..<policies).map { Fixture.policy("p\($0)") }, years: years, baseline: baseline)
    var world = try World(input: input, algorithm: .mt19937)
    let arena = world.arena
    let runs = input.policies.map { PolicyRun(policy: $0, roleSlots: world.roleSlots, templates: input.parties, arena: arena) }
    let rows = Simulation.userRows(parties: starting, years: years)
    let parties = starting + 24
    let recorder = UserTallyRecorder(rows: rows, years: years, policies: policies, arena: arena)
    let holders = Buffer<Int8>(arena, repeating: 0, count: parties * policies)
    var expected = [Int64](repeating: 0, count: rows * years * policies * UserTallies.Field.allCases.count)
    var tallies = UserTallies(rows: rows, years: years, policies: policies)
    var numbers = Numbers(state: shared ? 11 : 5)
    let replicates = 1_200
    let kinds: [AssessmentKind?] = [nil, .fusa, .vusa, .ussa, .initialFusa, .followUp, .systemAssessment]
    world.partyCount = parties
    for p in 0..<parties {
      // Starting Users have a row each; the rest share the entry years' rows, up to 8 a row.
      world.userRow[p] = p < starting ? p : starting + (p - starting) % years
    }
    for replicate in 0..<replicates {
      for yi in 0..<years {
        for p in 0..<parties {
          // Party 0 is always present with every lane set in every non-baseline policy
          // (large, a band change, differing from the baseline); its kind goes round
          // the four regular kinds, 300 replicates each, so each kind's lane passes 255.
          let full = p == 0
          world.present[p] = full || numbers.chance(80)
          for k in 0..<policies {
            runs[k].yearBand[p] = full ? (k == baseline ? .small : .large) : [nil, .small, .large][numbers.below(3)]
            runs[k].yearKind[p] = full ? kinds[1 + replicate / (replicates / 4)] : kinds[numbers.below(kinds.count)]
            runs[k].yearBandChanged[p] = full || numbers.chance(50)
            runs[k].yearFollowUps[p] = numbers.below(5) - 1
            runs[k].yearSystemAssessments[p] = numbers.below(4) - 1
            runs[k].yearCount[p] = Double(numbers.below(2_000_000)) / 4 - 250_000
            holders[p * policies + k] = Int8(full ? k : numbers.below(policies))
          }
        }
        recorder.record(world, runs: runs, holders: shared ? holders : nil, baseline: baseline, yearIndex: yi)
        Self.reference(&expected, world, runs: runs, holders: shared ? holders : nil, baseline: baseline, yearIndex: yi, years: years)
      }
      // Adding mid-run settles what is pending; recording goes on from zero.
      if replicate == 0 { tallies.add(recorder) }
    }
    tallies.add(recorder)
    #expect(tallies.counts == expected)
    // The test means something only if every lane took more than 255 between two
    // adds (it fails if the lanes are never settled), and shared rows many more.
    for field in [UserTallies.Field.present, .large, .bandChange, .differsFromBaseline] {
      #expect(tallies.value(row: 0, year: years - 1, policy: 0, field: field) == Int64(replicates), "\(field.name)")
    }
    for field in [UserTallies.Field.fusa, .vusa, .ussa, .initialFusa] {
      #expect(tallies.value(row: 0, year: 0, policy: 0, field: field) == Int64(replicates / 4), "\(field.name)")
    }
    #expect(tallies.value(row: starting, year: 0, policy: 2, field: .present) > 3 * Int64(replicates))
  }
}
