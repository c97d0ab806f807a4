/// Writes CSV as spreadsheet users need it (RFC 4180; MODEL.md §10): UTF-8, comma
/// separated, CRLF-free `\n` line ends, fields quoted when they hold a comma, quote
/// or line break, numbers in their shortest round-trip form with a `.` decimal
/// point and no thousands separators, and every text cell guarded against formula
/// injection (`CellGuard`).
public struct CSVWriter: Sendable {
  public private(set) var text: String = ""

  /// A writer whose first line is `header`.
  public init(header: [String]) {
    appendRow(header.map { .text($0) })
  }

  /// One cell of a row.
  public enum Cell: Sendable, Hashable {
    /// Text from anywhere (names, ids, labels): guarded and quoted as needed.
    case text(String)
    /// A number: integral values print without a fraction, others in Swift's
    /// shortest round-trip form; NaN prints as an empty cell.
    case number(Double)
    /// An integer.
    case integer(Int64)
  }

  /// Appends one row.
  public mutating func appendRow(_ cells: [Cell]) {
    var first = true
    for cell in cells {
      if !first { text.append(",") }
      first = false
      switch cell {
      case .text(let s): text.append(CSVWriter.quoted(CellGuard.neutralised(s)))
      case .number(let x): text.append(CSVWriter.format(x))
      case .integer(let i): text.append(String(i))
      }
    }
    text.append("\n")
  }

  /// A number in the form SECSim writes to CSV.
  public static func format(_ x: Double) -> String {
    if x.isNaN { return "" }
    if x == 0 { return "0" }  // also folds -0
    if x == x.rounded(), abs(x) < 9.007_199_254_740_992e15 { return String(Int64(x)) }
    return x.description
  }

  /// `field` quoted per RFC 4180 when it needs to be: when it holds a comma, a double
  /// quote, a line feed or a carriage return (read byte by byte: "\r\n" is one
  /// `Character`, equal to neither "\r" nor "\n").
  public static func quoted(_ field: String) -> String {
    guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return field }
    return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
  }
}

/// The formula-injection guard for text cells (MODEL.md §10): a cell starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe.
/// Quoting alone does not stop LibreOffice's default import evaluating `=…`.
public enum CellGuard {
  /// The characters that make a spreadsheet treat a cell as a formula.
  public static let triggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

  /// `text`, prefixed with an apostrophe when it starts with a trigger.
  public static func neutralised(_ text: String) -> String {
    guard let first = text.first, triggers.contains(first) else { return text }
    return "'" + text
  }
}

extension String {
  /// Every occurrence of `target` replaced (no Foundation).
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    out.reserveCapacity(count)
    for c in self {
      if c == target { out.append(replacement) } else { out.append(c) }
    }
    return out
  }
}
