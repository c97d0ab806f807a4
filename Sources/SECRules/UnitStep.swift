// The per-unit core of the scheduler: a small mutating state and a step function
// that decides one present year (MODEL.md §8.2, §8.5, §8.6, §8.7, §8.12, §8.13).
// Generic over the outcome source, allocation-free per call, so the Monte Carlo
// engine can call it in its hot loop; the explained scheduler is built on it.

/// The unit a regular cycle belongs to (§8.9): a whole Party under one assessment
/// per Party (`role == nil`), or one of its roles under one assessment per role.
/// `party` is the caller's index of the Party (the explained scheduler uses its
/// position in `Population.parties`), so entity-keyed variates can use it (§10).
public struct AssessedUnit: Sendable, Hashable {
  public var party: Int
  public var role: UserRole?

  public init(party: Int, role: UserRole? = nil) {
    self.party = party
    self.role = role
  }
}

/// Where the outcome of an initial FUSA, FUSA or VUSA comes from (MODEL.md §2;
/// G8.34 statuses). The Monte Carlo engine supplies entity-keyed random outcomes
/// (§10), tests supply scheduled ones. Called once per such assessment, in
/// year order for a unit.
public protocol OutcomeSource {
  mutating func outcome(unit: AssessedUnit, year: Int, kind: AssessmentKind) -> Outcome
}

/// An outcome source that always answers the same (Approved by default).
public struct FixedOutcomes: OutcomeSource, Sendable {
  public var value: Outcome
  public init(_ value: Outcome = .approved) { self.value = value }
  @inlinable public mutating func outcome(unit: AssessedUnit, year: Int, kind: AssessmentKind) -> Outcome { value }
}

/// An outcome source backed by a closure (unit, year, kind) → outcome.
public struct ClosureOutcomes: OutcomeSource {
  public var body: (AssessedUnit, Int, AssessmentKind) -> Outcome
  public init(_ body: @escaping (AssessedUnit, Int, AssessmentKind) -> Outcome) { self.body = body }
  public mutating func outcome(unit: AssessedUnit, year: Int, kind: AssessmentKind) -> Outcome { body(unit, year, kind) }
}

extension AssessmentKind {
  /// Whether the SSC assigns an assurance status to this kind (MODEL.md §2: the
  /// outcome of an initial FUSA, FUSA or VUSA). USSAs, follow-ups and system
  /// assessments have none in the model, so they trigger nothing (§8.6, §8.10).
  @inlinable @inline(__always) public var hasOutcome: Bool { self == .fusa || self == .vusa || self == .initialFusa }
}

/// A follow-up assessment (MODEL.md §8.6): when it falls and what triggered it.
/// Held compactly (years as 32-bit, quarters as bytes: 13 bytes) because every
/// unit carries a queue of them through the engine's hot loop.
public struct FollowUp: Sendable, Hashable {
  @usableFromInline var _year: Int32
  @usableFromInline var _triggerYear: Int32
  @usableFromInline var _quarter: UInt8
  @usableFromInline var _triggerQuarter: UInt8
  /// The assessment whose outcome triggered it, and that outcome.
  public var triggerKind: AssessmentKind
  public var triggerOutcome: Outcome
  /// Whether it is a full FUSA for effort, detection and coverage (after Rejected by
  /// default, `FollowUpPolicy.fusaKindAfter`), else a targeted review (MODEL.md §2, §9).
  public var isFusaKind: Bool

  /// Year it falls in.
  @inlinable public var year: Int {
    get { Int(_year) }
    set { _year = Int32(newValue) }
  }
  /// Quarter (1–4) it falls in.
  @inlinable public var quarter: Int {
    get { Int(_quarter) }
    set { _quarter = UInt8(newValue) }
  }
  /// Year of the triggering assessment.
  @inlinable public var triggerYear: Int {
    get { Int(_triggerYear) }
    set { _triggerYear = Int32(newValue) }
  }
  /// Quarter (1–4) of the triggering assessment.
  @inlinable public var triggerQuarter: Int {
    get { Int(_triggerQuarter) }
    set { _triggerQuarter = UInt8(newValue) }
  }

  @inlinable public init(
    year: Int, quarter: Int, triggerKind: AssessmentKind, triggerOutcome: Outcome, triggerYear: Int, triggerQuarter: Int,
    isFusaKind: Bool
  ) {
    self._year = Int32(year)
    self._quarter = UInt8(quarter)
    self.triggerKind = triggerKind
    self.triggerOutcome = triggerOutcome
    self._triggerYear = Int32(triggerYear)
    self._triggerQuarter = UInt8(triggerQuarter)
    self.isFusaKind = isFusaKind
  }
}

