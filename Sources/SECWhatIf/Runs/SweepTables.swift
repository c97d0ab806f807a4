import SECEngine
import SECOutput

/// The CSV files of a sweep, written from the points' exact summaries only, so the
/// bytes depend on the inputs and seed, never on `--threads` (MODEL.md §7).
public enum SweepTables {
  /// sweep.csv: one row per design point × policy × metric (class `all`), the
  /// market metrics under policy `market`: the parameters' applied values, the
  /// horizon total's mean and standard error over replicates, then each year's mean.
  public static func sweep(_ s: Sweep) -> String {
    let years = (0..<s.years).map { "mean_\(s.startYear + $0)" }
    var csv = CSVWriter(header: ["point"] + s.parameters.map(\.name) + ["policy", "metric", "total_mean", "total_se"] + years)
    for (i, summary) in s.summaries.enumerated() {
      let lead: [CSVWriter.Cell] = [.integer(Int64(i + 1))] + s.values[i].map { .number($0) }
      for (k, policy) in s.policies.enumerated() {
        for m in PolicyMetric.allCases {
          var row = lead + [.text(policy), .text(m.name)]
          row += [.number(summary.mean(policy: k, m, t: s.years)), .number(summary.se(policy: k, m, t: s.years))]
          row += (0..<s.years).map { .number(summary.mean(policy: k, m, t: $0)) }
          csv.appendRow(row)
        }
      }
      for m in MarketMetric.allCases {
        var row = lead + [.text("market"), .text(m.name)]
        row += [.number(summary.mean(m, t: s.years)), .number(summary.se(m, t: s.years))]
        row += (0..<s.years).map { .number(summary.mean(m, t: $0)) }
        csv.appendRow(row)
      }
    }
    return csv.text
  }

  /// frontier.csv: per design point and policy, horizon assessor days and the mean
  /// FUSA coverage over the horizon (with standard errors), and `non_dominated`
  /// (1 when no other policy at that point needs no more days and covers no less).
  public static func frontier(_ s: Sweep) -> String {
    var csv = CSVWriter(
      header: ["point"] + s.parameters.map(\.name) + [
        "policy", "assessor_days", "assessor_days_se", "coverage_fusa_share", "coverage_fusa_share_se", "non_dominated",
      ])
    for (i, marks) in s.frontier.enumerated() {
      let summary = s.summaries[i]
      for (k, policy) in s.policies.enumerated() {
        var row: [CSVWriter.Cell] = [.integer(Int64(i + 1))] + s.values[i].map { .number($0) } + [.text(policy)]
        row += [.number(marks[k].days), .number(summary.se(policy: k, .assessorDays, t: s.years))]
        row += [.number(marks[k].coverage), .number(summary.se(policy: k, .coverageFusaShare, t: s.years))]
        row.append(.integer(marks[k].nonDominated ? 1 : 0))
        csv.appendRow(row)
      }
    }
    return csv.text
  }
}
