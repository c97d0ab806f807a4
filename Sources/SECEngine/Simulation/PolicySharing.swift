import SECRules

/// Shares one party's yearly work between policies whose state and decision inputs
/// are equal (docs/performance.md). Policies usually differ in a threshold or a
/// counting rule only, and most Users get the same band under all of them: then a
/// unit's step, its effort, its follow-ups and the detection of its issues are the
/// same in every such policy, because every variate they read is keyed by entity,
/// never by policy (MODEL.md §10). One policy computes them and the others take its
/// contributions, so every output equals computing each policy alone.
///
/// The rule, per party-year: before the year, `stateClass[p][k]` names the smallest
/// policy whose state of party p (its units, its systems' cover, last FUSA and
/// issues, §8–§9) equals policy k's, and that policy holds the state: policy k's
/// own copy is stale while the class names another. Policy k follows an earlier
/// policy m of its class whose bands this year (§8.1, §8.3, §8.8) equal k's; else
/// it computes for itself (first taking the state from its class's holder) and
/// holds its own state from then on. Only policies with equal rules beyond the
/// band — regime, follow-ups (§8.6), second systems (§8.10), one assessment per
/// party or per role (§8.9) — ever share a class. After the year, `stateClass`
/// names the policy that computed the party's year: users.csv's per-party fields
/// (band, kind, band change, follow-ups, system assessments) are read from it
/// (`UserTallyRecorder.record`, `holders`), the deciding count from each policy's
/// own `decide`; coverage (§9) reads a system's state from its holder (`SharedState`).
///
/// Results: the assessments' sums are exact integers (`YearResults.exact`), so their
/// order does not matter. The first policy of each rule class (its *root*, which
/// always computes for itself) sums its own contributions; every other policy of the
/// class sums only how its contributions differ from the root's, party by party,
/// and adds the root's sums at the year's end. A party-year where a policy follows
/// its root, the common case, costs that policy nothing; where it does not, the
/// difference is taken from snapshots of the two rows (class `all` and the party's
/// class) and the quarter days a party's assessments add to.
struct PolicySharing {
  let policies: Int
  /// Per policy: the first policy with equal rules beyond the band (itself if none).
  let ruleClass: [Int]
  /// Whether any two policies have equal rules (else nothing can be shared).
  let enabled: Bool
  /// [party × policies + k]: the policy holding party p's state of policy k.
  var stateClass: Buffer<Int8>
  /// The party each system was listed under at the last year's start, −1 before:
  /// a system moving to another party (whose state holders may differ) makes every
  /// policy take its own state back (`ownAll`).
  var systemParty: Buffer<Int>
  var initialisedParties = 0
  var initialisedSystems = 0
  /// How many systems `systemParty` lists (the first `listedSystems` system slots).
  var listedSystems = 0
  var roleSlots = 1
  /// Scratch per policy for the party at hand: the policy that computes for it, and
  /// the bands it decided (`PolicyRun.decide`'s key).
  let computer: Buffer<Int>
  let bandKey: Buffer<UInt64>
  /// Each run's state buffers and its bands of the year (`PolicyRun.yearKey`), taken
  /// after `beginYear` (buffers may grow then).
  var views: Buffer<PolicyRun.PartyStateView>?
  var keys: Buffer<UnsafeMutablePointer<UInt64>>?

  init(policies: [Policy], arena: Arena, parties: Int, systems: Int) {
    self.policies = policies.count
    let rules = policies.map { RuleKey(regime: $0.regime, followUp: $0.followUp, secondSystem: $0.secondSystem, dualRole: $0.dualRole) }
    ruleClass = rules.indices.map { k in rules.firstIndex(of: rules[k])! }
    enabled = policies.count <= Int(Int8.max) && ruleClass.enumerated().contains { $0.offset != $0.element }
    stateClass = Buffer(arena, repeating: 0, count: max(1, parties * policies.count))
    systemParty = Buffer(arena, repeating: -1, count: systems)
    computer = Buffer(arena, repeating: 0, count: policies.count)
    bandKey = Buffer(arena, repeating: 0, count: policies.count)
    snapshot = Buffer(arena, repeating: 0, count: policies.count * PolicySharing.rowSpan)
    contribution = Buffer(arena, repeating: 0, count: policies.count * PolicySharing.rowSpan)
    needsContribution = Buffer(arena, repeating: false, count: policies.count)
    coverage = Buffer(arena, repeating: 0, count: policies.count * PolicyRun.coverageWidth)
    let classes = ruleClass
    let rootList = classes.indices.filter { classes[$0] == $0 }
    let followerList = classes.indices.filter { classes[$0] != $0 }
    let roots = Buffer(arena, repeating: 0, count: rootList.count)
    for (i, k) in rootList.enumerated() { roots[i] = k }
    self.roots = roots
    rootCount = rootList.count
    let followers = Buffer(arena, repeating: 0, count: followerList.count)
    for (i, k) in followerList.enumerated() { followers[i] = k }
    self.followers = followers
    followerCount = followerList.count
  }

