import SECEngine

/// How a metric is shown: a readable name and its unit (per year; horizon totals
/// follow MODEL.md §6's total rule).
public struct MetricDisplay: Sendable, Hashable {
  public var title: String
  public var unit: String
  public var totalUnit: String

  /// Every policy metric of MODEL.md §6.
  public static let policy: [String: MetricDisplay] = [
    "fusa": .init(title: "Full User Security Assessments (FUSA)", unit: "FUSAs a year", totalUnit: "FUSAs, sum over the years"),
    "vusa": .init(title: "Verification assessments (VUSA)", unit: "VUSAs a year", totalUnit: "VUSAs, sum"),
    "ussa": .init(title: "Self-assessments (USSA)", unit: "USSAs a year", totalUnit: "USSAs, sum"),
    "follow_up": .init(title: "Follow-ups", unit: "follow-ups a year", totalUnit: "follow-ups, sum"),
    "initial_fusa": .init(title: "Initial FUSAs (entry)", unit: "initial FUSAs a year", totalUnit: "initial FUSAs, sum"),
    "system_assessment": .init(title: "System assessments", unit: "system assessments a year", totalUnit: "sum"),
    "assessments_total": .init(title: "Assessments of every kind", unit: "assessments a year", totalUnit: "assessments, sum"),
    "assessor_days": .init(title: "Assessor days", unit: "assessor days a year", totalUnit: "assessor days, sum"),
    "cost_gbp": .init(title: "Assessment cost", unit: "£ a year", totalUnit: "£, sum"),
    "ssc_agenda_items": .init(title: "SSC agenda items", unit: "items a year", totalUnit: "items, sum"),
    "peak_quarter_assessor_days": .init(
      title: "Busiest quarter's assessor demand", unit: "assessor days in the quarter", totalUnit: "days, busiest quarter of the horizon"),
    "capacity_exceeded": .init(
      title: "Assessor capacity exceeded", unit: "probability in the year", totalUnit: "probability of any breach in the horizon"),
    "large_band_users": .init(title: "Users in the large band", unit: "Users", totalUnit: "User-years, sum"),
    "band_changes": .init(title: "Band changes", unit: "changes a year", totalUnit: "changes, sum"),
    "remediation_plans": .init(title: "Remediation plans", unit: "plans a year", totalUnit: "plans, sum"),
    "coverage_fusa_share": .init(
      title: "Estate covered by a FUSA in the year", unit: "share of exposure (0–1)", totalUnit: "share, mean over the years"),
    "fusa_age_years": .init(title: "Time since the last FUSA", unit: "years (exposure-weighted)", totalUnit: "years, mean over the years"),
    "unassessed_system_meters": .init(
      title: "Meters on never-assessed User Systems", unit: "meters at year end", totalUnit: "meter-years, sum"),
    "undetected_issue_meter_years": .init(
      title: "Undetected issues × meters", unit: "issue meter-years a year", totalUnit: "issue meter-years, sum"),
    "cost_per_user_gbp": .init(title: "Cost per User", unit: "£ per User a year", totalUnit: "£ per User, sum over the years"),
    "assessor_days_q1": .init(title: "Assessor demand, Q1", unit: "assessor days", totalUnit: "days, sum"),
    "assessor_days_q2": .init(title: "Assessor demand, Q2", unit: "assessor days", totalUnit: "days, sum"),
    "assessor_days_q3": .init(title: "Assessor demand, Q3", unit: "assessor days", totalUnit: "days, sum"),
    "assessor_days_q4": .init(title: "Assessor demand, Q4", unit: "assessor days", totalUnit: "days, sum"),
  ]

  public static func of(_ metric: String) -> MetricDisplay {
    policy[metric] ?? MetricDisplay(title: metric, unit: "", totalUnit: "")
  }

  /// Whether the metric rests on proxies or assumptions (PolicyMetric.restsOnAssumptions).
  public static func restsOnAssumptions(_ metric: String) -> Bool {
    PolicyMetric.allCases.first { $0.name == metric }?.restsOnAssumptions ?? false
  }
}

/// One chart of the report (and of the notebook, which stores the same SVG).
public struct ReportChart: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    /// p05–p95 band and median per policy over the years, class `all`.
    case fan(metric: String)
    /// assessor_days_q1 … q4 per quarter against capacity.
    case quarterly
    /// Horizon total per Party class, one bar per policy.
    case byClass(metric: String)
  }

  public var id: String
  public var title: String
  public var xTitle: String
  public var yTitle: String
  public var kind: Kind
  public var restsOnAssumptions: Bool
  /// What the chart shows, in a sentence (also the SVG's `<desc>`).
  public var description: String
  public var svg: String
}

/// The report's charts, in report order.
public enum ReportCharts {
  public static let workloadMetrics = ["fusa", "assessments_total", "assessor_days", "cost_gbp"]
  public static let coverageMetrics = ["coverage_fusa_share", "fusa_age_years", "undetected_issue_meter_years"]
  public static let classMetrics = ["cost_per_user_gbp", "assessments_total"]
  public static let partyClasses = ["supplier_domestic", "supplier_non_domestic_only", "network", "other"]
  public static let partyClassTitles = [
    "supplier_domestic": "domestic suppliers", "supplier_non_domestic_only": "non-domestic-only suppliers", "network": "networks",
    "other": "other Users and RSAs",
  ]

