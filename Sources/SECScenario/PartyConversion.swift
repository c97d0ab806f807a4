// Scenario-level population types → SECRules' Party, UserSystem and
// SharedResourceProvider (what the scheduler and the engine step).

import SECRules

extension UserSystemSpec {
  /// The SECRules system; `defaultStartYear` stands in for an unstated start (the
  /// User's entry year, or the event's year for a second system).
  public func userSystem(defaultStartYear: Int) -> UserSystem {
    UserSystem(
      id: id, host: srp.map { .srp($0) } ?? .bespoke, startYear: startYear ?? defaultStartYear, startQuarter: startQuarter,
      exposureShare: exposureShare)
  }
}

extension UserSpec {
  /// The SECRules Party. `anniversaryQuarter` is used when the scenario states none
  /// (the engine draws it uniformly, MODEL.md §9 "Timing"). Systems default to one
  /// bespoke system `ID-1` in service from entry.
  public func party(anniversaryQuarter drawn: Int) -> Party {
    Party(
      id: id, name: name.isEmpty ? id : name, roles: roles, entryYear: entryYear,
      anniversaryQuarter: anniversaryQuarter ?? drawn, statedPositions: cyclePositions, exitYear: exitYear,
      systems: effectiveSystems.map { $0.userSystem(defaultStartYear: entryYear) })
  }

  /// Its starting counts; unstated meters are left at 0 (the engine derives them from
  /// premises × smart share × meters per premises, MODEL.md §5.5–5.6).
  public var statedCounts: PortfolioCounts {
    PortfolioCounts(
      domesticPremises: domesticPremises, nonDomesticPremises: nonDomesticPremises, domesticMeters: domesticMeters ?? 0,
      nonDomesticMeters: nonDomesticMeters ?? 0)
  }
}

extension SRPSpec {
  /// The SECRules Shared Resource Provider.
  public var provider: SharedResourceProvider {
    SharedResourceProvider(id: id, name: name.isEmpty ? id : name, assessedYear: assessedYear, statedAggregate: statedAggregate)
  }
}

extension PopulationSpec {
  /// The starting population as SECRules types; `quarter(userIndex)` supplies the
  /// anniversary quarter of Users that state none.
  public func rulesPopulation(quarter: (Int) -> Int) -> Population {
    Population(
      parties: allUsers.enumerated().map { i, u in u.party(anniversaryQuarter: quarter(i)) }, srps: srps.map(\.provider))
  }
}
