// Scenario YAML → Scenario: processes, events, policies, capacity, exposure, SSC.

import Foundation
import SECRules
import Yams

extension ScenarioDecoder {
  // MARK: Processes

  /// A required parameter, with a placeholder when missing or invalid (the
  /// diagnostics decide whether a scenario comes out).
  func param(_ f: Fields, _ key: String, _ rule: NumberRule) -> Parameter {
    w.requiredParameter(f, key, rule) ?? Parameter(0)
  }

  /// An optional parameter: `fallback` when absent (or invalid, after reporting).
  func optionalParam(_ f: Fields, _ key: String, _ rule: NumberRule, _ fallback: Parameter) -> Parameter {
    guard let node = f[key] else { return fallback }
    return w.parameter(node, join(f.path, key), rule) ?? fallback
  }

  func section(_ parent: Fields, _ key: String, _ allowed: [String]) -> Fields? {
    guard let node = parent[key] else {
      w.missing(parent, key, expected: "a mapping with " + allowed.joined(separator: ", "))
      return nil
    }
    return w.fields(node, join(parent.path, key), allowed: allowed)
  }

  func decodeProcesses(_ node: Node) -> Processes? {
    guard let f = w.fields(node, "processes", allowed: Processes.keys) else { return nil }
    let marketGrowth = section(f, "market_growth", ["domestic_rate", "non_domestic_rate"]).map {
      MarketGrowth(domesticRate: param($0, "domestic_rate", .growthRate), nonDomesticRate: param($0, "non_domestic_rate", .growthRate))
    }
    let portfolio = section(f, "portfolio", ["market_factor_sd", "idiosyncratic_sd", "switching_rate", "switching_from"]).map {
      decodePortfolio($0)
    }
    let failure = section(f, "failure", ["classes", "crisis", "special_administration", "solr_size_exponent"]).flatMap(decodeFailure)
    let entry = section(
      f, "entry",
      ["rate", "initial_size_log_mean", "initial_size_log_sd", "non_domestic_only_share", "anniversary_quarter_random", "exact_until"]
    ).map { e in
      let rate = param(e, "rate", .nonNegative)
      var exactUntil: Int?
      if let x = e["exact_until"], let y = w.year(x, join(e.path, "exact_until")) {
        exactUntil = y
        // A replayed count must be a whole number in every year it covers.
        let last = min(y, w.startYear + w.horizonYears - 1)
        let fractional = { (year: Int) in rate.value(inYear: year).rounded() != rate.value(inYear: year) }
        if last >= w.startYear, let bad = (w.startYear...last).first(where: fractional) {
          w.report(
            (e["rate"] ?? x).mark, join(e.path, "rate"),
            expected: "a whole number of entrants in every year up to exact_until \(y) (a replayed count)",
            found: "\(formatNumber(rate.value(inYear: bad))) in \(bad)")
        }
      }
      return EntryProcess(
        rate: rate, initialSizeLogMean: param(e, "initial_size_log_mean", .any),
        initialSizeLogSD: param(e, "initial_size_log_sd", .nonNegative),
        nonDomesticOnlyShare: param(e, "non_domestic_only_share", .probability),
        anniversaryQuarterRandom: requiredBool(e, "anniversary_quarter_random"), exactUntil: exactUntil)
    }
    let rollout = section(f, "rollout", ["domestic", "non_domestic"]).flatMap { r -> RolloutProcess? in
      guard let d = logistic(r, "domestic"), let n = logistic(r, "non_domestic") else { return nil }
      return RolloutProcess(domestic: d, nonDomestic: n)
    }
    let meters = section(f, "meters_per_premises", ["domestic", "non_domestic_mean", "non_domestic_sd"]).map {
      MetersPerPremises(
        domestic: param($0, "domestic", .nonNegative), nonDomesticMean: param($0, "non_domestic_mean", .atLeastOne),
        nonDomesticSD: param($0, "non_domestic_sd", .nonNegative))
    }
    let migration = section(f, "srp_migration", ["to_srp_rate", "to_bespoke_rate", "between_srps_rate"]).map { m in
      let out = SRPMigration(
        toSRPRate: param(m, "to_srp_rate", .probability), toBespokeRate: param(m, "to_bespoke_rate", .probability),
        betweenSRPsRate: param(m, "between_srps_rate", .probability))
      for y in w.startYear..<(w.startYear + w.horizonYears) {
        let sum = out.toBespokeRate.value(inYear: y) + out.betweenSRPsRate.value(inYear: y)
        if sum > 1 + 1e-9 {
          w.report(
            at: Position(m.node.mark), "processes.srp_migration",
            expected: "to_bespoke_rate + between_srps_rate ≤ 1 in every year", found: "\(formatNumber(sum)) in \(y)")
          break
        }
      }
      return out
    }
    let second = section(f, "second_systems", ["adoption_probability", "on_assessed_srp_probability"]).map {
      SecondSystems(
        adoptionProbability: param($0, "adoption_probability", .probability),
        onAssessedSRPProbability: param($0, "on_assessed_srp_probability", .probability))
    }
    let issues = section(f, "issues", ["rate", "detection"]).flatMap { i -> IssueProcess? in
      let rate = param(i, "rate", .nonNegative)
      guard let d = section(i, "detection", ["fusa", "vusa", "ussa", "follow_up_review"]) else { return nil }
      let det = Detection(
        fusa: param(d, "fusa", .probability), vusa: param(d, "vusa", .probability), ussa: param(d, "ussa", .probability),
        followUpReview: param(d, "follow_up_review", .probability))
      for y in w.startYear..<(w.startYear + w.horizonYears) {
        let (a, b, c) = (det.fusa.value(inYear: y), det.vusa.value(inYear: y), det.ussa.value(inYear: y))
        if !(a >= b && b >= c) {
          w.report(
            at: Position(d.node.mark), "processes.issues.detection",
            expected: "fusa ≥ vusa ≥ ussa (MODEL.md §5.9)",
            found: "fusa \(formatNumber(a)), vusa \(formatNumber(b)), ussa \(formatNumber(c)) in \(y)")
          break
        }
      }
      return IssueProcess(rate: rate, detection: det)
    }
    let noise = section(f, "reporting_noise", ["premises_sd"]).map { ReportingNoise(premisesSD: param($0, "premises_sd", .nonNegative)) }
    let outcomes = section(f, "outcomes", OutcomeTable.kinds.map(\.rawValue)).flatMap { o -> OutcomeTable? in
      guard let a = outcomeRows(o, "fusa"), let b = outcomeRows(o, "vusa"), let c = outcomeRows(o, "initial_fusa") else { return nil }
      return OutcomeTable(fusa: a, vusa: b, initialFusa: c)
    }
    let effort = section(f, "effort", ["fusa", "vusa", "ussa", "initial_fusa", "follow_up_review"]).flatMap { e -> EffortTable? in
      let kinds = ["fusa", "vusa", "ussa", "initial_fusa"].map { effortByHost(e, $0) }
      let review = section(e, "follow_up_review", ["min", "mode", "max"]).flatMap(bounded)
      guard let a = kinds[0], let b = kinds[1], let c = kinds[2], let d = kinds[3], let review else { return nil }
      return EffortTable(fusa: a, vusa: b, ussa: c, initialFusa: d, followUpReview: review)
    }
    guard let marketGrowth, let portfolio, let failure, let entry, let rollout, let meters, let migration, let second,
      let issues, let noise, let outcomes, let effort
    else { return nil }
    return Processes(
      marketGrowth: marketGrowth, portfolio: portfolio, failure: failure, entry: entry, rollout: rollout,
      metersPerPremises: meters, srpMigration: migration, secondSystems: second, issues: issues, reportingNoise: noise,
      outcomes: outcomes, effort: effort)
  }

