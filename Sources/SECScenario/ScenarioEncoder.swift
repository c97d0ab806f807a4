// Scenario → YAML, in the format ScenarioFile reads (for round trips, `secsim`
// commands that write a scenario back, and tools that build scenarios in code).

import Foundation
import SECRules
import Yams

extension Scenario {
  /// The scenario as YAML text in the scenario format. Every section is written
  /// out in full (defaults included); Users read from `users_csv` stay in their
  /// CSV (the path is written, not the rows).
  public func yaml() throws -> String {
    try Yams.serialize(node: ScenarioEncoder.node(self), width: -1, allowUnicode: true)
  }
}

enum ScenarioEncoder {
  static func str(_ s: String) -> Node { .scalar(s.represented()) }
  static func num(_ v: Double) -> Node { Node(formatNumber(v)) }
  static func int(_ v: Int) -> Node { Node(String(v)) }
  static func bool(_ v: Bool) -> Node { Node(v ? "true" : "false") }
  static func map(_ pairs: [(String, Node?)], flow: Bool = false) -> Node {
    .mapping(Node.Mapping(pairs.compactMap { k, v in v.map { (Node(k), $0) } }, .implicit, flow ? .flow : .block))
  }
  static func list(_ items: [Node], flow: Bool = false) -> Node { .sequence(Node.Sequence(items, .implicit, flow ? .flow : .block)) }

  static func param(_ p: Parameter) -> Node {
    let bare: Node
    switch p.values {
    case .constant(let v): bare = num(v)
    case .series(let years, let values):
      bare = .mapping(Node.Mapping(zip(years, values).map { (Node(String($0)), num($1)) }, .implicit, .flow))
    }
    if p.provenance == .assumption { return bare }
    return map(
      [
        ("value", bare), ("label", Node(p.provenance.label.rawValue)),
        ("source", p.provenance.source.isEmpty ? nil : str(p.provenance.source)),
      ],
      flow: false)
  }

  static func provenance(_ p: Provenance) -> Node {
    map([("label", Node(p.label.rawValue)), ("source", p.source.isEmpty ? nil : str(p.source))], flow: true)
  }

  static func regime(_ r: RegimeRef) -> Node {
    switch r {
    case .named(let n): return str(n)
    case .inline(let yaml): return ((try? Yams.compose(yaml: yaml)) ?? nil) ?? Node("")
    }
  }

  static func node(_ s: Scenario) -> Node {
    map([
      ("format", int(s.format)),
      ("name", str(s.name)),
      ("description", s.description.isEmpty ? nil : str(s.description)),
      ("start_year", int(s.startYear)),
      ("horizon_years", int(s.horizonYears)),
      ("replicates", int(s.replicates)),
      ("seed", Node(String(s.seed))),
      ("rng", Node(s.rng.rawValue)),
      ("regime", regime(s.regime)),
      ("population", population(s.population)),
      ("processes", processes(s.processes)),
      ("events", s.events.isEmpty ? nil : list(s.events.map(event))),
      ("policies", list(s.policies.map(policy))),
      ("capacity", capacity(s.capacity)),
      ("day_rate_gbp", param(s.dayRateGBP)),
      ("exposure", exposure(s.exposure)),
      ("ssc", map([("meetings_per_year", param(s.ssc.meetingsPerYear))])),
    ])
  }

  static func population(_ p: PopulationSpec) -> Node {
    map([
      ("provenance", p.provenance == .assumption ? nil : provenance(p.provenance)),
      ("srps", p.srps.isEmpty ? nil : list(p.srps.map(srp))),
      ("users", p.users.isEmpty ? nil : list(p.users.map(user))),
      ("users_csv", p.usersCSV.map(str)),
    ])
  }

  static func srp(_ s: SRPSpec) -> Node {
    map(
      [
        ("id", str(s.id)), ("name", s.name.isEmpty ? nil : str(s.name)), ("assessed_year", s.assessedYear.map(int)),
        ("stated_aggregate", s.statedAggregate.map(int)),
      ], flow: true)
  }

  static func user(_ u: UserSpec) -> Node { map(userPairs(u, withID: true)) }

