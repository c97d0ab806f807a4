// Reading a Yams node tree field by field, collecting every problem instead of
// stopping at the first (Yams' Decodable stops at the first error).

import Foundation
import Yams

/// A range check on a number, with the text that says what is expected.
struct NumberRule: Sendable {
  var test: @Sendable (Double) -> Bool
  var expected: String

  static let any = NumberRule(test: { _ in true }, expected: "a number")
  static let nonNegative = NumberRule(test: { $0 >= 0 }, expected: "a number ≥ 0")
  static let positive = NumberRule(test: { $0 > 0 }, expected: "a number > 0")
  static let probability = NumberRule(test: { $0 >= 0 && $0 <= 1 }, expected: "a probability between 0 and 1")
  static let atLeastOne = NumberRule(test: { $0 >= 1 }, expected: "a number ≥ 1")
  static let growthRate = NumberRule(test: { $0 > -1 }, expected: "a yearly rate > -1")
  static let year = NumberRule(test: { $0 >= 1900 && $0 <= 2300 }, expected: "a year between 1900 and 2300")
}

/// A mapping being read: its pairs by key, for look-ups after unknown keys were reported.
struct Fields {
  let node: Node
  let path: String
  let pairs: [(key: String, keyNode: Node, value: Node)]

  /// The value of `key`, or nil when absent or written as null.
  subscript(_ key: String) -> Node? {
    guard let pair = pairs.first(where: { $0.key == key }) else { return nil }
    return Walker.isNull(pair.value) ? nil : pair.value
  }

  /// The key node of `key` (for positions).
  func keyNode(_ key: String) -> Node? { pairs.first(where: { $0.key == key })?.keyNode }

  func has(_ key: String) -> Bool { self[key] != nil }
}

/// A 1-based line and column (0 when unknown).
struct Position: Hashable {
  var line: Int
  var column: Int
  init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
  init(_ mark: Mark?) {
    self.line = mark?.line ?? 0
    self.column = mark?.column ?? 0
  }
}

/// Joins a path and a key: `policies[today]` + `counting` → `policies[today].counting`.
func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

/// Collects diagnostics while reading one file's node tree.
final class Walker {
  let file: String
  var diagnostics: [Diagnostic] = []
  /// For lists aligned with years: the scenario's first year and horizon.
  var startYear = 2025
  var horizonYears = 10

  init(file: String) {
    self.file = file
  }

  // MARK: Reporting

  func report(_ mark: Mark?, _ path: String, expected: String, found: String) {
    diagnostics.append(
      Diagnostic(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, path: path, expected: expected, found: found))
  }

  func report(at p: Position, _ path: String, expected: String, found: String) {
    diagnostics.append(Diagnostic(file: file, line: p.line, column: p.column, path: path, expected: expected, found: found))
  }

  func report(_ node: Node, _ path: String, expected: String) {
    report(node.mark, path, expected: expected, found: Walker.describe(node))
  }

  /// A missing required field: reported at the mapping that should hold it.
  func missing(_ fields: Fields, _ key: String, expected: String) {
    report(fields.node.mark, join(fields.path, key), expected: expected, found: "nothing (the field is missing)")
  }

  // MARK: Node inspection

  static func isNull(_ node: Node) -> Bool {
    guard case .scalar(let s) = node else { return false }
    guard s.style == .plain || s.style == .any else { return false }
    return s.string.isEmpty || s.string == "~" || s.string == "null" || s.string == "Null" || s.string == "NULL"
  }

  static func isQuoted(_ s: Node.Scalar) -> Bool {
    s.style == .singleQuoted || s.style == .doubleQuoted || s.style == .literal || s.style == .folded
  }

  /// How a node is named in a "found …" message.
  static func describe(_ node: Node) -> String {
    switch node {
    case .scalar(let s):
      if isNull(node) { return "nothing" }
      var text = s.string
      if text.count > 40 { text = String(text.prefix(37)) + "..." }
      if !isQuoted(s), plainNumber(s.string) != nil || ["true", "false"].contains(s.string) { return text }
      return "\"\(text)\""
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    }
  }

  /// A plain scalar's number: digits with optional underscores, sign, decimal point
  /// and exponent. Infinity, NaN and hexadecimal are not numbers here.
  static func plainNumber(_ text: String) -> Double? {
    let t = text.replacingOccurrences(of: "_", with: "")
    guard !t.isEmpty else { return nil }
    for c in t.unicodeScalars {
      switch c {
      case "0"..."9", "+", "-", ".", "e", "E": continue
      default: return nil
      }
    }
    guard let v = Double(t), v.isFinite else { return nil }
    return v
  }

  // MARK: Structures

