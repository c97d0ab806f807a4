import Foundation
import SECScenario

/// Reads CSV as SECSim writes it (RFC 4180, `\n` or `\r\n` line ends).
public enum CSVReader {
  /// The records of `text`; quoted fields may hold commas, quotes (doubled) and line breaks.
  /// Works on the UTF-8 bytes: every delimiter is ASCII, so a multi-byte character
  /// never contains one, and fields are decoded once, whole.
  public static func parse(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field: [UInt8] = []
    var quoted = false
    var afterQuote = false
    var pendingCR = false
    let quote = UInt8(ascii: "\"")
    let comma = UInt8(ascii: ",")
    let lf = UInt8(ascii: "\n")
    let cr = UInt8(ascii: "\r")
    func endField() {
      record.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
    }
    for b in text.utf8 {
      if pendingCR {
        // A lone CR is kept in the field; CR LF ends the record like LF.
        pendingCR = false
        if b != lf { field.append(cr) }
      }
      if quoted {
        if b == quote {
          quoted = false
          afterQuote = true
        } else {
          field.append(b)
        }
        continue
      }
      switch b {
      case quote:
        if afterQuote { field.append(quote) }  // a doubled quote inside a quoted field
        quoted = true
        afterQuote = false
      case comma:
        endField()
        afterQuote = false
      case lf:
        endField()
        records.append(record)
        record = []
        afterQuote = false
      case cr:
        pendingCR = true
        afterQuote = false
      default:
        field.append(b)
        afterQuote = false
      }
    }
    if pendingCR { field.append(cr) }
    if !field.isEmpty || !record.isEmpty {
      endField()
      records.append(record)
    }
    return records
  }

  /// A text cell as it was before `CellGuard` prefixed it: a leading apostrophe
  /// followed by a formula trigger is removed. (A text that itself began with an
  /// apostrophe and a trigger cannot be told apart; SECSim's ids and names never do.)
  public static func unguarded(_ cell: String) -> String {
    guard cell.first == "'", cell.count > 1, CellGuard.triggers.contains(cell[cell.index(after: cell.startIndex)]) else {
      return cell
    }
    return String(cell.dropFirst())
  }
}

/// A run's results as its output folder holds them: summary, differences and impact
/// tables and the manifest. The report and the notebook are drawn from this, so
/// both show exactly the numbers in the CSV files.
public struct RunResults: Sendable {
  /// mean, sd, se and the 5th, 50th and 95th percentiles of one row.
  public struct Stats: Sendable, Hashable {
    public var mean: Double
    public var sd: Double
    public var se: Double
    public var p05: Double
    public var p50: Double
    public var p95: Double
  }

  public struct Key: Sendable, Hashable {
    public var policy: String
    public var cls: String
    public var year: String
    public var metric: String
    public init(_ policy: String, _ cls: String, _ year: String, _ metric: String) {
      self.policy = policy
      self.cls = cls
      self.year = year
      self.metric = metric
    }
  }

  /// What run.json says about the run.
  public struct Manifest: Sendable {
    public var version = ""
    public var scenarioName = ""
    public var scenarioFile = ""
    public var scenarioSHA256 = ""
    public var scenarioDescription = ""
    public var seed = ""
    public var rng = ""
    public var replicates = 0
    public var policies: [String] = []
    public var baseline = ""
    public var startYear = 0
    public var years = 0
    /// Assessor days per quarter, [year][quarter].
    public var capacity: [[Double]] = []
    public var otherDemand: [[Double]] = []
    public var parameterSources: [ParameterSource] = []
    /// (policy, settings) in run order.
    public var policySettings: [(name: String, settings: [String: String])] = []
  }

  public var summary: [Key: Stats] = [:]
  /// Differences against the baseline (sd is NaN: differences.csv has none).
  public var differences: [Key: Stats] = [:]
  /// impact.csv rows without the header, text cells unguarded.
  public var impact: [[String]] = []
  public var manifest = Manifest()

  /// The years in order, as in the CSV `year` column (without `total`).
  public var yearLabels: [String] { (0..<manifest.years).map { String(manifest.startYear + $0) } }

  public struct Unreadable: Error, CustomStringConvertible {
    public let file: String
    public let reason: String
    public var description: String { "\(file): \(reason)" }
  }

  /// Parses the texts of summary.csv, differences.csv, impact.csv and run.json.
  public init(summary: String, differences: String, impact: String, manifest: String) throws {
    let summaryRows = CSVReader.parse(summary)
    guard summaryRows.first == ResultTables.summaryHeader else { throw Unreadable(file: "summary.csv", reason: "unexpected header") }
    for row in summaryRows.dropFirst() where row.count == 11 {
      self.summary[Key(row[0], row[1], row[2], row[3])] = Stats(
        mean: Self.number(row[4]), sd: Self.number(row[5]), se: Self.number(row[6]), p05: Self.number(row[7]),
        p50: Self.number(row[8]), p95: Self.number(row[9]))
    }
    let differenceRows = CSVReader.parse(differences)
    guard differenceRows.first == ResultTables.differencesHeader else {
      throw Unreadable(file: "differences.csv", reason: "unexpected header")
    }
    for row in differenceRows.dropFirst() where row.count == 10 {
      self.differences[Key(row[0], row[2], row[3], row[4])] = Stats(
        mean: Self.number(row[5]), sd: .nan, se: Self.number(row[6]), p05: Self.number(row[7]), p50: Self.number(row[8]),
        p95: Self.number(row[9]))
    }
    let impactRows = CSVReader.parse(impact)
    guard impactRows.first == ImpactTable.header else { throw Unreadable(file: "impact.csv", reason: "unexpected header") }
    self.impact = impactRows.dropFirst().map { $0.map(CSVReader.unguarded) }
    self.manifest = try Self.manifest(manifest)
  }

