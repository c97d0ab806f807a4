// The explained scheduler: steps a population year by year under one policy and
// records, per Party, assessed unit and year, what was decided and why (issue 11).
// Built on `UnitState.step`, `Policy.decideBand` and `SecondSystemPolicy.onStart`,
// which the Monte Carlo engine calls directly in its hot loop.

/// Why an assessment is due; every assessment in a record names one.
public enum AssessmentReason: Sendable, Hashable {
  /// The User Entry Process (H1.10): the unit's entry year, position 1 (§8.2).
  case entry
  /// The regular cycle: band (nil if unbanded), position of length, and the
  /// transition rule applied if the band changed this year (§3, §8.5).
  case cycle(band: SizeBand?, position: Int, length: Int, transition: TransitionRule?)
  /// A follow-up after a triggering outcome (§8.6).
  case followUp(FollowUp)
  /// A second or subsequent User System started (seed 004, §8.10).
  case secondSystem(system: String, rule: SecondSystemPolicy.Rule)
}

/// One assessment in a record: kind, quarter, outcome (where the model has one),
/// whether it counts as a FUSA for coverage (MODEL.md §9), and why it is due.
public struct ScheduledAssessment: Sendable, Hashable, CustomStringConvertible {
  public var kind: AssessmentKind
  /// Quarter 1–4 of the record's year.
  public var quarter: Int
  public var outcome: Outcome?
  /// FUSA-kind for coverage: an initial FUSA, a regular FUSA, a follow-up after
  /// Rejected (`FollowUpPolicy.fusaKindAfter`), a system assessment with FUSA effort.
  public var isFusaKind: Bool
  public var reason: AssessmentReason

  public init(kind: AssessmentKind, quarter: Int, outcome: Outcome?, isFusaKind: Bool, reason: AssessmentReason) {
    self.kind = kind
    self.quarter = quarter
    self.outcome = outcome
    self.isFusaKind = isFusaKind
    self.reason = reason
  }

  public var description: String {
    var s = "\(kind.rawValue) in Q\(quarter)"
    if let outcome { s += " → \(outcome.rawValue)" }
    switch reason {
    case .entry:
      s += ": User entry (initial assessment, year 1 of the cycle, MODEL.md §8.2)"
    case .cycle(let band, let position, let length, let transition):
      let bandText = band.map { "\($0.rawValue) band" } ?? "unbanded"
      s += ": \(bandText), year \(position) of a \(length)-year cycle"
      if let transition { s += " (band changed: \(transition.rawValue), §8.5)" }
    case .followUp(let f):
      s += ": follow-up to the \(f.triggerKind.rawValue) of \(f.triggerYear) Q\(f.triggerQuarter) (\(f.triggerOutcome.rawValue))"
      s += f.isFusaKind ? ", a full FUSA (§8.6)" : ", a targeted review (§8.6)"
    case .secondSystem(let system, let rule):
      s += ": second or subsequent User System \(system) started (\(rule.rawValue), §8.10)"
    }
    return s
  }
}

/// One assessed unit in one year (§8.9): its band and what decided it, its position,
/// its regular assessment, its follow-ups, band change and remediation plan.
public struct UnitYearRecord: Sendable, Hashable {
  public var unit: AssessedUnit
  /// The role whose row the unit follows (the governing role under one per Party).
  public var role: UserRole
  public var year: Int
  /// Band, the unit's own count and what decided it (§8.1, §8.3, §8.8).
  public var bandDecision: BandDecision
  /// The compact decision of the per-unit step.
  public var decision: UnitDecision
  /// The regular (or entry) assessment.
  public var regular: ScheduledAssessment
  /// Follow-ups falling this year (§8.6).
  public var followUps: [ScheduledAssessment]

  public var band: SizeBand? { decision.band }
  public var position: Int { decision.position }
  public var bandChanged: Bool { decision.bandChanged }
  /// Remediation plans this year (0 or 1): Approved subject to steps (MODEL.md §2).
  public var remediationPlans: Int { decision.remediationPlan ? 1 : 0 }

  /// Every assessment of the unit this year, regular first.
  public var assessments: [ScheduledAssessment] { [regular] + followUps }

  /// Why the unit is in its band, in words.
  public var bandExplanation: String {
    switch bandDecision.basis {
    case .unbanded: return "\(role.rawValue) is unbanded in this regime (§8.4): no count read"
    case .ownCount(let basis):
      let c = bandDecision.count.map { formatCount($0) } ?? "?"
      return "own count \(c) (\(basis.rawValue)) puts it in the \(bandDecision.band?.rawValue ?? "?") band"
    case .srpAggregate(let srp, let aggregate):
      let c = bandDecision.count.map { formatCount($0) } ?? "?"
      return "own count \(c) is small, but SRP \(srp)'s aggregate \(formatCount(aggregate)) exceeds the SRP threshold (§8.8)"
    }
  }
}

