import SECEngine

/// What the tables need to label a run's state: policy names in run order, the
/// baseline, the first year, and the label of each users.csv row.
public struct RunLabels: Sendable, Hashable {
  public var policies: [String]
  public var baseline: Int
  public var startYear: Int
  public var years: Int
  /// users.csv rows: (id, name) of each User present at the start or scheduled to
  /// enter, then one `entrants-YYYY` row per year.
  public var userRows: [(id: String, name: String)]

  public init(policies: [String], baseline: Int, startYear: Int, years: Int, userRows: [(id: String, name: String)]) {
    self.policies = policies
    self.baseline = baseline
    self.startYear = startYear
    self.years = years
    self.userRows = userRows
  }

  public static func == (a: RunLabels, b: RunLabels) -> Bool {
    a.policies == b.policies && a.baseline == b.baseline && a.startYear == b.startYear && a.years == b.years
      && a.userRows.map(\.id) == b.userRows.map(\.id) && a.userRows.map(\.name) == b.userRows.map(\.name)
  }

  public func hash(into h: inout Hasher) {
    h.combine(policies)
    h.combine(baseline)
    h.combine(startYear)
    h.combine(years)
  }

  /// (id, name) of a users.csv row: a User present at the start or scheduled, or the
  /// `entrants-YYYY` cohort of random entrants of a year.
  public func rowLabel(_ row: Int) -> (id: String, name: String) {
    row < userRows.count ? userRows[row] : ("entrants-\(startYear + row - userRows.count)", "entrants")
  }

  /// The year column: the calendar year, or `total` for the horizon total.
  public func yearLabel(_ t: Int) -> String { t == years ? "total" : String(startYear + t) }
}

/// The CSV tables of a run (MODEL.md §6, §9; issue 14's headers), written from the
/// merged state only, so a run and a merge of its shards write the same bytes.
public enum ResultTables {
  public static let summaryHeader = ["policy", "class", "year", "metric", "mean", "sd", "se", "p05", "p50", "p95", "replicates"]
  public static let differencesHeader = [
    "policy", "baseline", "class", "year", "metric", "mean_diff", "se_diff", "p05_diff", "p50_diff", "p95_diff",
  ]
  public static let usersHeader = [
    "user", "name", "year", "policy", "p_present", "p_large", "mean_deciding_count", "p_fusa", "p_vusa", "p_ussa",
    "p_initial_fusa", "mean_follow_ups", "mean_system_assessments", "p_band_change", "p_differs_from_baseline",
  ]

  /// summary.csv: one row per policy × class × year × metric, then the market metrics under policy `market`.
  public static func summary(_ state: RunState, _ labels: RunLabels) -> String { summaryTable(state, labels).csv.text }

  /// summary.csv, and with `readBack` its rows as `RunResults` reads them from the
  /// text (`RunResults.readBack`; nil when a policy name would not read back plainly).
  static func summaryTable(
    _ state: RunState, _ labels: RunLabels, readBack: Bool = false
  ) -> (csv: CSVWriter, stats: [RunResults.Key: RunResults.Stats]?) {
    var csv = CSVWriter(header: summaryHeader)
    var stats: [RunResults.Key: RunResults.Stats]? = readBack && RunResults.readsBackPlainly(labels) ? [:] : nil
    let layout = state.layout
    func add(_ policy: String, _ cls: String, _ year: String, _ metric: String, _ s: SlotSummary) {
      csv.appendRow([
        .text(policy), .text(cls), .text(year), .text(metric), .number(s.mean), .number(s.sd), .number(s.se), .number(s.p05),
        .number(s.p50), .number(s.p95), .integer(s.n),
      ])
      if stats != nil {
        stats![RunResults.readBack(policy, cls, year, metric)] = RunResults.readBack(
          mean: s.mean, sd: s.sd, se: s.se, p05: s.p05, p50: s.p50, p95: s.p95)
      }
    }
    for (k, name) in labels.policies.enumerated() {
      for (c, cls) in MetricClass.allCases.enumerated() {
        for t in 0...labels.years {
          for m in PolicyMetric.allCases {
            guard let slot = layout.policySlot(policy: k, classIndex: c, t: t, metric: m) else { continue }
            add(name, cls.name, labels.yearLabel(t), m.name, state.bank.summary(slot, scale: m.unit.scale))
          }
        }
      }
    }
    for t in 0...labels.years {
      for m in MarketMetric.allCases {
        add("market", "all", labels.yearLabel(t), m.name, state.bank.summary(layout.marketSlot(t: t, metric: m), scale: m.unit.scale))
      }
    }
    return (csv, stats)
  }

