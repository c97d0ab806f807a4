// The stochastic processes of MODEL.md §5, in its order, with their parameters.
// Every parameter accepts zero variance (sd 0, rates 0, probabilities 0 or 1), so a
// scenario can be deterministic.

import Foundation
import SECRules

/// `processes`: every process of MODEL.md §5 (items 1–10), in §5's order.
public struct Processes: Sendable, Hashable {
  /// `market_growth` (§5.1).
  public var marketGrowth: MarketGrowth
  /// `portfolio` (§5.2).
  public var portfolio: PortfolioProcess
  /// `failure` (§5.3).
  public var failure: FailureProcess
  /// `entry` (§5.4).
  public var entry: EntryProcess
  /// `rollout` (§5.5).
  public var rollout: RolloutProcess
  /// `meters_per_premises` (§5.6).
  public var metersPerPremises: MetersPerPremises
  /// `srp_migration` (§5.7).
  public var srpMigration: SRPMigration
  /// `second_systems` (§5.8).
  public var secondSystems: SecondSystems
  /// `issues` (§5.9).
  public var issues: IssueProcess
  /// `reporting_noise` (§4, §8.3).
  public var reportingNoise: ReportingNoise
  /// `outcomes` (§2, §8.6).
  public var outcomes: OutcomeTable
  /// `effort` (§5.10).
  public var effort: EffortTable

  public init(
    marketGrowth: MarketGrowth, portfolio: PortfolioProcess, failure: FailureProcess, entry: EntryProcess,
    rollout: RolloutProcess, metersPerPremises: MetersPerPremises, srpMigration: SRPMigration,
    secondSystems: SecondSystems, issues: IssueProcess, reportingNoise: ReportingNoise, outcomes: OutcomeTable,
    effort: EffortTable
  ) {
    self.marketGrowth = marketGrowth
    self.portfolio = portfolio
    self.failure = failure
    self.entry = entry
    self.rollout = rollout
    self.metersPerPremises = metersPerPremises
    self.srpMigration = srpMigration
    self.secondSystems = secondSystems
    self.issues = issues
    self.reportingNoise = reportingNoise
    self.outcomes = outcomes
    self.effort = effort
  }

  /// The YAML keys in §5's order.
  public static let keys = [
    "market_growth", "portfolio", "failure", "entry", "rollout", "meters_per_premises", "srp_migration",
    "second_systems", "issues", "reporting_noise", "outcomes", "effort",
  ]
}

/// §5.1: the market total grows at these yearly rates (fractions: 0.01 = 1 % a year).
public struct MarketGrowth: Sendable, Hashable {
  /// `domestic_rate`
  public var domesticRate: Parameter
  /// `non_domestic_rate`
  public var nonDomesticRate: Parameter
  public init(domesticRate: Parameter, nonDomesticRate: Parameter) {
    self.domesticRate = domesticRate
    self.nonDomesticRate = nonDomesticRate
  }
}

/// §5.2: a supplier's log-size moves by a common market factor plus its own noise
/// (both normal with mean 0 and these sds, on the log scale); shares are then
/// renormalised to the market total. Optionally, customers drift every year from
/// the named suppliers (e.g. the large legacy ones) to the other domestic suppliers.
public struct PortfolioProcess: Sendable, Hashable {
  /// `market_factor_sd`
  public var marketFactorSD: Parameter
  /// `idiosyncratic_sd`
  public var idiosyncraticSD: Parameter
  /// `switching_rate` (optional, default 0): the fraction of the Domestic Premises of
  /// each supplier in `switching_from` that moves in a year to the other active
  /// domestic suppliers, shared among them in proportion to their Domestic Premises
  /// (every one of them grows by the same factor). No random draw.
  public var switchingRate: Parameter
  /// `switching_from` (optional, default none): the ids of the suppliers that lose
  /// customers (Users of the population).
  public var switchingFrom: [String]

  public init(
    marketFactorSD: Parameter, idiosyncraticSD: Parameter, switchingRate: Parameter = Parameter(0), switchingFrom: [String] = []
  ) {
    self.marketFactorSD = marketFactorSD
    self.idiosyncraticSD = idiosyncraticSD
    self.switchingRate = switchingRate
    self.switchingFrom = switchingFrom
  }

  /// The value `switching_rate` takes when a scenario leaves it out.
  public static let defaultSwitchingRate = Parameter(0)
}

