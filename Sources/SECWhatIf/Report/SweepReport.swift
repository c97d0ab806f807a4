import SECEngine

/// sweep.html: the design, response charts (each metric's horizon total against
/// each parameter, one colour per policy) and the policy frontier (horizon assessor
/// days against FUSA coverage, non-dominated policies filled).
public enum SweepReport {
  /// The metrics drawn against every parameter.
  public static let responseMetrics: [PolicyMetric] = [.fusa, .assessorDays, .coverageFusaShare, .capacityExceeded]

  public static func html(_ s: Sweep, scenarioName: String) -> String {
    var page = HTMLPage(title: "Parameter sweep of \(scenarioName)")
    page.paragraph(
      "\(s.values.count) design points (\(s.design.rawValue) design, --samples \(s.samples)), \(s.replicates) replicates each, "
        + "seed \(s.seed). Every design point runs on the same random futures (common random numbers), so differences between "
        + "points come from the parameters. Figures are means over replicates of horizon totals (\(s.startYear)–"
        + "\(s.startYear + s.years - 1)); sweep.csv has standard errors and every year.")
    page.heading("Parameters")
    page.table(
      ["parameter", "field", "low", "high", "scenario value", "note"],
      s.parameters.map { p in
        [
          p.name, p.canonicalPath, label(p.range.low), label(p.range.high), p.baseValue.map(label) ?? "–",
          p.range.isInert ? "inert: read by nothing (a control)" : (p.wholeNumber ? "whole numbers (design values rounded)" : ""),
        ]
      })

    page.heading("Policy frontier")
    page.paragraph(
      "Each point is one policy at one design point: horizon assessor days (less is better) against the mean share of the "
        + "risk-weighted estate covered by a FUSA each year (more is better). Filled points are non-dominated: no other policy "
        + "at the same design point needs no more days and covers no less. Assessor days rest on assumed effort figures.")
    let frontier = s.frontier
    let series = s.policies.enumerated().map { k, name in
      ScatterChart.Series(
        name: name, color: palette[k % palette.count],
        points: frontier.map { (x: $0[k].days, y: $0[k].coverage, filled: $0[k].nonDominated) })
    }
    page.raw(
      ScatterChart(
        title: "Assessor days vs FUSA coverage", xTitle: "assessor days over the horizon", yTitle: "FUSA coverage (share)",
        series: series, width: 640, height: 380
      ).svg())
    let n = Double(max(frontier.count, 1))
    page.table(
      ["policy", "non-dominated at", "mean assessor days", "mean FUSA coverage"],
      s.policies.enumerated().map { k, name in
        let count = frontier.filter { $0[k].nonDominated }.count
        return [
          name, "\(count) of \(frontier.count) points (\(label(100 * Double(count) / n)) %)",
          label(frontier.map { $0[k].days }.reduce(0, +) / n), label(frontier.map { $0[k].coverage }.reduce(0, +) / n),
        ]
      })

    page.heading("Responses")
    page.paragraph("Horizon totals (for coverage, the mean share over the years; for capacity, the chance that any quarter exceeds it).")
    var charts = "<div class=\"charts\">"
    for (j, p) in s.parameters.enumerated() {
      for m in responseMetrics {
        let series = s.policies.enumerated().map { k, name in
          ScatterChart.Series(
            name: name, color: palette[k % palette.count],
            points: s.summaries.enumerated().map { i, sum in (x: s.values[i][j], y: sum.mean(policy: k, m, t: s.years), filled: true) },
            joined: s.parameters.count == 1)
        }
        charts += ScatterChart(title: "\(m.name) vs \(p.name)", xTitle: p.name, yTitle: m.name, series: series).svg()
      }
    }
    page.raw(charts + "</div>")
    return page.html
  }
}
