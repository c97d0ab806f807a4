import SECEngine

/// impact.csv: "who is affected by this modification?" (issue 14). For each
/// non-baseline policy, the users.csv rows whose band or assessment differs from
/// the baseline's on the same future with probability ≥ 5% in at least one year,
/// most affected first. Computed from the integer tallies, so a run and a merge of
/// its shards write the same bytes.
public enum ImpactTable {
  public static let header = [
    "policy", "baseline", "user", "name", "p_differs_max", "year_of_max", "years", "kinds", "fusa_change", "vusa_change",
    "ussa_change", "initial_fusa_change", "follow_up_change", "system_assessment_change",
  ]

  /// The threshold on p_differs_from_baseline, as a fraction 1/`thresholdDenominator`
  /// (5%), compared on integer counts: differs × 20 ≥ replicates.
  public static let thresholdDenominator: Int64 = 20

  /// The kinds compared, in the order of the `kinds` column (`band` is p_large).
  static let kindFields: [(name: String, field: UserTallies.Field)] = [
    ("band", .large), ("fusa", .fusa), ("vusa", .vusa), ("ussa", .ussa), ("initial_fusa", .initialFusa),
    ("follow_up", .followUp), ("system_assessment", .systemAssessment),
  ]

  /// One row of the table before formatting.
  public struct Row: Sendable, Hashable {
    public var policy: Int
    public var row: Int
    public var id: String
    public var name: String
    /// Largest differs-from-baseline count over the years (replicates, or for an
    /// entrant cohort the sum over its Users).
    public var maxDiffers: Int64
    public var yearOfMax: Int
    public var years: [Int]
    public var kinds: [String]
    /// Σ over the years of (policy − baseline) counts of fusa, vusa, ussa,
    /// initial_fusa, follow_up, system_assessment.
    public var changes: [Int64]
  }

  static let changeFields: [UserTallies.Field] = [.fusa, .vusa, .ussa, .initialFusa, .followUp, .systemAssessment]

  /// The affected rows, sorted by p_differs_max descending, then user id, then policy order.
  public static func rows(_ state: RunState, _ labels: RunLabels, replicates: Int) -> [Row] {
    let tallies = state.tallies
    let n = Int64(max(replicates, 1))
    let b = labels.baseline
    var rows: [Row] = []
    for k in labels.policies.indices where k != b {
      for r in 0..<tallies.rows {
        var maxDiffers: Int64 = 0
        var yearOfMax = 0
        var years: [Int] = []
        var kinds = Set<String>()
        var changes = [Int64](repeating: 0, count: changeFields.count)
        for yi in 0..<tallies.years {
          func v(_ p: Int, _ f: UserTallies.Field) -> Int64 { tallies.value(row: r, year: yi, policy: p, field: f) }
          for (i, f) in changeFields.enumerated() { changes[i] += v(k, f) - v(b, f) }
          let differs = v(k, .differsFromBaseline)
          if differs > maxDiffers {
            maxDiffers = differs
            yearOfMax = labels.startYear + yi
          }
          guard differs * thresholdDenominator >= n, differs > 0 else { continue }
          years.append(labels.startYear + yi)
          for (name, f) in kindFields where v(k, f) != v(b, f) { kinds.insert(name) }
        }
        guard !years.isEmpty else { continue }
        let (id, name) = labels.rowLabel(r)
        rows.append(
          Row(
            policy: k, row: r, id: id, name: name, maxDiffers: maxDiffers, yearOfMax: yearOfMax, years: years,
            kinds: kindFields.map(\.name).filter(kinds.contains), changes: changes))
      }
    }
    rows.sort { a, b in
      if a.maxDiffers != b.maxDiffers { return a.maxDiffers > b.maxDiffers }
      if a.id != b.id { return a.id < b.id }
      return a.policy < b.policy
    }
    return rows
  }

  /// impact.csv's text.
  public static func csv(_ state: RunState, _ labels: RunLabels, replicates: Int) -> String {
    var csv = CSVWriter(header: header)
    let n = Double(max(replicates, 1))
    let baseline = labels.policies[labels.baseline]
    for row in rows(state, labels, replicates: replicates) {
      csv.appendRow(
        [
          .text(labels.policies[row.policy]), .text(baseline), .text(row.id), .text(row.name), .number(Double(row.maxDiffers) / n),
          .integer(Int64(row.yearOfMax)), .text(row.years.map(String.init).joined(separator: " ")),
          .text(row.kinds.joined(separator: " ")),
        ] + row.changes.map { .number(Double($0) / n) })
    }
    return csv.text
  }
}