/// §5.3: supplier failure, SoLR transfers and special administration.
public struct FailureProcess: Sendable, Hashable {
  /// `classes`: market-share classes in increasing order, each with its yearly hazard;
  /// every class but the last has `up_to_share` (inclusive upper bound of the
  /// supplier's share of domestic premises, or of non-domestic premises for a
  /// non-domestic-only supplier).
  public var classes: [HazardClass]
  /// `crisis.years`: years whose hazards are multiplied.
  public var crisisYears: [Int]
  /// `crisis.multiplier`: factor on every class's hazard in a crisis year (≥ 0; a
  /// resulting hazard above 1 is capped at 1).
  public var crisisMultiplier: Parameter
  /// `special_administration.threshold_premises`: a failing supplier with more
  /// premises than this enters special administration instead of SoLR.
  public var specialAdministrationThreshold: Parameter
  /// `special_administration.years`: years it stays a User (same portfolio, same
  /// cycle) before its customers are sold on.
  public var specialAdministrationYears: Int
  /// `special_administration.buyer_size_exponent` (optional): γ ≥ 0 for the buyer of a
  /// book when its special administration ends, drawn among the surviving suppliers
  /// with probability ∝ size^γ. nil (left out): `solr_size_exponent`, the behaviour
  /// before the parameter existed.
  public var buyerSizeExponent: Parameter?
  /// `solr_size_exponent` (optional, default 1): γ ≥ 0. A Supplier of Last Resort
  /// (and the buyer of a book after special administration) is drawn among the
  /// surviving suppliers with probability ∝ size^γ, size being its premises in the
  /// failed supplier's segment: γ = 1 in proportion to size, γ = 0 uniformly, γ > 1
  /// favours the largest more than in proportion.
  public var solrSizeExponent: Parameter

  public init(
    classes: [HazardClass], crisisYears: [Int], crisisMultiplier: Parameter, specialAdministrationThreshold: Parameter,
    specialAdministrationYears: Int, solrSizeExponent: Parameter = FailureProcess.defaultSolrSizeExponent,
    buyerSizeExponent: Parameter? = nil
  ) {
    self.classes = classes
    self.crisisYears = crisisYears
    self.crisisMultiplier = crisisMultiplier
    self.specialAdministrationThreshold = specialAdministrationThreshold
    self.specialAdministrationYears = specialAdministrationYears
    self.solrSizeExponent = solrSizeExponent
    self.buyerSizeExponent = buyerSizeExponent
  }

  /// The value `solr_size_exponent` takes when a scenario leaves it out (the behaviour
  /// before the parameter existed: weight in proportion to size).
  public static let defaultSolrSizeExponent = Parameter(1)

  /// The hazard class of a supplier with market share `share` (0–1).
  public func classIndex(share: Double) -> Int {
    for (i, c) in classes.enumerated() {
      if let bound = c.upToShare, share <= bound { return i }
    }
    return classes.count - 1
  }
}

/// One market-share class of §5.3.
public struct HazardClass: Sendable, Hashable {
  /// `up_to_share`: inclusive upper bound of the class (nil: the last, open class).
  public var upToShare: Double?
  /// `hazard`: yearly probability of failure.
  public var hazard: Parameter
  public init(upToShare: Double?, hazard: Parameter) {
    self.upToShare = upToShare
    self.hazard = hazard
  }
}

/// §5.4: market entry.
public struct EntryProcess: Sendable, Hashable {
  /// `rate`: mean number of new suppliers a year (Poisson).
  public var rate: Parameter
  /// `initial_size_log_mean`: mean of ln(initial premises) (lognormal).
  public var initialSizeLogMean: Parameter
  /// `initial_size_log_sd`: sd of ln(initial premises).
  public var initialSizeLogSD: Parameter
  /// `non_domestic_only_share`: probability an entrant supplies non-domestic premises only.
  public var nonDomesticOnlyShare: Parameter
  /// `anniversary_quarter_random`: true: entrants' anniversary quarters are uniform
  /// on 1–4; false: quarter 1.
  public var anniversaryQuarterRandom: Bool
  /// `exact_until` (optional): up to and including this year, `rate` is the exact
  /// number of entrants (a replay of known counts, e.g. a history run) instead of a
  /// Poisson mean; nil: Poisson every year.
  public var exactUntil: Int?

