import RealModule
import SECRules

/// Everything the engine reads, resolved from a scenario once before any replicate
/// runs: the population as flat templates, every process parameter as a per-year
/// array (index 0 is the start year), scheduled events by year, and the policies.
/// `EngineInput(scenario:)` (ScenarioCompiler.swift) is the only code that reads
/// scenario types; the hot loop reads only this.
public struct EngineInput: Sendable {
  /// First simulated calendar year.
  public var startYear: Int
  /// Number of simulated years Y.
  public var years: Int
  /// The Users present at the start (and scheduled entrants, flagged by `scheduledEntry`).
  public var parties: [PartyTemplate]
  /// Shared Resource Providers.
  public var srps: [SRPTemplate]
  /// The processes of MODEL.md §5, resolved per year.
  public var processes: ProcessValues
  /// Scheduled events (MODEL.md §5), per year index.
  public var events: [[EngineEvent]]
  /// Policies in scenario order; `baseline` indexes the baseline.
  public var policies: [Policy]
  public var baseline: Int
  /// Assessor capacity and other demand, assessor days per quarter, per year [y][q].
  public var capacityPerQuarter: [[Double]]
  public var otherDemandPerQuarter: [[Double]]
  /// Assessor day rate, £ per day, per year.
  public var dayRateGBP: [Double]
  /// Risk weight per role (MODEL.md §9; default 1).
  public var roleWeights: [UserRole: Double]
  /// Calendar year of year index i.
  @inlinable public func year(_ i: Int) -> Int { startYear + i }

  public init(
    startYear: Int, years: Int, parties: [PartyTemplate], srps: [SRPTemplate], processes: ProcessValues, events: [[EngineEvent]],
    policies: [Policy], baseline: Int, capacityPerQuarter: [[Double]], otherDemandPerQuarter: [[Double]], dayRateGBP: [Double],
    roleWeights: [UserRole: Double]
  ) {
    self.startYear = startYear
    self.years = years
    self.parties = parties
    self.srps = srps
    self.processes = processes
    self.events = events
    self.policies = policies
    self.baseline = baseline
    self.capacityPerQuarter = capacityPerQuarter
    self.otherDemandPerQuarter = otherDemandPerQuarter
    self.dayRateGBP = dayRateGBP
    self.roleWeights = roleWeights
  }
}

/// One User as the engine starts it (MODEL.md §2, §9).
public struct PartyTemplate: Sendable, Hashable {
  public var id: String
  public var name: String
  /// Roles, most demanding first is not assumed: the policy's regime orders them.
  public var roles: [UserRole]
  public var entryYear: Int
  /// Exit year stated in the scenario (nil: none).
  public var exitYear: Int?
  /// Anniversary quarter 1–4; nil draws one uniformly per replicate (MODEL.md §9).
  public var anniversaryQuarter: Int?
  /// Stated cycle positions in the first simulated year (§8.13).
  public var statedPositions: [UserRole: Int]
  public var domesticPremises: Double
  public var nonDomesticPremises: Double
  /// Stated smart metering systems in the start year (nil: derived from premises).
  public var domesticMeters: Int?
  public var nonDomesticMeters: Int?
  /// Smart metering systems reachable, for Users that are not suppliers (§9).
  public var exposureSMS: Double
  public var systems: [SystemTemplate]
  /// Row of users.csv this User's tallies go to.
  public var userRow: Int

  public init(
    id: String, name: String, roles: [UserRole], entryYear: Int, exitYear: Int? = nil, anniversaryQuarter: Int? = nil,
    statedPositions: [UserRole: Int] = [:], domesticPremises: Double = 0, nonDomesticPremises: Double = 0,
    domesticMeters: Int? = nil, nonDomesticMeters: Int? = nil, exposureSMS: Double = 0, systems: [SystemTemplate] = [],
    userRow: Int = 0
  ) {
    self.id = id
    self.name = name
    self.roles = roles
    self.entryYear = entryYear
    self.exitYear = exitYear
    self.anniversaryQuarter = anniversaryQuarter
    self.statedPositions = statedPositions
    self.domesticPremises = domesticPremises
    self.nonDomesticPremises = nonDomesticPremises
    self.domesticMeters = domesticMeters
    self.nonDomesticMeters = nonDomesticMeters
    self.exposureSMS = exposureSMS
    self.systems = systems
    self.userRow = userRow
  }