  /// differences.csv: each non-baseline policy minus the baseline on the same futures.
  public static func differences(_ state: RunState, _ labels: RunLabels) -> String { differencesTable(state, labels).csv.text }

  /// differences.csv, and with `readBack` its rows as `RunResults` reads them (sd NaN).
  static func differencesTable(
    _ state: RunState, _ labels: RunLabels, readBack: Bool = false
  ) -> (csv: CSVWriter, stats: [RunResults.Key: RunResults.Stats]?) {
    var csv = CSVWriter(header: differencesHeader)
    var stats: [RunResults.Key: RunResults.Stats]? = readBack && RunResults.readsBackPlainly(labels) ? [:] : nil
    let layout = state.layout
    let baseline = labels.policies[labels.baseline]
    for (k, name) in labels.policies.enumerated() where k != labels.baseline {
      for (c, cls) in MetricClass.allCases.enumerated() {
        for t in 0...labels.years {
          for m in PolicyMetric.allCases {
            guard let slot = layout.differenceSlot(policy: k, classIndex: c, t: t, metric: m) else { continue }
            let s = state.bank.summary(slot, scale: m.unit.scale)
            let year = labels.yearLabel(t)
            csv.appendRow([
              .text(name), .text(baseline), .text(cls.name), .text(year), .text(m.name), .number(s.mean),
              .number(s.se), .number(s.p05), .number(s.p50), .number(s.p95),
            ])
            if stats != nil {
              stats![RunResults.readBack(name, cls.name, year, m.name)] = RunResults.readBack(
                mean: s.mean, sd: .nan, se: s.se, p05: s.p05, p50: s.p50, p95: s.p95)
            }
          }
        }
      }
    }
    return (csv, stats)
  }

  /// users.csv: per User row × year × policy, shares of replicates (entrant rows:
  /// means per replicate, since a cohort may hold several Users).
  public static func users(_ state: RunState, _ labels: RunLabels, replicates: Int) -> String {
    usersTable(state, labels, replicates: replicates).text
  }

  /// users.csv as a writer (its bytes).
  static func usersTable(_ state: RunState, _ labels: RunLabels, replicates: Int) -> CSVWriter {
    var csv = CSVWriter(header: usersHeader)
    let n = Double(max(replicates, 1))
    let tallies = state.tallies
    for row in 0..<tallies.rows {
      let (id, name) = labels.rowLabel(row)
      for yi in 0..<tallies.years {
        for (k, policy) in labels.policies.enumerated() {
          func v(_ f: UserTallies.Field) -> Double { Double(tallies.value(row: row, year: yi, policy: k, field: f)) }
          let present = v(.present)
          guard present > 0 else { continue }
          csv.appendRow([
            .text(id), .text(name), .text(String(labels.startYear + yi)), .text(policy), .number(present / n), .number(v(.large) / n),
            .number(v(.decidingCountSum) / present), .number(v(.fusa) / n), .number(v(.vusa) / n), .number(v(.ussa) / n),
            .number(v(.initialFusa) / n), .number(v(.followUp) / n), .number(v(.systemAssessment) / n), .number(v(.bandChange) / n),
            .number(v(.differsFromBaseline) / n),
          ])
        }
      }
    }
    return csv
  }
}
