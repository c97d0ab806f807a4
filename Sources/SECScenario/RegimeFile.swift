import Foundation
import SECRules
import Yams

/// Reads a regime file (`scenarios/regimes/*.yaml`, issue 11) into `SECRules.Regime`.
///
/// Shape (every key required unless marked optional; unknown keys are errors):
/// ```yaml
/// name: sec-current
/// description: ...                       # optional
/// sources: [ ... ]                       # optional, strings
/// caveats: [ ... ]                       # optional, strings
/// entry_kind: initial_fusa               # optional, default initial_fusa
/// roles:
///   supplier: { small: [fusa, vusa, ussa], large: [fusa] }   # banded
///   other_user: { cycle: [fusa, vusa, ussa] }                # unbanded
/// role_priority: [supplier, electricity_distributor, gas_transporter, registered_supplier_agent, other_user]
/// transitions: { small_to_large: restart, large_to_small: since_last_fusa }  # optional, default these
/// ```
/// Self-contained: the full scenario diagnostics will wrap it later.
public enum RegimeFile {
  /// Decodes `yaml` (read from `file`, named in every problem) and validates the
  /// result with `Regime.problems()`. Throws `RegimeFileError` listing every problem.
  public static func load(yaml: String, file: String) throws -> Regime {
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch let error as YamlError {
      throw RegimeFileError(file: file, problems: [yamlProblem(error)])
    }
    var reader = Reader()
    guard let root, let mapping = root.mapping else {
      throw RegimeFileError(
        file: file, problems: [.init(line: root?.mark?.line, column: root?.mark?.column, field: "", message: "expected a mapping")])
    }
    let regime = reader.regime(mapping, at: root.mark)
    if let regime {
      for p in regime.problems() {
        let key = p.field.split(separator: ".").first.map(String.init) ?? p.field
        let mark = reader.marks[p.field] ?? reader.marks[key] ?? root.mark
        reader.problems.append(.init(line: mark?.line, column: mark?.column, field: p.field, message: p.message))
      }
    }
    guard let regime, reader.problems.isEmpty else { throw RegimeFileError(file: file, problems: reader.problems) }
    return regime
  }

  /// Reads and decodes the file at `url`.
  public static func load(url: URL) throws -> Regime {
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw RegimeFileError(
        file: url.path, problems: [.init(line: nil, column: nil, field: "", message: "cannot read: \(error.localizedDescription)")])
    }
    return try load(yaml: text, file: url.path)
  }

  private static func yamlProblem(_ error: YamlError) -> RegimeFileError.Problem {
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
      return .init(line: mark.line, column: mark.column, field: "", message: "YAML: \(problem)")
    case .duplicatedKeysInMapping(let duplicates, let context):
      return .init(
        line: context.mark.line, column: context.mark.column, field: duplicates.joined(separator: ", "), message: "duplicated key")
    default:
      return .init(line: nil, column: nil, field: "", message: "YAML: \(error)")
    }
  }
}

/// A regime file that cannot be used: the file and every problem found, each with
/// line and column (where YAML gives a mark) and the field (`roles.supplier.small`).
public struct RegimeFileError: Error, CustomStringConvertible, Sendable {
  /// One problem: where (1-based line and column, when YAML gives a mark), which
  /// field (dotted path), and what is wrong.
  public struct Problem: Sendable, Hashable, CustomStringConvertible {
    public var line: Int?
    public var column: Int?
    public var field: String
    public var message: String

    public var description: String {
      let at = line.map { l in column.map { "\(l):\($0)" } ?? "\(l)" }
      return [at, field.isEmpty ? nil : field, message].compactMap { $0 }.joined(separator: ": ")
    }
  }

  public var file: String
  public var problems: [Problem]

  public var description: String {
    problems.map { p in p.line == nil ? "\(file): \(p)" : "\(file):\(p)" }.joined(separator: "\n")
  }
}

private struct Reader {
  var problems: [RegimeFileError.Problem] = []
  /// Marks by field path, to place validation problems.
  var marks: [String: Mark] = [:]

  mutating func fail(_ node: Node?, _ field: String, _ message: String, fallback: Mark? = nil) {
    let mark = node?.mark ?? fallback
    problems.append(.init(line: mark?.line, column: mark?.column, field: field, message: message))
  }

  mutating func string(_ node: Node, _ field: String) -> String? {
    guard let s = node.scalar?.string else {
      fail(node, field, "expected a string")
      return nil
    }
    return s
  }

  mutating func strings(_ node: Node, _ field: String) -> [String]? {
    guard let seq = node.sequence else {
      fail(node, field, "expected a list")
      return nil
    }
    var out: [String] = []
    for (i, item) in seq.enumerated() {
      if let s = string(item, "\(field)[\(i)]") { out.append(s) }
    }
    return out
  }