/// A second or subsequent User System's start and what the rule did (§8.10).
public struct SystemStartRecord: Sendable, Hashable {
  public var system: String
  public var action: SystemStartAction
  /// Whether the User notified the SSC (an SSC agenda item, MODEL.md §9).
  public var notified: Bool

  public init(system: String, action: SystemStartAction, notified: Bool) {
    self.system = system
    self.action = action
    self.notified = notified
  }
}

/// One Party in one present year: its units' records and what happened to its User
/// Systems (system assessments, notifications, systems still unassessed at year end).
public struct PartyYearRecord: Sendable, Hashable {
  /// Index in `Population.parties`.
  public var party: Int
  public var partyID: String
  public var year: Int
  /// Class for metrics (MODEL.md §6), from its deciding counts.
  public var partyClass: PartyClass
  /// One record per assessed unit, in role-priority order (one under one per Party).
  public var units: [UnitYearRecord]
  /// Second or subsequent systems starting this year and what happened (§8.10).
  public var systemStarts: [SystemStartRecord]
  /// System assessments this year (quarter: the quarter the system starts).
  public var systemAssessments: [ScheduledAssessment]
  /// Systems cleared this year by a regular FUSA or by their SRP's assessment.
  public var systemsCleared: [String]
  /// Ids of in-service systems still unassessed at year end (§8.10).
  public var unassessedSystems: [String]

  /// Every assessment the Party has this year: units' regular and follow-ups, then
  /// system assessments. Everything SECSim counts is traceable to one of these.
  public var assessments: [ScheduledAssessment] { units.flatMap(\.assessments) + systemAssessments }
  /// SSC agenda items this year (MODEL.md §9): one per assessment, notification and
  /// remediation plan.
  public var sscAgendaItems: Int {
    assessments.count + systemStarts.filter(\.notified).count + units.reduce(0) { $0 + $1.remediationPlans }
  }
}

/// Why a follow-up was dropped (§8.6, §8.12).
public enum DropReason: String, Sendable, Hashable {
  /// The User exited before it fell.
  case exit
  /// It would fall after the last simulated year.
  case horizon
}

/// A follow-up that never happened, and why.
public struct DroppedFollowUp: Sendable, Hashable {
  public var unit: AssessedUnit
  public var followUp: FollowUp
  public var reason: DropReason
}

/// The result of scheduling a population: every present Party-year, in year then
/// population order, and the follow-ups dropped.
public struct Schedule: Sendable, Hashable {
  public var policyName: String
  public var years: ClosedRange<Int>
  public var records: [PartyYearRecord]
  public var dropped: [DroppedFollowUp]

  /// The record of the Party with this id in `year`, if it was present.
  public func record(_ partyID: String, _ year: Int) -> PartyYearRecord? {
    records.first { $0.partyID == partyID && $0.year == year }
  }
}

/// A population or policy that cannot be scheduled, with every problem listed.
public struct ScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
  public var problems: [RegimeProblem]
  public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Steps a population year by year under one policy (issue 11; MODEL.md §3, §4, §8).
///
/// Inputs the scheduler does not invent:
/// - `counts(party, y)`: the counts that decide year y (§8.3). Under the default
///   `CountTiming.previousYearEnd` that is the end of y − 1 after reporting noise,
///   the starting counts in the first simulated year, and an entrant's entry-year
///   counts for its entry year. Under `.sameYear` the caller passes year y's own
///   counts instead. It is asked also for a Party exiting in y, whose end-of-(y − 1)
///   counts still count in SRP aggregates (§8.12).
/// - outcomes of initial FUSAs, FUSAs and VUSAs (`OutcomeSource`);
/// - `sscVariate(party, system, y)`: a uniform variate in [0, 1) per new system for
///   the SSC's decision under `notify_ssc` (assess when u < p).
public struct Scheduler: Sendable {
  public var policy: Policy
  public var population: Population
  /// First and last simulated year (the horizon).
  public var years: ClosedRange<Int>

