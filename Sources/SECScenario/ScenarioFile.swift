// The entry points every command uses to read a scenario: load (throwing every
// problem at once) or check (returning them).

import Foundation
import Yams

/// What reading a scenario produced: the scenario when valid, every problem found,
/// and which fields were filled from the built-in GB default.
public struct ScenarioCheck: Sendable {
  /// The scenario, when `diagnostics` is empty.
  public var scenario: Scenario?
  /// Every problem, in reading order (file, line, column).
  public var diagnostics: [Diagnostic]
  /// Fields the file leaves out that took the GB default's value and label
  /// (`processes.entry`, `processes.issues.detection`, `capacity`, …).
  public var defaultedFields: [String]

  public var isValid: Bool { diagnostics.isEmpty && scenario != nil }
}

/// Reading scenario files (issue 12). Every command that reads a scenario calls
/// `ScenarioFile.load(contentsOf:)` (or `check` to list problems without throwing).
public enum ScenarioFile {
  /// Top-level sections whose missing fields come from the built-in GB default
  /// (docs/scenarios.md "Defaults"): a missing section is taken whole; inside the
  /// mappings of `mergedPaths`, each missing field is taken from the default. A
  /// parameter is never merged field by field (its value and label go together).
  public static let defaultedSections = ["processes", "capacity", "day_rate_gbp", "exposure", "ssc"]

  /// Mappings whose missing fields are filled one by one (`processes.*` is every process).
  static let mergedPaths: Set<String> = [
    "processes", "capacity", "capacity.other_demand_per_quarter", "exposure", "exposure.role_weights",
    "exposure.stated_sms", "ssc",
  ]

  static func isMerged(_ path: String) -> Bool {
    if mergedPaths.contains(path) { return true }
    let parts = path.split(separator: ".")
    return parts.count == 2 && parts[0] == "processes"
  }

  /// Reads, checks and returns the scenario at `url`, or throws a `ScenarioError`
  /// listing every problem. `displayName` is how diagnostics name the file
  /// (default: the path as given).
  public static func load(contentsOf url: URL, displayName: String? = nil) throws(ScenarioError) -> Scenario {
    let result = check(contentsOf: url, displayName: displayName)
    guard let scenario = result.scenario, result.diagnostics.isEmpty else { throw ScenarioError(result.diagnostics) }
    return scenario
  }

