import SECEngine

/// Every file a run writes into its output folder, from the merged state alone, so
/// `secsim run` and `secsim merge` of its shards write the same bytes (MODEL.md §10).
public enum RunOutputs {
  /// The files written, in order.
  public static let files = ["summary.csv", "differences.csv", "users.csv", "impact.csv", "run.json", "report.html"]

  /// Writes them into `folder`'s staging area; the caller commits or discards it.
  /// The report is drawn from the texts of the tables just written (and run.json), so
  /// it shows exactly their numbers, as the notebook does.
  public static func write(state: RunState, labels: RunLabels, manifest: RunManifest, into folder: OutputFolder) throws {
    let summary = ResultTables.summary(state, labels)
    let differences = ResultTables.differences(state, labels)
    let impact = ImpactTable.csv(state, labels, replicates: manifest.replicates)
    let json = try manifest.json()
    try folder.write(summary, to: "summary.csv")
    try folder.write(differences, to: "differences.csv")
    try folder.write(ResultTables.users(state, labels, replicates: manifest.replicates), to: "users.csv")
    try folder.write(impact, to: "impact.csv")
    try folder.write(json, to: "run.json")
    let results = try RunResults(summary: summary, differences: differences, impact: impact, manifest: json)
    try folder.write(Report.html(results), to: "report.html")
  }
}