  /// Reads a mapping; reports a non-mapping and every key not in `allowed` (with a
  /// did-you-mean). Returns nil (after reporting) when `node` is not a mapping.
  func fields(_ node: Node, _ path: String, allowed: [String], expected: String = "a mapping") -> Fields? {
    guard case .mapping(let mapping) = node else {
      report(node, path, expected: expected)
      return nil
    }
    var pairs: [(key: String, keyNode: Node, value: Node)] = []
    for (k, v) in mapping {
      guard case .scalar(let ks) = k else {
        report(k.mark, path, expected: "keys that are names", found: Walker.describe(k))
        continue
      }
      let key = ks.string
      if !allowed.contains(key) {
        var found = "unknown key \"\(key)\""
        if let suggestion = didYouMean(key, among: allowed) {
          found += " (did you mean \"\(suggestion)\"?)"
        } else {
          found += " (known keys: \(allowed.joined(separator: ", ")))"
        }
        report(k.mark, join(path, key), expected: "a known key", found: found)
        continue
      }
      pairs.append((key, k, v))
    }
    return Fields(node: node, path: path, pairs: pairs)
  }

  func list(_ node: Node, _ path: String, expected: String = "a list") -> [Node]? {
    guard case .sequence(let seq) = node else {
      report(node, path, expected: expected)
      return nil
    }
    return Array(seq)
  }

  // MARK: Scalars

  func number(_ node: Node, _ path: String, _ rule: NumberRule = .any) -> Double? {
    guard case .scalar(let s) = node, !Walker.isQuoted(s), let v = Walker.plainNumber(s.string) else {
      report(node, path, expected: rule.expected)
      return nil
    }
    guard rule.test(v) else {
      report(node, path, expected: rule.expected)
      return nil
    }
    return v
  }

  func int(_ node: Node, _ path: String, min: Int? = nil, max: Int? = nil, expected: String? = nil) -> Int? {
    let text: String
    switch (min, max) {
    case (let lo?, let hi?): text = expected ?? "a whole number from \(lo) to \(hi)"
    case (let lo?, nil): text = expected ?? "a whole number ≥ \(lo)"
    case (nil, let hi?): text = expected ?? "a whole number ≤ \(hi)"
    case (nil, nil): text = expected ?? "a whole number"
    }
    guard case .scalar(let s) = node, !Walker.isQuoted(s), let v = Walker.plainNumber(s.string), v == v.rounded(),
      abs(v) < 9e15
    else {
      report(node, path, expected: text)
      return nil
    }
    let i = Int(v)
    if let min, i < min {
      report(node, path, expected: text)
      return nil
    }
    if let max, i > max {
      report(node, path, expected: text)
      return nil
    }
    return i
  }

  func count(_ node: Node, _ path: String) -> Int? {
    int(node, path, min: 0, expected: "a count (a whole number ≥ 0)")
  }

  func year(_ node: Node, _ path: String) -> Int? {
    int(node, path, min: 1900, max: 2300, expected: "a year between 1900 and 2300")
  }

  func string(_ node: Node, _ path: String, expected: String = "text", nonEmpty: Bool = true) -> String? {
    guard case .scalar(let s) = node, !Walker.isNull(node) || !nonEmpty else {
      report(node, path, expected: expected)
      return nil
    }
    if nonEmpty && s.string.trimmingCharacters(in: .whitespaces).isEmpty {
      report(node, path, expected: expected)
      return nil
    }
    return s.string
  }

  /// An identifier: letters, digits, `-`, `_`, `.` (no spaces or commas, so it fits CSV cells and paths).
  func identifier(_ node: Node, _ path: String) -> String? {
    let expected = "an identifier (letters, digits, '-', '_' or '.')"
    guard let s = string(node, path, expected: expected) else { return nil }
    guard Walker.isIdentifier(s) else {
      report(node, path, expected: expected)
      return nil
    }
    return s
  }

  static func isIdentifier(_ s: String) -> Bool {
    if !s.isEmpty,
      s.utf8.allSatisfy({ b in
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E
      })
    {
      return true
    }
    return !s.isEmpty && s.utf8.contains(where: { $0 >= 0x80 })
      && s.unicodeScalars.allSatisfy {
        CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" || $0 == "."
      }
  }

  func bool(_ node: Node, _ path: String) -> Bool? {
    guard case .scalar(let s) = node, !Walker.isQuoted(s), s.string == "true" || s.string == "false" else {
      report(node, path, expected: "true or false")
      return nil
    }
    return s.string == "true"
  }