  func requiredBool(_ f: Fields, _ key: String) -> Bool {
    guard let n = f[key] else {
      w.missing(f, key, expected: "true or false")
      return false
    }
    return w.bool(n, join(f.path, key)) ?? false
  }

  /// `portfolio`, with the optional customer drift: `switching_rate` (a probability
  /// a year) and `switching_from` (suppliers of the population, by id).
  func decodePortfolio(_ f: Fields) -> PortfolioProcess {
    let rate = optionalParam(f, "switching_rate", .probability, PortfolioProcess.defaultSwitchingRate)
    var from: [String] = []
    if let node = f["switching_from"] {
      let path = join(f.path, "switching_from")
      if let list = w.list(node, path, expected: "a list of supplier ids") {
        for (i, item) in list.enumerated() {
          let itemPath = "\(path)[\(i)]"
          guard let id = w.identifier(item, itemPath) else { continue }
          if !supplierIDs.contains(id) {
            var found = userMarks[id] == nil ? "unknown User \"\(id)\"" : "\"\(id)\", not a supplier"
            if let s = didYouMean(id, among: supplierIDs.sorted()) { found += " (did you mean \"\(s)\"?)" }
            w.report(item.mark, itemPath, expected: "a supplier of the population", found: found)
          } else if from.contains(id) {
            w.report(item.mark, itemPath, expected: "each supplier once", found: "\"\(id)\" again")
          } else {
            from.append(id)
          }
        }
      }
    }
    if f["switching_from"] == nil, rate.allValues.contains(where: { $0 > 0 }) {
      w.missing(f, "switching_from", expected: "the suppliers that lose customers when switching_rate > 0")
    }
    return PortfolioProcess(
      marketFactorSD: param(f, "market_factor_sd", .nonNegative), idiosyncraticSD: param(f, "idiosyncratic_sd", .nonNegative),
      switchingRate: rate, switchingFrom: from)
  }

