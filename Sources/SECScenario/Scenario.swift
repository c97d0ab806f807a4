// A whole scenario as value types: the engine's inputs (issue 12; MODEL.md §2–§9).
// YAML keys are given beside each field; docs/scenarios.md documents units,
// defaults and sources.

import Foundation
import SECRules

/// A scenario: the population, the processes of MODEL.md §5, scheduled events, the
/// policies compared (one the baseline), capacity, cost and exposure settings.
public struct Scenario: Sendable, Hashable {
  /// `format`: version of the file format (1).
  public var format: Int
  /// `name`: short name used in outputs.
  public var name: String
  /// `description`: one line for `secsim scenarios`.
  public var description: String
  /// `start_year`: the first simulated calendar year.
  public var startYear: Int
  /// `horizon_years`: number of simulated years (≥ 1).
  public var horizonYears: Int
  /// `replicates`: default replicate count (a command-line option may override).
  public var replicates: Int
  /// `seed`: default master seed.
  public var seed: UInt64
  /// `rng`: GSL generator.
  public var rng: RNGName
  /// `regime`: the regime every policy uses unless it names its own.
  public var regime: RegimeRef
  /// `population`: Users (inline and/or from a CSV) and SRPs.
  public var population: PopulationSpec
  /// `processes`: the stochastic processes of MODEL.md §5.
  public var processes: Processes
  /// `events`: discrete events fixed in advance (MODEL.md §5).
  public var events: [ScheduledEvent]
  /// `policies`: the policies compared; exactly one has `baseline: true`.
  public var policies: [PolicySpec]
  /// `capacity`: assessor capacity and other demand on the assessor, per quarter.
  public var capacity: CapacitySpec
  /// `day_rate_gbp`: assessor day rate, £ per day.
  public var dayRateGBP: Parameter
  /// `exposure`: role weights and stated smart-metering reach (MODEL.md §9).
  public var exposure: ExposureSpec
  /// `ssc`: the Security Sub-Committee.
  public var ssc: SSCSpec

  public init(
    format: Int = SECScenario.formatVersion, name: String, description: String = "", startYear: Int, horizonYears: Int,
    replicates: Int = 1000, seed: UInt64 = 1, rng: RNGName = .mt19937, regime: RegimeRef, population: PopulationSpec,
    processes: Processes, events: [ScheduledEvent] = [], policies: [PolicySpec], capacity: CapacitySpec,
    dayRateGBP: Parameter, exposure: ExposureSpec, ssc: SSCSpec
  ) {
    self.format = format
    self.name = name
    self.description = description
    self.startYear = startYear
    self.horizonYears = horizonYears
    self.replicates = replicates
    self.seed = seed
    self.rng = rng
    self.regime = regime
    self.population = population
    self.processes = processes
    self.events = events
    self.policies = policies
    self.capacity = capacity
    self.dayRateGBP = dayRateGBP
    self.exposure = exposure
    self.ssc = ssc
  }

  /// The simulated years, `start_year` … `start_year + horizon_years − 1`.
  public var years: ClosedRange<Int> { startYear...(startYear + max(horizonYears, 1) - 1) }

  /// The baseline policy (a valid scenario has exactly one).
  public var baseline: PolicySpec? { policies.first(where: \.baseline) }

  /// The regime a policy runs under: its own, else the scenario's.
  public func regime(of policy: PolicySpec) -> RegimeRef { policy.regime ?? regime }
}

/// `rng`: the GSL generator every stream uses (MODEL.md §10).
public enum RNGName: String, Sendable, Hashable, CaseIterable, Codable {
  case mt19937
  case taus2
}

/// `regime`: a shipped regime by name (`sec-current`), or one written inline with
/// the regime file's structure (kept as YAML text until the regime loader reads it).
public enum RegimeRef: Sendable, Hashable {
  /// A regime file in `scenarios/regimes/NAME.yaml` (or the built-in copy).
  case named(String)
  /// An inline regime: the YAML text of the mapping, in the regime file's format.
  case inline(yaml: String)

  /// The regime's name: the shipped name, or the inline mapping's `name:` if it has one.
  public var name: String? {
    switch self {
    case .named(let n): return n
    case .inline(let yaml):
      for line in yaml.split(separator: "\n") where line.hasPrefix("name:") {
        return line.dropFirst(5).trimmingCharacters(in: [" ", "\"", "'"])
      }
      return nil
    }
  }
}

