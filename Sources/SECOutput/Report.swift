import SECScenario

/// report.html: one self-contained page (inline CSS and SVG, no scripts, no fonts or
/// files from elsewhere) drawn from a run's tables (issue 14; MODEL.md §6, §9, §10).
/// Every text from an input file (scenario, policy and User names, citations) is
/// HTML-escaped.
public enum Report {
  /// Rows of impact.csv shown in the report; the rest are counted and left to the CSV.
  public static let impactRowsShown = 100

  public static func html(_ r: RunResults) -> String {
    let m = r.manifest
    let e = HTML.escape
    let charts = ReportCharts.all(r)
    func chart(_ id: String) -> String {
      guard let c = charts.first(where: { $0.id == id }) else { return "" }
      let badge = c.restsOnAssumptions ? " " + assumptionBadge : ""
      return "<figure>\n\(c.svg)<figcaption>\(e(c.description))\(badge)</figcaption>\n</figure>\n"
    }
    let span = ReportCharts.years(r)
    var h = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>SECSim report: \(e(m.scenarioName))</title>
      <style>
      \(css)
      </style>
      </head>
      <body>
      <main>
      <h1>SECSim report: \(e(m.scenarioName))</h1>
      <p class="lead">\(e(m.scenarioDescription))</p>

      """
    h += "<h2 id=\"question\">The question</h2>\n"
    h += """
      <p>What does each policy do, compared with the baseline <b>\(e(m.baseline))</b> on the same random futures, to Section G8 \
      User Security Assessment <b>workload</b> (assessments, assessor days, cost, assessor capacity) and to <b>risk coverage</b> \
      (share of the smart-metering estate under a FUSA, time since the last FUSA, undetected issues) over \(e(span))? \
      Every figure is a distribution over \(m.replicates) replicates: the mean, and the 5th to 95th percentile (p05–p95).</p>

      """
    h += runFacts(r)
    h += policiesSection(r)
    h += "<h2 id=\"workload\">Workload</h2>\n"
    for metric in ReportCharts.workloadMetrics { h += chart("chart-\(metric)") }
    h += "<h2 id=\"coverage\">Risk coverage</h2>\n"
    for metric in ReportCharts.coverageMetrics { h += chart("chart-\(metric)") }
    h += "<h2 id=\"capacity\">Assessor load per quarter</h2>\n"
    h += chart("chart-quarterly")
    h += capacityTable(r)
    h += "<h2 id=\"burden\">Burden per Party class</h2>\n"
    h += "<p>Who bears a modification (SEC D2.6: no undue discrimination between classes of Party). Horizon totals, \(e(span)).</p>\n"
    for metric in ReportCharts.classMetrics { h += chart("chart-class-\(metric)") }
    h += burdenTable(r)
    h += differencesSection(r)
    h += impactSection(r)
    h += assumptionsSection(r)
    h += """
      <h2 id="method">How the figures are computed</h2>
      <p>Each replicate is one random future; every policy is applied to the same futures (common random numbers), so \
      differences are paired. Means and standard errors come from exact integer sums. Percentiles are nearest-rank on \
      exact integer histograms: exact for values below 128 units of the metric's unit, otherwise within 1/128 (0.78%), \
      and clamped to the exact minimum and maximum. Horizon totals are per-replicate sums over the years (means for shares \
      and ages, any breach for capacity), so the p05 of a total is not the sum of yearly p05s. See docs/outputs.md.</p>
      <p class="small">secsim \(e(m.version)); files beside this report: summary.csv, differences.csv, users.csv, impact.csv, run.json.</p>
      </main>
      </body>
      </html>

      """
    return h
  }

  static let assumptionBadge = "<span class=\"assume\" title=\"rests on proxies or assumptions\">rests on assumptions</span>"

  static let css = """
    body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111; background: #fff; margin: 0; }
    main { max-width: 1100px; margin: 0 auto; padding: 16px 24px 48px; }
    h1 { font-size: 26px; margin: 8px 0; }
    h2 { font-size: 20px; margin-top: 32px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
    p.lead { font-size: 15px; color: #333; }
    table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
    th, td { border: 1px solid #ccc; padding: 3px 7px; vertical-align: top; }
    th { background: #f2f2f2; text-align: left; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.differs { background: #fff3cd; }
    .interval { color: #555; font-size: 11px; }
    .assume { display: inline-block; font-size: 11px; color: #7a4b00; background: #fff3cd; border: 1px solid #e0c47a; \
    border-radius: 3px; padding: 0 4px; margin-left: 4px; white-space: nowrap; }
    figure { margin: 12px 0 24px; }
    figcaption { font-size: 13px; color: #333; }
    svg.chart { max-width: 100%; height: auto; border: 1px solid #eee; }
    dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; font-size: 13px; }
    dl.facts dt { font-weight: bold; }
    dl.facts dd { margin: 0; word-break: break-all; }
    .small { font-size: 12px; color: #555; }
    """

  // MARK: - Sections

  static func runFacts(_ r: RunResults) -> String {
    let m = r.manifest
    let e = HTML.escape
    return """
      <dl class="facts">
      <dt>scenario</dt><dd>\(e(m.scenarioName)) (\(e(m.scenarioFile)))</dd>
      <dt>scenario SHA-256</dt><dd><code>\(e(m.scenarioSHA256))</code></dd>
      <dt>replicates</dt><dd>\(m.replicates)</dd>
      <dt>seed, generator</dt><dd>\(e(m.seed)), \(e(m.rng))</dd>
      <dt>policies</dt><dd>\(m.policies.map(e).joined(separator: ", ")) (baseline: \(e(m.baseline)))</dd>
      <dt>secsim</dt><dd>\(e(m.version))</dd>
      </dl>

      """
  }

  static func policiesSection(_ r: RunResults) -> String {
    let m = r.manifest
    let e = HTML.escape
    var h = "<h2 id=\"policies\">The policies side by side</h2>\n"
    let settings = m.policySettings
    if !settings.isEmpty {
      let base = settings.first { $0.name == m.baseline }?.settings ?? [:]
      let keys = Set(settings.flatMap { $0.settings.keys }).sorted()
      h += "<table>\n<caption>Policy settings (cells that differ from the baseline are shaded)</caption>\n"
      h += "<tr><th scope=\"col\">setting</th>" + settings.map { "<th scope=\"col\">\(e($0.name))</th>" }.joined() + "</tr>\n"
      for key in keys {
        h += "<tr><th scope=\"row\">\(e(key))</th>"
        for s in settings {
          let v = s.settings[key] ?? ""
          h += v == base[key] ? "<td>\(e(v))</td>" : "<td class=\"differs\">\(e(v))</td>"
        }
        h += "</tr>\n"
      }
      h += "</table>\n"
    }
    h += "<table>\n<caption>Horizon totals, all Users, \(e(ReportCharts.years(r))): mean and p05–p95</caption>\n"
    h += "<tr><th scope=\"col\">metric</th><th scope=\"col\">unit</th>"
    h += m.policies.map { "<th scope=\"col\">\(e($0))</th>" }.joined() + "</tr>\n"
    for metric in MetricDisplay.catalogueOrder {
      let d = MetricDisplay.of(metric)
      let badge = MetricDisplay.restsOnAssumptions(metric) ? assumptionBadge : ""
      h += "<tr><th scope=\"row\">\(e(d.title)) <code>\(e(metric))</code>\(badge)</th><td>\(e(d.totalUnit))</td>"
      for p in m.policies {
        h += cell(r.summary[.init(p, "all", "total", metric)], metric: metric)
      }
      h += "</tr>\n"
    }
    return h + "</table>\n"
  }

  static func cell(_ s: RunResults.Stats?, metric: String, signed: Bool = false) -> String {
    guard let s else { return "<td class=\"num\">–</td>" }
    let f = { (x: Double) in Fmt.value(x, metric: metric, signed: signed) }
    return "<td class=\"num\">\(f(s.mean))<br><span class=\"interval\">\(f(s.p05)) to \(f(s.p95))</span></td>"
  }

  static func capacityTable(_ r: RunResults) -> String {
    let m = r.manifest
    guard !m.capacity.isEmpty else { return "" }
    let e = HTML.escape
    var h = "<table>\n<caption>Capacity exceeded in the year (probability), and capacity per quarter (assessor days)</caption>\n"
    h += "<tr><th scope=\"col\">year</th><th scope=\"col\">capacity Q1–Q4</th><th scope=\"col\">other demand Q1–Q4</th>"
    h += m.policies.map { "<th scope=\"col\">\(e($0))</th>" }.joined() + "</tr>\n"
    for (i, y) in (r.yearLabels + ["total"]).enumerated() {
      let cap = i < m.capacity.count ? m.capacity[i].map { Fmt.plain($0) }.joined(separator: ", ") : "any year"
      let other = i < m.otherDemand.count ? m.otherDemand[i].map { Fmt.plain($0) }.joined(separator: ", ") : ""
      h += "<tr><th scope=\"row\">\(e(y))</th><td>\(cap)</td><td>\(other)</td>"
      for p in m.policies {
        let s = r.summary[.init(p, "all", y, "capacity_exceeded")]
        h += "<td class=\"num\">\(s.map { Fmt.value($0.mean, metric: "capacity_exceeded") } ?? "–")</td>"
      }
      h += "</tr>\n"
    }
    return h + "</table>\n<p class=\"small\">Capacity and demand rest on assumptions (capacity, effort). \(assumptionBadge)</p>\n"
  }

  static func burdenTable(_ r: RunResults) -> String {
    let m = r.manifest
    let e = HTML.escape
    var h = "<table>\n<caption>Burden per Party class, horizon totals: mean and p05–p95</caption>\n"
    h += "<tr><th scope=\"col\">Party class</th><th scope=\"col\">metric</th>"
    h += m.policies.map { "<th scope=\"col\">\(e($0))</th>" }.joined() + "</tr>\n"
    for c in ReportCharts.partyClasses {
      for metric in ["cost_per_user_gbp", "assessments_total", "fusa", "assessor_days"] {
        let badge = MetricDisplay.restsOnAssumptions(metric) ? assumptionBadge : ""
        h += "<tr><th scope=\"row\">\(e(ReportCharts.partyClassTitles[c] ?? c))</th>"
        h += "<td>\(e(MetricDisplay.of(metric).title)) (\(e(MetricDisplay.of(metric).totalUnit)))\(badge)</td>"
        for p in m.policies { h += cell(r.summary[.init(p, c, "total", metric)], metric: metric) }
        h += "</tr>\n"
      }
    }
    return h + "</table>\n"
  }

  static func differencesSection(_ r: RunResults) -> String {
    let m = r.manifest
    let e = HTML.escape
    let others = m.policies.filter { $0 != m.baseline }
    var h = "<h2 id=\"differences\">Differences from the baseline</h2>\n"
    guard !others.isEmpty else { return h + "<p>Only the baseline was run.</p>\n" }
    h += """
      <p>Each policy minus <b>\(e(m.baseline))</b> on the same futures (paired), all Users, horizon totals: mean difference, \
      its standard error, and the p05–p95 interval of the paired difference. An interval that excludes 0 means the \
      policy changes the figure in at least 90% of futures. Every class and year is in differences.csv.</p>
      <table>
      <tr><th scope="col">metric</th>
      """
    h += others.map { "<th scope=\"col\">\(e($0)) − \(e(m.baseline))</th>" }.joined() + "</tr>\n"
    for metric in MetricDisplay.catalogueOrder {
      let badge = MetricDisplay.restsOnAssumptions(metric) ? assumptionBadge : ""
      h += "<tr><th scope=\"row\">\(e(MetricDisplay.of(metric).title)) <code>\(e(metric))</code>\(badge)</th>"
      for p in others {
        guard let s = r.differences[.init(p, "all", "total", metric)] else {
          h += "<td class=\"num\">–</td>"
          continue
        }
        let f = { (x: Double) in Fmt.value(x, metric: metric, signed: true) }
        h += "<td class=\"num\">\(f(s.mean)) ± \(Fmt.value(s.se, metric: metric))<br>"
        h += "<span class=\"interval\">\(f(s.p05)) to \(f(s.p95))</span></td>"
      }
      h += "</tr>\n"
    }
    return h + "</table>\n"
  }

  static func impactSection(_ r: RunResults) -> String {
    let e = HTML.escape
    var h = "<h2 id=\"impact\">Who is affected</h2>\n"
    h += """
      <p>Users (and entrant cohorts) whose band or regular assessment differs from the baseline's on the same future with \
      probability at least 5% in some year (impact.csv), most affected first. Changes are expected numbers over the \
      horizon (policy minus baseline).</p>

      """
    guard !r.impact.isEmpty else { return h + "<p><b>No User is affected</b> by any policy at this threshold.</p>\n" }
    h += "<table>\n<tr>"
    for title in [
      "policy", "User", "name", "largest probability of a difference", "year of it", "years ≥ 5%", "kinds", "FUSAs", "VUSAs", "USSAs",
      "follow-ups",
    ] {
      h += "<th scope=\"col\">\(e(title))</th>"
    }
    h += "</tr>\n"
    for row in r.impact.prefix(impactRowsShown) where row.count >= 14 {
      h += "<tr><td>\(e(row[0]))</td><td>\(e(row[2]))</td><td>\(e(row[3]))</td>"
      h += "<td class=\"num\">\(Fmt.plain(Double(row[4]) ?? .nan, digits: 3))</td><td>\(e(row[5]))</td>"
      h += "<td>\(e(Fmt.yearRanges(row[6])))</td><td>\(e(row[7]))</td>"
      for i in [8, 9, 10, 12] { h += "<td class=\"num\">\(Fmt.plain(Double(row[i]) ?? .nan, digits: 3, signed: true))</td>" }
      h += "</tr>\n"
    }
    h += "</table>\n"
    if r.impact.count > impactRowsShown {
      h += "<p class=\"small\">\(r.impact.count - impactRowsShown) more rows in impact.csv.</p>\n"
    }
    return h
  }

  static func assumptionsSection(_ r: RunResults) -> String {
    let e = HTML.escape
    let sources = r.manifest.parameterSources
    var h = "<h2 id=\"assumptions\">Assumptions and their sources</h2>\n"
    h += """
      <p>Every scenario parameter carries a source label: <b>sourced</b> (stated by the cited page), <b>derived</b> \
      (arithmetic on sourced values), <b>proxy</b> (the closest public figure, standing in for the quantity wanted) or \
      <b>assumption</b> (no public figure). Figures marked \(assumptionBadge) rest on proxies or assumptions (effort, day \
      rate, capacity, issue rates, detection): there is no public series of assessment counts to validate them.</p>

      """
    guard !sources.isEmpty else { return h + "<p>run.json lists no parameter sources.</p>\n" }
    let counts = SourceLabel.allCases.map { label in "\(sources.filter { $0.label == label }.count) \(label.rawValue)" }
    h += "<p>\(counts.joined(separator: ", ")).</p>\n"
    func table(_ rows: [ParameterSource]) -> String {
      var t = "<table>\n<tr><th scope=\"col\">parameter</th><th scope=\"col\">value</th><th scope=\"col\">label</th>"
      t += "<th scope=\"col\">source</th></tr>\n"
      for p in rows {
        t += "<tr><td><code>\(e(p.path))</code></td><td>\(e(p.value))</td><td>\(e(p.label.rawValue))</td><td>\(e(p.source))</td></tr>\n"
      }
      return t + "</table>\n"
    }
    let weak = sources.filter { $0.label == .proxy || $0.label == .assumption }
    let strong = sources.filter { $0.label == .sourced || $0.label == .derived }
    h += "<h3>Proxies and assumptions</h3>\n" + table(weak.sorted { ($0.label == .proxy ? 0 : 1) < ($1.label == .proxy ? 0 : 1) })
    if !strong.isEmpty {
      h += "<details>\n<summary>Sourced and derived parameters (\(strong.count))</summary>\n" + table(strong) + "</details>\n"
    }
    return h
  }
}

extension MetricDisplay {
  /// Policy metrics in the order of MODEL.md §6 (the engine's catalogue order).
  public static var catalogueOrder: [String] {
    [
      "fusa", "vusa", "ussa", "follow_up", "initial_fusa", "system_assessment", "assessments_total", "assessor_days", "cost_gbp",
      "ssc_agenda_items", "peak_quarter_assessor_days", "capacity_exceeded", "large_band_users", "band_changes",
      "remediation_plans", "coverage_fusa_share", "fusa_age_years", "unassessed_system_meters", "undetected_issue_meter_years",
      "cost_per_user_gbp",
    ]
  }
}

/// Numbers as the report shows them (the CSV files keep full precision).
enum Fmt {
  /// A metric value: shares and probabilities with 3 decimals, money and large
  /// counts as grouped integers, others with up to 3 significant digits.
  static func value(_ x: Double, metric: String, signed: Bool = false) -> String {
    guard x.isFinite else { return "–" }
    if metric == "coverage_fusa_share" || metric == "capacity_exceeded" { return sign(x, signed) + fixed(abs(x), 3) }
    return sign(x, signed) + magnitude(abs(x))
  }

  static func plain(_ x: Double, digits: Int = 3, signed: Bool = false) -> String {
    guard x.isFinite else { return "–" }
    return sign(x, signed) + magnitude(abs(x), digits: digits)
  }

  static func sign(_ x: Double, _ signed: Bool) -> String { x < 0 ? "−" : (signed && x > 0 ? "+" : "") }

  static func magnitude(_ a: Double, digits: Int = 3) -> String {
    if a >= 1000 { return grouped(Int64(a.rounded())) }
    if a == a.rounded() { return String(Int64(a)) }
    let decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : digits
    return fixed(a, decimals)
  }

  static func fixed(_ a: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let n = Int64((a * scale).rounded())
    if decimals == 0 { return String(n) }
    let whole = n / Int64(scale)
    var frac = String(n % Int64(scale))
    while frac.count < decimals { frac = "0" + frac }
    return "\(whole).\(frac)"
  }

  static func grouped(_ n: Int64) -> String {
    let digits = Array(String(n))
    var out = ""
    for (i, d) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(d)
    }
    return out
  }

  /// "2025 2026 2027 2030" → "2025–2027, 2030".
  static func yearRanges(_ text: String) -> String {
    let years = text.split(separator: " ").compactMap { Int($0) }
    guard !years.isEmpty else { return text }
    var parts: [String] = []
    var start = years[0]
    var last = years[0]
    for y in years.dropFirst() {
      if y == last + 1 {
        last = y
        continue
      }
      parts.append(start == last ? "\(start)" : "\(start)–\(last)")
      start = y
      last = y
    }
    parts.append(start == last ? "\(start)" : "\(start)–\(last)")
    return parts.joined(separator: ", ")
  }
}