  func decodeFailure(_ f: Fields) -> FailureProcess? {
    var classes: [HazardClass] = []
    if let c = f["classes"], let list = w.list(c, join(f.path, "classes"), expected: "a list of market-share classes") {
      if list.isEmpty { w.report(c, join(f.path, "classes"), expected: "at least one class") }
      var previous = 0.0
      for (i, item) in list.enumerated() {
        let path = join(f.path, "classes[\(i)]")
        guard let cf = w.fields(item, path, allowed: ["up_to_share", "hazard"]) else { continue }
        var bound: Double?
        if let b = cf["up_to_share"] {
          bound = w.number(b, join(path, "up_to_share"), NumberRule(test: { $0 > 0 && $0 <= 1 }, expected: "a share > 0 and ≤ 1"))
          if let v = bound {
            if v <= previous {
              w.report(b, join(path, "up_to_share"), expected: "a share above the previous class's \(formatNumber(previous))")
            }
            previous = v
          }
          if i == list.count - 1 {
            w.report(b, join(path, "up_to_share"), expected: "no bound on the last class (it takes every larger share)")
          }
        } else if i < list.count - 1 {
          w.missing(cf, "up_to_share", expected: "a share > 0 and ≤ 1 (only the last class is open)")
        }
        classes.append(HazardClass(upToShare: bound, hazard: param(cf, "hazard", .probability)))
      }
    } else if f["classes"] == nil {
      w.missing(f, "classes", expected: "a list of market-share classes")
    }
    var crisisYears: [Int] = []
    var multiplier = Parameter(1)
    if let c = section(f, "crisis", ["years", "multiplier"]) {
      if let y = c["years"], let list = w.list(y, join(c.path, "years"), expected: "a list of years") {
        crisisYears = list.enumerated().compactMap { w.year($1, join(c.path, "years[\($0)]")) }
      } else if c["years"] == nil {
        w.missing(c, "years", expected: "a list of years (may be empty)")
      }
      multiplier = param(c, "multiplier", .nonNegative)
    }
    var threshold = Parameter(0)
    var saYears = 0
    var buyer: Parameter? = nil
    if let s = section(f, "special_administration", ["threshold_premises", "years", "buyer_size_exponent"]) {
      threshold = param(s, "threshold_premises", .positive)
      if let y = s["years"] {
        saYears = w.int(y, join(s.path, "years"), min: 0, max: 100) ?? 0
      } else {
        w.missing(s, "years", expected: "a whole number ≥ 0")
      }
      if s["buyer_size_exponent"] != nil {
        buyer = optionalParam(s, "buyer_size_exponent", .nonNegative, FailureProcess.defaultSolrSizeExponent)
      }
    }
    return FailureProcess(
      classes: classes, crisisYears: crisisYears, crisisMultiplier: multiplier, specialAdministrationThreshold: threshold,
      specialAdministrationYears: saYears,
      solrSizeExponent: optionalParam(f, "solr_size_exponent", .nonNegative, FailureProcess.defaultSolrSizeExponent),
      buyerSizeExponent: buyer)
  }

  func logistic(_ parent: Fields, _ key: String) -> LogisticPath? {
    guard
      let f = section(parent, key, ["start_share", "midpoint_year", "steepness", "ceiling", "midpoint_year_sd", "pace_sd"])
    else { return nil }
    let path = LogisticPath(
      startShare: param(f, "start_share", .probability), midpointYear: param(f, "midpoint_year", .year),
      steepness: param(f, "steepness", .nonNegative), ceiling: param(f, "ceiling", .probability),
      midpointYearSD: optionalParam(f, "midpoint_year_sd", .nonNegative, LogisticPath.defaultSD),
      paceSD: optionalParam(f, "pace_sd", .nonNegative, LogisticPath.defaultSD))
    let start = path.startShare.value(inYear: w.startYear)
    for y in w.startYear..<(w.startYear + w.horizonYears) where path.ceiling.value(inYear: y) < start {
      w.report(
        f["ceiling"]?.mark ?? f.node.mark, join(f.path, "ceiling"), expected: "a ceiling ≥ start_share \(formatNumber(start))",
        found: "\(formatNumber(path.ceiling.value(inYear: y))) in \(y)")
      break
    }
    return path
  }