  /// The results from tables just written, without reading their text back:
  /// `summary` and `differences` as `ResultTables` hands them over (keys and values
  /// already as `readBack` gives them), impact.csv's and run.json's texts parsed.
  init(
    summary: [Key: Stats], differences: [Key: Stats], impact: String, manifest: String
  ) throws {
    self.summary = summary
    self.differences = differences
    let impactRows = CSVReader.parse(impact)
    guard impactRows.first == ImpactTable.header else { throw Unreadable(file: "impact.csv", reason: "unexpected header") }
    self.impact = impactRows.dropFirst().map { $0.map(CSVReader.unguarded) }
    self.manifest = try Self.manifest(manifest)
  }

  /// Whether the summary and differences rows of a run read back from their text as
  /// `readBack` says: when no policy name holds a byte that makes its cell quoted
  /// (comma, quote, line break); the other text cells (classes, years, metrics) never do.
  static func readsBackPlainly(_ labels: RunLabels) -> Bool {
    !labels.policies.contains { $0.utf8.contains(where: CSVWriter.needsQuoting) }
  }

  /// The key of a row whose text cells are written unquoted, as parsing reads it:
  /// the cells as guarded (`CellGuard`).
  static func readBack(_ policy: String, _ cls: String, _ year: String, _ metric: String) -> Key {
    Key(
      CellGuard.neutralisedFast(policy), CellGuard.neutralisedFast(cls), CellGuard.neutralisedFast(year),
      CellGuard.neutralisedFast(metric))
  }

  /// Statistics as `number(CSVWriter.format(x))` reads them back, without the text:
  /// NaN is NaN (an empty cell), ±0 is 0 ("0"), and every other value is itself (an
  /// integral value below 2⁵³ prints exactly, any other in its shortest round-trip form).
  static func readBack(mean: Double, sd: Double, se: Double, p05: Double, p50: Double, p95: Double) -> Stats {
    Stats(mean: readBack(mean), sd: readBack(sd), se: readBack(se), p05: readBack(p05), p50: readBack(p50), p95: readBack(p95))
  }

  @inline(__always) static func readBack(_ x: Double) -> Double { x.isNaN ? .nan : (x == 0 ? 0 : x) }

  /// Reads the four files from a run's output folder.
  public init(folder: URL) throws {
    func read(_ name: String) throws -> String {
      do {
        return try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
      } catch {
        throw Unreadable(file: folder.appendingPathComponent(name).path, reason: "cannot be read (is this a secsim run folder?)")
      }
    }
    try self.init(
      summary: read("summary.csv"), differences: read("differences.csv"), impact: read("impact.csv"), manifest: read("run.json"))
  }

  static func number(_ s: String) -> Double { Double(s) ?? .nan }

  static func manifest(_ text: String) throws -> Manifest {
    guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
      throw Unreadable(file: "run.json", reason: "not a JSON object")
    }
    func string(_ v: Any?) -> String {
      if let s = v as? String { return s }
      if let n = v as? NSNumber { return n.stringValue }
      return ""
    }
    var m = Manifest()
    m.version = string(object["secsim_version"])
    let scenario = object["scenario"] as? [String: Any] ?? [:]
    m.scenarioName = string(scenario["name"])
    m.scenarioFile = string(scenario["file"])
    m.scenarioSHA256 = string(scenario["sha256"])
    m.scenarioDescription = string(scenario["description"])
    m.seed = string(object["seed"])
    m.rng = string(object["rng"])
    m.replicates = (object["replicates"] as? NSNumber)?.intValue ?? 0
    m.policies = object["policies"] as? [String] ?? []
    m.baseline = string(object["baseline"])
    let capacity = object["assessor_capacity_per_quarter"] as? [[String: Any]] ?? []
    m.capacity = capacity.map { ($0["assessor_days"] as? [NSNumber] ?? []).map(\.doubleValue) }
    m.otherDemand = capacity.map { ($0["other_demand_days"] as? [NSNumber] ?? []).map(\.doubleValue) }
    m.startYear = (object["start_year"] as? NSNumber)?.intValue ?? (capacity.first?["year"] as? NSNumber)?.intValue ?? 0
    m.years = (object["horizon_years"] as? NSNumber)?.intValue ?? capacity.count
    for p in object["parameter_sources"] as? [[String: Any]] ?? [] {
      m.parameterSources.append(
        ParameterSource(
          path: string(p["path"]), label: SourceLabel(rawValue: string(p["label"])) ?? .assumption, source: string(p["source"]),
          value: string(p["value"])))
    }
    for p in object["policy_settings"] as? [[String: Any]] ?? [] {
      m.policySettings.append((string(p["name"]), p["settings"] as? [String: String] ?? [:]))
    }
    return m
  }
}
