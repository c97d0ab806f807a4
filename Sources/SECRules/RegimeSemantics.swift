// What a Regime means: cycle look-ups, the governing role of a dual-role Party and
// validation (MODEL.md §3, §8.2, §8.4, §8.5, §8.9).

extension RoleSchedule {
  /// Whether the role reads the Party's count (§8.4: only banded roles do, §8.9).
  @inlinable public var isBanded: Bool {
    if case .banded = self { return true }
    return false
  }

  /// The cycle followed in `band` (an unbanded role has one cycle whatever the band).
  @inlinable public func cycle(for band: SizeBand) -> [AssessmentKind] {
    switch self {
    case .unbanded(let cycle): return cycle
    case .banded(let small, let large): return band == .large ? large : small
    }
  }
}

extension Regime {
  /// The kind a unit of `role` in `band` gets at `position` (1-based, wrapped to the
  /// cycle's length), or nil if the regime has no row for the role or the cycle is
  /// empty. Entry years hold `entryKind` instead (§8.2).
  public func kind(role: UserRole, band: SizeBand, position: Int) -> AssessmentKind? {
    guard let cycle = roles[role]?.cycle(for: band), !cycle.isEmpty, position >= 1 else { return nil }
    return cycle[(position - 1) % cycle.count]
  }

  /// The role whose row a Party follows under one assessment per Party: the first of
  /// its roles in `rolePriority` (§8.9; G8.16 "in each of its User Roles"). Roles
  /// missing from the priority list come after it, in the order given.
  public func governingRole(of partyRoles: some Collection<UserRole>) -> UserRole? {
    for role in rolePriority where partyRoles.contains(role) { return role }
    return partyRoles.first
  }

  /// The roles of a Party in priority order (§8.9); under one assessment per role
  /// each is its own assessed unit.
  public func orderedRoles(of partyRoles: some Collection<UserRole>) -> [UserRole] {
    var out = rolePriority.filter { partyRoles.contains($0) }
    for role in partyRoles where !out.contains(role) { out.append(role) }
    return out
  }

  /// Everything wrong with the regime, in reading order; empty when it is usable.
  /// Checks: every role has a row; no cycle is empty; cycles hold only FUSA, VUSA
  /// and USSA; the entry kind is an initial FUSA or a FUSA; the priority list names
  /// every role exactly once.
  public func problems() -> [RegimeProblem] {
    var out: [RegimeProblem] = []
    if name.isEmpty { out.append(.init(field: "name", message: "the regime has no name")) }
    if entryKind != .initialFusa && entryKind != .fusa {
      out.append(
        .init(field: "entry_kind", message: "entry kind must be initial_fusa or fusa, not \(entryKind.rawValue)"))
    }
    for role in UserRole.allCases {
      guard let schedule = roles[role] else {
        out.append(.init(field: "roles.\(role.rawValue)", message: "no cycle for role \(role.rawValue)"))
        continue
      }
      let cycles: [(String, [AssessmentKind])]
      switch schedule {
      case .unbanded(let cycle): cycles = [("cycle", cycle)]
      case .banded(let small, let large): cycles = [("small", small), ("large", large)]
      }
      for (label, cycle) in cycles {
        let field = "roles.\(role.rawValue).\(label)"
        if cycle.isEmpty { out.append(.init(field: field, message: "the cycle is empty")) }
        if cycle.count > PackedCycle.capacity {
          out.append(.init(field: field, message: "a cycle holds at most \(PackedCycle.capacity) years, found \(cycle.count)"))
        }
        for kind in cycle where !AssessmentKind.cycleKinds.contains(kind) {
          out.append(.init(field: field, message: "\(kind.rawValue) cannot be a regular assessment (use fusa, vusa or ussa)"))
        }
      }
    }
    for role in UserRole.allCases {
      let n = rolePriority.filter { $0 == role }.count
      if n == 0 { out.append(.init(field: "role_priority", message: "role \(role.rawValue) is missing")) }
      if n > 1 { out.append(.init(field: "role_priority", message: "role \(role.rawValue) is listed \(n) times")) }
    }
    return out
  }
}

/// One thing wrong with a regime (or policy), with the field it concerns in the
/// regime file's spelling (`roles.supplier.small`, `role_priority`, …).
public struct RegimeProblem: Sendable, Hashable, CustomStringConvertible {
  public var field: String
  public var message: String

  public init(field: String, message: String) {
    self.field = field
    self.message = message
  }

  public var description: String { "\(field): \(message)" }
}

extension Policy {
  /// Everything wrong with the policy (its regime's problems included); empty when
  /// usable. Threshold T > 0 (and the SRP threshold), weight w ≥ 0, follow-up months
  /// 0–36 (so at most four follow-ups are ever pending, see `FollowUpQueue`), SSC
  /// probability p in 0–1, and a system assessment's effort kind a cycle kind.
  public func problems() -> [RegimeProblem] {
    var out = regime.problems()
    if !(counting.threshold > 0) { out.append(.init(field: "counting.threshold", message: "T must be > 0")) }
    if !(counting.weight >= 0) { out.append(.init(field: "counting.weight", message: "w must be ≥ 0")) }
    if !(aggregation.srpThreshold > 0) {
      out.append(.init(field: "aggregation.srp_threshold", message: "the SRP threshold must be > 0"))
    }
    if !(0...36).contains(followUp.months) {
      out.append(.init(field: "follow_up.months", message: "months must be between 0 and 36"))
    }
    if !(0...1).contains(secondSystem.probability) {
      out.append(.init(field: "second_system.probability", message: "p must be between 0 and 1"))
    }
    if !AssessmentKind.cycleKinds.contains(secondSystem.effortKind) {
      out.append(.init(field: "second_system.effort_kind", message: "effort kind must be fusa, vusa or ussa"))
    }
    return out
  }
}

extension AssessmentKind {
  /// Whether an assessment of this kind is a full one for §8.5's y₀ and for
  /// clearing unassessed systems (§8.10): a regular FUSA or an initial FUSA.
  @inlinable @inline(__always) public var isFullRegular: Bool { self == .fusa || self == .initialFusa }
}
