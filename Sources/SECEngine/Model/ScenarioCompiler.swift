import SECRules
import SECScenario

extension EngineInput {
  /// Resolves a scenario for the engine: every parameter at every simulated year,
  /// Users and systems as templates, events by year (MODEL.md §5, §9). `policies`
  /// are the scenario's policies with their regimes loaded
  /// (`Scenario.resolvedPolicies(near:)`), in the scenario's order, possibly
  /// filtered (`secsim run --policy`), and `baseline` indexes the baseline among them.
  public init(scenario: Scenario, policies: [Policy], baseline: Int) {
    let years = Array(scenario.years)
    let y0 = scenario.startYear
    func series(_ p: Parameter) -> [Double] { years.map { p.value(inYear: $0) } }
    let pr = scenario.processes

    // Users: the population, then entrants scheduled by events (MODEL.md §5).
    var users = scenario.population.allUsers
    for event in scenario.events {
      if case .entry(var spec) = event.kind {
        spec.entryYear = event.year
        users.append(spec)
      }
    }
    let srpIndex = Dictionary(uniqueKeysWithValues: scenario.population.srps.enumerated().map { ($1.id, $0) })
    let userIndex = Dictionary(users.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    func stated(_ role: UserRole) -> Double { scenario.exposure.statedSMS[role]?.value(inYear: y0) ?? 0 }
    func system(_ s: UserSystemSpec, entry: Int) -> SystemTemplate {
      SystemTemplate(
        id: s.id, srp: s.srp.flatMap { srpIndex[$0] }, startYear: s.startYear ?? entry, startQuarter: s.startQuarter,
        share: s.exposureShare ?? 1)
    }
    let parties = users.enumerated().map { i, u in
      PartyTemplate(
        id: u.id, name: u.name, roles: u.roles, entryYear: u.entryYear, exitYear: u.exitYear, anniversaryQuarter: u.anniversaryQuarter,
        statedPositions: u.cyclePositions, domesticPremises: Double(u.domesticPremises),
        nonDomesticPremises: Double(u.nonDomesticPremises), domesticMeters: u.domesticMeters, nonDomesticMeters: u.nonDomesticMeters,
        exposureSMS: u.isSupplier ? 0 : (u.exposureSMS.map(Double.init) ?? (u.roles.map(stated).max() ?? 0)),
        systems: u.effectiveSystems.map { system($0, entry: u.entryYear) }, userRow: i)
    }

    // Events by year index.
    var events = [[EngineEvent]](repeating: [], count: years.count)
    for event in scenario.events {
      let yi = event.year - y0
      guard events.indices.contains(yi), let p = userIndex[event.user] else { continue }
      switch event.kind {
      case .failure(let solr): events[yi].append(.failure(party: p, solr: solr.flatMap { userIndex[$0] }))
      case .acquisition(let buyer):
        if let b = userIndex[buyer] { events[yi].append(.acquisition(party: p, buyer: b)) }
      case .entry: events[yi].append(.entry(party: p))
      case .secondSystem(let s): events[yi].append(.secondSystem(party: p, system: system(s, entry: event.year)))
      case .outcome(let kind, let outcome): events[yi].append(.outcome(party: p, kind: kind, outcome: outcome))
      }
    }

    // §5.3 hazards per class and year, crisis years multiplied (capped at 1).
    let failure = pr.failure
    let hazard = failure.classes.map { c in
      years.map { y in
        let h = c.hazard.value(inYear: y)
        return failure.crisisYears.contains(y) ? min(1, h * failure.crisisMultiplier.value(inYear: y)) : h
      }
    }
    // Outcomes: cumulative thresholds per kind (fusa, vusa, initial_fusa) × band × year.
    let outcomeKinds: [AssessmentKind] = [.fusa, .vusa, .initialFusa]
    let thresholds = outcomeKinds.map { kind in
      [SizeBand.small, .large].map { band in
        years.map { y -> (Double, Double, Double) in
          guard let o = pr.outcomes.probabilities(kind: kind, band: band) else { return (1, 1, 1) }
          let a = o.approved.value(inYear: y)
          let s = a + o.approvedSubjectToSteps.value(inYear: y)
          return (a, s, s + o.deferred.value(inYear: y))
        }
      }
    }
    // Effort: PERT tables by kind and host, at the start year's parameters.
    func table(_ d: BoundedDistribution) -> EffortTable {
      EffortTable(min: d.min.value(inYear: y0), mode: d.mode.value(inYear: y0), max: d.max.value(inYear: y0))
    }
    let effortKinds = [pr.effort.fusa, pr.effort.vusa, pr.effort.ussa, pr.effort.initialFusa]
    var effort = effortKinds.map { [table($0.bespoke), table($0.srp)] }
    let review = table(pr.effort.followUpReview)
    effort.append([review, review])

    // §5.5 roll-out uncertainty, §5.2 customer drift, §5.3 SoLR weighting.
    func segment(_ l: LogisticPath) -> RolloutSegment {
      RolloutSegment(
        startYear: y0, startShare: l.startShare.value(inYear: y0), midpoint: series(l.midpointYear), steepness: series(l.steepness),
        ceiling: series(l.ceiling), midpointSD: l.midpointYearSD.value(inYear: y0), paceSD: series(l.paceSD))
    }
    let donors = Set(pr.portfolio.switchingFrom)

    let processes = ProcessValues(
      domesticGrowth: series(pr.marketGrowth.domesticRate), nonDomesticGrowth: series(pr.marketGrowth.nonDomesticRate),
      marketFactorSD: series(pr.portfolio.marketFactorSD), idiosyncraticSD: series(pr.portfolio.idiosyncraticSD),
      hazardClassBounds: failure.classes.compactMap(\.upToShare), hazard: hazard.isEmpty ? [years.map { _ in 0 }] : hazard,
      specialAdministrationThreshold: series(failure.specialAdministrationThreshold),
      specialAdministrationYears: failure.specialAdministrationYears, entryRate: series(pr.entry.rate),
      entryLogMean: series(pr.entry.initialSizeLogMean), entryLogSD: series(pr.entry.initialSizeLogSD),
      entryNonDomesticOnlyShare: series(pr.entry.nonDomesticOnlyShare),
      smartShareDomestic: years.map { pr.rollout.domestic.share(inYear: $0, startYear: y0) },
      smartShareNonDomestic: years.map { pr.rollout.nonDomestic.share(inYear: $0, startYear: y0) },
      domesticMetersPerPremises: series(pr.metersPerPremises.domestic),
      nonDomesticMetersMean: pr.metersPerPremises.nonDomesticMean.value(inYear: y0),
      nonDomesticMetersSD: pr.metersPerPremises.nonDomesticSD.value(inYear: y0), toSRP: series(pr.srpMigration.toSRPRate),
      toBespoke: series(pr.srpMigration.toBespokeRate), betweenSRPs: series(pr.srpMigration.betweenSRPsRate),
      secondSystemAdoption: series(pr.secondSystems.adoptionProbability),
      secondSystemOnAssessedSRP: series(pr.secondSystems.onAssessedSRPProbability), issueRate: series(pr.issues.rate),
      detectionFusa: series(pr.issues.detection.fusa), detectionVusa: series(pr.issues.detection.vusa),
      detectionUssa: series(pr.issues.detection.ussa), detectionReview: series(pr.issues.detection.followUpReview),
      premisesNoiseSD: series(pr.reportingNoise.premisesSD), outcomeThresholds: thresholds, effort: effort,
      rollout: [segment(pr.rollout.domestic), segment(pr.rollout.nonDomestic)], switchingRate: series(pr.portfolio.switchingRate),
      switchingDonor: parties.map { donors.contains($0.id) }, solrSizeExponent: series(failure.solrSizeExponent),
      buyerSizeExponent: failure.buyerSizeExponent.map(series) ?? [], entryExact: years.map { pr.entry.isExact(inYear: $0) })

    let capacity = scenario.capacity
    self.init(
      startYear: y0, years: years.count, parties: parties,
      srps: scenario.population.srps.map {
        SRPTemplate(id: $0.id, assessedYear: $0.assessedYear, statedAggregate: $0.statedAggregate.map(Double.init))
      },
      processes: processes, events: events, policies: policies, baseline: baseline,
      capacityPerQuarter: years.map { y in [Double](repeating: capacity.assessorDaysPerQuarter.value(inYear: y), count: 4) },
      otherDemandPerQuarter: years.map { y in
        [Double](
          repeating: capacity.srpAssessmentDaysPerQuarter.value(inYear: y) + capacity.privacyAssessmentDaysPerQuarter.value(inYear: y),
          count: 4)
      },
      dayRateGBP: series(scenario.dayRateGBP),
      roleWeights: scenario.exposure.roleWeights.mapValues { $0.value(inYear: y0) })
  }
}
