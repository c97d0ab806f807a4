import SECOutput

/// sensitivity.csv: one row per parameter × statistic, in long form.
///
/// Columns: method, policy, metric, year, parameter, statistic, value, ci_low,
/// ci_high. Statistics: `S1`, `ST` (Sobol, with bootstrap intervals) or `mu_star`
/// (with interval), `mu`, `sigma` (Morris); for every parameter `tornado_low` and
/// `tornado_high` (the output with the parameter alone at LOW or HIGH) and
/// `tornado_swing`; and under parameter `(output)`: `mean` and `variance` of the
/// design's outputs and `tornado_base`, the output at the base point.
public enum SensitivityTables {
  public static let header = ["method", "policy", "metric", "year", "parameter", "statistic", "value", "ci_low", "ci_high"]

  public static func csv(_ a: SensitivityAnalysis) -> String {
    var csv = CSVWriter(header: header)
    let lead: [CSVWriter.Cell] = [.text(a.method.rawValue), .text(a.target.policy), .text(a.target.metric.name), .text(a.target.year)]
    func row(_ parameter: String, _ statistic: String, _ e: Estimate) {
      csv.appendRow(lead + [.text(parameter), .text(statistic), .number(e.value), .number(e.low), .number(e.high)])
    }
    for (i, p) in a.parameters.enumerated() {
      if let s = a.sobol {
        row(p.name, "S1", s.firstOrder[i])
        row(p.name, "ST", s.total[i])
      }
      if let m = a.morris?[i] {
        row(p.name, "mu_star", m.muStar)
        row(p.name, "mu", Estimate(value: m.mu))
        row(p.name, "sigma", Estimate(value: m.sigma))
      }
      if let bar = a.tornado.bars.first(where: { $0.parameter == i }) {
        row(p.name, "tornado_low", Estimate(value: bar.outputAtLow))
        row(p.name, "tornado_high", Estimate(value: bar.outputAtHigh))
        row(p.name, "tornado_swing", Estimate(value: bar.swing))
      }
    }
    if let s = a.sobol {
      row("(output)", "mean", Estimate(value: s.mean))
      row("(output)", "variance", Estimate(value: s.variance))
    }
    row("(output)", "tornado_base", Estimate(value: a.tornado.baseOutput))
    return csv.text
  }
}