  func outcomeRows(_ parent: Fields, _ kind: String) -> OutcomeRows? {
    guard let f = section(parent, kind, ["small", "large"]) else { return nil }
    guard let small = outcomeProbabilities(f, "small"), let large = outcomeProbabilities(f, "large") else { return nil }
    return OutcomeRows(small: small, large: large)
  }

  func outcomeProbabilities(_ parent: Fields, _ band: String) -> OutcomeProbabilities? {
    let keys = Outcome.allCases.map(\.rawValue)
    guard let f = section(parent, band, keys) else { return nil }
    let before = w.diagnostics.count
    let p = OutcomeProbabilities(
      approved: param(f, "approved", .probability), approvedSubjectToSteps: param(f, "approved_subject_to_steps", .probability),
      deferred: param(f, "deferred", .probability), rejected: param(f, "rejected", .probability))
    guard w.diagnostics.count == before else { return p }
    for y in w.startYear..<(w.startYear + w.horizonYears) {
      let sum = Outcome.allCases.reduce(0.0) { $0 + p[$1].value(inYear: y) }
      if abs(sum - 1) > 1e-9 {
        w.report(
          at: Position(f.node.mark), f.path, expected: "outcome probabilities summing to 1",
          found: "a sum of \(formatNumber((sum * 1e9).rounded() / 1e9))\(p.approved.isConstant ? "" : " in \(y)")")
        break
      }
    }
    return p
  }

  func effortByHost(_ parent: Fields, _ kind: String) -> EffortByHost? {
    guard let f = section(parent, kind, ["bespoke", "srp"]) else { return nil }
    let b = section(f, "bespoke", ["min", "mode", "max"]).flatMap(bounded)
    let s = section(f, "srp", ["min", "mode", "max"]).flatMap(bounded)
    guard let b, let s else { return nil }
    return EffortByHost(bespoke: b, srp: s)
  }

  func bounded(_ f: Fields) -> BoundedDistribution? {
    let before = w.diagnostics.count
    let d = BoundedDistribution(
      min: param(f, "min", .nonNegative), mode: param(f, "mode", .nonNegative), max: param(f, "max", .nonNegative))
    guard w.diagnostics.count == before else { return d }
    for y in w.startYear..<(w.startYear + w.horizonYears) {
      let (a, m, b) = (d.min.value(inYear: y), d.mode.value(inYear: y), d.max.value(inYear: y))
      if !(a <= m && m <= b) {
        w.report(
          at: Position(f.node.mark), f.path, expected: "min ≤ mode ≤ max",
          found: "min \(formatNumber(a)), mode \(formatNumber(m)), max \(formatNumber(b))")
        break
      }
    }
    return d
  }

  // MARK: Events

