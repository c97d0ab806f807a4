import SECRules

/// Shares one party's yearly work between policies whose state and decision inputs
/// are equal (docs/performance.md). Policies usually differ in a threshold or a
/// counting rule only, and most Users get the same band under all of them: then a
/// unit's step, its effort, its follow-ups and the detection of its issues are the
/// same in every such policy, because every variate they read is keyed by entity,
/// never by policy (MODEL.md §10). One policy computes them; each equal one takes
/// over its state for that party and replays its additions to the year's results,
/// in the same order, so every output is bit-identical to computing each policy alone.
///
/// The rule, per party-year: before the year, `stateClass[p][k]` names the smallest
/// policy whose state of party p (its units, its systems' cover, last FUSA and
/// issues, §8–§9) equals policy k's. Policy k follows an earlier policy m of its
/// class whose bands this year (§8.1, §8.3, §8.8) equal k's; otherwise it computes
/// for itself and starts a class of its own. Only policies with equal rules beyond
/// the band — regime, follow-ups (§8.6), second systems (§8.10), one assessment per
/// party or per role (§8.9) — ever share a class.
struct PolicySharing {
  let policies: Int
  /// Per policy: the first policy with equal rules beyond the band (itself if none).
  let ruleClass: [Int]
  /// Whether any two policies have equal rules (else nothing can be shared).
  let enabled: Bool
  /// [party × policies + k]: the state class before this year (see the type's doc).
  var stateClass: Buffer<Int8>
  /// The party each system was last seen under, −1 before its first assessment:
  /// a system moving to another party (its state may differ between policies that
  /// were equal for its new party) ends that party's sharing.
  var systemParty: Buffer<Int>
  var initialisedParties = 0
  var roleSlots = 1
  var initialisedSystems = 0
  /// Scratch per policy for the party at hand: the new class and whose log holds its additions.
  let newClass: Buffer<Int>
  let logOwner: Buffer<Int>
  /// Each run's per-party state buffers, taken after `beginYear` (buffers may grow then).
  var views: Buffer<PolicyRun.PartyStateView>?

  init(policies: [Policy], arena: Arena, parties: Int, systems: Int) {
    self.policies = policies.count
    let rules = policies.map { RuleKey(regime: $0.regime, followUp: $0.followUp, secondSystem: $0.secondSystem, dualRole: $0.dualRole) }
    ruleClass = rules.indices.map { k in rules.firstIndex(of: rules[k])! }
    enabled = policies.count <= Int(Int8.max) && ruleClass.enumerated().contains { $0.offset != $0.element }
    stateClass = Buffer(arena, repeating: 0, count: max(1, parties * policies.count))
    systemParty = Buffer(arena, repeating: -1, count: systems)
    newClass = Buffer(arena, repeating: 0, count: policies.count)
    logOwner = Buffer(arena, repeating: 0, count: policies.count)
  }

  /// The rules of a policy beyond its band decision.
  private struct RuleKey: Hashable {
    let regime: Regime
    let followUp: FollowUpPolicy
    let secondSystem: SecondSystemPolicy
    let dualRole: DualRoleMode
  }

  mutating func reset() {
    initialisedParties = 0
    initialisedSystems = 0
  }

  /// New parties start with equal state in policies of equal rules; new systems unclaimed.
  mutating func admitNew(_ w: World, arena: Arena) {
    if w.partyCount * policies > stateClass.capacity {
      stateClass.reserve(w.partyCount * policies, filling: 0, in: arena)
    }
    while initialisedParties < w.partyCount {
      let base = initialisedParties * policies
      for k in 0..<policies { stateClass[base + k] = Int8(ruleClass[k]) }
      initialisedParties += 1
    }
    if w.systemCount > systemParty.capacity { systemParty.reserve(w.systemCount, filling: -1, in: arena) }
    while initialisedSystems < w.systemCount {
      systemParty[initialisedSystems] = -1
      initialisedSystems += 1
    }
  }

  /// Every policy's assessments of every present party this year, between each
  /// run's `beginYear` and `endYear`.
  mutating func assessYear(_ w: World, _ exposure: YearExposure, runs: inout [PolicyRun], results: [YearResults]) {
    roleSlots = w.roleSlots
    admitNew(w, arena: w.arena)
    let views = self.views ?? Buffer(w.arena, repeating: runs[0].stateView, count: runs.count)
    self.views = views
    for k in runs.indices { views[k] = runs[k].stateView }
    for p in 0..<w.partyCount where w.present[p] {
      assessParty(p, w, exposure, runs: &runs, results: results, views: views)
    }
  }

  /// Every policy's assessments of party p this year.
  mutating func assessParty(
    _ p: Int, _ w: World, _ exposure: YearExposure, runs: inout [PolicyRun], results: [YearResults],
    views: Buffer<PolicyRun.PartyStateView>
  ) {
    let base = p * policies
    var s = w.firstSystem[p]
    var moved = false
    while s >= 0 {
      let owner = systemParty[s]
      if owner != p {
        if owner >= 0 { moved = true }
        systemParty[s] = p
      }
      s = w.nextSystemOfParty[s]
    }
    if moved { for k in 0..<policies { stateClass[base + k] = Int8(k) } }
    for k in 0..<policies {
      runs[k].decide(w, party: p)
      let ck = Int(stateClass[base + k])
      var leader = -1
      if ck != k {
        for m in 0..<k where Int(stateClass[base + m]) == ck {
          if results[logOwner[m]].logComplete && PolicyRun.sameBands(views.base[k].slotBand, views.base[m].slotBand, slots: roleSlots) {
            leader = m
            break
          }
        }
      }
      if leader >= 0 {
        results[k].replay(results[logOwner[leader]])
        PolicyRun.copyParty(
          p, from: views.base + leader, to: views.base + k, closedBy: views.base + logOwner[leader], roleSlots: roleSlots, w)
        newClass[k] = newClass[leader]
        logOwner[k] = logOwner[leader]
      } else {
        // Log only when a later policy of the same class may follow.
        var followers = false
        for j in (k + 1)..<max(k + 1, policies) where Int(stateClass[base + j]) == ck { followers = true }
        results[k].startLog(enabled: followers)
        runs[k].assessParty(w, exposure, party: p, results: results[k])
        newClass[k] = k
        logOwner[k] = k
      }
    }
    for k in 0..<policies { stateClass[base + k] = Int8(newClass[k]) }
  }
}