  static func userPairs(_ u: UserSpec, withID: Bool) -> [(String, Node?)] {
    var positions: Node?
    if !u.cyclePositions.isEmpty {
      let values = Set(u.cyclePositions.values)
      if values.count == 1, Set(u.cyclePositions.keys) == Set(u.roles) {
        positions = int(values.first!)
      } else {
        positions = map(UserRole.allCases.compactMap { r in u.cyclePositions[r].map { (r.rawValue, int($0)) } }, flow: true)
      }
    }
    return [
      ("id", withID ? str(u.id) : nil),
      ("name", u.name.isEmpty ? nil : str(u.name)),
      ("roles", list(u.roles.map { Node($0.rawValue) }, flow: true)),
      ("entry_year", int(u.entryYear)),
      ("exit_year", u.exitYear.map(int)),
      ("anniversary_quarter", u.anniversaryQuarter.map(int)),
      ("cycle_position", positions),
      ("domestic_premises", int(u.domesticPremises)),
      ("non_domestic_premises", int(u.nonDomesticPremises)),
      ("domestic_meters", u.domesticMeters.map(int)),
      ("non_domestic_meters", u.nonDomesticMeters.map(int)),
      ("exposure_sms", u.exposureSMS.map(int)),
      ("systems", u.systems.isEmpty ? nil : list(u.systems.map(system))),
      ("provenance", u.provenance.map(provenance)),
    ]
  }

  static func system(_ s: UserSystemSpec) -> Node {
    map(
      [
        ("id", str(s.id)), ("host", str(s.srp ?? "bespoke")), ("start_year", s.startYear.map(int)),
        ("start_quarter", s.startQuarter.map(int)), ("exposure_share", s.exposureShare.map(num)),
      ], flow: true)
  }

  static func event(_ e: ScheduledEvent) -> Node {
    var pairs: [(String, Node?)] = [("year", int(e.year)), ("user", str(e.user)), ("event", Node(e.eventName))]
    switch e.kind {
    case .failure(let solr): pairs.append(("solr", solr.map(str)))
    case .acquisition(let buyer): pairs.append(("buyer", str(buyer)))
    case .entry(let u):
      var fields = userPairs(u, withID: false)
      fields.removeAll { $0.0 == "entry_year" }
      pairs.append(("entrant", map(fields)))
    case .secondSystem(let s):
      pairs += [("system", str(s.id)), ("host", str(s.srp ?? "bespoke")), ("quarter", s.startQuarter.map(int))]
    case .outcome(let kind, let outcome):
      pairs += [("kind", Node(kind.rawValue)), ("outcome", Node(outcome.rawValue))]
    }
    return map(pairs)
  }

  static func policy(_ p: PolicySpec) -> Node {
    let weighted = p.counting.basis == .premisesWeighted || p.counting.basis == .metersWeighted
    return map([
      ("name", str(p.name)),
      ("baseline", p.baseline ? bool(true) : nil),
      ("regime", p.regime.map(regime)),
      (
        "counting",
        map(
          [
            ("rule", Node(p.counting.basis.rawValue)), ("weight", weighted ? num(p.counting.weight) : nil),
            ("threshold", num(p.counting.threshold)), ("comparison", Node(p.counting.comparison.rawValue)),
          ], flow: true)
      ),
      (
        "aggregation",
        map(
          [
            ("mode", Node(p.aggregation.mode.rawValue)), ("srp_threshold", num(p.aggregation.srpThreshold)),
            ("include_non_domestic_only", bool(p.aggregation.includeNonDomesticOnly)),
            ("measure", Node(p.aggregation.measure.rawValue)),
          ], flow: true)
      ),
      (
        "second_system",
        map(
          [
            ("rule", Node(p.secondSystem.rule.rawValue)), ("probability", num(p.secondSystem.probability)),
            ("effort_kind", Node(p.secondSystem.effortKind.rawValue)),
          ], flow: true)
      ),
      ("dual_role", Node(p.dualRole.rawValue)),
      (
        "follow_up",
        map(
          [
            ("outcomes", list(Outcome.allCases.filter { p.followUp.triggers.contains($0) }.map { Node($0.rawValue) }, flow: true)),
            ("months", int(p.followUp.months)),
            (
              "fusa_kind_after",
              list(Outcome.allCases.filter { p.followUp.fusaKindAfter.contains($0) }.map { Node($0.rawValue) }, flow: true)
            ),
          ], flow: true)
      ),
      ("count_timing", Node(p.countTiming.rawValue)),
    ])
  }

