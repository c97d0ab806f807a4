import SECEngine

/// Every file a run writes into its output folder, from the merged state alone, so
/// `secsim run` and `secsim merge` of its shards write the same bytes (MODEL.md §10).
public enum RunOutputs {
  /// The files written, in order.
  public static let files = ["summary.csv", "differences.csv", "users.csv", "impact.csv", "run.json"]

  /// Writes them into `folder`'s staging area; the caller commits or discards it.
  public static func write(state: RunState, labels: RunLabels, manifest: RunManifest, into folder: OutputFolder) throws {
    try folder.write(ResultTables.summary(state, labels), to: "summary.csv")
    try folder.write(ResultTables.differences(state, labels), to: "differences.csv")
    try folder.write(ResultTables.users(state, labels, replicates: manifest.replicates), to: "users.csv")
    try folder.write(ImpactTable.csv(state, labels, replicates: manifest.replicates), to: "impact.csv")
    try folder.write(manifest.json(), to: "run.json")
  }
}
