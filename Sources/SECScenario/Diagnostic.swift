// Problems found in scenario files and Users CSVs, in the compiler's format
// (`FILE:LINE:COLUMN: error: FIELD.PATH: expected …, found …`), all at once
// (issue 12; MODEL.md §9 exit codes).

/// One problem in an input file: where it is, which field, what was expected and
/// what was found. `description` is the one-line compiler-format message.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Comparable {
  /// The file as the user named it (or as the scenario names its Users CSV).
  public var file: String
  /// 1-based line; 0 when the problem concerns the whole file.
  public var line: Int
  /// 1-based column (Unicode scalars, as libyaml counts); 0 when unknown.
  public var column: Int
  /// The field in the scenario's spelling: `policies[meters].counting.threshold`,
  /// `population.users[S07].roles[1]`, `yaml` for a syntax error.
  public var path: String
  /// What a valid file has there (`a number > 0`).
  public var expected: String
  /// What the file has there (`-5`, `nothing`, `unknown key "failur" (did you mean "failure"?)`).
  public var found: String

  public init(file: String, line: Int, column: Int, path: String, expected: String, found: String) {
    self.file = file
    self.line = line
    self.column = column
    self.path = path
    self.expected = expected
    self.found = found
  }

  /// `FILE:LINE:COLUMN: error: FIELD.PATH: expected …, found …`
  public var description: String {
    "\(file):\(line):\(column): error: \(path): expected \(expected), found \(found)"
  }

  /// Reading order: file, then line, then column, then path.
  public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
    (a.file, a.line, a.column, a.path, a.expected) < (b.file, b.line, b.column, b.path, b.expected)
  }
}

/// Thrown when an input file is invalid: every problem found, in reading order.
/// Commands print `description` to stderr and exit with status 2 (MODEL.md §9).
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
  public var diagnostics: [Diagnostic]

  public init(_ diagnostics: [Diagnostic]) {
    self.diagnostics = diagnostics
  }

  /// One line per problem.
  public var description: String { diagnostics.map(\.description).joined(separator: "\n") }

  /// The exit status for an invalid input file (MODEL.md §9).
  public static let exitCode: Int32 = 2
}

/// Levenshtein distance between two short strings (for did-you-mean hints).
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

/// The closest of `candidates` to `word`, if close enough to be a plausible typo
/// (distance ≤ max(2, a third of the word's length)); ties go to the first.
func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String? {
  let lowered = word.lowercased()
  var best: (String, Int)?
  for candidate in candidates {
    let d = editDistance(lowered, candidate.lowercased())
    if best == nil || d < best!.1 { best = (candidate, d) }
  }
  guard let best, best.1 <= max(2, word.count / 3), best.1 < max(word.count, 1) else { return nil }
  return best.0
}