  static func processes(_ p: Processes) -> Node {
    func logistic(_ l: LogisticPath) -> Node {
      map([
        ("start_share", param(l.startShare)), ("midpoint_year", param(l.midpointYear)), ("steepness", param(l.steepness)),
        ("ceiling", param(l.ceiling)), ("midpoint_year_sd", param(l.midpointYearSD)), ("pace_sd", param(l.paceSD)),
      ])
    }
    func outcomes(_ o: OutcomeProbabilities) -> Node {
      map(Outcome.allCases.map { ($0.rawValue, param(o[$0])) })
    }
    func rows(_ r: OutcomeRows) -> Node { map([("small", outcomes(r.small)), ("large", outcomes(r.large))]) }
    func bounded(_ b: BoundedDistribution) -> Node { map([("min", param(b.min)), ("mode", param(b.mode)), ("max", param(b.max))]) }
    func byHost(_ e: EffortByHost) -> Node { map([("bespoke", bounded(e.bespoke)), ("srp", bounded(e.srp))]) }
    let f = p.failure
    return map([
      (
        "market_growth",
        map([("domestic_rate", param(p.marketGrowth.domesticRate)), ("non_domestic_rate", param(p.marketGrowth.nonDomesticRate))])
      ),
      (
        "portfolio",
        map([
          ("market_factor_sd", param(p.portfolio.marketFactorSD)), ("idiosyncratic_sd", param(p.portfolio.idiosyncraticSD)),
          ("switching_rate", param(p.portfolio.switchingRate)),
          ("switching_from", p.portfolio.switchingFrom.isEmpty ? nil : list(p.portfolio.switchingFrom.map(str), flow: true)),
        ])
      ),
      (
        "failure",
        map([
          ("classes", list(f.classes.map { c in map([("up_to_share", c.upToShare.map(num)), ("hazard", param(c.hazard))]) })),
          ("crisis", map([("years", list(f.crisisYears.map(int), flow: true)), ("multiplier", param(f.crisisMultiplier))])),
          (
            "special_administration",
            map([
              ("threshold_premises", param(f.specialAdministrationThreshold)), ("years", int(f.specialAdministrationYears)),
              ("buyer_size_exponent", f.buyerSizeExponent.map(param)),
            ])
          ),
          ("solr_size_exponent", param(f.solrSizeExponent)),
        ])
      ),
      (
        "entry",
        map([
          ("rate", param(p.entry.rate)), ("initial_size_log_mean", param(p.entry.initialSizeLogMean)),
          ("initial_size_log_sd", param(p.entry.initialSizeLogSD)),
          ("non_domestic_only_share", param(p.entry.nonDomesticOnlyShare)),
          ("anniversary_quarter_random", bool(p.entry.anniversaryQuarterRandom)),
          ("exact_until", p.entry.exactUntil.map(int)),
        ])
      ),
      ("rollout", map([("domestic", logistic(p.rollout.domestic)), ("non_domestic", logistic(p.rollout.nonDomestic))])),
      (
        "meters_per_premises",
        map([
          ("domestic", param(p.metersPerPremises.domestic)), ("non_domestic_mean", param(p.metersPerPremises.nonDomesticMean)),
          ("non_domestic_sd", param(p.metersPerPremises.nonDomesticSD)),
        ])
      ),
      (
        "srp_migration",
        map([
          ("to_srp_rate", param(p.srpMigration.toSRPRate)), ("to_bespoke_rate", param(p.srpMigration.toBespokeRate)),
          ("between_srps_rate", param(p.srpMigration.betweenSRPsRate)),
        ])
      ),
      (
        "second_systems",
        map([
          ("adoption_probability", param(p.secondSystems.adoptionProbability)),
          ("on_assessed_srp_probability", param(p.secondSystems.onAssessedSRPProbability)),
        ])
      ),
      (
        "issues",
        map([
          ("rate", param(p.issues.rate)),
          (
            "detection",
            map([
              ("fusa", param(p.issues.detection.fusa)), ("vusa", param(p.issues.detection.vusa)),
              ("ussa", param(p.issues.detection.ussa)), ("follow_up_review", param(p.issues.detection.followUpReview)),
            ])
          ),
        ])
      ),
      ("reporting_noise", map([("premises_sd", param(p.reportingNoise.premisesSD))])),
      (
        "outcomes",
        map([("fusa", rows(p.outcomes.fusa)), ("vusa", rows(p.outcomes.vusa)), ("initial_fusa", rows(p.outcomes.initialFusa))])
      ),
      (
        "effort",
        map([
          ("fusa", byHost(p.effort.fusa)), ("vusa", byHost(p.effort.vusa)), ("ussa", byHost(p.effort.ussa)),
          ("initial_fusa", byHost(p.effort.initialFusa)), ("follow_up_review", bounded(p.effort.followUpReview)),
        ])
      ),
    ])
  }

  static func capacity(_ c: CapacitySpec) -> Node {
    map([
      ("assessor_days_per_quarter", param(c.assessorDaysPerQuarter)),
      (
        "other_demand_per_quarter",
        map([("srp_assessments", param(c.srpAssessmentDaysPerQuarter)), ("privacy_assessments", param(c.privacyAssessmentDaysPerQuarter))])
      ),
    ])
  }

  static func exposure(_ e: ExposureSpec) -> Node {
    map([
      ("role_weights", map(UserRole.allCases.compactMap { r in e.roleWeights[r].map { (r.rawValue, param($0)) } })),
      ("stated_sms", map(ExposureSpec.statedRoles.compactMap { r in e.statedSMS[r].map { (r.rawValue, param($0)) } })),
    ])
  }
}
