import Foundation
import Testing
import _SECSimTestSupport

/// Helpers for the output tests: scenario variants written into a temporary folder,
/// an RFC 4180 reader, and external tools that must be present on CI.
enum OutputSupport {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let deterministic = root.appendingPathComponent("scenarios/deterministic.yaml")

  static func temporary(_ tag: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secsim-\(tag)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  /// deterministic.yaml with `extraPolicies` (YAML list items) inserted before policy `always`.
  static func deterministicVariant(extraPolicies: String, in dir: URL, name: String = "variant.yaml") throws -> URL {
    var text = try String(contentsOf: deterministic, encoding: .utf8)
    guard let range = text.range(of: "  - name: always\n") else { throw CocoaError(.fileReadCorruptFile) }
    text.insert(contentsOf: extraPolicies, at: range.lowerBound)
    let url = dir.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  /// A copy of the baseline policy `today` of deterministic.yaml under another name.
  static let copyOfBaseline = """
      - name: copy
        counting: {rule: premises_weighted, weight: 5, threshold: 250000}
        aggregation: {mode: individual}
        second_system: {rule: notify_ssc, probability: 0, effort_kind: fusa}
        follow_up: {outcomes: [deferred, rejected], months: 6}

    """

  /// A policy that makes N1 (5 × 60,000 = 300,000) small, and D2 (300,000 from 2027) stay small.
  static let higherThreshold = """
      - name: high
        counting: {rule: premises_weighted, weight: 5, threshold: 350000}
        aggregation: {mode: individual}
        second_system: {rule: notify_ssc, probability: 0, effort_kind: fusa}
        follow_up: {outcomes: [deferred, rejected], months: 6}

    """

  /// RFC 4180 records of `text` (quoted fields with doubled quotes, `\n` line ends).
  static func parseCSV(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var chars = text.makeIterator()
    var pending: Character? = nil
    while let c = pending ?? chars.next() {
      pending = nil
      if quoted {
        if c == "\"" {
          if let next = chars.next() {
            if next == "\"" {
              field.append("\"")
            } else {
              quoted = false
              pending = next
            }
          } else {
            quoted = false
          }
        } else {
          field.append(c)
        }
      } else if c == "\"" && field.isEmpty {
        quoted = true
      } else if c == "," {
        record.append(field)
        field = ""
      } else if c == "\n" {
        record.append(field)
        records.append(record)
        record = []
        field = ""
      } else {
        field.append(c)
      }
    }
    if !field.isEmpty || !record.isEmpty {
      record.append(field)
      records.append(record)
    }
    return records
  }

  static func readCSV(_ url: URL) throws -> [[String]] { parseCSV(try String(contentsOf: url, encoding: .utf8)) }

  /// Whether `s` is a number in SECSim's CSV form: it parses, and printing the parsed
  /// value the same way (integral without a fraction, else shortest round-trip) gives `s`.
  static func roundTrips(_ s: String) -> Bool {
    guard let x = Double(s), x.isFinite else { return false }
    if x == x.rounded(), abs(x) < 9.007_199_254_740_992e15 { return String(Int64(x)) == s }
    return x.description == s
  }

  /// The path of an external program, or nil.
  static func which(_ program: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
      let path = "\(dir)/\(program)"
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }

  static var onCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

  /// Runs `arguments[0]` (a path) with the rest, optionally in `directory`.
  static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil) throws -> ToolResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Drain stderr on another thread so neither pipe can fill and block the child.
    final class Box: @unchecked Sendable { var data = Data() }
    let box = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      box.data = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ToolResult(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: box.data, as: UTF8.self)
    )
  }
}

/// What an external program printed and returned.
struct ToolResult {
  let status: Int32
  let stdout: String
  let stderr: String
}

/// A missing external tool: an error on CI (`CI=true`), else a reason to skip.
struct ToolMissing: Error, CustomStringConvertible {
  let tool: String
  var description: String { "\(tool) is not installed (make deps installs it); required when CI=true" }
}

extension OutputSupport {
  /// The hostile User names of issue 14.
  static let hostileNames = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "<script>alert(1)</script>"]

  /// deterministic.yaml with hostile names on D1, D2, D3, N1 and an added supplier H1, and
  /// policies `low` (T = 50,000: D2, D3, H1 become large) and `huge` (T = 10,000,000: D1,
  /// D2, N1 become small), so every hostile name appears in impact.csv and the report.
  static func hostileScenario(in dir: URL) throws -> URL {
    var text = try String(contentsOf: deterministic, encoding: .utf8)
    let renames = [
      ("{id: D1, ", "{id: D1, name: \"=HYPERLINK(\\\"http://x\\\")\", "), ("{id: D2, ", "{id: D2, name: \"+1\", "),
      ("{id: D3, ", "{id: D3, name: \"-2\", "), ("{id: N1, ", "{id: N1, name: \"@SUM(A1)\", "),
    ]
    for (from, to) in renames { text = text.replacingOccurrences(of: from, with: to) }
    let o1 = "    - {id: O1, "
    guard let at = text.range(of: o1) else { throw CocoaError(.fileReadCorruptFile) }
    text.insert(
      contentsOf:
        "    - {id: H1, name: \"<script>alert(1)</script>\", roles: [supplier], entry_year: 2019, anniversary_quarter: 1, domestic_premises: 150000}\n",
      at: at.lowerBound)
    let policies = ["low": 50_000, "huge": 10_000_000].sorted { $0.key < $1.key }.map { name, t in
      """
        - name: \(name)
          counting: {rule: premises_weighted, weight: 5, threshold: \(t)}
          aggregation: {mode: individual}
          second_system: {rule: notify_ssc, probability: 0, effort_kind: fusa}
          follow_up: {outcomes: [deferred, rejected], months: 6}

      """
    }
    guard let always = text.range(of: "  - name: always\n") else { throw CocoaError(.fileReadCorruptFile) }
    text.insert(contentsOf: policies.joined(), at: always.lowerBound)
    let url = dir.appendingPathComponent("hostile.yaml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }
}

/// Runs, with /bin/sh, the "or run it here: …" line that `secsim merge` prints for a
/// missing shard; returns the command and its exit status.
func runRerunLine(_ stderr: String) throws -> (command: String, status: Int32) {
  let line = try #require(stderr.split(separator: "\n").first { $0.contains("or run it here: ") })
  let command = String(line.split(separator: ":", maxSplits: 1)[1].dropFirst())
  let rerun = Process()
  rerun.executableURL = URL(fileURLWithPath: "/bin/sh")
  rerun.arguments = ["-c", command]
  rerun.standardOutput = FileHandle.nullDevice
  try rerun.run()
  rerun.waitUntilExit()
  return (command, rerun.terminationStatus)
}
