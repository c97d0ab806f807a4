// Second and subsequent User Systems (seed 004; MODEL.md §4, §8.10, §8.15).

/// How a User System came to be assessed (or why it is not), for explanations.
public enum SystemCover: String, Sendable, Hashable, CaseIterable {
  /// In service at the User's entry: covered by its initial FUSA (§8.10).
  case initialFusa = "initial_fusa"
  /// Already in service in the first simulated year: taken as assessed (§8.10).
  case inServiceAtStart = "in_service_at_start"
  /// Hosted by an SRP assessed by then: already assessed (seed 004, §8.15).
  case srpAssessed = "srp_assessed"
  /// Assessed by a `system_assessment` (§8.10).
  case systemAssessment = "system_assessment"
  /// Cleared by the first regular FUSA of its User at or after its start (§8.10).
  case regularFusa = "regular_fusa"
}

/// What happens when a second or subsequent User System starts (§8.10).
public enum SystemStartAction: String, Sendable, Hashable, CaseIterable {
  /// `none`: nobody notifies the SSC; the system is unassessed.
  case unassessedNotNotified = "unassessed_not_notified"
  /// `notify_ssc` and the SSC asks for no assessment of a never-assessed system.
  case unassessedSSCDeclined = "unassessed_ssc_declined"
  /// Already assessed with its SRP; under `notify_ssc` the SSC asks for nothing
  /// more (notified), under `none` nobody notifies.
  case alreadyAssessed = "already_assessed"
  /// A `system_assessment` in the quarter the system starts.
  case assess
}

extension SecondSystemPolicy {
  /// The decision for a second or subsequent system starting now (§8.10).
  /// `srpAssessed`: whether it is hosted by an SRP assessed by its start year
  /// (§8.15). `sscVariate`: a uniform variate in [0, 1) attached to the system
  /// (MODEL.md §10); the SSC asks for an assessment when u < p. Read only under
  /// `notify_ssc` for a not-yet-assessed system.
  @inlinable public func onStart(srpAssessed: Bool, sscVariate: Double) -> SystemStartAction {
    switch rule {
    case .none: return srpAssessed ? .alreadyAssessed : .unassessedNotNotified
    case .alwaysAssess: return .assess
    case .notifySSC:
      if srpAssessed { return .alreadyAssessed }
      return sscVariate < probability ? .assess : .unassessedSSCDeclined
    }
  }

  /// Whether the User notifies the SSC of a new system under this rule (an SSC
  /// agenda item, MODEL.md §9): under `notify_ssc` and `always_assess`.
  @inlinable public var notifies: Bool { rule != .none }
}

/// The assessment state of one User System: assessed (and how, and the last year a
/// FUSA-kind assessment or its equivalent covered it) or still unassessed.
public struct SystemState: Sendable, Hashable {
  /// How it was last covered; nil while unassessed.
  public var cover: SystemCover?
  /// Year of that cover.
  public var coveredYear: Int?

  public init(cover: SystemCover? = nil, coveredYear: Int? = nil) {
    self.cover = cover
    self.coveredYear = coveredYear
  }

  @inlinable public var isUnassessed: Bool { cover == nil }

  /// A regular FUSA of the system's User, held in `quarter` of `year`, clears the
  /// system if it is unassessed and the FUSA is at or after the system's start
  /// (compared by year, then quarter; §8.10). VUSAs and USSAs never clear it.
  @inlinable public mutating func applyRegularFusa(year: Int, quarter: Int, startYear: Int, startQuarter: Int) -> Bool {
    guard cover == nil, (year, quarter) >= (startYear, startQuarter) else { return false }
    cover = .regularFusa
    coveredYear = year
    return true
  }
}
