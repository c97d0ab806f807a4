import Dispatch
import SECEngine
import Synchronization

/// Every file a run writes into its output folder, from the merged state alone, so
/// `secsim run` and `secsim merge` of its shards write the same bytes (MODEL.md §10).
public enum RunOutputs {
  /// The files written, in order.
  public static let files = ["summary.csv", "differences.csv", "users.csv", "impact.csv", "run.json", "report.html"]

  /// Writes them into `folder`'s staging area; the caller commits or discards it.
  /// The report is drawn from exactly the numbers of the tables just written (and
  /// run.json), as the notebook reads them back from the files.
  ///
  /// The tables and run.json do not depend on each other: when the run had more than
  /// one thread (`manifest.threads`), summary.csv, differences.csv and users.csv are
  /// formed on one thread while impact.csv and run.json are formed on another (about
  /// equal shares of the work). The
  /// files are then written one by one, in `files` order, as before.
  public static func write(state: RunState, labels: RunLabels, manifest: RunManifest, into folder: OutputFolder) throws {
    let replicates = manifest.replicates
    let statistics = Mutex<Result<StatisticsTables, any Error>?>(nil)
    let others = Mutex<Result<OtherFiles, any Error>?>(nil)
    let parts: [@Sendable () -> Void] = [
      { statistics.withLock { $0 = Result { StatisticsTables(state, labels, replicates: replicates) } } },
      {
        others.withLock {
          $0 = Result { OtherFiles(impact: ImpactTable.csv(state, labels, replicates: replicates), json: try manifest.json()) }
        }
      },
    ]
    if manifest.threads > 1 {
      DispatchQueue.concurrentPerform(iterations: parts.count) { parts[$0]() }
    } else {
      for part in parts { part() }
    }
    let tables = try statistics.withLock { try $0!.get() }
    let files = try others.withLock { try $0!.get() }
    try folder.write(bytes: tables.summary.csv.bytes, to: "summary.csv")
    try folder.write(bytes: tables.differences.csv.bytes, to: "differences.csv")
    try folder.write(bytes: tables.users.bytes, to: "users.csv")
    try folder.write(files.impact, to: "impact.csv")
    try folder.write(files.json, to: "run.json")
    let results: RunResults
    if let summary = tables.summary.stats, let differences = tables.differences.stats {
      results = try RunResults(summary: summary, differences: differences, impact: files.impact, manifest: files.json)
    } else {
      results = try RunResults(
        summary: tables.summary.csv.text, differences: tables.differences.csv.text, impact: files.impact, manifest: files.json)
    }
    try folder.write(Report.html(results), to: "report.html")
  }

  /// summary.csv and differences.csv, with their rows as the report reads them, and users.csv.
  struct StatisticsTables: Sendable {
    var summary: (csv: CSVWriter, stats: [RunResults.Key: RunResults.Stats]?)
    var differences: (csv: CSVWriter, stats: [RunResults.Key: RunResults.Stats]?)
    var users: CSVWriter

    init(_ state: RunState, _ labels: RunLabels, replicates: Int) {
      summary = ResultTables.summaryTable(state, labels, readBack: true)
      differences = ResultTables.differencesTable(state, labels, readBack: true)
      users = ResultTables.usersTable(state, labels, replicates: replicates)
    }
  }

  /// impact.csv and run.json.
  struct OtherFiles: Sendable {
    var impact: String
    var json: String
  }
}