extension FollowUpPolicy {
  /// Where a follow-up k = ⌈months/3⌉ quarters after an outcome in quarter q of year
  /// y falls (§8.6): year y + ⌊(q − 1 + k)/4⌋, quarter ((q − 1 + k) mod 4) + 1.
  @inlinable public func placement(year: Int, quarter: Int) -> (year: Int, quarter: Int) {
    FollowUpPolicy.placement(year: year, quarter: quarter, quarters: quarters)
  }

  /// The placement formula itself, for callers that hold ⌈months/3⌉ already.
  @inlinable public static func placement(year: Int, quarter: Int, quarters: Int) -> (year: Int, quarter: Int) {
    let t = quarter - 1 + quarters
    return (year + t / 4, t % 4 + 1)
  }
}

/// Up to four follow-ups held inline (no allocation). With months ≤ 36 (checked by
/// `Policy.problems()`) a unit never has more than four pending: one can be
/// triggered per year and each lands at most three years later.
public struct FollowUpQueue: Sendable, Hashable, Sequence {
  @usableFromInline var s0: FollowUp?
  @usableFromInline var s1: FollowUp?
  @usableFromInline var s2: FollowUp?
  @usableFromInline var s3: FollowUp?

  @inlinable public init() {}

  @inlinable public var count: Int { (s0 == nil ? 0 : 1) + (s1 == nil ? 0 : 1) + (s2 == nil ? 0 : 1) + (s3 == nil ? 0 : 1) }
  @inlinable @inline(__always) public var isEmpty: Bool { s0 == nil && s1 == nil && s2 == nil && s3 == nil }

  @inlinable subscript(slot slot: Int) -> FollowUp? {
    get {
      switch slot {
      case 0: return s0
      case 1: return s1
      case 2: return s2
      default: return s3
      }
    }
    set {
      switch slot {
      case 0: s0 = newValue
      case 1: s1 = newValue
      case 2: s2 = newValue
      default: s3 = newValue
      }
    }
  }

  /// Adds a follow-up in the first free slot; false (and nothing added) if full.
  @inlinable @discardableResult public mutating func append(_ f: FollowUp) -> Bool {
    for i in 0..<4 where self[slot: i] == nil {
      self[slot: i] = f
      return true
    }
    return false
  }

  /// Removes and returns the follow-ups falling in `year` (in order of quarter).
  @inlinable public mutating func removeDue(in year: Int) -> FollowUpQueue {
    var due = FollowUpQueue()
    for i in 0..<4 {
      if let f = self[slot: i], f.year == year {
        due.append(f)
        self[slot: i] = nil
      }
    }
    due.sortByQuarter()
    return due
  }

  /// Removes and returns everything.
  @inlinable public mutating func removeAll() -> FollowUpQueue {
    let all = self
    self = FollowUpQueue()
    return all
  }

  @inlinable mutating func sortByQuarter() {
    // Insertion sort over four slots, nil last.
    for i in 1..<4 {
      var j = i
      while j > 0, FollowUpQueue.before(self[slot: j], self[slot: j - 1]) {
        let t = self[slot: j]
        self[slot: j] = self[slot: j - 1]
        self[slot: j - 1] = t
        j -= 1
      }
    }
  }

  @inlinable static func before(_ a: FollowUp?, _ b: FollowUp?) -> Bool {
    guard let a else { return false }
    guard let b else { return true }
    return (a.year, a.quarter) < (b.year, b.quarter)
  }

  /// Iterates the occupied slots in slot order.
  public struct Iterator: IteratorProtocol {
    @usableFromInline var queue: FollowUpQueue
    @usableFromInline var slot = 0
    @inlinable init(queue: FollowUpQueue) { self.queue = queue }
    @inlinable public mutating func next() -> FollowUp? {
      while slot < 4 {
        defer { slot += 1 }
        if let f = queue[slot: slot] { return f }
      }
      return nil
    }
  }

  @inlinable public func makeIterator() -> Iterator { Iterator(queue: self) }
}

/// A regime cycle held inline (no heap storage): up to `capacity` assessment kinds
/// packed one byte each, so the per-unit step copies rules without retaining anything.
public struct PackedCycle: Sendable, Hashable {
  /// The longest cycle a regime may state (checked by `Regime.problems()`).
  public static let capacity = 8
  @usableFromInline var codes: UInt64
  /// Length L of the cycle.
  public let count: Int