  func decodeEvents(_ list: [Node], population: PopulationSpec) -> [ScheduledEvent] {
    var events: [ScheduledEvent] = []
    // Users known in a year: the population, plus entrants from their entry year.
    var entrants: [String: Int] = [:]
    let lastYear = w.startYear + w.horizonYears - 1
    let allKeys = ["year", "user", "event", "solr", "buyer", "entrant", "system", "host", "quarter", "kind", "outcome"]
    let kindKeys: [String: [String]] = [
      "failure": ["solr"], "acquisition": ["buyer"], "entry": ["entrant"], "second_system": ["system", "host", "quarter"],
      "outcome": ["kind", "outcome"],
    ]
    let eventNames = ["failure", "acquisition", "entry", "second_system", "outcome"]
    // Pass 1: entrants, failures and acquisitions, so events may name them whatever the
    // list order.
    var failureYears: [String: Int] = [:]
    var acquisitionYears: [String: Int] = [:]
    for item in list {
      guard case .mapping(let m) = item, let id = m["user"]?.string,
        let y = m["year"].flatMap({ Walker.plainNumber($0.string ?? "") })
      else { continue }
      if m["event"]?.string == "entry", entrants[id] == nil { entrants[id] = Int(y) }
      if m["event"]?.string == "failure" { failureYears[id] = min(failureYears[id] ?? Int.max, Int(y)) }
      if m["event"]?.string == "acquisition" { acquisitionYears[id] = min(acquisitionYears[id] ?? Int.max, Int(y)) }
    }
    var failed: [String: Int] = [:]
    var acquired: [String: Int] = [:]
    // The other supplier an event names (a SoLR, a buyer): a supplier other than the
    // event's User. Reports and returns false otherwise.
    func counterparty(_ node: Node, _ id: String, _ path: String, user: String?, notSelf: String, role: String) -> Bool {
      if id == user {
        w.report(node, path, expected: notSelf)
        return false
      }
      guard supplierIDs.contains(id) || entrantIsSupplier(id, list) else {
        var found = "\"\(id)\", not a supplier of the population"
        if let sug = didYouMean(id, among: supplierIDs.sorted()) { found += " (did you mean \"\(sug)\"?)" }
        w.report(node.mark, path, expected: "a supplier (\(role))", found: found)
        return false
      }
      return true
    }
    // The event's User must be a supplier (when it is one of the population).
    func requireSupplier(_ f: Fields, _ path: String, user: String?, expected: String) {
      if let user, userMarks[user] != nil, !supplierIDs.contains(user) {
        w.report(f["user"]?.mark, join(path, "user"), expected: expected, found: "\"\(user)\"")
      }
    }
    // At most one event of a kind per User.
    func once(_ seen: inout [String: Int], _ f: Fields, _ path: String, user: String?, year: Int?, what: String) {
      guard let user, let year else { return }
      if let y0 = seen[user] {
        w.report(f["year"]?.mark, join(path, "year"), expected: "one \(what) per User", found: "a second \(what) (first in \(y0))")
      } else {
        seen[user] = year
      }
    }
    for (i, item) in list.enumerated() {
      let indexPath = "events[\(i)]"
      var eventName: String?
      if case .mapping(let m) = item, let e = m["event"]?.string, eventNames.contains(e) { eventName = e }
      let allowed = eventName.map { ["year", "user", "event"] + kindKeys[$0]! } ?? allKeys
      guard let f = w.fields(item, indexPath, allowed: allowed) else { continue }
      var year: Int?
      if let y = f["year"] {
        year = w.int(
          y, join(indexPath, "year"), min: w.startYear, max: lastYear, expected: "a year from \(w.startYear) to \(lastYear) (the horizon)")
      } else {
        w.missing(f, "year", expected: "a year from \(w.startYear) to \(lastYear)")
      }
      var user: String?
      if let u = f["user"] {
        user = w.identifier(u, join(indexPath, "user"))
      } else {
        w.missing(f, "user", expected: "a User id")
      }
      guard let e = f["event"] else {
        w.missing(f, "event", expected: "one of " + eventNames.joined(separator: ", "))
        continue
      }
      guard let name = w.string(e, join(indexPath, "event")), eventNames.contains(name) else {
        if case .scalar(let s) = e, !eventNames.contains(s.string) {
          var found = Walker.describe(e)
          if let sug = didYouMean(s.string, among: eventNames) { found += " (did you mean \"\(sug)\"?)" }
          w.report(e.mark, join(indexPath, "event"), expected: "one of " + eventNames.joined(separator: ", "), found: found)
        }
        continue
      }
      let path = indexPath
      // Does the event's User exist in its year?
      if let user, let year, name != "entry" {
        let inPopulation = userMarks[user] != nil
        let entryYear = entrants[user]
        if !inPopulation && entryYear == nil {
          var found = "unknown User \"\(user)\""
          if let s = didYouMean(user, among: userMarks.keys.sorted() + entrants.keys.sorted()) { found += " (did you mean \"\(s)\"?)" }
          w.report(f["user"]?.mark, join(path, "user"), expected: "a User of the population or an entrant", found: found)
        } else if !inPopulation, let entryYear, year < entryYear {
          w.report(
            f["year"]?.mark, join(path, "year"), expected: "a year ≥ \(user)'s entry year \(entryYear)", found: "\(year)")
        } else if let f0 = failureYears[user], year > f0, name != "acquisition" {
          // (An acquisition may follow a failure: the sale of a book in special administration.)
          w.report(f["year"]?.mark, join(path, "year"), expected: "a year ≤ \(user)'s failure in \(f0)", found: "\(year)")
        } else if let a0 = acquisitionYears[user], year > a0 {
          w.report(f["year"]?.mark, join(path, "year"), expected: "a year ≤ \(user)'s acquisition in \(a0)", found: "\(year)")
        }
      }
      let kind: ScheduledEvent.Kind?
      switch name {
      case "failure":
        var solr: String?
        if let s = f["solr"], let id = w.identifier(s, join(path, "solr")) {
          solr = id
          _ = counterparty(
            s, id, join(path, "solr"), user: user, notSelf: "a Supplier of Last Resort other than the failing User",
            role: "the Supplier of Last Resort")
        }
        requireSupplier(f, path, user: user, expected: "a supplier (failures are supplier failures, §5.3)")
        once(&failed, f, path, user: user, year: year, what: "failure")
        kind = .failure(solr: solr)
      case "acquisition":
        var buyer: String?
        if let b = f["buyer"], let id = w.identifier(b, join(path, "buyer")) {
          let valid = counterparty(
            b, id, join(path, "buyer"), user: user, notSelf: "a buyer other than the acquired User", role: "the buyer of the customers")
          buyer = valid ? id : nil
        } else if f["buyer"] == nil {
          w.missing(f, "buyer", expected: "the supplier that takes over the customers")
        }
        requireSupplier(f, path, user: user, expected: "a supplier (an acquisition moves a supplier's customers)")
        once(&acquired, f, path, user: user, year: year, what: "acquisition")
        kind = buyer.map { .acquisition(buyer: $0) }
      case "entry":
        if let user, userMarks[user] != nil {
          w.report(
            f["user"]?.mark, join(path, "user"), expected: "a new User id (entrants join the population)",
            found: "\"\(user)\", already a User")
        }
        if let en = f["entrant"] {
          let spec = decodeUser(en, join(path, "entrant"), index: nil, entryYear: year, fixedID: user)
          if let spec {
            for sys in spec.systems {
              if systemIDs.contains(sys.id) {
                w.report(en.mark, join(path, "entrant.systems"), expected: "User System ids not used before", found: "\"\(sys.id)\" again")
              }
              systemIDs.insert(sys.id)
            }
            if spec.isSupplier { supplierIDs.insert(spec.id) }
          }
          kind = spec.map { .entry($0) }
        } else {
          w.missing(f, "entrant", expected: "the new User's fields (roles, premises, …)")
          kind = nil
        }
      case "second_system":
        var sys = UserSystemSpec(id: "?", startYear: year)
        if let s = f["system"], let id = w.identifier(s, join(path, "system")) {
          if systemIDs.contains(id) { w.report(s, join(path, "system"), expected: "a User System id not used before") }
          systemIDs.insert(id)
          sys.id = id
        } else if f["system"] == nil {
          w.missing(f, "system", expected: "the new User System's id")
        }
        if let h = f["host"], let host = w.identifier(h, join(path, "host")) {
          if host != "bespoke" {
            sys.srp = host
            if !srpIDs.contains(host) {
              var found = "unknown SRP \"\(host)\""
              if let sug = didYouMean(host, among: srpIDs.sorted()) { found += " (did you mean \"\(sug)\"?)" }
              w.report(h.mark, join(path, "host"), expected: "bespoke or an SRP of population.srps", found: found)
            }
          }
        } else if f["host"] == nil {
          w.missing(f, "host", expected: "bespoke or an SRP id")
        }
        if let q = f["quarter"] { sys.startQuarter = w.int(q, join(path, "quarter"), min: 1, max: 4) }
        kind = .secondSystem(sys)
      default:  // outcome
        var k: AssessmentKind?
        var o: Outcome?
        if let kn = f["kind"] {
          k = w.choice(AssessmentKind.self, kn, join(path, "kind"), among: OutcomeTable.kinds)
        } else {
          w.missing(f, "kind", expected: "one of fusa, vusa, initial_fusa")
        }
        if let on = f["outcome"] {
          o = w.choice(Outcome.self, on, join(path, "outcome"))
        } else {
          w.missing(f, "outcome", expected: "one of " + Outcome.allCases.map(\.rawValue).joined(separator: ", "))
        }
        kind = k.flatMap { k in o.map { .outcome(kind: k, outcome: $0) } }
      }
      if let year, let user, let kind { events.append(ScheduledEvent(year: year, user: user, kind: kind)) }
    }
    return events
  }