  /// Reads and checks the scenario at `url`; never throws.
  public static func check(contentsOf url: URL, displayName: String? = nil) -> ScenarioCheck {
    let name = displayName ?? url.relativePath
    guard let data = FileManager.default.contents(atPath: url.path) else {
      let isDir = (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
      return ScenarioCheck(
        scenario: nil,
        diagnostics: [
          Diagnostic(
            file: name, line: 1, column: 1, path: "file", expected: "a readable scenario file",
            found: isDir ? "a folder" : "no such file")
        ], defaultedFields: [])
    }
    guard let text = String(data: data, encoding: .utf8) else {
      return ScenarioCheck(
        scenario: nil,
        diagnostics: [Diagnostic(file: name, line: 1, column: 1, path: "file", expected: "UTF-8 text", found: "bytes that are not UTF-8")],
        defaultedFields: [])
    }
    return check(yaml: text, file: name, baseDirectory: url.deletingLastPathComponent())
  }

  /// Reads and checks scenario text. `file` names it in diagnostics;
  /// `baseDirectory` resolves `users_csv` (nil: a scenario without a folder).
  /// `useDefaults: false` reads the file alone (every section required).
  public static func check(yaml: String, file: String, baseDirectory: URL?, useDefaults: Bool = true) -> ScenarioCheck {
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch {
      return ScenarioCheck(scenario: nil, diagnostics: [syntaxDiagnostic(error, file: file, yaml: yaml)], defaultedFields: [])
    }
    guard var root else {
      return ScenarioCheck(
        scenario: nil,
        diagnostics: [
          Diagnostic(
            file: file, line: 1, column: 1, path: "file", expected: "a scenario mapping (format: 1, name: …)", found: "an empty file")
        ],
        defaultedFields: [])
    }
    var defaulted: [String] = []
    if useDefaults, let defaults = builtInDefaultsNode(readingAlongside: yaml, root: root) {
      (root, defaulted) = merge(root, defaults: defaults)
    }
    let decoder = ScenarioDecoder(
      file: file, baseDirectory: baseDirectory, knownRegimes: ScenarioLibrary.regimeNames(near: baseDirectory))
    let scenario = decoder.decode(root)
    let diagnostics = decoder.w.diagnostics.sorted()
    return ScenarioCheck(scenario: diagnostics.isEmpty ? scenario : nil, diagnostics: diagnostics, defaultedFields: defaulted)
  }

  /// Throwing form of `check(yaml:file:baseDirectory:)`.
  public static func load(yaml: String, file: String, baseDirectory: URL?, useDefaults: Bool = true) throws(ScenarioError) -> Scenario {
    let result = check(yaml: yaml, file: file, baseDirectory: baseDirectory, useDefaults: useDefaults)
    guard let scenario = result.scenario, result.diagnostics.isEmpty else { throw ScenarioError(result.diagnostics) }
    return scenario
  }

  /// The built-in GB default scenario (a copy of scenarios/gb-default.yaml).
  public static func builtInDefault() throws(ScenarioError) -> Scenario {
    guard let url = ScenarioLibrary.builtInURL(named: "gb-default") else {
      throw ScenarioError([
        Diagnostic(file: "gb-default.yaml", line: 1, column: 1, path: "file", expected: "the built-in GB default", found: "no resource")
      ])
    }
    return try load(contentsOf: url, displayName: "gb-default.yaml")
  }

  // MARK: Syntax errors

  static func syntaxDiagnostic(_ error: Error, file: String, yaml: String) -> Diagnostic {
    func clean(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }
    switch error {
    case YamlError.scanner(let context, let problem, let mark, _), YamlError.parser(let context, let problem, let mark, _),
      YamlError.composer(let context, let problem, let mark, _):
      var found = clean(problem)
      if let context { found += " (\(clean(context.text)) at line \(context.mark.line), column \(context.mark.column))" }
      return Diagnostic(file: file, line: mark.line, column: mark.column, path: "yaml", expected: "valid YAML", found: found)
    case YamlError.duplicatedKeysInMapping(let duplicates, let context):
      let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
      return Diagnostic(
        file: file, line: context.mark.line, column: context.mark.column, path: "yaml", expected: "each key once in a mapping",
        found: "key \(keys) more than once")
    case YamlError.reader(let problem, let offset, _, _):
      var line = 1
      var column = 1
      if let offset {
        for c in yaml.prefix(offset) {
          if c == "\n" {
            line += 1
            column = 1
          } else {
            column += 1
          }
        }
      }
      return Diagnostic(file: file, line: line, column: column, path: "yaml", expected: "readable YAML text", found: clean(problem))
    default:
      return Diagnostic(file: file, line: 1, column: 1, path: "yaml", expected: "valid YAML", found: "\(error)")
    }
  }

  // MARK: Defaults

  nonisolated(unsafe) private static var cachedDefaultsText: String??
  nonisolated(unsafe) private static var cachedDefaultsNode: Node??

  private static let defaultsLock = NSLock()

  /// The built-in defaults (gb-default.yaml) as a YAML tree, parsed once per process
  /// (parsing is most of reading a scenario). When the scenario being read, `yaml`,
  /// is the built-in default itself, its own tree `root` serves: every field is
  /// there, so nothing would be filled from a second parse of the same text.
  static func builtInDefaultsNode(readingAlongside yaml: String, root: Node) -> Node? {
    defaultsLock.lock()
    defer { defaultsLock.unlock() }
    if cachedDefaultsText == nil {
      cachedDefaultsText = .some(ScenarioLibrary.builtInURL(named: "gb-default").flatMap { try? String(contentsOf: $0, encoding: .utf8) })
    }
    guard let text = cachedDefaultsText ?? nil else { return nil }
    if yaml == text { return root }
    if cachedDefaultsNode == nil { cachedDefaultsNode = .some(try? Yams.compose(yaml: text)) }
    return cachedDefaultsNode ?? nil
  }

  /// `root` with every missing field of `defaultedSections` taken from `defaults`.
  static func merge(_ root: Node, defaults: Node) -> (Node, [String]) {
    guard case .mapping(let top) = root, case .mapping(let def) = defaults else { return (root, []) }
    var filled: [String] = []
    var pairs = Array(top.map { ($0.key, $0.value) })
    for section in defaultedSections {
      guard let d = def[section] else { continue }
      if let i = pairs.firstIndex(where: { $0.0.string == section }) {
        pairs[i].1 = mergeMapping(pairs[i].1, d, path: section, filled: &filled)
      } else {
        pairs.append((Node(section), d))
        filled.append(section)
      }
    }
    return (.mapping(Node.Mapping(pairs, top.tag, top.style, top.mark)), filled)
  }

  private static func mergeMapping(_ node: Node, _ def: Node, path: String, filled: inout [String]) -> Node {
    guard isMerged(path), case .mapping(let m) = node, case .mapping(let d) = def else { return node }
    var pairs = Array(m.map { ($0.key, $0.value) })
    for (k, v) in d {
      guard let key = k.string else { continue }
      if let i = pairs.firstIndex(where: { $0.0.string == key }) {
        pairs[i].1 = mergeMapping(pairs[i].1, v, path: "\(path).\(key)", filled: &filled)
      } else {
        pairs.append((k, v))
        filled.append("\(path).\(key)")
      }
    }
    return .mapping(Node.Mapping(pairs, m.tag, m.style, m.mark))
  }
}
