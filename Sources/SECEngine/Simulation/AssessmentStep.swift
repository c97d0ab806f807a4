import RealModule
import SECRules

/// Outcomes from entity-keyed variates (MODEL.md §10): the unit's outcome uniform of
/// the year, read against the cumulative outcome probabilities of the kind and band;
/// a scheduled outcome (MODEL.md §5) overrides it in every policy.
struct EngineOutcomes: OutcomeSource {
  /// This year's cumulative thresholds, [kind (fusa, vusa, initial FUSA) × 2 + band].
  let thresholds: [(Double, Double, Double)]
  var variate = 0.0
  var band: SizeBand = .small
  var scheduled: [(party: Int, kind: AssessmentKind, outcome: Outcome)] = []
  var party = 0

  mutating func outcome(unit: AssessedUnit, year: Int, kind: AssessmentKind) -> Outcome {
    for s in scheduled where s.party == party && s.kind == kind { return s.outcome }
    let k: Int
    switch kind {
    case .fusa: k = 0
    case .vusa: k = 1
    default: k = 2
    }
    let t = thresholds[k * 2 + (band == .large ? 1 : 0)]
    if variate < t.0 { return .approved }
    if variate < t.1 { return .approvedSubjectToSteps }
    if variate < t.2 { return .deferred }
    return .rejected
  }
}

/// Per-year, per-policy results of one replicate: [class][metric] values in the
/// metric's own units (class 0 = all), and the assessor's demand per quarter. Held
/// in the worker's arena and written in place.
///
/// The assessments' additions (counts, assessor days, quarter days) are kept exactly,
/// as integers (`exact`, `exactQuarter`): counts as they are, days in fixed point of
/// 2⁻³² day (`fixedDays`; an assessment's days rounded to the nearest 2⁻³² day, ~2·10⁻¹⁰).
/// Their sums then do not depend on the order of the additions, which lets
/// `PolicySharing` give a policy another's contributions as a difference of sums, and
/// `settle` turns them into `values` at the year's end: cost is the year's day rate times
/// the days (G8 effort at one rate a year). Coverage and the capacity figures are
/// computed per year from these (`endYear`) in `values` directly.
struct YearResults {
  let values: Buffer<Double>
  let quarterDays: Buffer<Double>
  /// [class][metric]: the exact sums of the assessments' counts (`isCount`) and
  /// assessor days (fixed point, `fixedDays`).
  let exact: Buffer<Int64>
  /// Assessor days per quarter, 2⁻³² day.
  let exactQuarter: Buffer<Int64>
  static let width = PolicyMetric.allCases.count
  static let cellCount = MetricClass.count * YearResults.width
  /// One day in the fixed point of `exact`'s assessor days.
  static let dayScale = 0x1p32

  /// The counts `record` adds to (besides `assessorDays`, in fixed point); cost
  /// follows from the days in `settle`.
  static let isCount: [Bool] = PolicyMetric.allCases.map {
    switch $0 {
    case .fusa, .vusa, .ussa, .followUp, .initialFusa, .systemAssessment, .assessmentsTotal, .sscAgendaItems,
      .largeBandUsers, .bandChanges, .remediationPlans:
      return true
    default: return false
    }
  }

  init(_ arena: Arena) {
    values = Buffer(arena, repeating: 0, count: YearResults.cellCount)
    quarterDays = Buffer(arena, repeating: 0, count: 4)
    exact = Buffer(arena, repeating: 0, count: YearResults.cellCount)
    exactQuarter = Buffer(arena, repeating: 0, count: 4)
  }

  /// Assessor days in the fixed point of `exact` (nearest 2⁻³² day, halves away from zero).
  @inline(__always) static func fixedDays(_ days: Double) -> Int64 {
    let x = days * dayScale
    return Int64(x < 0 ? x - 0.5 : x + 0.5)
  }

