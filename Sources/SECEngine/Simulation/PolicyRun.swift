import SECRules

/// One policy's state across a replicate (MODEL.md §3, §4, §8, §9): each assessed
/// unit's place in its cycle, each User System's assessment state and last FUSA,
/// and which latent issues are still open. Everything random it reads comes from
/// the World's entity-keyed variates, so a policy changes only what its rules change.
struct PolicyRun {
  let policy: Policy
  /// UnitRules per role (UserRole.allCases order) in the arena; a unit's role index
  /// is set only where the regime has a row for the role, so every entry read is real.
  let rulesTable: Buffer<UnitRules>
  let roleSlots: Int
  /// The most units any party has under this policy (§8.9: one under
  /// `one_per_party`); the slots from it on are always empty, so loops stop there.
  let unitSlots: Int

  var units: Buffer<UnitState>
  /// Whether `PolicySharing` holds this run's new parties' units in another run (its
  /// rule class's root): it gives them to this run (`materialise`) before this run
  /// first steps them, so `admitNew` need not set them.
  var unitsHeldElsewhere = false
  var unitRole: Buffer<Int>  // role index per unit slot, −1 none
  var initialisedParties = 0
  var systemState: Buffer<SystemState>
  var systemLastFusa: Buffer<Int>
  var systemFusaThisYear: Buffer<Bool>
  var initialisedSystems = 0
  /// Per issue: its resistance to detection left (`detect`); open while ≥ 0.
  var issueRemaining: Buffer<Double>
  var openIssuesOfSystem: Buffer<Int>
  var initialisedIssues = 0
  /// SRP aggregates (in the policy's measure) deciding this year and next (§8.8).
  var srpAggregate: [Double] = []
  var srpAggregateNext: [Double] = []

  /// This year's band and regular kind of each party's first unit, for users.csv and
  /// the comparison with the baseline.
  var yearBand: Buffer<SizeBand?>
  var yearKind: Buffer<AssessmentKind?>
  var yearBandChanged: Buffer<Bool>
  /// This year's deciding count of each party's first unit (0 when unbanded).
  var yearCount: Buffer<Double>
  /// This year's bands of each party's units as a key (`decide`): bit `slot` set
  /// where the unit in that slot is large.
  var yearKey: Buffer<UInt64>
  /// This year's follow-ups and system assessments of each party.
  var yearFollowUps: Buffer<Int>
  var yearSystemAssessments: Buffer<Int>

  /// Per template: the role index of each unit (§8.9) and its stated position (§8.13).
  let templateUnits: [[(role: Int, stated: Int?)]]
  /// The units of a random entrant (a supplier).
  let entrantUnits: [(role: Int, stated: Int?)]

  /// This year's calendar year, index, last simulated year and day rate (set by `beginYear`).
  var year = 0
  var yearIndex = 0
  var horizon = 0
  var dayRate = 0.0
  /// This year's detection hazards by assessment kind (§5.9, `detect`; set by `beginYear`).
  var detectionHazard: (fusa: Double, vusa: Double, ussa: Double, review: Double) = (0, 0, 0, 0)
  /// This year's outcome source (thresholds and scheduled outcomes, set by `beginYear`).
  var outcomes = EngineOutcomes(thresholds: [])
  /// Whether the policy decides by SRP aggregates (§8.8), and by this year's own counts (§8.3).
  let aggregatesSRPs: Bool
  let sameYearCounts: Bool

  /// The worker's arena, which owns every buffer here.
  let arena: Arena
  /// Scratch for the exact coverage sums when no `PolicySharing` holds them.
  let coverageSums: Buffer<Int64>
  /// Coverage sums per policy-year: [covered, age, unassessed, undetected] × class.
  static let coverageWidth = 4 * MetricClass.count
  /// Exposure and meters in the fixed point of the coverage sums (2⁻¹⁶ meter): a
  /// year's sums stay exact up to 2⁴⁷ ≈ 1.4·10¹⁴ meter-years of exposure (GB has
  /// ~3·10⁷ smart meters).
  static let coverageScale = 0x1p16

