/// An assessment regime: data that maps (User Role, size band, position in cycle)
/// to an assessment kind, with explicit band-transition rules and the dual-role
/// priority (MODEL.md §3, §8.4, §8.5, §8.9). The engine is generic over it: the
/// shipped regimes live as YAML files in `scenarios/regimes/`, and nothing in
/// code knows which one is "today's SEC".
public struct Regime: Sendable, Hashable {
  /// Short name used by scenario files (`sec-current`, `sec-pre-mp0059`, …).
  public var name: String
  /// One line for listings and reports.
  public var description: String
  /// Where each row comes from (SEC paragraphs, modification pages, seeds).
  public var sources: [String]
  /// The assessment of the User Entry Process, the User's year 1 (H1.10; §8.2).
  public var entryKind: AssessmentKind
  /// The cycle each role follows.
  public var roles: [UserRole: RoleSchedule]
  /// The most demanding role first: under one assessment per Party, a Party
  /// follows the first of its roles in this list (G8.16 "in each of its User Roles"; §8.9).
  public var rolePriority: [UserRole]
  /// What happens to the position in the cycle when a unit changes band (§3, §8.5).
  public var transitions: BandTransitions
  /// Points a reader should check before relying on the regime (e.g. "Network
  /// Party banding to confirm against the SEC text", CALIBRATION.md §1.2).
  public var caveats: [String]

  public init(
    name: String, description: String = "", sources: [String] = [], entryKind: AssessmentKind = .initialFusa,
    roles: [UserRole: RoleSchedule], rolePriority: [UserRole], transitions: BandTransitions = .secDefault,
    caveats: [String] = []
  ) {
    self.name = name
    self.description = description
    self.sources = sources
    self.entryKind = entryKind
    self.roles = roles
    self.rolePriority = rolePriority
    self.transitions = transitions
    self.caveats = caveats
  }
}

/// The regular assessments one role follows: a cycle of kinds indexed by position
/// 1…L (position 1 is the cycle's first year; a User's entry year is position 1 of
/// its first cycle and holds the initial FUSA instead, §8.2).
public enum RoleSchedule: Sendable, Hashable {
  /// One cycle whatever the Party's size (Network Parties and Other Users in the
  /// SEC regimes, §8.4).
  case unbanded(cycle: [AssessmentKind])
  /// A cycle per size band; the Party's count under the policy's counting rule decides the band.
  case banded(small: [AssessmentKind], large: [AssessmentKind])
}

/// How a unit's position in the cycle is set when it changes band (MODEL.md §3, §8.5).
public struct BandTransitions: Sendable, Hashable {
  /// Rule applied in the first year of the large band after a small year.
  public var smallToLarge: TransitionRule
  /// Rule applied in the first year of the small band after a large year.
  public var largeToSmall: TransitionRule

  public init(smallToLarge: TransitionRule, largeToSmall: TransitionRule) {
    self.smallToLarge = smallToLarge
    self.largeToSmall = largeToSmall
  }

  /// §8.5: small → large restarts (FUSA from that year); large → small continues
  /// as if the last FUSA began the small cycle.
  public static let secDefault = BandTransitions(smallToLarge: .restart, largeToSmall: .sinceLastFusa)
}

/// A position rule on changing band (MODEL.md §8.5).
public enum TransitionRule: String, Sendable, Hashable, CaseIterable, Codable {
  /// Position 1 of the new band's cycle in the first year of the new band.
  case restart
  /// Position ((y − y₀) mod L) + 1, y₀ the year of the last regular or initial FUSA,
  /// L the new cycle's length.
  case sinceLastFusa = "since_last_fusa"
  /// The position keeps advancing by one a year, wrapped to the new cycle's length.
  case `continue`
}