  mutating func enumValue<E: RawRepresentable & CaseIterable>(_ node: Node, _ field: String, _: E.Type) -> E?
  where E.RawValue == String {
    guard let s = string(node, field) else { return nil }
    guard let v = E(rawValue: s) else {
      fail(node, field, "unknown value '\(s)' (expected one of \(E.allCases.map(\.rawValue).joined(separator: ", ")))")
      return nil
    }
    return v
  }

  mutating func kinds(_ node: Node, _ field: String) -> [AssessmentKind]? {
    guard let seq = node.sequence else {
      fail(node, field, "expected a list of assessment kinds")
      return nil
    }
    marks[field] = node.mark
    var out: [AssessmentKind] = []
    for (i, item) in seq.enumerated() {
      if let k = enumValue(item, "\(field)[\(i)]", AssessmentKind.self) { out.append(k) }
    }
    return out
  }

  mutating func regime(_ map: Node.Mapping, at mark: Mark?) -> Regime? {
    let allowed = ["name", "description", "sources", "caveats", "entry_kind", "roles", "role_priority", "transitions"]
    var name: String?
    var description = ""
    var sources: [String] = []
    var caveats: [String] = []
    var entryKind = AssessmentKind.initialFusa
    var roles: [UserRole: RoleSchedule]?
    var priority: [UserRole]?
    var transitions = BandTransitions.secDefault
    for (keyNode, value) in map {
      guard let key = keyNode.scalar?.string else {
        fail(keyNode, "", "expected a string key")
        continue
      }
      marks[key] = keyNode.mark
      switch key {
      case "name": name = string(value, key)
      case "description": description = string(value, key) ?? ""
      case "sources": sources = strings(value, key) ?? []
      case "caveats": caveats = strings(value, key) ?? []
      case "entry_kind": entryKind = enumValue(value, key, AssessmentKind.self) ?? entryKind
      case "roles": roles = self.roles(value)
      case "role_priority":
        guard let seq = value.sequence else {
          fail(value, key, "expected a list of roles")
          continue
        }
        var list: [UserRole] = []
        for (i, item) in seq.enumerated() {
          if let r = enumValue(item, "role_priority[\(i)]", UserRole.self) { list.append(r) }
        }
        priority = list
      case "transitions":
        guard let m = value.mapping else {
          fail(value, key, "expected a mapping with small_to_large and large_to_small")
          continue
        }
        for (k, v) in m {
          let sub = k.scalar?.string ?? ""
          switch sub {
          case "small_to_large": transitions.smallToLarge = enumValue(v, "transitions.small_to_large", TransitionRule.self) ?? .restart
          case "large_to_small":
            transitions.largeToSmall = enumValue(v, "transitions.large_to_small", TransitionRule.self) ?? .sinceLastFusa
          default: fail(k, "transitions.\(sub)", "unknown key (expected small_to_large, large_to_small)")
          }
        }
      default:
        fail(keyNode, key, "unknown key (expected one of \(allowed.joined(separator: ", ")))")
      }
    }
    if name == nil { fail(nil, "name", "missing", fallback: mark) }
    if roles == nil { fail(nil, "roles", "missing", fallback: mark) }
    if priority == nil { fail(nil, "role_priority", "missing", fallback: mark) }
    guard let name, let roles, let priority else { return nil }
    return Regime(
      name: name, description: description, sources: sources, entryKind: entryKind, roles: roles, rolePriority: priority,
      transitions: transitions, caveats: caveats)
  }

  mutating func roles(_ node: Node) -> [UserRole: RoleSchedule]? {
    guard let map = node.mapping else {
      fail(node, "roles", "expected a mapping from role to cycle")
      return nil
    }
    var out: [UserRole: RoleSchedule] = [:]
    for (keyNode, value) in map {
      guard let role = enumValue(keyNode, "roles", UserRole.self) else { continue }
      let field = "roles.\(role.rawValue)"
      marks[field] = keyNode.mark
      guard let m = value.mapping else {
        fail(value, field, "expected { cycle: [...] } or { small: [...], large: [...] }")
        continue
      }
      var cycle: [AssessmentKind]?
      var small: [AssessmentKind]?
      var large: [AssessmentKind]?
      for (k, v) in m {
        let sub = k.scalar?.string ?? ""
        switch sub {
        case "cycle": cycle = kinds(v, "\(field).cycle")
        case "small": small = kinds(v, "\(field).small")
        case "large": large = kinds(v, "\(field).large")
        default: fail(k, "\(field).\(sub)", "unknown key (expected cycle, or small and large)")
        }
      }
      switch (cycle, small, large) {
      case (let c?, nil, nil): out[role] = .unbanded(cycle: c)
      case (nil, let s?, let l?): out[role] = .banded(small: s, large: l)
      default: fail(value, field, "give either cycle, or both small and large")
      }
    }
    return out
  }
}
