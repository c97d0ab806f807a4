/// The address of a numeric field in a scenario file (docs/whatif.md "Paths").
///
/// Keys are separated by dots; a list item is selected in brackets by its `id` or
/// `name` (`policies[meters]`, `population.users[S10]`) or by its 0-based position
/// (`processes.failure.classes[0]`). The spelling is the one scenario diagnostics
/// use, so a path can be copied from an error message:
///
///     policies[today].counting.threshold
///     processes.failure.crisis.multiplier
///     capacity.assessor_days_per_quarter
///     day_rate_gbp
///
/// A parameter written `{value: …, label: …, source: …}` is addressed by its own
/// path (`.value` may be added but need not be). Inside a list item, one level of a
/// nested mapping may be left out when only one child has the key:
/// `policies[meters].threshold` means `policies[meters].counting.threshold`.
public struct ParameterPath: Sendable, Hashable, CustomStringConvertible {
  /// One step of a path.
  public enum Segment: Sendable, Hashable {
    /// A mapping key.
    case key(String)
    /// A list item: its `id` or `name`, or a 0-based position.
    case item(String)
  }

  public var segments: [Segment]

  public init(segments: [Segment]) {
    self.segments = segments
  }

  /// Parses `a.b[sel].c`; throws a usage error naming the problem.
  public init(parsing text: String) throws(WhatIfError) {
    var segments: [Segment] = []
    var key = ""
    var chars = Array(text)[...]
    var afterItem = false
    func bad(_ why: String) -> WhatIfError { .usage("path '\(text)': \(why)") }
    while let c = chars.first {
      chars = chars.dropFirst()
      switch c {
      case ".":
        if key.isEmpty && !afterItem { throw bad("empty key before '.'") }
        if !key.isEmpty { segments.append(.key(key)) }
        key = ""
        afterItem = false
      case "[":
        if !key.isEmpty { segments.append(.key(key)) }
        if segments.isEmpty { throw bad("a list selector '[…]' needs a key before it") }
        key = ""
        guard let close = chars.firstIndex(of: "]") else { throw bad("'[' without ']'") }
        let selector = String(chars[chars.startIndex..<close]).trimmingSpaces()
        if selector.isEmpty { throw bad("empty selector '[]'") }
        segments.append(.item(selector))
        chars = chars[chars.index(after: close)...]
        afterItem = true
        if let next = chars.first, next != ".", next != "[" { throw bad("expected '.' or '[' after ']'") }
      case "]": throw bad("']' without '['")
      default:
        if afterItem { throw bad("expected '.' after ']'") }
        key.append(c)
      }
    }
    if !key.isEmpty {
      segments.append(.key(key))
    } else if !afterItem {
      throw bad(segments.isEmpty ? "empty path" : "path ends with '.'")
    }
    self.segments = segments
  }

  /// `a.b[sel].c`.
  public var description: String {
    var out = ""
    for s in segments {
      switch s {
      case .key(let k): out += out.isEmpty ? k : ".\(k)"
      case .item(let sel): out += "[\(sel)]"
      }
    }
    return out
  }

  /// Top-level fields that are run settings rather than model parameters.
  static let notParameters: [String: String] = [
    "format": "the file format version", "seed": "use --seed", "replicates": "use --replicates",
    "start_year": "the calendar of outputs would change between design points",
    "horizon_years": "the calendar of outputs would change between design points",
  ]
}

extension String {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while s.first == " " { s = s.dropFirst() }
    while s.last == " " { s = s.dropLast() }
    return String(s)
  }
}

/// Levenshtein distance (for "did you mean" suggestions of paths).
func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a.unicodeScalars)
  let b = Array(b.unicodeScalars)
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
    }
    swap(&previous, &current)
  }
  return previous[b.count]
}