  public init(_ kinds: [AssessmentKind]) {
    precondition(kinds.count <= PackedCycle.capacity, "a cycle holds at most \(PackedCycle.capacity) years")
    var codes: UInt64 = 0
    for (i, k) in kinds.enumerated() { codes |= UInt64(k.code) << UInt64(8 * i) }
    self.codes = codes
    self.count = kinds.count
  }

  /// The kind at 0-based index i.
  @inlinable @inline(__always) public subscript(i: Int) -> AssessmentKind {
    AssessmentKind.fromCode(UInt8(truncatingIfNeeded: codes >> UInt64(8 * i)))
  }

  /// The kinds in order.
  public var kinds: [AssessmentKind] { (0..<count).map { self[$0] } }
}

extension AssessmentKind {
  /// A small code for packed storage (its index in `allCases`).
  @inlinable public var code: UInt8 {
    switch self {
    case .fusa: return 0
    case .vusa: return 1
    case .ussa: return 2
    case .followUp: return 3
    case .initialFusa: return 4
    case .systemAssessment: return 5
    }
  }

  @inlinable public static func fromCode(_ c: UInt8) -> AssessmentKind {
    switch c {
    case 0: return .fusa
    case 1: return .vusa
    case 2: return .ussa
    case 3: return .followUp
    case 4: return .initialFusa
    default: return .systemAssessment
    }
  }
}

extension Outcome {
  /// One bit per outcome, for sets held as masks.
  @inlinable public var bit: UInt8 {
    switch self {
    case .approved: return 1
    case .approvedSubjectToSteps: return 2
    case .deferred: return 4
    case .rejected: return 8
    }
  }

  static func mask(_ set: Set<Outcome>) -> UInt8 { set.reduce(0) { $0 | $1.bit } }
}

/// The fixed rules one unit follows, taken from a policy once (the role's cycles,
/// entry kind, band transitions, follow-up rules) so that a step reads no
/// dictionaries and copies no heap storage. Build one per (policy, governing role).
public struct UnitRules: Sendable, Hashable {
  /// The role whose regime row the unit follows (§8.9).
  public var role: UserRole
  /// Whether that row is banded (§8.4); unbanded rows ignore the band.
  public var banded: Bool
  public var smallCycle: PackedCycle
  public var largeCycle: PackedCycle
  public var entryKind: AssessmentKind
  public var transitions: BandTransitions
  /// Follow-up rules (§8.6) as plain data: months, ⌈months/3⌉ quarters, and the
  /// triggering and FUSA-kind outcomes as bit masks (`Outcome.bit`).
  public var followUpMonths: Int
  public var followUpQuarters: Int
  public var triggerMask: UInt8
  public var fusaKindMask: UInt8

  /// The rules of `role` under `policy`. Precondition: the regime has a row for
  /// `role` (checked by `Regime.problems()`).
  public init(policy: Policy, role: UserRole) {
    self.init(regime: policy.regime, role: role, followUp: policy.followUp)
  }

  public init(regime: Regime, role: UserRole, followUp: FollowUpPolicy = .init()) {
    let schedule = regime.roles[role] ?? .unbanded(cycle: [.fusa])
    self.role = role
    self.banded = schedule.isBanded
    self.smallCycle = PackedCycle(schedule.cycle(for: .small))
    self.largeCycle = PackedCycle(schedule.cycle(for: .large))
    self.entryKind = regime.entryKind
    self.transitions = regime.transitions
    self.followUpMonths = followUp.months
    self.followUpQuarters = followUp.quarters
    self.triggerMask = Outcome.mask(followUp.triggers)
    self.fusaKindMask = Outcome.mask(followUp.fusaKindAfter)
  }

  /// The small-band cycle's kinds.
  public var small: [AssessmentKind] { smallCycle.kinds }
  /// The large-band cycle's kinds.
  public var large: [AssessmentKind] { largeCycle.kinds }
  /// The follow-up policy these rules were built from.
  public var followUp: FollowUpPolicy {
    FollowUpPolicy(
      triggers: Set(Outcome.allCases.filter { triggerMask & $0.bit != 0 }), months: followUpMonths,
      fusaKindAfter: Set(Outcome.allCases.filter { fusaKindMask & $0.bit != 0 }))
  }

  @inlinable public func cycle(for band: SizeBand) -> PackedCycle {
    banded && band == .large ? largeCycle : smallCycle
  }

