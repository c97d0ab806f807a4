import SECScenario
import Yams

/// One concrete step into a YAML node tree.
enum TreeStep: Sendable, Hashable {
  case key(String)
  case index(Int)
}

/// Where a `ParameterPath` lands in a scenario's node tree.
struct LocatedPath: Sendable, Hashable {
  /// Concrete steps from the root to the parameter (shorthand expanded).
  var steps: [TreeStep]
  /// The canonical spelling: every key written, list items by `id`/`name`.
  var canonical: String
  /// The parameter's constant value in the scenario (nil for a per-year series).
  var baseValue: Double?
  /// Where the value is written in the scenario file (nil: it comes from the defaults).
  var line: Int?
  var column: Int?
}

/// A scenario file's YAML node tree with the built-in defaults beside it, so a path
/// the file leaves to the defaults (docs/scenarios.md "Defaults") can be located and
/// set: the default's subtree is copied into the file's tree before the value is
/// changed, which is what `ScenarioFile.check` would have merged anyway.
struct ScenarioTree {
  var root: Node
  let defaults: Node?

  // MARK: Locating

  /// The location of `path`, or a usage error naming the closest valid path.
  func locate(_ path: ParameterPath) throws(WhatIfError) -> LocatedPath {
    if case .key(let first)? = path.segments.first, let why = ParameterPath.notParameters[first] {
      throw .usage("'\(path)' is a run setting, not a model parameter (\(why))")
    }
    var user: Node? = root
    var def: Node? = defaults
    var steps: [TreeStep] = []
    var canonical = ""
    var segments = path.segments[...]
    while let segment = segments.first {
      segments = segments.dropFirst()
      let here: Node? = user ?? def
      switch segment {
      case .key(let k):
        guard case .mapping(let m)? = here else { throw unknown(path, reason: "'\(canonical)' is not a mapping") }
        if let child = m[k] {
          if user != nil {
            user = child
            def = def?.mapping?[k]
          } else {
            def = child
          }
        } else if user != nil, let d = def?.mapping?[k] {
          user = nil
          def = d
        } else {
          // Shorthand inside a list item: exactly one child mapping holds the key.
          let owners = m.compactMap { pair -> String? in
            guard let name = pair.key.string, case .mapping(let cm) = pair.value, cm[k] != nil else { return nil }
            return name
          }
          let inItem: Bool
          if case .index? = steps.last { inItem = true } else { inItem = false }
          if inItem, owners.count == 1, let owner = owners.first {
            segments = [.key(owner), .key(k)] + segments
            continue
          }
          if inItem, owners.count > 1 {
            throw .usage(
              "path '\(path)' is ambiguous: \(owners.map { "\(canonical).\($0).\(k)" }.joined(separator: " or "))")
          }
          throw unknown(path, reason: nil)
        }
        steps.append(.key(k))
        canonical += canonical.isEmpty ? k : ".\(k)"
      case .item(let selector):
        guard case .sequence(let s)? = here else { throw unknown(path, reason: "'\(canonical)' is not a list") }
        let items = Array(s)
        let found: Int?
        if let i = Int(selector) {
          found = items.indices.contains(i) ? i : nil
        } else {
          found = items.firstIndex { ScenarioTree.itemName($0) == selector }
        }
        guard let i = found else {
          let names = items.enumerated().map { ScenarioTree.itemName($1) ?? String($0) }
          throw .usage("path '\(path)': no item '\(selector)' in \(canonical) (items: \(names.joined(separator: ", ")))")
        }
        steps.append(.index(i))
        canonical += "[\(ScenarioTree.itemName(items[i]) ?? String(i))]"
        if user != nil {
          user = items[i]
          def = nil
        } else {
          def = items[i]
        }
      }
    }
    let fromFile = user != nil
    var target = user ?? def
    // A parameter mapping {value: …, label: …}: the value is the target.
    if case .mapping(let m)? = target, let v = m["value"] {
      steps.append(.key("value"))
      target = v
    }
    guard let target, ScenarioTree.isNumeric(target) else {
      throw .usage("path '\(path)' addresses \(ScenarioTree.describe(target)), not a number\(suggestion(for: path))")
    }
    if canonical.hasSuffix(".value") { canonical.removeLast(6) }
    var base: Double?
    if case .scalar(let s) = target { base = ScenarioTree.plainNumber(s.string) }
    let mark = fromFile ? target.mark : nil
    return LocatedPath(steps: steps, canonical: canonical, baseValue: base, line: mark?.line, column: mark?.column)
  }

  func unknown(_ path: ParameterPath, reason: String?) -> WhatIfError {
    var message = "unknown path '\(path)'"
    if let reason { message += " (\(reason))" }
    return .usage(message + suggestion(for: path))
  }

  /// "; the closest valid path is …" (or nothing when none is near).
  func suggestion(for path: ParameterPath) -> String {
    let all = numericPaths()
    let text = path.description
    guard let best = all.min(by: { editDistance(text, $0) < editDistance(text, $1) }) else { return "" }
    return "; the closest valid path is '\(best)' (`secsim sweep --list-params` lists them all)"
  }