  public init(policy: Policy, population: Population, years: ClosedRange<Int>) throws {
    var problems = policy.problems()
    var ids = Set<String>()
    let srpIDs = Set(population.srps.map(\.id))
    for p in population.parties {
      if !ids.insert(p.id).inserted { problems.append(.init(field: "parties.\(p.id)", message: "duplicate id")) }
      if p.roles.isEmpty { problems.append(.init(field: "parties.\(p.id).roles", message: "no role")) }
      if let exit = p.exitYear, exit <= p.entryYear {
        problems.append(.init(field: "parties.\(p.id).exit_year", message: "must be after the entry year \(p.entryYear)"))
      }
      if !(1...4).contains(p.anniversaryQuarter) {
        problems.append(.init(field: "parties.\(p.id).anniversary_quarter", message: "must be 1–4"))
      }
      for s in p.systems {
        if let srp = s.host.srpID, !srpIDs.contains(srp) {
          problems.append(.init(field: "parties.\(p.id).systems.\(s.id)", message: "unknown SRP \(srp)"))
        }
        if let q = s.startQuarter, !(1...4).contains(q) {
          problems.append(.init(field: "parties.\(p.id).systems.\(s.id).start_quarter", message: "must be 1–4"))
        }
      }
      for (role, position) in p.statedPositions where position < 1 || !p.roles.contains(role) {
        problems.append(.init(field: "parties.\(p.id).positions.\(role.rawValue)", message: "must be ≥ 1 for one of its roles"))
      }
    }
    if !problems.isEmpty { throw ScheduleError(problems: problems) }
    self.policy = policy
    self.population = population
    self.years = years
  }

  /// The units of a Party under the policy's dual-role mode (§8.9), with their roles.
  public func units(ofParty index: Int) -> [(unit: AssessedUnit, role: UserRole)] {
    let party = population.parties[index]
    switch policy.dualRole {
    case .onePerParty:
      let role = policy.regime.governingRole(of: party.roles) ?? .otherUser
      return [(AssessedUnit(party: index, role: nil), role)]
    case .onePerRole:
      return policy.regime.orderedRoles(of: party.roles).map { (AssessedUnit(party: index, role: $0), $0) }
    }
  }

