/// A threshold policy: what is compared across a run (MODEL.md §4). A policy is a
/// regime plus a counting rule plus extras; every field comes from a scenario file.
public struct Policy: Sendable, Hashable {
  /// Name used in every output (`today`, `meters`, …).
  public var name: String
  /// The assessment regime in force.
  public var regime: Regime
  /// How a Party's size is counted and compared with the threshold.
  public var counting: CountingRule
  /// Whether a supplier's own count decides, or its SRP's aggregate (SECMP0044).
  public var aggregation: Aggregation
  /// What a second or subsequent User System triggers (seed 004; §8.10).
  public var secondSystem: SecondSystemPolicy
  /// One assessment per Party or one per role (SSE's question, seed 002; §8.9).
  public var dualRole: DualRoleMode
  /// Which outcomes trigger a follow-up and how long after (§8.6).
  public var followUp: FollowUpPolicy
  /// Which year's counts decide year y's band (§8.3).
  public var countTiming: CountTiming

  public init(
    name: String, regime: Regime, counting: CountingRule, aggregation: Aggregation = .individual,
    secondSystem: SecondSystemPolicy = .init(rule: .notifySSC), dualRole: DualRoleMode = .onePerParty,
    followUp: FollowUpPolicy = .init(), countTiming: CountTiming = .previousYearEnd
  ) {
    self.name = name
    self.regime = regime
    self.counting = counting
    self.aggregation = aggregation
    self.secondSystem = secondSystem
    self.dualRole = dualRole
    self.followUp = followUp
    self.countTiming = countTiming
  }
}

/// The quantity a counting rule measures (MODEL.md §4, §8.11).
public enum CountingBasis: String, Sendable, Hashable, CaseIterable, Codable {
  /// Domestic + w × Non-Domestic Premises (SECMP0059, G8.41: w = 5).
  case premisesWeighted = "premises_weighted"
  /// Domestic + Non-Domestic Premises (w = 1; the pre-SECMP0059 reading).
  case premisesUnweighted = "premises_unweighted"
  /// Domestic + non-domestic smart metering systems (Haven Power's alternative, seed 002).
  case meters
  /// Domestic + w × non-domestic smart metering systems.
  case metersWeighted = "meters_weighted"
}

/// How a count is compared with the threshold T (MODEL.md §8.1).
public enum ThresholdComparison: String, Sendable, Hashable, CaseIterable, Codable {
  /// Large if and only if count > T (the default ruling, §8.1).
  case greaterThan = "greater_than"
  /// Large if and only if count ≥ T (the other reading, as data).
  case atLeast = "at_least"

  /// Whether `count` is above the threshold under this comparison.
  @inlinable public func exceeds(_ count: Double, _ threshold: Double) -> Bool {
    switch self {
    case .greaterThan: return count > threshold
    case .atLeast: return count >= threshold
    }
  }
}

/// A counting rule: basis, weight w on the non-domestic part, threshold T and
/// comparison (MODEL.md §4, §8.1, §8.11). Units: premises or smart metering systems.
public struct CountingRule: Sendable, Hashable {
  public var basis: CountingBasis
  /// Weight w on Non-Domestic Premises (or meters); ignored by the unweighted bases.
  public var weight: Double
  /// Threshold T; must be > 0.
  public var threshold: Double
  public var comparison: ThresholdComparison

  public init(basis: CountingBasis, weight: Double = 1, threshold: Double = 250_000, comparison: ThresholdComparison = .greaterThan) {
    self.basis = basis
    self.weight = weight
    self.threshold = threshold
    self.comparison = comparison
  }

  /// SECMP0059 as the SEC has it since 28 Feb 2019: D + 5 × ND > 250,000 (G8.41).
  public static let secmp0059 = CountingRule(basis: .premisesWeighted, weight: 5, threshold: 250_000)

  /// The weighted count this rule compares with T (§8.11).
  @inlinable public func count(_ c: PortfolioCounts) -> Double {
    switch basis {
    case .premisesWeighted: return Double(c.domesticPremises) + weight * Double(c.nonDomesticPremises)
    case .premisesUnweighted: return Double(c.domesticPremises) + Double(c.nonDomesticPremises)
    case .meters: return Double(c.domesticMeters) + Double(c.nonDomesticMeters)
    case .metersWeighted: return Double(c.domesticMeters) + weight * Double(c.nonDomesticMeters)
    }
  }

  /// The band a count puts a Party in (§8.1).
  @inlinable public func band(forCount count: Double) -> SizeBand {
    comparison.exceeds(count, threshold) ? .large : .small
  }
}