  public init(
    rate: Parameter, initialSizeLogMean: Parameter, initialSizeLogSD: Parameter, nonDomesticOnlyShare: Parameter,
    anniversaryQuarterRandom: Bool, exactUntil: Int? = nil
  ) {
    self.rate = rate
    self.initialSizeLogMean = initialSizeLogMean
    self.initialSizeLogSD = initialSizeLogSD
    self.nonDomesticOnlyShare = nonDomesticOnlyShare
    self.anniversaryQuarterRandom = anniversaryQuarterRandom
    self.exactUntil = exactUntil
  }

  /// Whether `year`'s entrants are `rate` exactly (a replayed count) rather than Poisson.
  public func isExact(inYear year: Int) -> Bool { exactUntil.map { year <= $0 } ?? false }
}

/// §5.5: smart share of premises per segment.
public struct RolloutProcess: Sendable, Hashable {
  /// `domestic`
  public var domestic: LogisticPath
  /// `non_domestic`
  public var nonDomestic: LogisticPath
  public init(domestic: LogisticPath, nonDomestic: LogisticPath) {
    self.domestic = domestic
    self.nonDomestic = nonDomestic
  }
}

/// A logistic path from `start_share` in the start year towards `ceiling`:
/// s(y) = start + (ceiling − start) · (L(y) − L(y₀)) / (1 − L(y₀)), where
/// L(y) = 1 / (1 + exp(−steepness · (y − midpoint_year))) and y₀ = start_year.
/// Steepness 0 keeps the share at `start_share` (a flat path).
///
/// Two optional sources of roll-out uncertainty (both 0 by default: the path above,
/// exactly): `midpoint_year_sd`, a per-replicate normal shift of `midpoint_year`
/// (years; drawn once per replicate and segment), and `pace_sd`, year-to-year noise in
/// the pace of installation: each year's increase of the replicate's path is
/// multiplied by exp(N(0, pace_sd²)) (median 1), and the shares it adds or removes
/// stay (installed meters stay installed). The share is kept within [0, ceiling].
public struct LogisticPath: Sendable, Hashable {
  /// `start_share`: smart share in the start year (0–1).
  public var startShare: Parameter
  /// `midpoint_year`: year of the logistic's inflection.
  public var midpointYear: Parameter
  /// `steepness`: per year (≥ 0).
  public var steepness: Parameter
  /// `ceiling`: the share approached (start_share ≤ ceiling ≤ 1).
  public var ceiling: Parameter
  /// `midpoint_year_sd` (optional, default 0): sd of the per-replicate shift of
  /// `midpoint_year`, in years (≥ 0; its start-year value applies to the whole run).
  public var midpointYearSD: Parameter
  /// `pace_sd` (optional, default 0): sd of the log of each year's pace factor (≥ 0).
  public var paceSD: Parameter

  public init(
    startShare: Parameter, midpointYear: Parameter, steepness: Parameter, ceiling: Parameter,
    midpointYearSD: Parameter = Parameter(0), paceSD: Parameter = Parameter(0)
  ) {
    self.startShare = startShare
    self.midpointYear = midpointYear
    self.steepness = steepness
    self.ceiling = ceiling
    self.midpointYearSD = midpointYearSD
    self.paceSD = paceSD
  }

  /// The value `midpoint_year_sd` and `pace_sd` take when a scenario leaves them out.
  public static let defaultSD = Parameter(0)

  /// The share in `year` for a run starting in `startYear` (formula above), with the
  /// midpoint moved by `midpointShift` years (0: the scenario's path).
  public func share(inYear year: Int, startYear: Int, midpointShift: Double = 0) -> Double {
    let s0 = startShare.value(inYear: startYear)
    let top = ceiling.value(inYear: year)
    let k = steepness.value(inYear: year)
    let mid = midpointYear.value(inYear: year) + midpointShift
    guard k > 0, year > startYear else { return s0 }
    func logistic(_ y: Int) -> Double { 1 / (1 + exp(-k * (Double(y) - mid))) }
    let l0 = logistic(startYear)
    guard l0 < 1 else { return s0 }
    return s0 + (top - s0) * (logistic(year) - l0) / (1 - l0)
  }
}