  /// Adds x (a count, or `fixedDays`) to a metric for class `c` and for `all`.
  @inline(__always) func record(_ m: PolicyMetric, _ x: Int64 = 1, class c: PartyClassIndex) {
    exact[m.rawValue] &+= x
    exact[(c.rawValue &+ 1) &* YearResults.width &+ m.rawValue] &+= x
  }

  /// Adds fixed-point days (`fixedDays`) to quarter q (1–4).
  @inline(__always) func recordQuarter(_ q: Int, _ days: Int64) {
    exactQuarter[q &- 1] &+= days
  }

  /// Adds `source`'s exact sums here (a rule class's root's year, `PolicySharing`).
  func addExact(of source: YearResults) {
    for i in 0..<YearResults.cellCount { exact[i] &+= source.exact[i] }
    for q in 0..<4 { exactQuarter[q] &+= source.exactQuarter[q] }
  }

  /// The exact sums into `values` and `quarterDays`, cost at `dayRate` (GBP a day).
  func settle(dayRate: Double) {
    let days = PolicyMetric.assessorDays.rawValue
    let cost = PolicyMetric.costGBP.rawValue
    for c in 0..<MetricClass.count {
      let row = c &* YearResults.width
      for m in 0..<YearResults.width where YearResults.isCount[m] {
        values[row &+ m] = Double(exact[row &+ m])
      }
      let d = Double(exact[row &+ days]) / YearResults.dayScale
      values[row &+ days] = d
      values[row &+ cost] = d * dayRate
    }
    for q in 0..<4 { quarterDays[q] = Double(exactQuarter[q]) / YearResults.dayScale }
  }

  func clear() {
    values.fill(0, count: YearResults.cellCount)
    quarterDays.fill(0, count: 4)
    exact.fill(0, count: YearResults.cellCount)
    exactQuarter.fill(0, count: 4)
  }

  /// Adds x to a metric for class `c` and for `all` (the per-year figures of `endYear`).
  @inline(__always) func add(_ m: PolicyMetric, _ x: Double, class c: PartyClassIndex) {
    values[m.rawValue] += x
    values[(c.rawValue + 1) * YearResults.width + m.rawValue] += x
  }

  @inline(__always) func value(_ m: PolicyMetric, classIndex c: Int) -> Double { values[c * YearResults.width + m.rawValue] }
  @inline(__always) func set(_ m: PolicyMetric, classIndex c: Int, _ x: Double) { values[c * YearResults.width + m.rawValue] = x }
}

/// Effort table index per assessment (EngineInput.ProcessValues.effort).
enum EffortKind: Int {
  case fusa = 0
  case vusa, ussa, initialFusa, review

  init(_ kind: AssessmentKind) {
    switch kind {
    case .vusa: self = .vusa
    case .ussa: self = .ussa
    case .initialFusa: self = .initialFusa
    default: self = .fusa
    }
  }
}

extension PolicyRun {
  /// Decides and counts every assessment of one year (MODEL.md §5 items 9–10 after
  /// the future is drawn; §8; §9): second systems first (the SSC decides on
  /// notification), then each unit's regular assessment and due follow-ups, then
  /// detection, coverage and effort. The plain path: `beginYear` (which makes every
  /// party's decision, `decideYear`), then `assessParty` for each present party in
  /// slot order, then `endYear`. The engine runs the same pieces through
  /// `PolicySharing`, which lets policies whose state and decision inputs are equal
  /// share one party's work (same results, bit for bit).
  mutating func assess(_ w: World, _ exposure: YearExposure, yearIndex yi: Int, results r: YearResults) {
    beginYear(w, yearIndex: yi, results: r)
    for p in 0..<w.partyCount where w.present[p] {
      assessParty(w, exposure, party: p, results: r)
    }
    endYear(w, exposure, yearIndex: yi, results: r)
  }

