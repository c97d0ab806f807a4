import Foundation
import SECRules
import SECScenario
import Yams

/// A swept parameter located in a scenario: its range, where it lands, whether the
/// field takes whole numbers only (design values are then rounded), and the
/// scenario's own value.
public struct SweptParameter: Sendable, Hashable {
  public var range: ParameterRange
  /// The path with shorthand expanded, as scenario diagnostics spell it (for an
  /// inert parameter, the path as written).
  public var canonicalPath: String
  /// True when the scenario field accepts whole numbers only (years, counts,
  /// premises): design values are rounded to the nearest whole number.
  public var wholeNumber: Bool
  /// The scenario's own value (nil: a per-year series, or an inert parameter).
  public var baseValue: Double?
  let location: LocatedPath?

  /// The value a design coordinate becomes (rounded for whole-number fields).
  public func applied(_ value: Double) -> Double { wholeNumber ? value.rounded(.toNearestOrAwayFromZero) : value }

  /// The value at `u` ∈ [0, 1] of the range, as applied.
  public func value(atUnit u: Double) -> Double { applied(range.value(atUnit: u)) }

  /// The column name in CSV files: the path as the analyst wrote it.
  public var name: String { range.path }
}

/// A scenario file ready to be instantiated at design points: its text, where it
/// lives (for `users_csv` and regimes) and the parameters it can take
/// (docs/whatif.md). Every design point's scenario is the file's node tree with
/// the values set, serialised and re-validated by `ScenarioFile.check`, so a bad
/// value gets the usual diagnostics.
public struct ScenarioTemplate: Sendable {
  /// The scenario text as read.
  public let text: String
  /// How diagnostics name the file.
  public let file: String
  /// The folder of the file (nil: a scenario without a folder).
  public let baseDirectory: URL?
  /// Fixed settings (`--set PATH=VALUE`) applied at every design point.
  public private(set) var settings: [(SweptParameter, Double)] = []

  /// The file's node tree and the built-in defaults' tree, composed once.
  let trees: Trees

  /// Composed YAML trees, never mutated after `init` (so shared read-only between threads).
  final class Trees: @unchecked Sendable {
    let root: Node
    let defaults: Node?
    init(root: Node, defaults: Node?) {
      self.root = root
      self.defaults = defaults
    }
  }

  /// A template of `text`, or `.invalidScenario` when the text is not YAML.
  public init(text: String, file: String, baseDirectory: URL?) throws(WhatIfError) {
    self.text = text
    self.file = file
    self.baseDirectory = baseDirectory
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch {
      let check = ScenarioFile.check(yaml: text, file: file, baseDirectory: baseDirectory)
      throw .invalidScenario(context: "\(file) is not a valid scenario:", diagnostics: check.diagnostics)
    }
    guard let root else { throw .invalidInput("\(file) is empty") }
    let defaults = ScenarioLibrary.builtInURL(named: "gb-default").flatMap { try? String(contentsOf: $0, encoding: .utf8) }
      .flatMap { try? Yams.compose(yaml: $0) }
    trees = Trees(root: root, defaults: defaults ?? nil)
  }

  /// The default scenario shipped with SECSim (scenarios/gb-default.yaml).
  public static func builtInDefault() throws -> ScenarioTemplate {
    guard let url = ScenarioLibrary.builtInURL(named: "gb-default") else {
      throw WhatIfError.invalidInput("the built-in GB default is missing")
    }
    return try ScenarioTemplate(text: String(contentsOf: url, encoding: .utf8), file: "gb-default.yaml", baseDirectory: nil)
  }

  func makeTree() -> ScenarioTree { ScenarioTree(root: trees.root, defaults: trees.defaults) }

  /// Every numeric field a `--param` can address, in file order.
  public func parameterPaths() throws(WhatIfError) -> [String] { makeTree().numericPaths() }

  /// The scenario's own value of the field at `path` (nil: a per-year series).
  public func value(at path: String) throws(WhatIfError) -> Double? {
    try makeTree().locate(ParameterPath(parsing: path)).baseValue
  }

  /// Locates each range in the scenario and checks that the scenario validates with
  /// all parameters at their LOW ends, at their HIGH ends, and in between (the last
  /// also finds fields that take whole numbers only).
  public func resolve(_ ranges: [ParameterRange]) throws(WhatIfError) -> [SweptParameter] {
    let tree = makeTree()
    var seen: [String: String] = [:]
    var parameters: [SweptParameter] = []
    for r in ranges {
      if r.isInert {
        parameters.append(SweptParameter(range: r, canonicalPath: r.path, wholeNumber: false, baseValue: nil, location: nil))
        continue
      }
      let located = try tree.locate(ParameterPath(parsing: r.path))
      if let other = seen[located.canonical] {
        throw .usage("--param '\(r.path)' and '\(other)' address the same field (\(located.canonical))")
      }
      seen[located.canonical] = r.path
      parameters.append(
        SweptParameter(range: r, canonicalPath: located.canonical, wholeNumber: false, baseValue: located.baseValue, location: located))
    }
    for (i, s) in settings.enumerated() where seen[s.0.canonicalPath] != nil {
      _ = i
      throw .usage("--set \(s.0.range.path) and a --param address the same field (\(s.0.canonicalPath))")
    }
    // A point between LOW and HIGH with a fractional part: fields that refuse it
    // take whole numbers.
    let probe = parameters.map { p -> Double in
      let v = p.range.value(atUnit: 0.382)
      return v == v.rounded() && p.range.high > p.range.low ? v + min(0.5, (p.range.high - v) / 2) : v
    }
    let probed = check(parameters, values: probe)
    for (i, p) in parameters.enumerated() where !p.range.isInert {
      let mine = probed.diagnostics.filter { ScenarioTemplate.concerns($0, p.canonicalPath) }
      if !mine.isEmpty, mine.allSatisfy({ $0.expected.contains("whole number") }) { parameters[i].wholeNumber = true }
    }
    for (label, unit) in [("LOW", 0.0), ("HIGH", 1.0), ("between LOW and HIGH", 0.382)] {
      let values = parameters.map { $0.value(atUnit: unit) }
      let result = check(parameters, values: values)
      if !result.diagnostics.isEmpty {
        throw .invalidScenario(
          context: "\(file): with every --param at \(label) (\(describe(parameters, values))) the scenario is invalid:",
          diagnostics: located(result.diagnostics, parameters))
      }
    }
    return parameters
  }