  public var isSupplier: Bool { roles.contains(.supplier) }

  /// Its Party class (MODEL.md §6), fixed when it enters the simulation.
  public var partyClass: PartyClassIndex {
    if roles.contains(.supplier) { return domesticPremises > 0 ? .supplierDomestic : .supplierNonDomesticOnly }
    if roles.contains(.electricityDistributor) || roles.contains(.gasTransporter) { return .network }
    return .other
  }
}

/// One User System as the engine starts it.
public struct SystemTemplate: Sendable, Hashable {
  public var id: String
  /// Index into `EngineInput.srps`, or nil for a bespoke system.
  public var srp: Int?
  public var startYear: Int
  /// Quarter 1–4 it starts (nil: the User's anniversary quarter).
  public var startQuarter: Int?
  /// Relative share of the User's smart metering systems (MODEL.md §9; default equal).
  public var share: Double

  public init(id: String, srp: Int?, startYear: Int, startQuarter: Int? = nil, share: Double = 1) {
    self.id = id
    self.srp = srp
    self.startYear = startYear
    self.startQuarter = startQuarter
    self.share = share
  }
}

/// A Shared Resource Provider (MODEL.md §2).
public struct SRPTemplate: Sendable, Hashable {
  public var id: String
  /// Year it was assessed (its hosted systems count as assessed from then, §8.15).
  public var assessedYear: Int?
  /// Aggregate stated by the scenario, used instead of the sum of members (§8.8).
  public var statedAggregate: Double?

  public init(id: String, assessedYear: Int? = nil, statedAggregate: Double? = nil) {
    self.id = id
    self.assessedYear = assessedYear
    self.statedAggregate = statedAggregate
  }

  @inlinable public func isAssessed(by year: Int) -> Bool { assessedYear.map { $0 <= year } ?? false }
}

/// A scheduled event (MODEL.md §5).
public enum EngineEvent: Sendable, Hashable {
  /// The User fails this year; its customers go to `solr` (a party index) if named.
  case failure(party: Int, solr: Int?)
  /// `buyer` takes over the User's customers this year and the User leaves (a merger
  /// or sale, not a failure).
  case acquisition(party: Int, buyer: Int)
  /// The User (a template flagged as a scheduled entrant) enters this year.
  case entry(party: Int)
  /// The User starts another User System this year.
  case secondSystem(party: Int, system: SystemTemplate)
  /// The User's assessment of `kind` this year has this outcome (every policy).
  case outcome(party: Int, kind: AssessmentKind, outcome: Outcome)
}