/// §5.6: smart metering systems per premises.
public struct MetersPerPremises: Sendable, Hashable {
  /// `domestic`: meters per Domestic Premises (≥ 0; e.g. electricity + gas).
  public var domestic: Parameter
  /// `non_domestic_mean`: mean meters per Non-Domestic Premises, per supplier (≥ 1).
  public var nonDomesticMean: Parameter
  /// `non_domestic_sd`: sd between suppliers (≥ 0; the engine draws each
  /// supplier's ratio once, truncated below at 1).
  public var nonDomesticSD: Parameter

  public init(domestic: Parameter, nonDomesticMean: Parameter, nonDomesticSD: Parameter) {
    self.domestic = domestic
    self.nonDomesticMean = nonDomesticMean
    self.nonDomesticSD = nonDomesticSD
  }
}

/// §5.7: yearly probabilities that a User System moves.
public struct SRPMigration: Sendable, Hashable {
  /// `to_srp_rate`: a bespoke system moves to an SRP.
  public var toSRPRate: Parameter
  /// `to_bespoke_rate`: an SRP-hosted system moves to a bespoke one.
  public var toBespokeRate: Parameter
  /// `between_srps_rate`: an SRP-hosted system moves to another SRP.
  public var betweenSRPsRate: Parameter

  public init(toSRPRate: Parameter, toBespokeRate: Parameter, betweenSRPsRate: Parameter) {
    self.toSRPRate = toSRPRate
    self.toBespokeRate = toBespokeRate
    self.betweenSRPsRate = betweenSRPsRate
  }
}

/// §5.8: second User Systems.
public struct SecondSystems: Sendable, Hashable {
  /// `adoption_probability`: yearly probability a User starts another User System.
  public var adoptionProbability: Parameter
  /// `on_assessed_srp_probability`: probability the new system is on an assessed SRP.
  public var onAssessedSRPProbability: Parameter

  public init(adoptionProbability: Parameter, onAssessedSRPProbability: Parameter) {
    self.adoptionProbability = adoptionProbability
    self.onAssessedSRPProbability = onAssessedSRPProbability
  }
}

/// §5.9: latent security issues and their detection.
public struct IssueProcess: Sendable, Hashable {
  /// `rate`: mean new issues per User System per year (Poisson).
  public var rate: Parameter
  /// `detection`: probability an assessment detects each open issue, by kind.
  public var detection: Detection

  public init(rate: Parameter, detection: Detection) {
    self.rate = rate
    self.detection = detection
  }
}

/// `issues.detection`: d_k, with fusa ≥ vusa ≥ ussa (MODEL.md §5.9).
public struct Detection: Sendable, Hashable {
  /// `fusa`: also initial FUSAs, follow-ups after Rejected and system assessments of FUSA effort kind.
  public var fusa: Parameter
  /// `vusa`
  public var vusa: Parameter
  /// `ussa`
  public var ussa: Parameter
  /// `follow_up_review`: the targeted review after Deferred (§2).
  public var followUpReview: Parameter

  public init(fusa: Parameter, vusa: Parameter, ussa: Parameter, followUpReview: Parameter) {
    self.fusa = fusa
    self.vusa = vusa
    self.ussa = ussa
    self.followUpReview = followUpReview
  }
}

/// §5 item 10 (noise part): reporting noise on premises counts (meters carry none, §4).
public struct ReportingNoise: Sendable, Hashable {
  /// `premises_sd`: sd of a multiplicative lognormal factor on each reported premises
  /// count (0: exact counts).
  public var premisesSD: Parameter
  public init(premisesSD: Parameter) { self.premisesSD = premisesSD }
}

/// `outcomes`: outcome probabilities of FUSAs, VUSAs and initial FUSAs by band
/// (unbanded roles use `small`). Each row sums to 1.
public struct OutcomeTable: Sendable, Hashable {
  /// `fusa`
  public var fusa: OutcomeRows
  /// `vusa`
  public var vusa: OutcomeRows
  /// `initial_fusa`
  public var initialFusa: OutcomeRows

  public init(fusa: OutcomeRows, vusa: OutcomeRows, initialFusa: OutcomeRows) {
    self.fusa = fusa
    self.vusa = vusa
    self.initialFusa = initialFusa
  }

  /// The kinds that have outcomes, as YAML keys.
  public static let kinds: [AssessmentKind] = [.fusa, .vusa, .initialFusa]