  /// Adds fixed settings (`--set PATH=VALUE`, parsed as ranges with LOW = HIGH).
  public mutating func fix(_ ranges: [ParameterRange]) throws(WhatIfError) {
    let tree = makeTree()
    var fixed: [(SweptParameter, Double)] = []
    for r in ranges {
      guard !r.isInert else { throw .usage("--set \(r.path): an inert parameter cannot be set") }
      let located = try tree.locate(ParameterPath(parsing: r.path))
      fixed.append(
        (
          SweptParameter(range: r, canonicalPath: located.canonical, wholeNumber: false, baseValue: located.baseValue, location: located),
          r.low
        ))
    }
    let previous = settings
    settings += fixed
    let result = check([], values: [])
    if !result.diagnostics.isEmpty {
      settings = previous
      throw .invalidScenario(
        context: "\(file): with the --set values (\(describe(fixed.map(\.0), fixed.map(\.1)))) the scenario is invalid:",
        diagnostics: located(result.diagnostics, fixed.map(\.0)))
    }
  }

  /// The YAML text of the scenario with `values` applied (one per parameter, as
  /// given: callers pass `applied` values).
  public func yaml(_ parameters: [SweptParameter], values: [Double]) throws(WhatIfError) -> String {
    var tree = makeTree()
    for (p, v) in settings { if let l = p.location { tree.set(l.steps, to: v) } }
    for (p, v) in zip(parameters, values) { if let l = p.location { tree.set(l.steps, to: v) } }
    do {
      return try Yams.serialize(node: tree.root, width: -1, allowUnicode: true)
    } catch {
      throw .invalidInput("\(file): cannot write the scenario back as YAML: \(error)")
    }
  }

  func check(_ parameters: [SweptParameter], values: [Double]) -> (scenario: Scenario?, diagnostics: [Diagnostic]) {
    do {
      let text = try yaml(parameters, values: values)
      let result = ScenarioFile.check(yaml: text, file: file, baseDirectory: baseDirectory)
      return (result.scenario, result.diagnostics)
    } catch {
      let d = Diagnostic(file: file, line: 0, column: 0, path: "file", expected: "a scenario", found: error.description)
      return (nil, [d])
    }
  }

  /// The scenario at one design point, or `.invalidScenario` listing every problem.
  public func scenario(_ parameters: [SweptParameter], values: [Double]) throws(WhatIfError) -> Scenario {
    let result = check(parameters, values: values)
    guard let scenario = result.scenario, result.diagnostics.isEmpty else {
      throw .invalidScenario(
        context: "\(file): with \(describe(parameters, values)) the scenario is invalid:",
        diagnostics: located(result.diagnostics, parameters + settings.map(\.0)))
    }
    return scenario
  }

  /// Whether a diagnostic concerns the field at `path` (the field itself, a
  /// mapping holding it, or a part of it).
  static func concerns(_ d: Diagnostic, _ path: String) -> Bool {
    d.path == path || path.hasPrefix(d.path + ".") || path.hasPrefix(d.path + "[") || d.path.hasPrefix(path + ".")
  }

  /// Diagnostics of a re-written scenario placed back in the analyst's file: one
  /// about a swept field points at where the file writes it (line 0 when the value
  /// comes from the built-in defaults); other positions would refer to the
  /// re-written text, so they become 0.
  func located(_ diagnostics: [Diagnostic], _ parameters: [SweptParameter]) -> [Diagnostic] {
    diagnostics.map { d in
      var d = d
      d.file = file
      let owner = parameters.first { ScenarioTemplate.concerns(d, $0.canonicalPath) }
      d.line = owner?.location?.line ?? 0
      d.column = owner?.location?.column ?? 0
      return d
    }
  }

  func describe(_ parameters: [SweptParameter], _ values: [Double]) -> String {
    zip(parameters, values).filter { !$0.0.range.isInert }.map { "\($0.0.canonicalPath) = \(formatted($0.1))" }
      .joined(separator: ", ")
  }
}

extension SweptParameter {
  public static func == (a: SweptParameter, b: SweptParameter) -> Bool {
    a.range == b.range && a.canonicalPath == b.canonicalPath && a.wholeNumber == b.wholeNumber && a.baseValue == b.baseValue
  }

  public func hash(into h: inout Hasher) {
    h.combine(range)
    h.combine(canonicalPath)
  }
}