  init(policy: Policy, roleSlots: Int, templates: [PartyTemplate], arena: Arena) {
    self.arena = arena
    coverageSums = Buffer(arena, repeating: 0, count: PolicyRun.coverageWidth)
    precondition(roleSlots <= 64, "a party's band key has a bit per unit slot")
    aggregatesSRPs = policy.aggregation.mode == .srpAggregate
    sameYearCounts = policy.countTiming == .sameYear
    let parties = templates.count + 64
    units = Buffer(arena, repeating: UnitState(entrantIn: 0), count: parties * roleSlots)
    unitRole = Buffer(arena, repeating: -1, count: parties * roleSlots)
    yearBand = Buffer(arena, repeating: nil, count: parties)
    yearKind = Buffer(arena, repeating: nil, count: parties)
    yearBandChanged = Buffer(arena, repeating: false, count: parties)
    yearCount = Buffer(arena, repeating: 0, count: parties)
    yearKey = Buffer(arena, repeating: 0, count: parties)
    yearFollowUps = Buffer(arena, repeating: 0, count: parties)
    yearSystemAssessments = Buffer(arena, repeating: 0, count: parties)
    systemState = Buffer(arena, repeating: SystemState(), count: 2 * parties)
    systemLastFusa = Buffer(arena, repeating: 0, count: 2 * parties)
    systemFusaThisYear = Buffer(arena, repeating: false, count: 2 * parties)
    openIssuesOfSystem = Buffer(arena, repeating: 0, count: 2 * parties)
    issueRemaining = Buffer(arena, repeating: 0, count: 1_024)
    self.policy = policy
    self.roleSlots = roleSlots
    let rules = UserRole.allCases.map { role in policy.regime.roles[role] == nil ? nil : UnitRules(policy: policy, role: role) }
    rulesTable = Buffer(arena, repeating: UnitRules(regime: policy.regime, role: .supplier), count: rules.count)
    for (i, r) in rules.enumerated() { if let r { rulesTable[i] = r } }
    func makeUnits(_ roles: [UserRole], _ stated: [UserRole: Int]) -> [(role: Int, stated: Int?)] {
      let unitRoles: [UserRole]
      switch policy.dualRole {
      case .onePerParty: unitRoles = policy.regime.governingRole(of: roles).map { [$0] } ?? []
      case .onePerRole: unitRoles = policy.regime.orderedRoles(of: roles)
      }
      return unitRoles.compactMap { role in
        guard let ri = PolicyRun.roleIndex[role], rules[ri] != nil else { return nil }
        return (ri, stated[role] ?? stated.values.min())
      }
    }
    templateUnits = templates.map { makeUnits($0.roles, $0.statedPositions) }
    entrantUnits = makeUnits([.supplier], [:])
    unitSlots = min(roleSlots, max(1, entrantUnits.count, templateUnits.map(\.count).max() ?? 0))
  }

  static let roleIndex: [UserRole: Int] = Dictionary(uniqueKeysWithValues: UserRole.allCases.enumerated().map { ($1, $0) })

  mutating func reset() {
    initialisedParties = 0
    initialisedSystems = 0
    initialisedIssues = 0
  }