  /// The probabilities for an assessment of `kind` (fusa, vusa or initial_fusa) in `band`.
  public func probabilities(kind: AssessmentKind, band: SizeBand) -> OutcomeProbabilities? {
    let rows: OutcomeRows
    switch kind {
    case .fusa: rows = fusa
    case .vusa: rows = vusa
    case .initialFusa: rows = initialFusa
    default: return nil
    }
    return band == .large ? rows.large : rows.small
  }
}

/// Outcome probabilities for one kind, per band.
public struct OutcomeRows: Sendable, Hashable {
  /// `small` (also unbanded roles)
  public var small: OutcomeProbabilities
  /// `large`
  public var large: OutcomeProbabilities
  public init(small: OutcomeProbabilities, large: OutcomeProbabilities) {
    self.small = small
    self.large = large
  }
}

/// The probability of each outcome (G8.34; MP091 names); they sum to 1 in every year.
public struct OutcomeProbabilities: Sendable, Hashable {
  /// `approved`
  public var approved: Parameter
  /// `approved_subject_to_steps`
  public var approvedSubjectToSteps: Parameter
  /// `deferred`
  public var deferred: Parameter
  /// `rejected`
  public var rejected: Parameter

  public init(approved: Parameter, approvedSubjectToSteps: Parameter, deferred: Parameter, rejected: Parameter) {
    self.approved = approved
    self.approvedSubjectToSteps = approvedSubjectToSteps
    self.deferred = deferred
    self.rejected = rejected
  }

  /// The parameter for one outcome.
  public subscript(outcome: Outcome) -> Parameter {
    switch outcome {
    case .approved: return approved
    case .approvedSubjectToSteps: return approvedSubjectToSteps
    case .deferred: return deferred
    case .rejected: return rejected
    }
  }
}

/// `effort`: assessor days per assessment, by kind and by bespoke/SRP-hosted
/// (MODEL.md §5.10). A system assessment takes its policy's `effort_kind`; a
/// follow-up after Rejected takes FUSA effort, after Deferred `follow_up_review`.
public struct EffortTable: Sendable, Hashable {
  /// `fusa`
  public var fusa: EffortByHost
  /// `vusa`
  public var vusa: EffortByHost
  /// `ussa` (the User CIO's review of the self-assessment)
  public var ussa: EffortByHost
  /// `initial_fusa`
  public var initialFusa: EffortByHost
  /// `follow_up_review`
  public var followUpReview: BoundedDistribution

  public init(fusa: EffortByHost, vusa: EffortByHost, ussa: EffortByHost, initialFusa: EffortByHost, followUpReview: BoundedDistribution) {
    self.fusa = fusa
    self.vusa = vusa
    self.ussa = ussa
    self.initialFusa = initialFusa
    self.followUpReview = followUpReview
  }

  /// The distribution for a regular kind (fusa, vusa, ussa, initial_fusa).
  public func effort(kind: AssessmentKind) -> EffortByHost? {
    switch kind {
    case .fusa: return fusa
    case .vusa: return vusa
    case .ussa: return ussa
    case .initialFusa: return initialFusa
    default: return nil
    }
  }
}

/// Effort for one kind, on a bespoke User System or an SRP-hosted one.
public struct EffortByHost: Sendable, Hashable {
  /// `bespoke`
  public var bespoke: BoundedDistribution
  /// `srp`
  public var srp: BoundedDistribution
  public init(bespoke: BoundedDistribution, srp: BoundedDistribution) {
    self.bespoke = bespoke
    self.srp = srp
  }
}

/// A triangular distribution on [min, max] with its mode; min = mode = max is a
/// fixed value. Units: assessor days.
public struct BoundedDistribution: Sendable, Hashable {
  /// `min`
  public var min: Parameter
  /// `mode`
  public var mode: Parameter
  /// `max`
  public var max: Parameter
  public init(min: Parameter, mode: Parameter, max: Parameter) {
    self.min = min
    self.mode = mode
    self.max = max
  }

  /// A fixed value (min = mode = max).
  public static func fixed(_ days: Double, _ provenance: Provenance = .assumption) -> BoundedDistribution {
    BoundedDistribution(min: Parameter(days, provenance), mode: Parameter(days, provenance), max: Parameter(days, provenance))
  }

  /// The mean, (min + mode + max) / 3, in `year`.
  public func mean(inYear year: Int) -> Double {
    (min.value(inYear: year) + mode.value(inYear: year) + max.value(inYear: year)) / 3
  }
}