  /// Where a follow-up k = ⌈months/3⌉ quarters after an outcome in quarter q of year
  /// y falls (§8.6): year y + ⌊(q − 1 + k)/4⌋, quarter ((q − 1 + k) mod 4) + 1.
  @inlinable public func followUpPlacement(year: Int, quarter: Int) -> (year: Int, quarter: Int) {
    FollowUpPolicy.placement(year: year, quarter: quarter, quarters: followUpQuarters)
  }
}

/// What the step decided for one unit in one present year: compact, no heap
/// storage beyond the rules' shared arrays.
public struct UnitDecision: Sendable, Hashable {
  public var year: Int
  /// Band this year (nil for an unbanded role, §8.4).
  public var band: SizeBand?
  /// Position in the cycle (1…L) this year; the entry year is position 1 (§8.2).
  public var position: Int
  /// Length L of the cycle followed this year.
  public var cycleLength: Int
  /// The regular assessment: the entry kind in the entry year, else the cycle's kind.
  public var regular: AssessmentKind
  /// Quarter of the regular assessment (the anniversary quarter, MODEL.md §9).
  public var quarter: Int
  /// Its outcome (nil for a USSA, which has none in the model).
  public var outcome: Outcome?
  /// Whether this is the unit's entry year (initial FUSA, §8.2).
  public var isEntry: Bool
  /// Whether the band differs from last present year's (§8.14; never in the entry year).
  public var bandChanged: Bool
  /// The transition rule that set the position, when the band changed (§8.5).
  public var transition: TransitionRule?
  /// Follow-ups falling in this year (§8.6), in quarter order.
  public var followUps: FollowUpQueue
  /// A follow-up triggered this year that would fall past the horizon (dropped).
  public var droppedFollowUp: FollowUp?
  /// Whether the outcome was Approved subject to steps: a remediation plan on the SSC
  /// agenda, not an assessment (MODEL.md §2, §9).
  public var remediationPlan: Bool

  @inlinable public init(
    year: Int, band: SizeBand?, position: Int, cycleLength: Int, regular: AssessmentKind, quarter: Int, outcome: Outcome?,
    isEntry: Bool, bandChanged: Bool, transition: TransitionRule?, followUps: FollowUpQueue, droppedFollowUp: FollowUp?,
    remediationPlan: Bool
  ) {
    self.year = year
    self.band = band
    self.position = position
    self.cycleLength = cycleLength
    self.regular = regular
    self.quarter = quarter
    self.outcome = outcome
    self.isEntry = isEntry
    self.bandChanged = bandChanged
    self.transition = transition
    self.followUps = followUps
    self.droppedFollowUp = droppedFollowUp
    self.remediationPlan = remediationPlan
  }
}

/// The mutable state of one assessed unit between years: where it is in its cycle,
/// its last band, the year of its last regular or initial FUSA (y₀ of §8.5) and its
/// pending follow-ups. Step it once per present year, in year order.
public struct UnitState: Sendable, Hashable {
  @usableFromInline var _entryYear: Int
  @usableFromInline var _lastYear: Int?
  @usableFromInline var _position: Int
  @usableFromInline var _band: SizeBand?
  @usableFromInline var _lastFullYear: Int?
  @usableFromInline var _pending: FollowUpQueue

  /// Year of User entry (its initial FUSA, §8.2).
  public var entryYear: Int { _entryYear }
  /// Last year stepped (nil before the first step).
  public var lastYear: Int? { _lastYear }
  /// Position in the cycle in `lastYear` (0 before the first step).
  public var position: Int { _position }
  /// Band in `lastYear` (nil for an unbanded role or before the first step).
  public var band: SizeBand? { _band }
  /// Year of the last regular FUSA or initial FUSA (§8.5's y₀), if known.
  public var lastFullYear: Int? { _lastFullYear }
  /// Follow-ups triggered but not yet due.
  public var pending: FollowUpQueue { _pending }
  @usableFromInline var presentAtStart: Bool
  @usableFromInline var statedPosition: Int?

  /// A unit entering in `entryYear` (at or after the first simulated year): its first
  /// step is its entry assessment.
  public init(entrantIn entryYear: Int) {
    self._entryYear = entryYear
    self._lastYear = nil
    self._position = 0
    self._band = nil
    self._lastFullYear = nil
    self._pending = FollowUpQueue()
    self.presentAtStart = false
    self.statedPosition = nil
  }

  /// A unit present at the start (entered before the first simulated year, §8.13).
  /// Its first step takes position `statedPosition` (wrapped to the cycle of that
  /// year's band) or, absent that, ((y − entryYear) mod L) + 1: the position it
  /// would have with an unchanged band. That first year is not a band change.
  public init(presentSince entryYear: Int, statedPosition: Int? = nil) {
    self.init(entrantIn: entryYear)
    self.presentAtStart = true
    self.statedPosition = statedPosition
  }