/// The processes of MODEL.md §5, each parameter resolved per year (index 0 = start year).
public struct ProcessValues: Sendable {
  // 1. Market totals.
  public var domesticGrowth: [Double]
  public var nonDomesticGrowth: [Double]
  // 2. Portfolios.
  public var marketFactorSD: [Double]
  public var idiosyncraticSD: [Double]
  // 3. Failure.
  /// Upper share bounds of the hazard classes, ascending; the last class is unbounded.
  public var hazardClassBounds: [Double]
  /// Hazard per class per year [class][y], already multiplied in crisis years.
  public var hazard: [[Double]]
  /// Domestic Premises above which a failed supplier enters special administration, per year.
  public var specialAdministrationThreshold: [Double]
  public var specialAdministrationYears: Int
  // 4. Entry.
  public var entryRate: [Double]
  public var entryLogMean: [Double]
  public var entryLogSD: [Double]
  public var entryNonDomesticOnlyShare: [Double]
  /// Per year: true when the year's entrants are `entryRate` exactly (a replayed
  /// count, `entry.exact_until`), false for a Poisson draw (empty: Poisson).
  public var entryExact: [Bool]
  // 5–6. Roll-out and meters per premises.
  public var smartShareDomestic: [Double]
  public var smartShareNonDomestic: [Double]
  public var domesticMetersPerPremises: [Double]
  public var nonDomesticMetersMean: Double
  public var nonDomesticMetersSD: Double
  // 7. SRP migration.
  public var toSRP: [Double]
  public var toBespoke: [Double]
  public var betweenSRPs: [Double]
  // 8. Second User Systems.
  public var secondSystemAdoption: [Double]
  public var secondSystemOnAssessedSRP: [Double]
  // 9. Issues.
  public var issueRate: [Double]
  public var detectionFusa: [Double]
  public var detectionVusa: [Double]
  public var detectionUssa: [Double]
  public var detectionReview: [Double]
  // Reporting noise on premises counts.
  public var premisesNoiseSD: [Double]
  /// Cumulative outcome thresholds per kind (fusa, vusa, initial_fusa) × band
  /// (small, large) × year: (approved, + subject to steps, + deferred); above the
  /// last is rejected.
  public var outcomeThresholds: [[[(Double, Double, Double)]]]
  /// Effort tables, assessor days as inverse CDFs: [kind][host], kind in
  /// fusa, vusa, ussa, initial_fusa, review; host 0 bespoke, 1 SRP.
  public var effort: [[EffortTable]]
  /// §5.5 roll-out uncertainty per segment (0 domestic, 1 non-domestic); empty, or
  /// segments that are not stochastic, follow `smartShareDomestic` /
  /// `smartShareNonDomestic` exactly.
  public var rollout: [RolloutSegment]
  /// §5.2 customer drift: the yearly rate per year (empty: none) and, per template,
  /// whether it loses customers.
  public var switchingRate: [Double]
  public var switchingDonor: [Bool]
  /// §5.3 γ per year: a SoLR or buyer is drawn with probability ∝ size^γ (empty: 1).
  public var solrSizeExponent: [Double]
  /// §5.3 γ per year for the buyer of a book leaving special administration (empty:
  /// `solrSizeExponent`).
  public var buyerSizeExponent: [Double]

  public init(
    domesticGrowth: [Double], nonDomesticGrowth: [Double], marketFactorSD: [Double], idiosyncraticSD: [Double], hazardClassBounds: [Double],
    hazard: [[Double]], specialAdministrationThreshold: [Double], specialAdministrationYears: Int, entryRate: [Double],
    entryLogMean: [Double], entryLogSD: [Double], entryNonDomesticOnlyShare: [Double], smartShareDomestic: [Double],
    smartShareNonDomestic: [Double], domesticMetersPerPremises: [Double], nonDomesticMetersMean: Double, nonDomesticMetersSD: Double,
    toSRP: [Double], toBespoke: [Double], betweenSRPs: [Double], secondSystemAdoption: [Double], secondSystemOnAssessedSRP: [Double],
    issueRate: [Double], detectionFusa: [Double], detectionVusa: [Double], detectionUssa: [Double], detectionReview: [Double],
    premisesNoiseSD: [Double], outcomeThresholds: [[[(Double, Double, Double)]]], effort: [[EffortTable]],
    rollout: [RolloutSegment] = [], switchingRate: [Double] = [], switchingDonor: [Bool] = [], solrSizeExponent: [Double] = [],
    buyerSizeExponent: [Double] = [], entryExact: [Bool] = []
  ) {
    self.domesticGrowth = domesticGrowth
    self.nonDomesticGrowth = nonDomesticGrowth
    self.marketFactorSD = marketFactorSD
    self.idiosyncraticSD = idiosyncraticSD
    self.hazardClassBounds = hazardClassBounds
    self.hazard = hazard
    self.specialAdministrationThreshold = specialAdministrationThreshold
    self.specialAdministrationYears = specialAdministrationYears
    self.entryRate = entryRate
    self.entryLogMean = entryLogMean
    self.entryLogSD = entryLogSD
    self.entryNonDomesticOnlyShare = entryNonDomesticOnlyShare
    self.smartShareDomestic = smartShareDomestic
    self.smartShareNonDomestic = smartShareNonDomestic
    self.domesticMetersPerPremises = domesticMetersPerPremises
    self.nonDomesticMetersMean = nonDomesticMetersMean
    self.nonDomesticMetersSD = nonDomesticMetersSD
    self.toSRP = toSRP
    self.toBespoke = toBespoke
    self.betweenSRPs = betweenSRPs
    self.secondSystemAdoption = secondSystemAdoption
    self.secondSystemOnAssessedSRP = secondSystemOnAssessedSRP
    self.issueRate = issueRate
    self.detectionFusa = detectionFusa
    self.detectionVusa = detectionVusa
    self.detectionUssa = detectionUssa
    self.detectionReview = detectionReview
    self.premisesNoiseSD = premisesNoiseSD
    self.outcomeThresholds = outcomeThresholds
    self.effort = effort
    self.rollout = rollout
    self.switchingRate = switchingRate
    self.switchingDonor = switchingDonor
    self.solrSizeExponent = solrSizeExponent
    self.buyerSizeExponent = buyerSizeExponent
    self.entryExact = entryExact
  }
}