// MARK: - Population

/// `population`: the Users present at the start (inline `users:` and/or a CSV
/// named by `users_csv:`) and the Shared Resource Providers.
public struct PopulationSpec: Sendable, Hashable {
  /// `users`: Users written in the scenario file.
  public var users: [UserSpec]
  /// `users_csv`: a CSV of Users, relative to the scenario file (nil: none).
  public var usersCSV: String?
  /// The Users read from `users_csv` (not written back by the encoder: the path is).
  public var csvUsers: [UserSpec]
  /// `srps`: Shared Resource Providers.
  public var srps: [SRPSpec]
  /// `provenance`: where the population's figures come from (the default for Users that cite none).
  public var provenance: Provenance

  public init(
    users: [UserSpec] = [], usersCSV: String? = nil, csvUsers: [UserSpec] = [], srps: [SRPSpec] = [],
    provenance: Provenance = .assumption
  ) {
    self.users = users
    self.usersCSV = usersCSV
    self.csvUsers = csvUsers
    self.srps = srps
    self.provenance = provenance
  }

  /// Every User present at the start: inline ones first, then the CSV's.
  public var allUsers: [UserSpec] { users + csvUsers }
}

/// One User (a Party that is a DCC User, MODEL.md §2) as a scenario states it.
/// The same fields are the columns of a Users CSV (docs/scenarios.md).
public struct UserSpec: Sendable, Hashable {
  /// `id`: unique identifier (`S01`, `ND017`, `EDN03`; anonymised, MODEL.md §9).
  public var id: String
  /// `name`: label for reports (default: the id).
  public var name: String
  /// `roles`: one or more User Roles.
  public var roles: [UserRole]
  /// `entry_year`: year of User entry (its initial FUSA, §8.2).
  public var entryYear: Int
  /// `exit_year`: first year it is no longer a User (nil: none planned; failures come from processes/events).
  public var exitYear: Int?
  /// `anniversary_quarter`: 1–4; nil means uniform at random (MODEL.md §9 "Timing").
  public var anniversaryQuarter: Int?
  /// `cycle_position`: position in the cycle in the first simulated year, per role
  /// (§8.13); empty means derived from the entry year. YAML: a number (every role)
  /// or a mapping role → number.
  public var cyclePositions: [UserRole: Int]
  /// `domestic_premises`: Domestic Premises supplied (served, for a network Party).
  public var domesticPremises: Int
  /// `non_domestic_premises`: Non-Domestic Premises supplied.
  public var nonDomesticPremises: Int
  /// `domestic_meters`: smart metering systems at its Domestic Premises (nil:
  /// derived by the engine from premises × smart share × meters per premises).
  public var domesticMeters: Int?
  /// `non_domestic_meters`: smart metering systems at its Non-Domestic Premises (nil: derived).
  public var nonDomesticMeters: Int?
  /// `exposure_sms`: smart metering systems its User Systems can reach, for network
  /// parties and other users (nil: `exposure.stated_sms` for its role; §9).
  public var exposureSMS: Int?
  /// `systems` (or the shorthand `srp: ID`): its User Systems; empty means one
  /// bespoke system `ID-1` in service from entry.
  public var systems: [UserSystemSpec]
  /// `provenance`: `{label, source}` for its figures (nil: the population's).
  public var provenance: Provenance?

  public init(
    id: String, name: String = "", roles: [UserRole], entryYear: Int, exitYear: Int? = nil,
    anniversaryQuarter: Int? = nil, cyclePositions: [UserRole: Int] = [:], domesticPremises: Int = 0,
    nonDomesticPremises: Int = 0, domesticMeters: Int? = nil, nonDomesticMeters: Int? = nil,
    exposureSMS: Int? = nil, systems: [UserSystemSpec] = [], provenance: Provenance? = nil
  ) {
    self.id = id
    self.name = name
    self.roles = roles
    self.entryYear = entryYear
    self.exitYear = exitYear
    self.anniversaryQuarter = anniversaryQuarter
    self.cyclePositions = cyclePositions
    self.domesticPremises = domesticPremises
    self.nonDomesticPremises = nonDomesticPremises
    self.domesticMeters = domesticMeters
    self.nonDomesticMeters = nonDomesticMeters
    self.exposureSMS = exposureSMS
    self.systems = systems
    self.provenance = provenance
  }