  private func entrantIsSupplier(_ id: String, _ list: [Node]) -> Bool {
    for item in list {
      guard case .mapping(let m) = item, m["event"]?.string == "entry", m["user"]?.string == id else { continue }
      guard let roles = m["entrant"]?.mapping?["roles"] else { return false }
      if roles.string == "supplier" { return true }
      return roles.sequence?.contains(where: { $0.string == "supplier" }) ?? false
    }
    return false
  }

  // MARK: Policies

  static let policyKeys = [
    "name", "baseline", "regime", "counting", "aggregation", "second_system", "dual_role", "follow_up", "count_timing",
  ]

  func decodePolicies(_ list: [Node], listNode: Node, baselineName: Node?) -> [PolicySpec] {
    var policies: [PolicySpec] = []
    var names: [String: Int] = [:]
    var firstBaseline: String?
    for (i, item) in list.enumerated() {
      let indexPath = "policies[\(i)]"
      guard let f = w.fields(item, indexPath, allowed: Self.policyKeys) else { continue }
      var name = "?"
      if let n = f["name"], let s = w.identifier(n, join(indexPath, "name")) {
        name = s
        if let j = names[s] {
          w.report(n.mark, join(indexPath, "name"), expected: "a policy name not used before", found: "\"\(s)\" again (policies[\(j)])")
        }
        names[s] = i
      } else if f["name"] == nil {
        w.missing(f, "name", expected: "the policy's name")
      }
      let path = name == "?" ? indexPath : "policies[\(name)]"
      var spec = PolicySpec(name: name, counting: .secmp0059)
      if let b = f["baseline"], let v = w.bool(b, join(path, "baseline")) {
        spec.baseline = v
        if v {
          if let first = firstBaseline {
            w.report(b.mark, join(path, "baseline"), expected: "exactly one baseline policy", found: "a second baseline (first: \(first))")
          } else {
            firstBaseline = name
          }
        }
      }
      if let r = f["regime"] { spec.regime = regimeRef(r, join(path, "regime")) }
      if let c = f["counting"] {
        spec.counting = decodeCounting(c, join(path, "counting")) ?? spec.counting
      } else {
        w.missing(f, "counting", expected: "a mapping {rule, weight, threshold, comparison}")
      }
      if let a = f["aggregation"],
        let af = w.fields(a, join(path, "aggregation"), allowed: ["mode", "srp_threshold", "include_non_domestic_only", "measure"])
      {
        var agg = Aggregation.individual
        if let m = af["mode"] {
          agg.mode = w.choice(Aggregation.Mode.self, m, join(af.path, "mode")) ?? .individual
        } else {
          w.missing(af, "mode", expected: "individual or srp_aggregate")
        }
        if let t = af["srp_threshold"] { agg.srpThreshold = w.number(t, join(af.path, "srp_threshold"), .positive) ?? agg.srpThreshold }
        if let n = af["include_non_domestic_only"] {
          agg.includeNonDomesticOnly = w.bool(n, join(af.path, "include_non_domestic_only")) ?? false
        }
        if let m = af["measure"] { agg.measure = w.choice(Aggregation.Measure.self, m, join(af.path, "measure")) ?? agg.measure }
        spec.aggregation = agg
      }
      if let s = f["second_system"], let sf = w.fields(s, join(path, "second_system"), allowed: ["rule", "probability", "effort_kind"]) {
        var ss = SecondSystemPolicy(rule: .notifySSC)
        if let r = sf["rule"] {
          ss.rule = w.choice(SecondSystemPolicy.Rule.self, r, join(sf.path, "rule")) ?? ss.rule
        } else {
          w.missing(sf, "rule", expected: "one of none, notify_ssc, always_assess")
        }
        if let p = sf["probability"] { ss.probability = w.number(p, join(sf.path, "probability"), .probability) ?? 1 }
        if let k = sf["effort_kind"] {
          ss.effortKind = w.choice(AssessmentKind.self, k, join(sf.path, "effort_kind"), among: AssessmentKind.cycleKinds) ?? .fusa
        }
        spec.secondSystem = ss
      }
      if let d = f["dual_role"] { spec.dualRole = w.choice(DualRoleMode.self, d, join(path, "dual_role")) ?? .onePerParty }
      if let u = f["follow_up"], let uf = w.fields(u, join(path, "follow_up"), allowed: ["outcomes", "months", "fusa_kind_after"]) {
        var fu = FollowUpPolicy()
        if let o = uf["outcomes"], let items = w.list(o, join(uf.path, "outcomes"), expected: "a list of outcomes") {
          var triggers = Set<Outcome>()
          for (j, item) in items.enumerated() {
            if let oc = w.choice(Outcome.self, item, join(uf.path, "outcomes[\(j)]")) { triggers.insert(oc) }
          }
          fu.triggers = triggers
        }
        if let m = uf["months"] { fu.months = w.int(m, join(uf.path, "months"), min: 0, max: 36) ?? 6 }
        if let k = uf["fusa_kind_after"],
          let items = w.list(k, join(uf.path, "fusa_kind_after"), expected: "a list of outcomes")
        {
          var kinds = Set<Outcome>()
          for (j, item) in items.enumerated() {
            if let oc = w.choice(Outcome.self, item, join(uf.path, "fusa_kind_after[\(j)]")) { kinds.insert(oc) }
          }
          fu.fusaKindAfter = kinds
        }
        spec.followUp = fu
      }
      if let t = f["count_timing"] { spec.countTiming = w.choice(CountTiming.self, t, join(path, "count_timing")) ?? .previousYearEnd }
      policies.append(spec)
    }
    if let b = baselineName {
      if let name = w.identifier(b, "baseline") {
        if names[name] == nil {
          var found = "\"\(name)\", not among the policies"
          if let s = didYouMean(name, among: names.keys.sorted()) { found += " (did you mean \"\(s)\"?)" }
          w.report(b.mark, "baseline", expected: "the name of one of the policies", found: found)
        } else if let first = firstBaseline, first != name {
          w.report(b.mark, "baseline", expected: "the policy marked baseline: true (\(first))", found: "\"\(name)\"")
        } else {
          for i in policies.indices { policies[i].baseline = policies[i].name == name }
          firstBaseline = name
        }
      }
    }
    if firstBaseline == nil && !list.isEmpty && baselineName == nil {
      w.report(listNode.mark, "policies", expected: "one policy with baseline: true", found: "no baseline")
    }
    if list.isEmpty { w.report(listNode, "policies", expected: "at least one policy") }
    return policies
  }