  /// The year's set-up: new parties, systems and issues, cleared results, SRP
  /// aggregates (§8.8), every present party's bands (`decideYear`), the year's
  /// outcome source and detection hazards.
  mutating func beginYear(_ w: World, yearIndex yi: Int, results r: YearResults) {
    admitNew(w)
    let y = w.input.year(yi)
    year = y
    horizon = w.input.year(w.input.years - 1)
    yearIndex = yi
    dayRate = w.input.dayRateGBP[yi]
    let pr = w.input.processes
    detectionHazard = (
      PolicyRun.hazard(probability: pr.detectionFusa[yi]), PolicyRun.hazard(probability: pr.detectionVusa[yi]),
      PolicyRun.hazard(probability: pr.detectionUssa[yi]), PolicyRun.hazard(probability: pr.detectionReview[yi])
    )
    r.clear()
    // §8.8: SRP aggregates at the moment of the deciding counts.
    if policy.aggregation.mode == .srpAggregate {
      if policy.countTiming == .sameYear {
        srpAggregate = computeAggregates(w, year: y, counts: w.decidingNext)
      } else {
        srpAggregate = computeAggregates(w, year: yi == 0 ? y : y - 1, counts: w.deciding)
      }
    }
    outcomes = EngineOutcomes(thresholds: (0..<6).map { pr.outcomeThresholds[$0 / 2][$0 % 2][yi] })
    for event in w.input.events[yi] {
      if case .outcome(let t, let kind, let o) = event, let p = w.slot(ofTemplate: t) { outcomes.scheduled.append((p, kind, o)) }
    }
    for s in 0..<w.systemCount { systemFusaThisYear[s] = false }
    decideYear(w)
  }

  /// Every present party's decision inputs this year (`decide`), made once before
  /// any assessment: they read only the deciding counts (§8.3) and the SRP
  /// aggregates (§8.8), which no assessment changes.
  mutating func decideYear(_ w: World) {
    for p in 0..<w.partyCount where w.present[p] { decide(w, party: p) }
  }

  /// The decision inputs of a party this year: each unit's band (§8.1, §8.3, §8.4,
  /// §8.8) as a key into `yearKey` (bit `slot` set where the slot's band is large;
  /// unbanded rows count as small, `BandDecision.effectiveBand`), and the first
  /// unit's deciding count into `yearCount`. Everything else this year's step does
  /// for the party follows from these bands and the party's state (`PolicySharing`
  /// relies on it): two runs with equal units decided the same bands exactly when
  /// their keys are equal.
  @inline(__always) @discardableResult
  mutating func decide(_ w: World, party p: Int) -> UInt64 {
    var key: UInt64 = 0
    var count = 0.0
    let srpMax = srpAggregateMax(w, party: p, year: year)
    // §8.3: end-of-last-year counts decide, or this year's own under `count_timing: same_year`.
    let counts = sameYearCounts ? w.decidingNext[p] : w.deciding[p]
    for slot in 0..<unitSlots {
      let ri = unitRole[p &* roleSlots &+ slot]
      guard ri >= 0 else { continue }
      let rules = rulesTable.base + ri  // two fields read in place (no copy of the rules)
      let decision = policy.band(role: rules.pointee.role, banded: rules.pointee.banded, counts: counts, srpAggregate: srpMax)
      if decision.band == .large { key |= 1 &<< UInt64(slot) }
      if slot == 0 { count = decision.count ?? 0 }
    }
    yearKey[p] = key
    yearCount[p] = count
    return key
  }

  /// The effective band of unit slot `slot` of party p this year (`decide`'s key).
  @inline(__always) func band(party p: Int, slot: Int) -> SizeBand {
    (yearKey[p] &>> UInt64(slot)) & 1 == 1 ? .large : .small
  }