  // MARK: Enumerating

  /// Every numeric field of the scenario (file and defaults), in file order.
  func numericPaths() -> [String] {
    var out: [String] = []
    ScenarioTree.collect(root, defaults, prefix: "", into: &out)
    return out.filter { path in
      let top = String(path.prefix { $0 != "." && $0 != "[" })
      return ParameterPath.notParameters[top] == nil
    }
  }

  static func collect(_ node: Node?, _ def: Node?, prefix: String, into out: inout [String]) {
    guard let here = node ?? def else { return }
    switch here {
    case .mapping(let m):
      if m["value"] != nil || isSeries(here) {
        out.append(prefix)
        return
      }
      var seen = Set<String>()
      for (k, v) in m {
        guard let key = k.string else { continue }
        seen.insert(key)
        collect(v, node == nil ? nil : def?.mapping?[key], prefix: prefix.isEmpty ? key : "\(prefix).\(key)", into: &out)
      }
      if node != nil, case .mapping(let dm)? = def {
        for (k, v) in dm {
          guard let key = k.string, !seen.contains(key) else { continue }
          collect(nil, v, prefix: prefix.isEmpty ? key : "\(prefix).\(key)", into: &out)
        }
      }
    case .sequence(let s):
      if isSeries(here) {
        out.append(prefix)
        return
      }
      for (i, item) in s.enumerated() {
        collect(item, nil, prefix: "\(prefix)[\(itemName(item) ?? String(i))]", into: &out)
      }
    case .scalar:
      if isNumeric(here) { out.append(prefix) }
    case .alias: return
    }
  }

  // MARK: Setting

  /// Sets the parameter at `steps` to `value` (a constant: a per-year series is
  /// replaced whole), copying subtrees from the defaults where the file has none.
  mutating func set(_ steps: [TreeStep], to value: Double) {
    root = ScenarioTree.replacing(root, defaults, steps[...], with: Node(formatted(value)))
  }

  static func replacing(_ node: Node?, _ def: Node?, _ steps: ArraySlice<TreeStep>, with leaf: Node) -> Node {
    guard let step = steps.first else { return leaf }
    let rest = steps.dropFirst()
    let here = node ?? def ?? Node.mapping(Node.Mapping([]))
    switch (step, here) {
    case (.key(let k), .mapping(let m)):
      var pairs = m.map { ($0.key, $0.value) }
      if let i = pairs.firstIndex(where: { $0.0.string == k }) {
        pairs[i].1 = replacing(pairs[i].1, node == nil ? nil : def?.mapping?[k], rest, with: leaf)
      } else {
        pairs.append((Node(k), replacing(nil, def?.mapping?[k], rest, with: leaf)))
      }
      return .mapping(Node.Mapping(pairs, m.tag, m.style, m.mark))
    case (.index(let i), .sequence(let s)):
      var items = Array(s)
      guard items.indices.contains(i) else { return here }
      items[i] = replacing(items[i], nil, rest, with: leaf)
      return .sequence(Node.Sequence(items, s.tag, s.style, s.mark))
    default:
      return here
    }
  }

  // MARK: Node helpers

  /// A list item's `id`, else its `name`.
  static func itemName(_ node: Node) -> String? {
    guard case .mapping(let m) = node else { return nil }
    return m["id"]?.string ?? m["name"]?.string
  }

  static func isNumeric(_ node: Node) -> Bool {
    switch node {
    case .scalar(let s): return s.style == .plain && plainNumber(s.string) != nil
    case .mapping, .sequence: return isSeries(node)
    case .alias: return false
    }
  }

  /// A per-year series: `{2025: 0.02, 2027: 0.05}` or a list of numbers.
  static func isSeries(_ node: Node) -> Bool {
    switch node {
    case .mapping(let m):
      return !m.isEmpty && m.allSatisfy { plainNumber($0.key.string ?? "") != nil && isPlainNumber($0.value) }
    case .sequence(let s): return !s.isEmpty && s.allSatisfy(isPlainNumber)
    default: return false
    }
  }

  static func isPlainNumber(_ node: Node) -> Bool {
    if case .scalar(let s) = node { return s.style == .plain && plainNumber(s.string) != nil }
    return false
  }

  static func describe(_ node: Node?) -> String {
    switch node {
    case .mapping?: return "a mapping"
    case .sequence?: return "a list"
    case .scalar(let s)?: return "\"\(s.string)\""
    default: return "nothing"
    }
  }

  /// A plain scalar's number, as the scenario decoder reads it (digits, `_`, sign,
  /// decimal point, exponent).
  static func plainNumber(_ text: String) -> Double? {
    var t = ""
    for c in text.unicodeScalars {
      switch c {
      case "0"..."9", "+", "-", ".", "e", "E": t.unicodeScalars.append(c)
      case "_": continue
      default: return nil
      }
    }
    guard !t.isEmpty, let v = Double(t), v.isFinite else { return nil }
    return v
  }
}