  /// Its User Systems, with the default (one bespoke system `ID-1`) filled in.
  public var effectiveSystems: [UserSystemSpec] {
    systems.isEmpty ? [UserSystemSpec(id: "\(id)-1")] : systems
  }

  /// Whether any of its roles is `supplier`.
  public var isSupplier: Bool { roles.contains(.supplier) }
}

/// One User System (MODEL.md §2): bespoke, or hosted by an SRP.
public struct UserSystemSpec: Sendable, Hashable {
  /// `id`: unique among all systems of the scenario.
  public var id: String
  /// `srp`: the hosting SRP's id; nil for a bespoke system (`host: bespoke`).
  public var srp: String?
  /// `start_year`: first year in service (nil: from the User's entry; §8.10 takes
  /// systems in service in the first simulated year as assessed).
  public var startYear: Int?
  /// `start_quarter`: 1–4 (nil: the User's anniversary quarter).
  public var startQuarter: Int?
  /// `exposure_share`: share of the User's smart metering systems it reaches, 0–1
  /// (nil: equal shares, MODEL.md §9).
  public var exposureShare: Double?

  public init(id: String, srp: String? = nil, startYear: Int? = nil, startQuarter: Int? = nil, exposureShare: Double? = nil) {
    self.id = id
    self.srp = srp
    self.startYear = startYear
    self.startQuarter = startQuarter
    self.exposureShare = exposureShare
  }
}

/// A Shared Resource Provider (MODEL.md §2, §8.8, §8.15).
public struct SRPSpec: Sendable, Hashable {
  /// `id`: referred to by Users' `srp:` and systems' `host:`.
  public var id: String
  /// `name`: label for reports (default: the id).
  public var name: String
  /// `assessed_year`: year of its first SRP assessment (nil: never assessed).
  public var assessedYear: Int?
  /// `stated_aggregate`: the aggregate the scenario states (premises, or domestic
  /// meters under that measure) instead of the sum over its Users (§8.8).
  public var statedAggregate: Int?

  public init(id: String, name: String = "", assessedYear: Int? = nil, statedAggregate: Int? = nil) {
    self.id = id
    self.name = name
    self.assessedYear = assessedYear
    self.statedAggregate = statedAggregate
  }
}

// MARK: - Events

/// `events[]`: a discrete event fixed in advance (MODEL.md §5).
public struct ScheduledEvent: Sendable, Hashable {
  /// `year`: calendar year within the horizon.
  public var year: Int
  /// `user`: the User concerned (for an entry, the entrant's id).
  public var user: String
  /// `event` and its fields.
  public var kind: Kind

  public enum Kind: Sendable, Hashable {
    /// `event: failure`, optional `solr: USER` (the Supplier of Last Resort; nil:
    /// drawn among survivors; a supplier above the special-administration size
    /// enters special administration instead, §5.3).
    case failure(solr: String?)
    /// `event: acquisition`, `buyer: USER`: another supplier takes over this supplier's
    /// customers and the User leaves: a merger or a sale, not a failure (no failure,
    /// SoLR or special-administration count). A sale of a book in special
    /// administration ends the administration. If the buyer is no longer active in a
    /// replicate, one is drawn among the survivors by size (`buyer_size_exponent`, else
    /// `solr_size_exponent`), as for the end of a special administration (§5.3).
    case acquisition(buyer: String)
    /// `event: entry`, `entrant: {…User fields…}` (its `entry_year` is the event's year).
    case entry(UserSpec)
    /// `event: second_system`, `system: ID`, `host: bespoke | SRP id`, optional `quarter`.
    case secondSystem(UserSystemSpec)
    /// `event: outcome`, `kind: fusa | vusa | initial_fusa`, `outcome: …`: the
    /// outcome of that User's assessment of that kind in that year.
    case outcome(kind: AssessmentKind, outcome: Outcome)
  }

  public init(year: Int, user: String, kind: Kind) {
    self.year = year
    self.user = user
    self.kind = kind
  }

  /// The YAML `event:` value.
  public var eventName: String {
    switch kind {
    case .failure: return "failure"
    case .acquisition: return "acquisition"
    case .entry: return "entry"
    case .secondSystem: return "second_system"
    case .outcome: return "outcome"
    }
  }
}

// MARK: - Policies