  /// Decides one present year. `band` is the unit's band this year (from
  /// `Policy.decideBand`; ignored for unbanded rows), `quarter` its anniversary
  /// quarter, `horizon` the last simulated year (follow-ups falling later are
  /// dropped, §8.6). Outcomes are asked for the regular assessment only when it
  /// has one (initial FUSA, FUSA, VUSA).
  @inlinable public mutating func step<O: OutcomeSource>(
    year: Int, band rawBand: SizeBand, quarter: Int, horizon: Int, rules: UnitRules, unit: AssessedUnit, outcomes: inout O
  ) -> UnitDecision {
    let band: SizeBand? = rules.banded ? rawBand : nil
    let cycle = rules.cycle(for: rawBand)
    let length = cycle.count
    var newPosition: Int
    var kind: AssessmentKind
    var isEntry = false
    var changed = false
    var transition: TransitionRule? = nil

    if _lastYear == nil && !presentAtStart {
      // §8.2: the entry year is position 1 and holds the entry kind.
      isEntry = true
      newPosition = 1
      kind = rules.entryKind
    } else if _lastYear == nil {
      // §8.13: a User present at the start.
      if let stated = statedPosition {
        newPosition = ((stated - 1) % length + length) % length + 1
      } else {
        newPosition = ((year - _entryYear) % length + length) % length + 1
      }
      kind = cycle[newPosition - 1]
      _lastFullYear = UnitState.lastFull(before: year, position: newPosition, cycle: cycle, entryYear: _entryYear, rules: rules)
    } else {
      if rules.banded, let previous = _band, previous != rawBand {
        changed = true
        let rule = rawBand == .large ? rules.transitions.smallToLarge : rules.transitions.largeToSmall
        transition = rule
        switch rule {
        case .restart: newPosition = 1
        case .sinceLastFusa:
          if let y0 = _lastFullYear {
            newPosition = ((year - y0) % length + length) % length + 1
          } else {
            newPosition = 1
          }
        case .continue: newPosition = _position % length + 1
        }
      } else {
        // (position mod L) + 1 without a division in the usual case (position ≤ L).
        newPosition = _position < length ? _position + 1 : (_position == length ? 1 : _position % length + 1)
      }
      kind = cycle[newPosition - 1]
    }
    if kind.isFullRegular { _lastFullYear = year }
    _lastYear = year
    _position = newPosition
    _band = band

    var outcome: Outcome? = nil
    var dropped: FollowUp? = nil
    var remediation = false
    if kind.hasOutcome {
      let o = outcomes.outcome(unit: unit, year: year, kind: kind)
      outcome = o
      remediation = o == .approvedSubjectToSteps
      if rules.triggerMask & o.bit != 0 {
        let at = rules.followUpPlacement(year: year, quarter: quarter)
        let f = FollowUp(
          year: at.year, quarter: at.quarter, triggerKind: kind, triggerOutcome: o, triggerYear: year, triggerQuarter: quarter,
          isFusaKind: rules.fusaKindMask & o.bit != 0)
        if at.year > horizon || !_pending.append(f) { dropped = f }
      }
    }
    let due = _pending.isEmpty ? FollowUpQueue() : _pending.removeDue(in: year)
    return UnitDecision(
      year: year, band: band, position: newPosition, cycleLength: length, regular: kind, quarter: quarter, outcome: outcome,
      isEntry: isEntry, bandChanged: changed, transition: transition, followUps: due, droppedFollowUp: dropped,
      remediationPlan: remediation)
  }

  /// The unit exits (§8.12): it has no assessment from this year on and its pending
  /// follow-ups are dropped; returns them.
  @inlinable public mutating func exit() -> FollowUpQueue {
    _pending.removeAll()
  }

  /// y₀ for a unit present at the start whose first simulated year is at `position`:
  /// the latest earlier year whose position (counting back one a year) holds a FUSA,
  /// or the entry year if reached first (§8.5, §8.13).
  @usableFromInline static func lastFull(
    before year: Int, position: Int, cycle: PackedCycle, entryYear: Int, rules: UnitRules
  ) -> Int? {
    let length = cycle.count
    var d = 1
    while d <= length {
      let y = year - d
      if y < entryYear { return nil }
      if y == entryYear { return rules.entryKind.isFullRegular ? y : nil }
      let p = ((position - 1 - d) % length + length) % length
      if cycle[p] == .fusa { return y }
      d += 1
    }
    return nil
  }
}