/// One segment's logistic roll-out path (MODEL.md §5.5, `LogisticPath`) with its
/// uncertainty: a per-replicate shift of the midpoint (sd `midpointSD`, years) and
/// yearly pace noise (sd `paceSD[y]` of the log of the factor on each year's increase).
public struct RolloutSegment: Sendable, Hashable {
  public var startYear: Int
  public var startShare: Double
  /// Per year index.
  public var midpoint: [Double]
  public var steepness: [Double]
  public var ceiling: [Double]
  public var midpointSD: Double
  public var paceSD: [Double]

  public init(
    startYear: Int, startShare: Double, midpoint: [Double], steepness: [Double], ceiling: [Double], midpointSD: Double, paceSD: [Double]
  ) {
    self.startYear = startYear
    self.startShare = startShare
    self.midpoint = midpoint
    self.steepness = steepness
    self.ceiling = ceiling
    self.midpointSD = midpointSD
    self.paceSD = paceSD
  }

  /// Whether any draw is needed (otherwise the path is the scenario's, exactly).
  public var isStochastic: Bool { midpointSD > 0 || paceSD.contains { $0 > 0 } }

  /// The path in year index `yi` with the midpoint moved by `shift` years (the
  /// formula of `LogisticPath.share`).
  public func share(_ yi: Int, shift: Double) -> Double {
    let k = steepness[yi]
    let top = ceiling[yi]
    let mid = midpoint[yi] + shift
    guard k > 0, yi > 0 else { return startShare }
    let l0 = 1 / (1 + Double.exp(-k * (Double(startYear) - mid)))
    guard l0 < 1 else { return startShare }
    let l = 1 / (1 + Double.exp(-k * (Double(startYear + yi) - mid)))
    return startShare + (top - startShare) * (l - l0) / (1 - l0)
  }
}

/// Assessor days per assessment as a tabulated inverse CDF of a PERT distribution
/// on [min, max] with the given mode (Beta(α, β) scaled: α = 1 + 4(mode − min)/(max − min),
/// β = 1 + 4(max − mode)/(max − min); CALIBRATION.md §3: FUSA fieldwork 3–10 days).
/// A uniform variate u maps to days by linear interpolation in the table
/// (1,024 intervals; GSL's `gsl_cdf_beta_Pinv` gives the nodes).
public struct EffortTable: Sendable, Hashable {
  public var min: Double
  public var max: Double
  /// Quantiles of the standardised Beta at i/1024, i = 0…1024.
  public var nodes: [Double]

  @inlinable public func days(_ u: Double) -> Double {
    if max <= min || nodes.isEmpty { return min }
    let x = u * Double(nodes.count - 1)
    let i = Swift.min(Int(x), nodes.count - 2)
    let f = x - Double(i)
    return min + (max - min) * (nodes[i] + (nodes[i + 1] - nodes[i]) * f)
  }
}
