// Which band a unit is in for a year, and what decided it (MODEL.md §4, §8.1,
// §8.3, §8.4, §8.8, §8.11).

/// What decided a unit's band in a year; every band in an explained record names one.
public enum BandBasis: Sendable, Hashable {
  /// The role is unbanded in the regime (§8.4): no count was read.
  case unbanded
  /// The unit's own count under the policy's counting rule (after SECMP0044).
  case ownCount(CountingBasis)
  /// The aggregate of the SRP with this id exceeded the SRP threshold (§8.8, before
  /// SECMP0044); `aggregate` is in the aggregation's measure.
  case srpAggregate(srp: String, aggregate: Double)
}

/// A band decision: the band (nil for an unbanded role), the unit's own count under
/// the counting rule (nil when none was read), and what decided it.
public struct BandDecision: Sendable, Hashable {
  public var band: SizeBand?
  /// Own count under the policy's rule (premises or meters, §8.11).
  public var count: Double?
  public var basis: BandBasis

  public init(band: SizeBand?, count: Double?, basis: BandBasis) {
    self.band = band
    self.count = count
    self.basis = basis
  }

  /// The band the per-unit step uses: `.small` stands in for unbanded roles (their
  /// single cycle does not depend on it).
  @inlinable public var effectiveBand: SizeBand { band ?? .small }
}

/// The largest SRP aggregate a Party's in-service systems sit on (§8.8): the SRP's
/// id and its aggregate in the aggregation's measure. Callers pass the maximum over
/// the Party's SRPs; one above the threshold is enough.
public struct SRPExposure: Sendable, Hashable {
  public var srp: String
  public var aggregate: Double

  public init(srp: String, aggregate: Double) {
    self.srp = srp
    self.aggregate = aggregate
  }
}

extension Policy {
  /// The band of a unit following `role` in a year (§8.1, §8.4, §8.8).
  ///
  /// - `counts`: the counts that decide the year (§8.3: under
  ///   `CountTiming.previousYearEnd` the end of the year before, after reporting
  ///   noise; the starting counts in the first simulated year; an entrant's entry-year
  ///   counts in its entry year and first regular year. Under `.sameYear` the caller
  ///   passes the year's own counts; nothing here changes.)
  /// - `srp`: the largest aggregate among the SRPs hosting the Party's systems, taken
  ///   at the same time as `counts` (ignored unless aggregation is `srp_aggregate`).
  ///
  /// Unbanded roles read no count (§8.4). A banded role is large if its own count
  /// exceeds T; failing that, under `srp_aggregate`, a supplier with Domestic
  /// Premises (or any supplier, if `includeNonDomesticOnly`) is large when its SRP's
  /// aggregate exceeds the SRP threshold (§8.8). Other roles are never swept in by
  /// an SRP.
  @inlinable public func decideBand(role: UserRole, counts: PortfolioCounts, srp: SRPExposure? = nil) -> BandDecision {
    decideBand(role: role, banded: regime.roles[role]?.isBanded ?? false, counts: counts, srp: srp)
  }

  /// `decideBand(role:counts:srp:)` for a unit whose rules are already built: reads
  /// `rules.banded` instead of the regime's dictionary (the engine's hot path).
  @inlinable public func decideBand(rules: UnitRules, counts: PortfolioCounts, srp: SRPExposure? = nil) -> BandDecision {
    decideBand(role: rules.role, banded: rules.banded, counts: counts, srp: srp)
  }

  @inlinable func decideBand(role: UserRole, banded: Bool, counts: PortfolioCounts, srp: SRPExposure?) -> BandDecision {
    let d = band(role: role, banded: banded, counts: counts, srpAggregate: srp?.aggregate)
    if d.bySRP, let srp { return BandDecision(band: d.band, count: d.count, basis: .srpAggregate(srp: srp.srp, aggregate: srp.aggregate)) }
    guard banded else { return BandDecision(band: nil, count: nil, basis: .unbanded) }
    return BandDecision(band: d.band, count: d.count, basis: .ownCount(counting.basis))
  }

  /// The band rule itself (§8.1, §8.4, §8.8), with no explanation attached: the band
  /// (nil unbanded), the unit's own count (nil unbanded) and whether the SRP's
  /// aggregate (`srpAggregate`, the largest among the Party's SRPs) made it Large.
  /// `decideBand` explains this same decision; the engine's hot loop calls it directly.
  @inlinable public func band(
    role: UserRole, banded: Bool, counts: PortfolioCounts, srpAggregate: Double?
  ) -> (band: SizeBand?, count: Double?, bySRP: Bool) {
    guard banded else { return (nil, nil, false) }
    let own = counting.count(counts)
    let ownBand = counting.band(forCount: own)
    if ownBand == .small, aggregation.mode == .srpAggregate, role == .supplier, let srpAggregate,
      counts.domesticPremises > 0 || aggregation.includeNonDomesticOnly,
      counting.comparison.exceeds(srpAggregate, aggregation.srpThreshold)
    {
      return (.large, own, true)
    }
    return (ownBand, own, false)
  }
}

extension Aggregation {
  /// A member's contribution to its SRP's aggregate (§8.8): Domestic Premises, or
  /// domestic smart metering systems under `.domesticMeters`.
  @inlinable public func contribution(of counts: PortfolioCounts) -> Int {
    switch measure {
    case .domesticPremises: return counts.domesticPremises
    case .domesticMeters: return counts.domesticMeters
    }
  }
}