  /// One party's assessments this year, from the bands `decide` set: second systems,
  /// each unit's regular assessment and follow-ups, detection. Adds to `r` through
  /// `YearResults.record` (exact sums, so `PolicySharing` can pass them between policies).
  mutating func assessParty(_ w: World, _ exposure: YearExposure, party p: Int, results r: YearResults) {
    let y = year
    let lastYear = horizon
    let width = roleSlots * World.variatesPerRole
    let c = w.partyClass[p]
    let q = w.quarter[p]
    let host = exposure.hostIsSRP[p] ? 1 : 0
    yearBand[p] = nil
    yearKind[p] = nil
    yearBandChanged[p] = false
    yearFollowUps[p] = 0
    yearSystemAssessments[p] = 0

    // 1. Second and subsequent User Systems starting this year (§8.10, seed 004).
    var s = exposure.systemEvent[p] ? w.firstSystem[p] : -1
    while s >= 0 {
      if w.systemStart[s] == y, w.systemIsLater[s] {
        let srp = w.systemSRP[s]
        let srpAssessed = srp >= 0 && w.input.srps[srp].isAssessed(by: y)
        let action = policy.secondSystem.onStart(srpAssessed: srpAssessed, sscVariate: w.systemVariates[2 * s])
        if policy.secondSystem.notifies { r.record(.sscAgendaItems, class: c) }
        switch action {
        case .alreadyAssessed:
          systemState[s] = SystemState(cover: .srpAssessed, coveredYear: y)
        case .assess:
          systemState[s] = SystemState(cover: .systemAssessment, coveredYear: y)
          let kind = policy.secondSystem.effortKind
          let ek = EffortKind(kind)
          let days = w.effort.days(ek.rawValue, w.systemSRP[s] >= 0 ? 1 : 0, w.systemVariates[2 * s + 1])
          count(.systemAssessment, days: days, quarter: w.systemStartQuarter[s], class: c, into: r)
          yearSystemAssessments[p] += 1
          detect(w, system: s, hazard: hazard(kind))
          if kind == .fusa || kind == .initialFusa { markFusa(s, y) }
        case .unassessedNotNotified, .unassessedSSCDeclined:
          break
        }
      } else if w.systemSRP[s] >= 0, systemState[s].isUnassessed, w.input.srps[w.systemSRP[s]].assessedYear == y,
        w.inService(s, y)
      {
        systemState[s] = SystemState(cover: .srpAssessed, coveredYear: y)
      }
      s = w.nextSystemOfParty[s]
    }

    // 2. Each unit's regular assessment and follow-ups (§8.2–§8.7, §8.9).
    for slot in 0..<unitSlots {
      let u = p * roleSlots + slot
      let ri = unitRole[u]
      guard ri >= 0 else { continue }  // admitNew sets a role only where the regime has its rules
      let rules = rulesTable[ri]
      let effectiveBand = band(party: p, slot: slot)
      outcomes.variate = w.partyVariates[p * width + slot * World.variatesPerRole]
      outcomes.band = effectiveBand
      outcomes.party = p
      let unit = AssessedUnit(party: p, role: policy.dualRole == .onePerRole ? rules.role : nil)
      let firstStep = units[u].lastYear == nil
      let d = units[u].step(
        year: y, band: effectiveBand, quarter: q, horizon: lastYear, rules: rules, unit: unit, outcomes: &outcomes)
      if firstStep && !d.isEntry {
        // Systems taken as assessed at the start date their last FUSA from the unit (§8.13).
        var t = w.firstSystem[p]
        while t >= 0 {
          if systemLastFusa[t] == Int.min { systemLastFusa[t] = units[u].lastFullYear ?? w.entryYear[p] }
          t = w.nextSystemOfParty[t]
        }
      }
      if slot == 0 {
        yearBand[p] = d.band
        yearKind[p] = d.regular
        yearBandChanged[p] = d.bandChanged
      }
      if d.band == .large { r.record(.largeBandUsers, class: c) }
      if d.bandChanged { r.record(.bandChanges, class: c) }
      if d.remediationPlan {
        r.record(.remediationPlans, class: c)
        r.record(.sscAgendaItems, class: c)
      }
      // The regular (or entry) assessment.
      let kind = d.regular
      let metric: PolicyMetric
      switch kind {
      case .fusa: metric = .fusa
      case .vusa: metric = .vusa
      case .ussa: metric = .ussa
      default: metric = .initialFusa
      }
      let days = w.effort.days(EffortKind(kind).rawValue, host, w.partyVariates[p * width + slot * World.variatesPerRole + 1])
      count(metric, days: days, quarter: q, class: c, into: r)
      coverSystems(w, party: p, year: y, quarter: q, kind: kind, hazard: hazard(kind))
      // Follow-ups due this year (§8.6).
      for f in d.followUps {
        let ek: EffortKind = f.isFusaKind ? .fusa : .review
        let fdays = w.effort.days(
          ek.rawValue, ek == .review ? 0 : host,
          w.partyVariates[p * width + slot * World.variatesPerRole + 2])
        count(.followUp, days: fdays, quarter: f.quarter, class: c, into: r)
        yearFollowUps[p] += 1
        coverSystems(
          w, party: p, year: y, quarter: f.quarter, kind: f.isFusaKind ? .followUp : .ussa,
          hazard: f.isFusaKind ? detectionHazard.fusa : detectionHazard.review, fusaKind: f.isFusaKind)
      }
    }
  }