  /// Gives new party slots their units (§8.9) and new systems and issues their state.
  mutating func admitNew(_ w: World) {
    while initialisedParties < w.partyCount {
      let p = initialisedParties
      initialisedParties += 1
      if initialisedParties > yearBand.capacity {
        let n = initialisedParties
        units.reserve(n * roleSlots, filling: UnitState(entrantIn: 0), in: arena)
        unitRole.reserve(n * roleSlots, filling: -1, in: arena)
        yearBand.reserve(n, filling: nil, in: arena)
        yearKind.reserve(n, filling: nil, in: arena)
        yearBandChanged.reserve(n, filling: false, in: arena)
        yearCount.reserve(n, filling: 0, in: arena)
        yearKey.reserve(n, filling: 0, in: arena)
        yearFollowUps.reserve(n, filling: 0, in: arena)
        yearSystemAssessments.reserve(n, filling: 0, in: arena)
      }
      let t = w.templateIndex[p]
      let partyUnits = t >= 0 ? templateUnits[t] : entrantUnits
      for r in 0..<roleSlots {
        let u = p * roleSlots + r
        guard r < partyUnits.count else {
          unitRole[u] = -1
          continue
        }
        unitRole[u] = partyUnits[r].role
        guard !unitsHeldElsewhere else { continue }
        if w.entryYear[p] < w.input.startYear {
          units[u] = UnitState(presentSince: w.entryYear[p], statedPosition: partyUnits[r].stated)
        } else {
          units[u] = UnitState(entrantIn: w.entryYear[p])
        }
      }
    }
    while initialisedSystems < w.systemCount {
      let s = initialisedSystems
      initialisedSystems += 1
      if initialisedSystems > systemState.capacity {
        let n = initialisedSystems
        systemState.reserve(n, filling: SystemState(), in: arena)
        systemLastFusa.reserve(n, filling: 0, in: arena)
        systemFusaThisYear.reserve(n, filling: false, in: arena)
        openIssuesOfSystem.reserve(n, filling: 0, in: arena)
      }
      openIssuesOfSystem[s] = 0
      systemFusaThisYear[s] = false
      if w.systemInServiceAtStart[s] {
        systemState[s] = SystemState(cover: .inServiceAtStart, coveredYear: w.systemStart[s])
        systemLastFusa[s] = Int.min  // set from the unit's last FUSA at its first step
      } else if !w.systemIsLater[s] {
        // Present at the User's entry: covered by its initial FUSA (§8.10).
        systemState[s] = SystemState(cover: .initialFusa, coveredYear: w.systemStart[s])
        systemLastFusa[s] = w.systemStart[s]
      } else {
        systemState[s] = SystemState()
        systemLastFusa[s] = w.systemStart[s]
      }
    }
    // New issues: their resistance as drawn (one copy of the year's range), open.
    let first = initialisedIssues
    let issues = w.issueCount
    if issues > first {
      if issues > issueRemaining.capacity { issueRemaining.reserve(issues, filling: 0, in: arena) }
      (issueRemaining.base + first).update(from: w.issueResistance.base + first, count: issues &- first)
      for i in first..<issues { openIssuesOfSystem[w.issueSystem[i]] &+= 1 }
      initialisedIssues = issues
    }
  }

  /// SRP aggregates from counts and membership at one moment (§8.8): the members'
  /// contributions, or the SRP's stated figure.
  func computeAggregates(_ w: World, year: Int, counts: Buffer<PortfolioCounts>) -> [Double] {
    var agg = [Double](repeating: 0, count: w.input.srps.count)
    guard policy.aggregation.mode == .srpAggregate else { return agg }
    for p in 0..<w.partyCount where w.present[p] || w.exitYear[p] == year + 1 {
      var s = w.firstSystem[p]
      var seen = 0  // bit set of SRPs already counted for this party (first 64)
      while s >= 0 {
        let k = w.systemSRP[s]
        if k >= 0, w.systemStart[s] <= year, year < w.systemEnd[s] || w.systemEnd[s] == year + 1,
          k >= 64 || seen & (1 << k) == 0
        {
          if k < 64 { seen |= 1 << k }
          agg[k] += Double(policy.aggregation.contribution(of: counts[p]))
        }
        s = w.nextSystemOfParty[s]
      }
    }
    for (k, srp) in w.input.srps.enumerated() { if let stated = srp.statedAggregate { agg[k] = stated } }
    return agg
  }

  /// The largest aggregate among the SRPs hosting the party's systems this year
  /// (§8.8), nil when none does or the policy does not aggregate.
  @inline(__always) func srpAggregateMax(_ w: World, party p: Int, year: Int) -> Double? {
    guard aggregatesSRPs else { return nil }
    var best: Double? = nil
    var s = w.firstSystem[p]
    while s >= 0 {
      let k = w.systemSRP[s]
      if k >= 0, w.inService(s, year) || w.systemEnd[s] == year {
        let a = srpAggregate[k]
        if best == nil || a > best! { best = a }
      }
      s = w.nextSystemOfParty[s]
    }
    return best
  }
}