  func decodeCounting(_ node: Node, _ path: String) -> CountingRule? {
    guard let f = w.fields(node, path, allowed: ["rule", "weight", "threshold", "comparison"]) else { return nil }
    guard let r = f["rule"] else {
      w.missing(f, "rule", expected: "one of " + CountingBasis.allCases.map(\.rawValue).joined(separator: ", "))
      return nil
    }
    guard let basis = w.choice(CountingBasis.self, r, join(path, "rule")) else { return nil }
    var rule = CountingRule(basis: basis)
    let weighted = basis == .premisesWeighted || basis == .metersWeighted
    if let wn = f["weight"] {
      rule.weight = w.number(wn, join(path, "weight"), .nonNegative) ?? 1
      if !weighted { w.report(wn, join(path, "weight"), expected: "no weight for the unweighted rule \(basis.rawValue)") }
    } else if weighted {
      w.missing(f, "weight", expected: "the weight w on the non-domestic part (a number ≥ 0)")
    }
    if let t = f["threshold"] {
      rule.threshold = w.number(t, join(path, "threshold"), .positive) ?? rule.threshold
    } else if basis == .meters || basis == .metersWeighted {
      w.missing(f, "threshold", expected: "a number > 0 (a meter rule's T must be stated, MODEL.md §8.11)")
    }
    if let c = f["comparison"] { rule.comparison = w.choice(ThresholdComparison.self, c, join(path, "comparison")) ?? .greaterThan }
    return rule
  }