  /// Runs the schedule over `years`.
  public func run<O: OutcomeSource>(
    counts: (Int, Int) -> PortfolioCounts, outcomes: inout O, sscVariate: (Int, String, Int) -> Double = { _, _, _ in 1 }
  ) -> Schedule {
    let parties = population.parties
    let first = years.lowerBound
    let horizon = years.upperBound
    let srpIndex = Dictionary(uniqueKeysWithValues: population.srps.enumerated().map { ($1.id, $0) })

    var rules: [UserRole: UnitRules] = [:]
    for role in UserRole.allCases { rules[role] = UnitRules(policy: policy, role: role) }
    var unitStates: [[UnitState]] = []
    var unitLists: [[(unit: AssessedUnit, role: UserRole)]] = []
    var systemStates: [[SystemState]] = []
    for (i, p) in parties.enumerated() {
      let units = self.units(ofParty: i)
      unitLists.append(units)
      unitStates.append(
        units.map { u in
          p.entryYear < first
            ? UnitState(presentSince: p.entryYear, statedPosition: p.statedPositions[u.role]) : UnitState(entrantIn: p.entryYear)
        })
      systemStates.append(p.systems.map { _ in SystemState() })
    }

    var records: [PartyYearRecord] = []
    var dropped: [DroppedFollowUp] = []
    for y in years {
      // §8.3, §8.8, §8.12: the aggregates deciding y are taken when the counts are:
      // membership at the end of y − 1 (the first year: at the start).
      let ref = policy.countTiming == .previousYearEnd && y > first ? y - 1 : y
      var aggregates = [Double](repeating: 0, count: population.srps.count)
      if policy.aggregation.mode == .srpAggregate {
        for (i, srp) in population.srps.enumerated() {
          if let stated = srp.statedAggregate {
            aggregates[i] = Double(stated)
            continue
          }
          var total = 0
          for (pi, p) in parties.enumerated() where p.isPresent(in: ref) {
            if p.systems.contains(where: { $0.host.srpID == srp.id && $0.inService(in: ref) }) {
              total += policy.aggregation.contribution(of: counts(pi, y))
            }
          }
          aggregates[i] = Double(total)
        }
      }

      for (pi, p) in parties.enumerated() {
        if p.exitYear == y {
          for (ui, u) in unitLists[pi].enumerated() {
            for f in unitStates[pi][ui].exit() { dropped.append(DroppedFollowUp(unit: u.unit, followUp: f, reason: .exit)) }
          }
        }
        guard p.isPresent(in: y) else { continue }
        let c = counts(pi, y)
        // The SRP with the largest aggregate among those hosting its systems (§8.8).
        var exposure: SRPExposure? = nil
        if policy.aggregation.mode == .srpAggregate {
          let at = max(ref, p.entryYear)
          for s in p.systems where s.inService(in: at) {
            guard let id = s.host.srpID, let k = srpIndex[id] else { continue }
            if exposure == nil || aggregates[k] > exposure!.aggregate { exposure = SRPExposure(srp: id, aggregate: aggregates[k]) }
          }
        }

        var unitRecords: [UnitYearRecord] = []
        var fusaQuarters: [Int] = []
        for (ui, u) in unitLists[pi].enumerated() {
          let bandDecision = policy.decideBand(rules: rules[u.role]!, counts: c, srp: exposure)
          let decision = unitStates[pi][ui].step(
            year: y, band: bandDecision.effectiveBand, quarter: p.anniversaryQuarter, horizon: horizon, rules: rules[u.role]!,
            unit: u.unit, outcomes: &outcomes)
          if let f = decision.droppedFollowUp { dropped.append(DroppedFollowUp(unit: u.unit, followUp: f, reason: .horizon)) }
          if decision.regular == .fusa { fusaQuarters.append(decision.quarter) }
          let regular = ScheduledAssessment(
            kind: decision.regular, quarter: decision.quarter, outcome: decision.outcome, isFusaKind: decision.regular.isFullRegular,
            reason: decision.isEntry
              ? .entry
              : .cycle(band: decision.band, position: decision.position, length: decision.cycleLength, transition: decision.transition))
          let followUps = decision.followUps.map {
            ScheduledAssessment(kind: .followUp, quarter: $0.quarter, outcome: nil, isFusaKind: $0.isFusaKind, reason: .followUp($0))
          }
          unitRecords.append(
            UnitYearRecord(
              unit: u.unit, role: u.role, year: y, bandDecision: bandDecision, decision: decision, regular: regular,
              followUps: followUps))
        }

        // User Systems (§8.10, §8.15).
        var starts: [SystemStartRecord] = []
        var systemAssessments: [ScheduledAssessment] = []
        var cleared: [String] = []
        var unassessed: [String] = []
        let presentAtStart = p.entryYear < first
        for (si, s) in p.systems.enumerated() {
          let startQuarter = s.startQuarter ?? p.anniversaryQuarter
          let srpAssessed = s.host.srpID.flatMap { srpIndex[$0] }.map { population.srps[$0].isAssessed(by: y) } ?? false
          if y == p.entryYear && s.startYear <= p.entryYear {
            systemStates[pi][si] = SystemState(cover: .initialFusa, coveredYear: y)
          } else if presentAtStart && y == first && s.startYear <= first {
            systemStates[pi][si] = SystemState(cover: .inServiceAtStart, coveredYear: nil)
          } else if s.startYear == y {
            let action = policy.secondSystem.onStart(srpAssessed: srpAssessed, sscVariate: sscVariate(pi, s.id, y))
            starts.append(SystemStartRecord(system: s.id, action: action, notified: policy.secondSystem.notifies))
            switch action {
            case .assess:
              systemStates[pi][si] = SystemState(cover: .systemAssessment, coveredYear: y)
              systemAssessments.append(
                ScheduledAssessment(
                  kind: .systemAssessment, quarter: startQuarter, outcome: nil, isFusaKind: policy.secondSystem.effortKind == .fusa,
                  reason: .secondSystem(system: s.id, rule: policy.secondSystem.rule)))
            case .alreadyAssessed:
              systemStates[pi][si] = SystemState(cover: .srpAssessed, coveredYear: y)
            case .unassessedNotNotified, .unassessedSSCDeclined:
              break
            }
          }
          guard s.inService(in: y) else { continue }
          if systemStates[pi][si].isUnassessed {
            var done = false
            for q in fusaQuarters where !done {
              done = systemStates[pi][si].applyRegularFusa(year: y, quarter: q, startYear: s.startYear, startQuarter: startQuarter)
            }
            if !done && srpAssessed && s.startYear <= y {
              systemStates[pi][si] = SystemState(cover: .srpAssessed, coveredYear: y)
              done = true
            }
            if done { cleared.append(s.id) } else { unassessed.append(s.id) }
          }
        }

        records.append(
          PartyYearRecord(
            party: pi, partyID: p.id, year: y, partyClass: PartyClass(roles: p.roles, counts: c), units: unitRecords,
            systemStarts: starts, systemAssessments: systemAssessments, systemsCleared: cleared, unassessedSystems: unassessed))
      }
    }
    return Schedule(policyName: policy.name, years: years, records: records, dropped: dropped)
  }
}

/// 1234567.0 → "1,234,567" (no Foundation in this module).
func formatCount(_ x: Double) -> String {
  guard x.isFinite else { return "\(x)" }
  let n = Int(x.rounded())
  var digits = String(abs(n))
  var out = ""
  while digits.count > 3 {
    out = "," + digits.suffix(3) + out
    digits = String(digits.dropLast(3))
  }
  return (n < 0 ? "-" : "") + digits + out
}