  /// The policies that are their rule class's root (`ruleClass[k] == k`), and the
  /// others, in policy order (the fast path of `assessParty`).
  let roots: Buffer<Int>
  let rootCount: Int
  let followers: Buffer<Int>
  let followerCount: Int

  /// The exact sums one party's assessments add to: row `all`, the party's class row,
  /// the four quarters.
  static let rowSpan = 2 * YearResults.width + 4
  /// Scratch per policy: its party rows before computing the party at hand, then
  /// what it added for the party (its contribution); and whether another policy
  /// needs that contribution.
  let snapshot: Buffer<Int64>
  let contribution: Buffer<Int64>
  let needsContribution: Buffer<Bool>
  /// Each policy's exact coverage sums of the year (`PolicyRun.coverageMetrics`).
  let coverage: Buffer<Int64>

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
    listedSystems = 0
  }

  /// New parties start with equal state in policies of equal rules; new systems unlisted.
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
    let keys = self.keys ?? Buffer(w.arena, repeating: runs[0].yearKey.base, count: runs.count)
    self.keys = keys
    for k in runs.indices {
      views[k] = runs[k].stateView
      keys[k] = runs[k].yearKey.base
    }
    // Systems moved between parties since last year (none in today's future: only
    // `World.addSystem` sets an owner): every policy takes back its own state, read
    // where it was held before the move.
    var moved = false
    for s in 0..<listedSystems where systemParty[s] != w.systemOwner[s] {
      moved = true
      break
    }
    if moved {
      ownAll(w, views: views)
      for s in 0..<listedSystems { systemParty[s] = w.systemOwner[s] }
    }
    for s in listedSystems..<w.systemCount { systemParty[s] = w.systemOwner[s] }
    listedSystems = w.systemCount
    // The runs in place (no uniqueness check of the array per call).
    runs.withUnsafeMutableBufferPointer { runs in
      for p in 0..<w.partyCount where w.present[p] {
        assessParty(p, w, exposure, runs: runs, results: results, views: views, keys: keys)
      }
    }
    // Each policy that is not its class's root holds its differences from the root.
    for k in 0..<policies where ruleClass[k] != k { results[k].addExact(of: results[ruleClass[k]]) }
  }

  /// Every policy takes its own state of every party and system from its holder
  /// (systems by the party they were listed under), then holds it itself.
  mutating func ownAll(_ w: World, views: Buffer<PolicyRun.PartyStateView>) {
    for p in 0..<initialisedParties {
      for k in 0..<policies {
        let holder = Int(stateClass[p * policies + k])
        guard holder != k else { continue }
        for slot in 0..<roleSlots {
          let u = p * roleSlots + slot
          views[k].units[u] = views[holder].units[u]
        }
      }
    }
    for s in 0..<initialisedSystems {
      let p = systemParty[s]
      guard p >= 0 else { continue }
      for k in 0..<policies {
        let holder = Int(stateClass[p * policies + k])
        if holder != k { PolicyRun.materialiseSystem(s, from: views.base + holder, to: views.base + k, w) }
      }
    }
    for p in 0..<initialisedParties {
      for k in 0..<policies { stateClass[p * policies + k] = Int8(k) }
    }
  }

  /// Every policy's assessments of party p this year.
  mutating func assessParty(
    _ p: Int, _ w: World, _ exposure: YearExposure, runs: UnsafeMutableBufferPointer<PolicyRun>, results: [YearResults],
    views: Buffer<PolicyRun.PartyStateView>, keys: Buffer<UnsafeMutablePointer<UInt64>>
  ) {
    let base = p * policies
    // The common case: every policy's state of the party is held by its rule class's
    // root, and every policy decided its root's bands (`PolicyRun.decideYear`). Then
    // only the roots compute; the others follow them, as they did last year, at no cost.
    var allFollowRoots = true
    for i in 0..<followerCount {
      let k = followers[i]
      let root = ruleClass[k]
      if Int(stateClass[base &+ k]) != root || keys[k][p] != keys[root][p] {
        allFollowRoots = false
        break
      }
    }
    if allFollowRoots {
      for i in 0..<rootCount {
        let k = roots[i]
        runs[k].assessParty(w, exposure, party: p, results: results[k])
      }
      return
    }
    // 1. Who computes and who follows.
    for k in 0..<policies { bandKey[k] = keys[k][p] }
    for k in 0..<policies {
      let holder = Int(stateClass[base + k])
      var leader = -1
      if holder != k {
        for m in 0..<k where Int(stateClass[base + m]) == holder {
          if bandKey[k] == bandKey[m] {
            leader = m
            break
          }
        }
      }
      computer[k] = leader >= 0 ? computer[leader] : k
      needsContribution[k] = false
    }
    // 2. A policy computing for itself takes its state from its holder first
    //    (before any holder computes this year); whose contributions are needed.
    for k in 0..<policies {
      let c = computer[k]
      if c == k {
        let holder = Int(stateClass[base + k])
        if holder != k { PolicyRun.materialise(p, from: views.base + holder, to: views.base + k, roleSlots: roleSlots, w) }
      }
      let root = ruleClass[k]
      if c != root {
        needsContribution[root] = true
        if c != k { needsContribution[c] = true }
      }
    }
    // 3. Compute (a policy whose contribution is needed between snapshots of its rows).
    let row = (w.partyClass[p].rawValue + 1) * YearResults.width
    for k in 0..<policies where computer[k] == k {
      let r = results[k]
      if needsContribution[k] {
        let before = snapshot.base + k * PolicySharing.rowSpan
        PolicySharing.rows(of: r, row: row, into: before)
        runs[k].assessParty(w, exposure, party: p, results: r)
        let added = contribution.base + k * PolicySharing.rowSpan
        PolicySharing.rows(of: r, row: row, into: added)
        for i in 0..<PolicySharing.rowSpan { added[i] &-= before[i] }
      } else {
        runs[k].assessParty(w, exposure, party: p, results: r)
      }
    }
    // 4. Every policy that is not its root takes the difference between its computer's
    //    contribution and the root's (a policy computing for itself has added its own).
    for k in 0..<policies {
      let c = computer[k]
      let root = ruleClass[k]
      if c != root {
        let r = results[k]
        if c != k { PolicySharing.addRows(contribution.base + c * PolicySharing.rowSpan, to: r, row: row, sign: 1) }
        PolicySharing.addRows(contribution.base + root * PolicySharing.rowSpan, to: r, row: row, sign: -1)
      }
      stateClass[base + k] = Int8(c)
    }
  }

  /// Copies row `all`, row `row` and the quarters of `r`'s exact sums into `to`.
  @inline(__always) static func rows(of r: YearResults, row: Int, into to: UnsafeMutablePointer<Int64>) {
    let width = YearResults.width
    to.update(from: r.exact.base, count: width)
    (to + width).update(from: r.exact.base + row, count: width)
    (to + 2 * width).update(from: r.exactQuarter.base, count: 4)
  }

  /// Adds `sign` × `from` (laid out as `rows(of:)` writes) to `r`'s exact sums.
  @inline(__always) static func addRows(_ from: UnsafePointer<Int64>, to r: YearResults, row: Int, sign: Int64) {
    let width = YearResults.width
    for i in 0..<width {
      r.exact[i] &+= sign &* from[i]
      r.exact[row + i] &+= sign &* from[width + i]
    }
    for q in 0..<4 { r.exactQuarter[q] &+= sign &* from[2 * width + q] }
  }

  /// Where policy k's system state lives this year (for `endYear`).
  func shared(policy k: Int) -> SharedState? {
    guard let views else { return nil }
    return SharedState(
      stateClass: stateClass, systemParty: systemParty, policies: policies, policy: k, root: ruleClass[k], views: views,
      coverage: coverage)
  }
}

/// Where one policy's system state lives while `PolicySharing` holds it in another
/// run: `views[stateClass[party × policies + policy]]`, the party being the one the
/// system is listed under (`systemParty`; −1: a new system, equal in every run).
struct SharedState {
  let stateClass: Buffer<Int8>
  let systemParty: Buffer<Int>
  let policies: Int
  let policy: Int
  /// The first policy of this one's rule class (`PolicySharing.ruleClass`): it holds its
  /// own state of every party, and its coverage sums are made before this policy's.
  let root: Int
  let views: Buffer<PolicyRun.PartyStateView>
  /// Each policy's exact coverage sums of the year (`PolicyRun.coverageWidth` each).
  let coverage: Buffer<Int64>
}
