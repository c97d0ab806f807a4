/// A metric reported per policy (MODEL.md §6, §9): one row of this table is the
/// whole definition of how it is named, accumulated and totalled.
public enum PolicyMetric: Int, CaseIterable, Sendable, Hashable {
  case fusa, vusa, ussa, followUp, initialFusa, systemAssessment, assessmentsTotal
  case assessorDays, costGBP, sscAgendaItems
  case peakQuarterAssessorDays, capacityExceeded
  case largeBandUsers, bandChanges, remediationPlans
  case coverageFusaShare, fusaAgeYears, unassessedSystemMeters, undetectedIssueMeterYears
  case costPerUserGBP
  case assessorDaysQ1, assessorDaysQ2, assessorDaysQ3, assessorDaysQ4

  /// The name in CSV files.
  public var name: String {
    switch self {
    case .fusa: return "fusa"
    case .vusa: return "vusa"
    case .ussa: return "ussa"
    case .followUp: return "follow_up"
    case .initialFusa: return "initial_fusa"
    case .systemAssessment: return "system_assessment"
    case .assessmentsTotal: return "assessments_total"
    case .assessorDays: return "assessor_days"
    case .costGBP: return "cost_gbp"
    case .sscAgendaItems: return "ssc_agenda_items"
    case .peakQuarterAssessorDays: return "peak_quarter_assessor_days"
    case .capacityExceeded: return "capacity_exceeded"
    case .largeBandUsers: return "large_band_users"
    case .bandChanges: return "band_changes"
    case .remediationPlans: return "remediation_plans"
    case .coverageFusaShare: return "coverage_fusa_share"
    case .fusaAgeYears: return "fusa_age_years"
    case .unassessedSystemMeters: return "unassessed_system_meters"
    case .undetectedIssueMeterYears: return "undetected_issue_meter_years"
    case .costPerUserGBP: return "cost_per_user_gbp"
    case .assessorDaysQ1: return "assessor_days_q1"
    case .assessorDaysQ2: return "assessor_days_q2"
    case .assessorDaysQ3: return "assessor_days_q3"
    case .assessorDaysQ4: return "assessor_days_q4"
    }
  }

  /// The integer unit it is accumulated in.
  public var unit: MetricUnit {
    switch self {
    case .assessorDays, .peakQuarterAssessorDays, .assessorDaysQ1, .assessorDaysQ2, .assessorDaysQ3, .assessorDaysQ4:
      return .tenthDay
    case .costGBP, .costPerUserGBP: return .pence
    case .coverageFusaShare: return .ppm
    case .fusaAgeYears: return .milliYear
    default: return .count
    }
  }

  /// How the horizon total is formed (MODEL.md §6; `max` for the peak quarter is
  /// SECSim's choice: the horizon's busiest quarter, which is what capacity planning asks).
  public var totalRule: TotalRule {
    switch self {
    case .capacityExceeded: return .any
    case .coverageFusaShare, .fusaAgeYears: return .mean
    case .peakQuarterAssessorDays: return .max
    default: return .sum
    }
  }

  /// Capacity metrics exist for class `all` only (MODEL.md §6).
  public var allClassOnly: Bool {
    switch self {
    case .peakQuarterAssessorDays, .capacityExceeded, .assessorDaysQ1, .assessorDaysQ2, .assessorDaysQ3, .assessorDaysQ4:
      return true
    default: return false
    }
  }

  /// Whether the figure rests on proxies or assumptions with no public series to
  /// validate against (MODEL.md §9: effort, day rate, issue rates, detection).
  public var restsOnAssumptions: Bool {
    switch self {
    case .assessorDays, .costGBP, .peakQuarterAssessorDays, .capacityExceeded, .costPerUserGBP,
      .assessorDaysQ1, .assessorDaysQ2, .assessorDaysQ3, .assessorDaysQ4, .undetectedIssueMeterYears:
      return true
    default: return false
    }
  }
}

/// A market metric: policy-independent, reported once under policy `market`,
/// class `all` (MODEL.md §6).
public enum MarketMetric: Int, CaseIterable, Sendable, Hashable {
  case activeDomesticSuppliers, activeNonDomesticSuppliers, entries, failures, solrCustomers
  case specialAdministrations, topSixShare, smartShare, domesticPremises, nonDomesticPremises

  /// The name in CSV files (and in observed series for the backtest).
  public var name: String {
    switch self {
    case .activeDomesticSuppliers: return "active_domestic_suppliers"
    case .activeNonDomesticSuppliers: return "active_non_domestic_suppliers"
    case .entries: return "entries"
    case .failures: return "failures"
    case .solrCustomers: return "solr_customers"
    case .specialAdministrations: return "special_administrations"
    case .topSixShare: return "top_six_share"
    case .smartShare: return "smart_share"
    case .domesticPremises: return "domestic_premises"
    case .nonDomesticPremises: return "non_domestic_premises"
    }
  }

  public var unit: MetricUnit {
    switch self {
    case .topSixShare, .smartShare: return .ppm
    default: return .count
    }
  }

  /// Flows sum over the horizon; stocks (year-end counts, premises) and shares take
  /// the mean over the years (a sum of stocks has no meaning an analyst would use).
  public var totalRule: TotalRule {
    switch self {
    case .entries, .failures, .solrCustomers, .specialAdministrations: return .sum
    default: return .mean
    }
  }
}

/// The Party classes of the breakdown, `all` first (MODEL.md §6).
public enum MetricClass: Hashable, Sendable, CaseIterable {
  case all
  case party(PartyClassIndex)

  public static let allCases: [MetricClass] = [.all] + PartyClassIndex.allCases.map { .party($0) }
  /// Number of classes, `all` included (a constant for the hot loop).
  public static let count = 1 + PartyClassIndex.allCases.count

  public var name: String {
    switch self {
    case .all: return "all"
    case .party(let c): return c.name
    }
  }
}

/// The Party classes of MODEL.md §6 as small integers for array indexing.
public enum PartyClassIndex: Int, CaseIterable, Sendable, Hashable {
  case supplierDomestic, supplierNonDomesticOnly, network, other

  public var name: String {
    switch self {
    case .supplierDomestic: return "supplier_domestic"
    case .supplierNonDomesticOnly: return "supplier_non_domestic_only"
    case .network: return "network"
    case .other: return "other"
    }
  }
}
