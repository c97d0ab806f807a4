/// Writes CSV as spreadsheet users need it (RFC 4180; MODEL.md §10): UTF-8, comma
/// separated, CRLF-free `\n` line ends, fields quoted when they hold a comma, quote
/// or line break, numbers in their shortest round-trip form with a `.` decimal
/// point and no thousands separators, and every text cell guarded against formula
/// injection (`CellGuard`).
public struct CSVWriter: Sendable {
  /// The CSV so far, as UTF-8 bytes: rows are appended byte by byte (appending small
  /// `String`s one by one re-checks the string's storage every time, ~350
  /// instructions an append; the fixed cost of writing a run's tables).
  public private(set) var bytes: [UInt8] = []

  /// The CSV so far as text.
  public var text: String { String(decoding: bytes, as: UTF8.self) }

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
      if !first { bytes.append(UInt8(ascii: ",")) }
      first = false
      switch cell {
      case .text(let s): appendText(s)
      case .number(let x): appendNumber(x)
      case .integer(let i): appendInteger(i)
      }
    }
    bytes.append(UInt8(ascii: "\n"))
  }

  /// A text cell: exactly `quoted(CellGuard.neutralised(s))`. Most cells start with
  /// no trigger and hold no byte that needs quoting: their bytes go in as they are
  /// (a trigger is one ASCII byte, and no other first byte starts a `Character`
  /// equal to one); the rest take the `Character`-level path.
  mutating func appendText(_ s: String) {
    var s = CellGuard.neutralisedFast(s)
    let plain = s.withUTF8 { text in
      guard !text.contains(where: CSVWriter.needsQuoting) else { return false }
      bytes.append(contentsOf: text)
      return true
    }
    if !plain { appendBytes(of: CSVWriter.quoted(s)) }
  }

  /// A string's UTF-8 bytes, copied from its storage at once.
  mutating func appendBytes(of s: String) {
    var s = s
    s.withUTF8 { bytes.append(contentsOf: $0) }
  }

  /// A number cell: exactly the bytes of `format(x)`, integral values written digit
  /// by digit.
  mutating func appendNumber(_ x: Double) {
    if x.isNaN { return }
    if x == 0 {
      bytes.append(UInt8(ascii: "0"))  // also folds -0
    } else if let i = CSVWriter.integral(x) {
      appendInteger(i)
    } else {
      appendBytes(of: x.description)
    }
  }

  /// An integer cell: its decimal digits, as `String(i)`.
  mutating func appendInteger(_ i: Int64) {
    if i < 0 { bytes.append(UInt8(ascii: "-")) }
    var m = i.magnitude
    // At most 20 digits, written into a small buffer from the right.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
      var at = 20
      repeat {
        at -= 1
        digits[at] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m % 10)
        m /= 10
      } while m != 0
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[at..<20]))
    }
  }

  /// A number in the form SECSim writes to CSV.
  public static func format(_ x: Double) -> String {
    if x.isNaN { return "" }
    if x == 0 { return "0" }  // also folds -0
    if let i = integral(x) { return String(i) }
    return x.description
  }

  /// `x` as an integer when it is integral and below 2⁵³ in magnitude (printed
  /// without a fraction), else nil. Same test as `x == x.rounded()` there, without the
  /// library call: below 2⁵³, x is integral exactly when truncating it gives it back.
  @inline(__always) static func integral(_ x: Double) -> Int64? {
    guard abs(x) < 9.007_199_254_740_992e15 else { return nil }
    let i = Int64(x)
    return Double(i) == x ? i : nil
  }

  /// The bytes that make a field need quoting: comma, double quote, line feed,
  /// carriage return.
  @inline(__always) static func needsQuoting(_ b: UInt8) -> Bool { b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D }

  /// `field` quoted per RFC 4180 when it needs to be: when it holds a comma, a double
  /// quote, a line feed or a carriage return (read byte by byte: "\r\n" is one
  /// `Character`, equal to neither "\r" nor "\n").
  public static func quoted(_ field: String) -> String {
    guard field.utf8.contains(where: needsQuoting) else { return field }
    return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
  }
}

/// The formula-injection guard for text cells (MODEL.md §10): a cell starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe.
/// Quoting alone does not stop LibreOffice's default import evaluating `=…`.
public enum CellGuard {
  /// The characters that make a spreadsheet treat a cell as a formula.
  public static let triggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

  /// `neutralised(text)`, deciding from the first byte alone when it is none of the
  /// triggers' (each trigger is one ASCII byte, and no other first byte starts a
  /// `Character` equal to one): the common case, without building a `Character`.
  @inline(__always) static func neutralisedFast(_ text: String) -> String {
    guard let b = text.utf8.first, b == 0x3D || b == 0x2B || b == 0x2D || b == 0x40 || b == 0x09 || b == 0x0D else { return text }
    return neutralised(text)
  }

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