/// Aggregation across a Shared Resource Provider (SECMP0044; MODEL.md §8.8).
public struct Aggregation: Sendable, Hashable {
  /// Whose count decides a supplier's band (SECMP0044; §8.8).
  public enum Mode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Each User against its own count (after SECMP0044).
    case individual
    /// A domestic supplier on an SRP whose aggregate exceeds the SRP threshold is
    /// large (before SECMP0044).
    case srpAggregate = "srp_aggregate"
  }
  /// What an SRP's aggregate counts (§8.8; default Domestic Premises).
  public enum Measure: String, Sendable, Hashable, CaseIterable, Codable {
    case domesticPremises = "domestic_premises"
    case domesticMeters = "domestic_meters"
  }
  public var mode: Mode
  /// The SRP aggregate threshold (default 250,000; compared with the policy's comparison).
  public var srpThreshold: Double
  /// Whether non-domestic-only suppliers are swept in (default no: Bryt's reading, seed 002).
  public var includeNonDomesticOnly: Bool
  public var measure: Measure

  public init(mode: Mode, srpThreshold: Double = 250_000, includeNonDomesticOnly: Bool = false, measure: Measure = .domesticPremises) {
    self.mode = mode
    self.srpThreshold = srpThreshold
    self.includeNonDomesticOnly = includeNonDomesticOnly
    self.measure = measure
  }

  public static let individual = Aggregation(mode: .individual)
  public static let srpAggregate = Aggregation(mode: .srpAggregate)
}

/// What a second or subsequent User System triggers (seed 004; MODEL.md §4, §8.10).
public struct SecondSystemPolicy: Sendable, Hashable {
  /// The three rules of seed 004 as MODEL.md §4 names them.
  public enum Rule: String, Sendable, Hashable, CaseIterable, Codable {
    /// Pre-2019 status quo: unassessed until the User's next regular FUSA.
    case none
    /// Users notify the SSC (since 28 Feb 2019): no assessment if already assessed
    /// (e.g. its SRP), else one with probability p.
    case notifySSC = "notify_ssc"
    /// Every such system is assessed (hypothetical).
    case alwaysAssess = "always_assess"
  }
  public var rule: Rule
  /// Probability p that the SSC asks for an assessment of a not-yet-assessed system.
  public var probability: Double
  /// The kind whose effort a system assessment takes (default FUSA).
  public var effortKind: AssessmentKind

  public init(rule: Rule, probability: Double = 1, effortKind: AssessmentKind = .fusa) {
    self.rule = rule
    self.probability = probability
    self.effortKind = effortKind
  }
}

/// One assessment per Party or one per role (MODEL.md §8.9).
public enum DualRoleMode: String, Sendable, Hashable, CaseIterable, Codable {
  /// One cycle following the Party's most demanding role, one initial FUSA (G8.16).
  case onePerParty = "one_per_party"
  /// Each role its own initial FUSA, cycle, outcomes and follow-ups.
  case onePerRole = "one_per_role"
}

/// Follow-ups after an outcome (MODEL.md §2, §8.6).
public struct FollowUpPolicy: Sendable, Hashable {
  /// Outcomes that trigger a follow-up (default Deferred and Rejected).
  public var triggers: Set<Outcome>
  /// Months after the triggering assessment (default 6, an assumption); the
  /// follow-up lands ⌈months/3⌉ quarters later.
  public var months: Int
  /// Triggering outcomes whose follow-up is a full FUSA in effort, detection and
  /// coverage (default Rejected: MP091, the SSC may require a second FUSA); after
  /// any other trigger (Deferred) the follow-up is a targeted review (MODEL.md §2, §9).
  public var fusaKindAfter: Set<Outcome>

  public init(triggers: Set<Outcome> = [.deferred, .rejected], months: Int = 6, fusaKindAfter: Set<Outcome> = [.rejected]) {
    self.triggers = triggers
    self.months = months
    self.fusaKindAfter = fusaKindAfter
  }

  /// Quarters between the triggering assessment and its follow-up: ⌈months/3⌉.
  @inlinable public var quarters: Int { (months + 2) / 3 }
}

/// Which counts decide year y's band (MODEL.md §8.3).
public enum CountTiming: String, Sendable, Hashable, CaseIterable, Codable {
  /// Counts at the end of year y − 1, after reporting noise (the default ruling).
  case previousYearEnd = "previous_year_end"
  /// Year y's own counts (the other reading, as data).
  case sameYear = "same_year"
}