  /// The state of a party that `PolicySharing` passes between runs (`materialise`),
  /// as plain buffers (no copy of the run): its units, and its systems' and issues' state.
  struct PartyStateView {
    let units: Buffer<UnitState>
    let systemState: Buffer<SystemState>
    let systemLastFusa: Buffer<Int>
    let systemFusaThisYear: Buffer<Bool>
    let openIssuesOfSystem: Buffer<Int>
    let issueRemaining: Buffer<Double>
  }

  var stateView: PartyStateView {
    PartyStateView(
      units: units, systemState: systemState, systemLastFusa: systemLastFusa, systemFusaThisYear: systemFusaThisYear,
      openIssuesOfSystem: openIssuesOfSystem, issueRemaining: issueRemaining)
  }

  /// Gives `target` `source`'s state of party p: its units, and its systems' cover,
  /// last FUSA, FUSA flag of the year and open issues (`PolicySharing`, when a
  /// policy that shared another's state starts computing for itself).
  static func materialise(
    _ p: Int, from sourceView: UnsafePointer<PartyStateView>, to targetView: UnsafePointer<PartyStateView>, roleSlots: Int, _ w: World
  ) {
    let source = sourceView.pointee
    let target = targetView.pointee
    for slot in 0..<roleSlots {
      let u = p * roleSlots + slot
      target.units[u] = source.units[u]
    }
    var s = w.firstSystem[p]
    while s >= 0 {
      materialiseSystem(s, from: sourceView, to: targetView, w)
      s = w.nextSystemOfParty[s]
    }
  }

  /// Gives `target` `source`'s state of one system and its issues.
  static func materialiseSystem(
    _ s: Int, from sourceView: UnsafePointer<PartyStateView>, to targetView: UnsafePointer<PartyStateView>, _ w: World
  ) {
    let source = sourceView.pointee
    let target = targetView.pointee
    target.systemState[s] = source.systemState[s]
    target.systemLastFusa[s] = source.systemLastFusa[s]
    target.systemFusaThisYear[s] = source.systemFusaThisYear[s]
    target.openIssuesOfSystem[s] = source.openIssuesOfSystem[s]
    var i = w.firstIssue[s]
    while i >= 0 {
      target.issueRemaining[i] = source.issueRemaining[i]
      i = w.nextIssueOfSystem[i]
    }
  }