  func choice<E: RawRepresentable & CaseIterable>(_ type: E.Type, _ node: Node, _ path: String, among allowed: [E]? = nil)
    -> E? where E.RawValue == String
  {
    let options = (allowed ?? Array(E.allCases)).map(\.rawValue)
    let expected = "one of " + options.joined(separator: ", ")
    guard case .scalar(let s) = node, !Walker.isNull(node) else {
      report(node, path, expected: expected)
      return nil
    }
    guard options.contains(s.string), let value = E(rawValue: s.string) else {
      var found = Walker.describe(node)
      if let suggestion = didYouMean(s.string, among: options) { found += " (did you mean \"\(suggestion)\"?)" }
      report(node.mark, path, expected: expected, found: found)
      return nil
    }
    return value
  }

  // MARK: Parameters

  /// A parameter: a number, a per-year series (`{2025: 0.02, 2027: 0.05}` or a list
  /// aligned with the years from `start_year`), or either of these as
  /// `{value: …, label: …, source: "…"}`.
  func parameter(_ node: Node, _ path: String, _ rule: NumberRule) -> Parameter? {
    if case .mapping(let m) = node,
      m.keys.contains(where: { ["value", "label", "source"].contains($0.string ?? "") })
    {
      guard let f = fields(node, path, allowed: ["value", "label", "source"]) else { return nil }
      var label = SourceLabel.assumption
      if let l = f["label"] { label = choice(SourceLabel.self, l, join(path, "label")) ?? .assumption }
      var source = ""
      if let s = f["source"] { source = string(s, join(path, "source"), expected: "citation text") ?? "" }
      if label != .assumption, source.isEmpty, f.keyNode("label") != nil {
        report(
          f["source"]?.mark ?? f.keyNode("label")?.mark, join(path, "source"),
          expected: "a citation for a parameter labelled \(label.rawValue)", found: "nothing")
      }
      guard let v = f["value"] else {
        missing(f, "value", expected: rule.expected + " or a per-year series")
        return nil
      }
      guard var p = bareParameter(v, join(path, "value"), rule) else { return nil }
      p.provenance = Provenance(label, source)
      return p
    }
    return bareParameter(node, path, rule)
  }

  private func bareParameter(_ node: Node, _ path: String, _ rule: NumberRule) -> Parameter? {
    switch node {
    case .sequence(let seq):
      guard !seq.isEmpty else {
        report(node, path, expected: rule.expected + " or a per-year series")
        return nil
      }
      if seq.count > horizonYears {
        report(
          seq[horizonYears].mark, path,
          expected: "at most \(horizonYears) yearly values (one per year from start_year \(startYear))",
          found: "\(seq.count) values")
        return nil
      }
      var series: [Int: Double] = [:]
      var ok = true
      for (i, item) in seq.enumerated() {
        let y = startYear + i
        if let v = number(item, "\(path)[\(y)]", rule) { series[y] = v } else { ok = false }
      }
      return ok ? Parameter(series: series) : nil
    case .mapping(let m):
      guard !m.isEmpty else {
        report(node, path, expected: rule.expected + " or a per-year series")
        return nil
      }
      var series: [Int: Double] = [:]
      var ok = true
      for (k, v) in m {
        guard let y = int(k, "\(path)[\(k.string ?? "?")]", min: 1900, max: 2300, expected: "a year as the key of a per-year series") else {
          ok = false
          continue
        }
        if let value = number(v, "\(path)[\(y)]", rule) { series[y] = value } else { ok = false }
      }
      return ok ? Parameter(series: series) : nil
    default:
      guard let v = number(node, path, rule) else { return nil }
      return Parameter(v)
    }
  }

  /// A required parameter of `fields`.
  func requiredParameter(_ f: Fields, _ key: String, _ rule: NumberRule) -> Parameter? {
    guard let node = f[key] else {
      missing(f, key, expected: rule.expected)
      return nil
    }
    return parameter(node, join(f.path, key), rule)
  }

  /// `{label, source}` (provenance of a population or User).
  func provenance(_ node: Node, _ path: String) -> Provenance? {
    guard let f = fields(node, path, allowed: ["label", "source"]) else { return nil }
    guard let l = f["label"] else {
      missing(f, "label", expected: "one of " + SourceLabel.allCases.map(\.rawValue).joined(separator: ", "))
      return nil
    }
    guard let label = choice(SourceLabel.self, l, join(path, "label")) else { return nil }
    var source = ""
    if let s = f["source"] { source = string(s, join(path, "source"), expected: "citation text") ?? "" }
    if label != .assumption && source.isEmpty {
      report(f.node.mark, join(path, "source"), expected: "a citation for figures labelled \(label.rawValue)", found: "nothing")
    }
    return Provenance(label, source)
  }
}
