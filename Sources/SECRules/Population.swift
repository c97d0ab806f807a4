// The entities a regime is applied to (MODEL.md §2): Parties, their User Systems
// and the Shared Resource Providers that host them.

/// Where a User System runs (MODEL.md §2): on the User's own infrastructure, or
/// hosted by a Shared Resource Provider (SRP), named by the SRP's id.
public enum SystemHost: Sendable, Hashable {
  /// The User's own (bespoke) User System.
  case bespoke
  /// A User System provided by the Shared Resource Provider with this id.
  case srp(String)

  /// The hosting SRP's id, or nil for a bespoke system.
  @inlinable public var srpID: String? {
    if case .srp(let id) = self { return id }
    return nil
  }
}

/// One User System of a Party (MODEL.md §2; seed 004 for second and subsequent
/// systems, §8.10). A system is in service from `startYear` (quarter
/// `startQuarter`) until the year before `endYear`; a migration to another SRP is
/// modelled as one system ending and a new one starting.
public struct UserSystem: Sendable, Hashable {
  /// Identifier, unique within the population (`S01-1`, …).
  public var id: String
  /// Bespoke or hosted by an SRP.
  public var host: SystemHost
  /// First calendar year the system is in live operation.
  public var startYear: Int
  /// Quarter (1–4) of `startYear` in which it starts; nil means the Party's
  /// anniversary quarter (MODEL.md §9 "Timing": a system assessment falls in the
  /// quarter the system starts).
  public var startQuarter: Int?
  /// First year the system is no longer in service (nil: still in service).
  public var endYear: Int?
  /// Share of the Party's exposure (smart metering systems) the system reaches, 0–1
  /// (MODEL.md §9 "Risk weight": default equal shares, which callers compute).
  public var exposureShare: Double?

  public init(
    id: String, host: SystemHost = .bespoke, startYear: Int, startQuarter: Int? = nil, endYear: Int? = nil,
    exposureShare: Double? = nil
  ) {
    self.id = id
    self.host = host
    self.startYear = startYear
    self.startQuarter = startQuarter
    self.endYear = endYear
    self.exposureShare = exposureShare
  }

  /// Whether the system is in service in `year`.
  @inlinable public func inService(in year: Int) -> Bool {
    year >= startYear && (endYear.map { year < $0 } ?? true)
  }
}

/// A Shared Resource Provider (MODEL.md §2, §8.8, §8.15): hosts User Systems of
/// many Users. Its own assessments are not counted as User assessments; they only
/// mark the systems it hosts as already assessed (§8.15, seed 004).
public struct SharedResourceProvider: Sendable, Hashable {
  /// Identifier (`SRP1`, …), referred to by `SystemHost.srp`.
  public var id: String
  /// Name for reports (anonymised in the GB default, MODEL.md §9).
  public var name: String
  /// Year of its (first) assessment; nil if never assessed. From that year on, a
  /// system it hosts counts as already assessed under `notify_ssc` (seed 004).
  public var assessedYear: Int?
  /// The aggregate count the scenario states for it (Domestic Premises, or domestic
  /// meters under `Aggregation.Measure.domesticMeters`), used instead of the sum over
  /// its Users (§8.8). Units: premises or smart metering systems.
  public var statedAggregate: Int?

  public init(id: String, name: String = "", assessedYear: Int? = nil, statedAggregate: Int? = nil) {
    self.id = id
    self.name = name
    self.assessedYear = assessedYear
    self.statedAggregate = statedAggregate
  }

  /// Whether the SRP has been assessed by `year` (inclusive).
  @inlinable public func isAssessed(by year: Int) -> Bool {
    assessedYear.map { $0 <= year } ?? false
  }
}

/// A SEC Party that is a DCC User (MODEL.md §2). Present from `entryYear` (the year
/// of its initial FUSA, §8.2) up to the year before `exitYear` (§8.12).
public struct Party: Sendable, Hashable {
  /// Identifier (`S01`, `ND017`, `EDN03`, …; anonymised, MODEL.md §9).
  public var id: String
  /// Name for reports.
  public var name: String
  /// Its User Roles (one or more; SSE's question in seed 002, §8.9).
  public var roles: [UserRole]
  /// Year of User entry (its initial FUSA, H1.10, §8.2). Earlier than the first
  /// simulated year for Users present at the start (§8.13).
  public var entryYear: Int
  /// Quarter (1–4) its regular assessments fall in (MODEL.md §9 "Timing").
  public var anniversaryQuarter: Int
  /// Position in its cycle in the first simulated year, per role, for Users present
  /// at the start (§8.13). Under one assessment per Party the governing role's
  /// entry is read. Absent: derived from the entry year assuming an unchanged band.
  public var statedPositions: [UserRole: Int]
  /// First year it is no longer a User (nil: stays to the horizon; §8.12).
  public var exitYear: Int?
  /// Its User Systems (at least one, MODEL.md §2).
  public var systems: [UserSystem]

  public init(
    id: String, name: String = "", roles: [UserRole], entryYear: Int, anniversaryQuarter: Int = 1,
    statedPositions: [UserRole: Int] = [:], exitYear: Int? = nil, systems: [UserSystem] = []
  ) {
    self.id = id
    self.name = name
    self.roles = roles
    self.entryYear = entryYear
    self.anniversaryQuarter = anniversaryQuarter
    self.statedPositions = statedPositions
    self.exitYear = exitYear
    self.systems = systems
  }

  /// Whether the Party is a User in `year` (entered, not yet exited; §8.12).
  @inlinable public func isPresent(in year: Int) -> Bool {
    year >= entryYear && (exitYear.map { year < $0 } ?? true)
  }

  /// Its class for metrics (MODEL.md §6), given its counts.
  public func partyClass(counts: PortfolioCounts) -> PartyClass {
    PartyClass(roles: roles, counts: counts)
  }
}

extension PartyClass {
  /// Derives a Party's class (MODEL.md §6): any supplier role makes it a supplier
  /// (domestic if it has any Domestic Premises, else non-domestic-only); otherwise a
  /// Network Party if it is an electricity distributor or gas transporter; otherwise
  /// `other` (Other Users and Registered Supplier Agents).
  public init(roles: some Sequence<UserRole>, counts: PortfolioCounts) {
    var isNetwork = false
    for role in roles {
      switch role {
      case .supplier:
        self = counts.domesticPremises > 0 ? .supplierDomestic : .supplierNonDomesticOnly
        return
      case .electricityDistributor, .gasTransporter: isNetwork = true
      case .otherUser, .registeredSupplierAgent: break
      }
    }
    self = isNetwork ? .network : .other
  }
}

/// A population to schedule (MODEL.md §2): Parties and the SRPs their systems
/// name. The Monte Carlo engine keeps its own arrays and calls the per-unit step
/// directly; this type serves the explained scheduler and hand-checkable tests.
public struct Population: Sendable, Hashable {
  public var parties: [Party]
  public var srps: [SharedResourceProvider]

  public init(parties: [Party], srps: [SharedResourceProvider] = []) {
    self.parties = parties
    self.srps = srps
  }
}