  /// The year's totals after every party: coverage (§9), capacity and cost per User.
  /// `shared`: where this run's system state lives when `PolicySharing` holds it
  /// in another run (nil: in this run).
  mutating func endYear(
    _ w: World, _ exposure: YearExposure, yearIndex yi: Int, results r: YearResults, shared: SharedState? = nil
  ) {
    r.settle(dayRate: dayRate)
    coverageMetrics(w, exposure, year: year, into: r, shared: shared)
    // Capacity (class all only): all demand on the assessor per quarter (§9).
    var peak = 0.0
    var exceeded = 0.0
    for qi in 0..<4 {
      let demand = r.quarterDays[qi] + w.input.otherDemandPerQuarter[yi][qi]
      r.set(PolicyMetric(rawValue: PolicyMetric.assessorDaysQ1.rawValue + qi)!, classIndex: 0, demand)
      peak = max(peak, demand)
      if demand > w.input.capacityPerQuarter[yi][qi] { exceeded = 1 }
    }
    r.set(.peakQuarterAssessorDays, classIndex: 0, peak)
    r.set(.capacityExceeded, classIndex: 0, exceeded)
    // Cost per present User of each class.
    for ci in 0..<MetricClass.count {
      let n = exposure.presentByClass[ci]
      r.set(.costPerUserGBP, classIndex: ci, n > 0 ? r.value(.costGBP, classIndex: ci) / n : 0)
    }
  }

  /// This year's detection hazard of an assessment of `kind` (`detect`).
  @inline(__always) func hazard(_ kind: AssessmentKind) -> Double {
    switch kind {
    case .vusa: return detectionHazard.vusa
    case .ussa: return detectionHazard.ussa
    default: return detectionHazard.fusa
    }
  }

  /// −log(1 − d): the hazard of an assessment that detects each open issue with
  /// probability d (§5.9); +∞ for d = 1.
  static func hazard(probability d: Double) -> Double { -Double.log(onePlus: -d) }

  @inline(__always)
  func count(_ metric: PolicyMetric, days: Double, quarter: Int, class c: PartyClassIndex, into r: YearResults) {
    let fixed = YearResults.fixedDays(days)
    r.record(metric, class: c)
    r.record(.assessmentsTotal, class: c)
    r.record(.sscAgendaItems, class: c)
    r.record(.assessorDays, fixed, class: c)
    r.recordQuarter(quarter, fixed)
  }

  @inline(__always) mutating func markFusa(_ s: Int, _ y: Int) {
    systemLastFusa[s] = y
    systemFusaThisYear[s] = true
  }

  /// A User-level assessment covers its systems except those still unassessed (§9);
  /// a regular or initial FUSA first clears unassessed ones started by then (§8.10).
  mutating func coverSystems(
    _ w: World, party p: Int, year y: Int, quarter q: Int, kind: AssessmentKind, hazard h: Double, fusaKind: Bool = false
  ) {
    var s = w.firstSystem[p]
    while s >= 0 {
      if w.inService(s, y) {
        if kind == .initialFusa, systemState[s].isUnassessed {
          systemState[s] = SystemState(cover: .initialFusa, coveredYear: y)
        } else if kind == .fusa {
          _ = systemState[s].applyRegularFusa(year: y, quarter: q, startYear: w.systemStart[s], startQuarter: w.systemStartQuarter[s])
        }
        if !systemState[s].isUnassessed {
          detect(w, system: s, hazard: h)
          if kind == .fusa || kind == .initialFusa || fusaKind { markFusa(s, y) }
        }
      }
      s = w.nextSystemOfParty[s]
    }
  }

  /// An assessment that detects each open issue with probability d (§5.9), as a
  /// hazard h = −log(1 − d): each open issue's remaining resistance (its Exp(1) draw,
  /// `World.issueResistance`, less the hazards of the assessments it has met) falls by
  /// h, and the issue is detected when it falls below zero. An issue that has met
  /// hazards h₁…hₙ is still open with probability exp(−Σh) = Π(1 − dⱼ), each
  /// assessment detecting independently with its dⱼ, as §5.9 says; and as the
  /// resistance is the issue's own, a policy that assesses more detects it no later
  /// (common random numbers, MODEL.md §10).
  mutating func detect(_ w: World, system s: Int, hazard h: Double) {
    guard h > 0, openIssuesOfSystem[s] > 0 else { return }
    var i = w.firstIssue[s]
    while i >= 0 {
      let remaining = issueRemaining[i]
      if remaining >= 0 {
        let left = remaining - h
        issueRemaining[i] = left
        if left < 0 { openIssuesOfSystem[s] -= 1 }
      }
      i = w.nextIssueOfSystem[i]
    }
  }

