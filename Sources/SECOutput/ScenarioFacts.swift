import SECScenario

/// A scenario parameter's source label (MODEL.md §9 "Uncertainty labels"), as run.json
/// and the report list it.
public struct ParameterSource: Sendable, Hashable {
  /// Where it sits in the scenario, in the scenario file's snake_case spelling
  /// (`processes.issues.detection.fusa`, `processes.effort.fusa.bespoke.mode`).
  public var path: String
  public var label: SourceLabel
  /// Citation; empty for a bare assumption.
  public var source: String
  /// The value as the scenario file writes it (`0.05`, `{2025: 0.02, 2027: 0.05}`).
  public var value: String

  public init(path: String, label: SourceLabel, source: String, value: String) {
    self.path = path
    self.label = label
    self.source = source
    self.value = value
  }
}

/// Facts about a scenario that outputs show beside the numbers: every parameter's
/// source label and each policy's settings. Read by reflection over the scenario's
/// value types, so a parameter added to the scenario shows up without a change here.
public enum ScenarioFacts {
  /// Every `Parameter` of the scenario (processes, capacity, day rate, exposure, SSC)
  /// plus the population's provenance, in declaration order (dictionary keys sorted).
  public static func parameters(of scenario: Scenario) -> [ParameterSource] {
    var out: [ParameterSource] = []
    let p = scenario.population.provenance
    out.append(
      ParameterSource(path: "population.provenance", label: p.label, source: p.source, value: "\(scenario.population.allUsers.count) Users")
    )
    for (label, value) in Mirror(reflecting: scenario).children {
      guard let label, !["population", "events", "policies", "regime"].contains(label) else { continue }
      collect(value, path: snakeCase(label), into: &out)
    }
    return out
  }

  static func collect(_ value: Any, path: String, into out: inout [ParameterSource]) {
    if let parameter = value as? Parameter {
      out.append(
        ParameterSource(path: path, label: parameter.label, source: parameter.provenance.source, value: valueText(parameter)))
      return
    }
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .struct, .class:
      for (label, child) in mirror.children {
        guard let label else { continue }
        collect(child, path: path + "." + snakeCase(label), into: &out)
      }
    case .optional:
      if let child = mirror.children.first { collect(child.value, path: path, into: &out) }
    case .collection:
      for (i, child) in mirror.children.enumerated() { collect(child.value, path: "\(path)[\(i)]", into: &out) }
    case .dictionary:
      var pairs: [(String, Any)] = []
      for child in mirror.children {
        let kv = Array(Mirror(reflecting: child.value).children)
        guard kv.count == 2 else { continue }
        pairs.append((keyName(kv[0].value), kv[1].value))
      }
      for (key, v) in pairs.sorted(by: { $0.0 < $1.0 }) { collect(v, path: path + "." + key, into: &out) }
    default:
      return
    }
  }

  /// A policy's settings as (setting, value) pairs: `counting.rule = premises_weighted`, ….
  public static func settings(of policy: PolicySpec) -> [(setting: String, value: String)] {
    var out: [(String, String)] = []
    for (label, value) in Mirror(reflecting: policy).children {
      guard let label, label != "name", label != "baseline" else { continue }
      flatten(value, path: snakeCase(label), into: &out)
    }
    return out
  }

  static func flatten(_ value: Any, path: String, into out: inout [(String, String)]) {
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .struct where !mirror.children.isEmpty:
      for (label, child) in mirror.children {
        guard let label else { continue }
        flatten(child, path: path + "." + snakeCase(label), into: &out)
      }
    case .optional:
      if let child = mirror.children.first {
        flatten(child.value, path: path, into: &out)
      } else {
        out.append((path, path == "regime" ? "scenario's" : "none"))
      }
    case .collection, .set:
      let items = mirror.children.map { leaf($0.value) }.sorted()
      out.append((path, items.isEmpty ? "none" : items.joined(separator: ", ")))
    default:
      out.append((path, leaf(value)))
    }
  }

  /// A leaf value as text: raw values of string enums, numbers in shortest form,
  /// other enum cases by name in snake_case.
  static func leaf(_ value: Any) -> String {
    if let d = value as? Double { return CSVWriter.format(d) }
    if let r = value as? any RawRepresentable, let s = r.rawValue as? String { return s }
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .enum, let child = mirror.children.first, let label = child.label {
      return snakeCase(label) + "(" + Mirror(reflecting: child.value).children.map { leaf($0.value) }.joined(separator: ", ") + ")"
    }
    let text = String(describing: value)
    return mirror.displayStyle == .enum ? snakeCase(text) : text
  }

  static func keyName(_ key: Any) -> String {
    if let r = key as? any RawRepresentable, let s = r.rawValue as? String { return s }
    return snakeCase(String(describing: key))
  }

  /// `dayRateGBP` → `day_rate_gbp`, `toSRPRate` → `to_srp_rate`, `betweenSRPsRate` → `between_srps_rate`.
  public static func snakeCase(_ name: String) -> String {
    let chars = Array(name)
    var out = ""
    for (i, c) in chars.enumerated() {
      if c.isUppercase, i > 0 {
        let previous = chars[i - 1]
        // A plural acronym ("SRPs") stays one word: an "s" followed by an upper-case letter or the end.
        let pluralS = i + 1 < chars.count && chars[i + 1] == "s" && (i + 2 == chars.count || chars[i + 2].isUppercase)
        let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase && !pluralS
        if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { out.append("_") }
      }
      out.append(contentsOf: c.lowercased())
    }
    return out
  }
}

extension ScenarioFacts {
  /// A parameter's value as the scenario file writes it, without its label.
  public static func valueText(_ parameter: Parameter) -> String {
    switch parameter.values {
    case .constant(let v): return CSVWriter.format(v)
    case .series(let years, let values):
      return "{" + zip(years, values).map { "\($0): \(CSVWriter.format($1))" }.joined(separator: ", ") + "}"
    }
  }
}