  public static func all(_ r: RunResults) -> [ReportChart] {
    (workloadMetrics + coverageMetrics).map { fan(r, metric: $0) } + [quarterly(r)] + classMetrics.map { byClass(r, metric: $0) }
  }

  static func note(_ metric: String) -> String {
    MetricDisplay.restsOnAssumptions(metric) ? " Rests on proxies or assumptions (see the assumptions table)." : ""
  }

  static func fan(_ r: RunResults, metric: String) -> ReportChart {
    let d = MetricDisplay.of(metric)
    let m = r.manifest
    let years = r.yearLabels
    let series = m.policies.enumerated().map { k, policy in
      SVGChart.FanSeries(
        name: policy, color: SVGChart.color(k),
        points: years.enumerated().compactMap { i, y in
          r.summary[.init(policy, "all", y, metric)].map {
            SVGChart.FanPoint(x: Double(m.startYear + i), low: $0.p05, mid: $0.p50, high: $0.p95)
          }
        })
    }
    let title = "\(d.title) per year, all Users"
    let id = "chart-\(metric)"
    let description = "Median and 5th–95th percentile band over \(m.replicates) replicates for each policy (\(metric))." + note(metric)
    let svg = SVGChart.fan(
      id: id, title: title, description: description, xTitle: "year", yTitle: d.unit, xTicks: yearTicks(r), series: series)
    return ReportChart(
      id: id, title: title, xTitle: "year", yTitle: d.unit, kind: .fan(metric: metric),
      restsOnAssumptions: MetricDisplay.restsOnAssumptions(metric), description: description, svg: svg)
  }

  static func yearTicks(_ r: RunResults) -> [(x: Double, label: String)] {
    let years = r.manifest.years
    let every = years > 12 ? 2 : 1
    return stride(from: 0, to: years, by: every).map { (Double(r.manifest.startYear + $0), String(r.manifest.startYear + $0)) }
  }

  static func quarterly(_ r: RunResults) -> ReportChart {
    let m = r.manifest
    let years = r.yearLabels
    let series = m.policies.enumerated().map { k, policy in
      var points: [SVGChart.FanPoint] = []
      for (i, y) in years.enumerated() {
        for q in 1...4 {
          if let s = r.summary[.init(policy, "all", y, "assessor_days_q\(q)")] {
            points.append(SVGChart.FanPoint(x: Double(i * 4 + q - 1), low: s.p05, mid: s.p50, high: s.p95))
          }
        }
      }
      return SVGChart.FanSeries(name: policy, color: SVGChart.color(k), points: points)
    }
    var capacity: [(x: Double, y: Double)] = []
    for (i, quarters) in m.capacity.enumerated() {
      for (q, days) in quarters.enumerated() { capacity.append((Double(i * 4 + q), days)) }
    }
    let every = years.count > 12 ? 2 : 1
    let ticks = stride(from: 0, to: years.count, by: every).map { (Double($0 * 4), "\(years[$0]) Q1") }
    let title = "Assessor demand per quarter against capacity"
    let yTitle = "assessor days in the quarter"
    let description =
      "All demand on the independent assessor per quarter (assessor_days_q1 … q4, median and p05–p95 per policy) "
      + "and the capacity per quarter from run.json (dashed)." + note("assessor_days_q1")
    let svg = SVGChart.fan(
      id: "chart-quarterly", title: title, description: description,
      xTitle: "quarter", yTitle: yTitle, xTicks: ticks, series: series,
      reference: capacity.isEmpty ? nil : SVGChart.Reference(name: "capacity", points: capacity))
    return ReportChart(
      id: "chart-quarterly", title: title, xTitle: "quarter", yTitle: yTitle, kind: .quarterly, restsOnAssumptions: true,
      description: description, svg: svg)
  }

  static func byClass(_ r: RunResults, metric: String) -> ReportChart {
    let d = MetricDisplay.of(metric)
    let m = r.manifest
    let groups = m.policies.enumerated().map { k, policy in
      (
        name: policy, color: SVGChart.color(k),
        values: partyClasses.map { c in
          r.summary[.init(policy, c, "total", metric)].map { SVGChart.FanPoint(x: 0, low: $0.p05, mid: $0.mean, high: $0.p95) }
            ?? SVGChart.FanPoint(x: 0, low: .nan, mid: .nan, high: .nan)
        }
      )
    }
    let title = "\(d.title) by Party class, \(years(r))"
    let id = "chart-class-\(metric)"
    let description = "Horizon total (\(d.totalUnit)) per Party class: mean and 5th–95th percentile per policy." + note(metric)
    let svg = SVGChart.bars(
      id: id, title: title, description: description,
      xTitle: "Party class", yTitle: d.totalUnit, categories: partyClasses.map { partyClassTitles[$0] ?? $0 }, groups: groups)
    return ReportChart(
      id: id, title: title, xTitle: "Party class", yTitle: d.totalUnit, kind: .byClass(metric: metric),
      restsOnAssumptions: MetricDisplay.restsOnAssumptions(metric), description: description, svg: svg)
  }

  static func years(_ r: RunResults) -> String {
    "\(r.manifest.startYear)–\(r.manifest.startYear + max(r.manifest.years, 1) - 1)"
  }
}