  /// Risk coverage of MODEL.md §9, weighted by exposure: each system's share of its
  /// User's smart metering systems × the role weight (`YearExposure`, the same for
  /// every policy); what differs by policy is which systems had a FUSA this year,
  /// when their last one was, and what is unassessed or undetected.
  ///
  /// The sums are exact, in fixed point (`coverageScale`: each system's exposure and
  /// meters to the nearest 2⁻¹⁶; ages in whole years times that exposure), so their
  /// order does not matter: under `PolicySharing` a policy that is
  /// not its rule class's root starts from the root's sums (made first) and adds,
  /// for the systems whose state another policy holds, how its contribution differs
  /// from the root's. Most systems are held by the root and cost it nothing.
  func coverageMetrics(_ w: World, _ exposure: YearExposure, year y: Int, into r: YearResults, shared: SharedState? = nil) {
    let width = MetricClass.count
    let sums = shared.map { $0.coverage.base + $0.policy * PolicyRun.coverageWidth } ?? coverageSums.base
    let covered = sums
    let age = sums + width
    let unassessedMeters = sums + 2 * width
    let undetected = sums + 3 * width
    let scale = PolicyRun.coverageScale
    /// Adds `sign` × system s's contribution read from `v`.
    @inline(__always) func add(_ s: Int, _ v: UnsafePointer<PartyStateView>, sign: Int64) {
      let e = Int64(exposure.weight[s] * scale + 0.5) &* sign  // ≥ 0: to the nearest
      let m = Int64(exposure.meters[s] * scale + 0.5) &* sign
      let ci = exposure.classIndex[s].rawValue &+ 1
      if v.pointee.systemFusaThisYear[s] {
        covered[0] &+= e
        covered[ci] &+= e
      }
      let unassessed = v.pointee.systemState[s].isUnassessed
      let lastFusa = v.pointee.systemLastFusa[s]
      let last = unassessed || lastFusa == Int.min ? w.systemStart[s] : lastFusa
      let a = Int64(y &- last) &* e
      age[0] &+= a
      age[ci] &+= a
      if unassessed {
        unassessedMeters[0] &+= m
        unassessedMeters[ci] &+= m
      }
      let open = Int64(v.pointee.openIssuesOfSystem[s])
      if open > 0 {
        undetected[0] &+= open &* m
        undetected[ci] &+= open &* m
      }
    }
    if let shared, shared.root != shared.policy {
      // The root's sums, then the differences where this policy's state is held elsewhere.
      let policies = shared.policies
      let k = shared.policy
      let root = shared.views.base + shared.root
      sums.update(from: shared.coverage.base + shared.root * PolicyRun.coverageWidth, count: PolicyRun.coverageWidth)
      for i in 0..<exposure.count {
        let s = exposure.systems[i]
        let p = shared.systemParty[s]
        let holder = p >= 0 ? Int(shared.stateClass[p &* policies &+ k]) : shared.root
        guard holder != shared.root else { continue }
        add(s, shared.views.base + holder, sign: 1)
        add(s, root, sign: -1)
      }
    } else {
      // A root holds its own state of every party.
      sums.update(repeating: 0, count: PolicyRun.coverageWidth)
      withUnsafePointer(to: stateView) { own in
        for i in 0..<exposure.count { add(exposure.systems[i], own, sign: 1) }
      }
    }
    let estate = exposure.estate
    for ci in 0..<width {
      r.set(.coverageFusaShare, classIndex: ci, estate[ci] > 0 ? Double(covered[ci]) / scale / estate[ci] : 0)
      r.set(.fusaAgeYears, classIndex: ci, estate[ci] > 0 ? Double(age[ci]) / scale / estate[ci] : 0)
      r.set(.unassessedSystemMeters, classIndex: ci, Double(unassessedMeters[ci]) / scale)
      r.set(.undetectedIssueMeterYears, classIndex: ci, Double(undetected[ci]) / scale)
    }
  }
}