  // MARK: Capacity, exposure, SSC

  func decodeCapacity(_ node: Node) -> CapacitySpec? {
    guard let f = w.fields(node, "capacity", allowed: ["assessor_days_per_quarter", "other_demand_per_quarter"]) else { return nil }
    let days = param(f, "assessor_days_per_quarter", .nonNegative)
    guard let o = section(f, "other_demand_per_quarter", ["srp_assessments", "privacy_assessments"]) else { return nil }
    return CapacitySpec(
      assessorDaysPerQuarter: days, srpAssessmentDaysPerQuarter: param(o, "srp_assessments", .nonNegative),
      privacyAssessmentDaysPerQuarter: param(o, "privacy_assessments", .nonNegative))
  }

  func decodeExposure(_ node: Node) -> ExposureSpec? {
    guard let f = w.fields(node, "exposure", allowed: ["role_weights", "stated_sms"]) else { return nil }
    var weights: [UserRole: Parameter] = [:]
    if let r = section(f, "role_weights", UserRole.allCases.map(\.rawValue)) {
      for role in UserRole.allCases {
        weights[role] = r[role.rawValue].flatMap { w.parameter($0, join(r.path, role.rawValue), .nonNegative) } ?? Parameter(1)
      }
    }
    var stated: [UserRole: Parameter] = [:]
    if let s = section(f, "stated_sms", ExposureSpec.statedRoles.map(\.rawValue)) {
      for role in ExposureSpec.statedRoles { stated[role] = param(s, role.rawValue, .nonNegative) }
    }
    return ExposureSpec(roleWeights: weights, statedSMS: stated)
  }

  func decodeSSC(_ node: Node) -> SSCSpec? {
    guard let f = w.fields(node, "ssc", allowed: ["meetings_per_year"]) else { return nil }
    return SSCSpec(meetingsPerYear: param(f, "meetings_per_year", .positive))
  }
}