/// `policies[]`: a policy as the scenario states it; `policy(regime:)` makes the
/// SECRules `Policy` once the regime is loaded.
public struct PolicySpec: Sendable, Hashable {
  /// `name`: unique; used in every output.
  public var name: String
  /// `baseline`: true on exactly one policy.
  public var baseline: Bool
  /// `regime`: its own regime (nil: the scenario's).
  public var regime: RegimeRef?
  /// `counting`: `{rule, weight, threshold, comparison}`.
  public var counting: CountingRule
  /// `aggregation`: `{mode, srp_threshold, include_non_domestic_only, measure}`.
  public var aggregation: Aggregation
  /// `second_system`: `{rule, probability, effort_kind}`.
  public var secondSystem: SecondSystemPolicy
  /// `dual_role`: `one_per_party` or `one_per_role`.
  public var dualRole: DualRoleMode
  /// `follow_up`: `{outcomes, months}`.
  public var followUp: FollowUpPolicy
  /// `count_timing`: `previous_year_end` or `same_year`.
  public var countTiming: CountTiming

  public init(
    name: String, baseline: Bool = false, regime: RegimeRef? = nil, counting: CountingRule,
    aggregation: Aggregation = .individual, secondSystem: SecondSystemPolicy = .init(rule: .notifySSC),
    dualRole: DualRoleMode = .onePerParty, followUp: FollowUpPolicy = .init(), countTiming: CountTiming = .previousYearEnd
  ) {
    self.name = name
    self.baseline = baseline
    self.regime = regime
    self.counting = counting
    self.aggregation = aggregation
    self.secondSystem = secondSystem
    self.dualRole = dualRole
    self.followUp = followUp
    self.countTiming = countTiming
  }

  /// The SECRules policy under `regime` (the one `Scenario.regime(of:)` names, loaded).
  public func policy(regime: Regime) -> Policy {
    Policy(
      name: name, regime: regime, counting: counting, aggregation: aggregation, secondSystem: secondSystem,
      dualRole: dualRole, followUp: followUp, countTiming: countTiming)
  }
}

// MARK: - Capacity, cost, exposure, SSC

/// `capacity`: the independent assessor's days per quarter and the other demand on it (MODEL.md §9).
public struct CapacitySpec: Sendable, Hashable {
  /// `assessor_days_per_quarter`: days the User CIO can deliver in a quarter.
  public var assessorDaysPerQuarter: Parameter
  /// `other_demand_per_quarter.srp_assessments`: assessor days per quarter on SRP assessments.
  public var srpAssessmentDaysPerQuarter: Parameter
  /// `other_demand_per_quarter.privacy_assessments`: assessor days per quarter on Section I privacy assessments.
  public var privacyAssessmentDaysPerQuarter: Parameter

  public init(assessorDaysPerQuarter: Parameter, srpAssessmentDaysPerQuarter: Parameter, privacyAssessmentDaysPerQuarter: Parameter) {
    self.assessorDaysPerQuarter = assessorDaysPerQuarter
    self.srpAssessmentDaysPerQuarter = srpAssessmentDaysPerQuarter
    self.privacyAssessmentDaysPerQuarter = privacyAssessmentDaysPerQuarter
  }
}

/// `exposure`: how much of the estate each User's systems reach (MODEL.md §9 "Risk weight").
public struct ExposureSpec: Sendable, Hashable {
  /// `role_weights`: multiplier per role (default 1 for each).
  public var roleWeights: [UserRole: Parameter]
  /// `stated_sms`: smart metering systems reachable by a network party or other user
  /// that states no `exposure_sms` of its own, per role (suppliers use their portfolio).
  public var statedSMS: [UserRole: Parameter]

  public init(roleWeights: [UserRole: Parameter], statedSMS: [UserRole: Parameter]) {
    self.roleWeights = roleWeights
    self.statedSMS = statedSMS
  }

  /// The roles `stated_sms` covers (every role but supplier).
  public static let statedRoles: [UserRole] = UserRole.allCases.filter { $0 != .supplier }
}

/// `ssc`: the Security Sub-Committee.
public struct SSCSpec: Sendable, Hashable {
  /// `meetings_per_year`: 24 (CALIBRATION §3: twice a month).
  public var meetingsPerYear: Parameter

  public init(meetingsPerYear: Parameter) {
    self.meetingsPerYear = meetingsPerYear
  }
}
