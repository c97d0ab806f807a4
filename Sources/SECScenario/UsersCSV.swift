// A Users CSV (`population.users_csv`): one User per row, columns named in a
// header row. Every bad cell is reported with its file, line and column.

import Foundation
import SECRules

/// Reads Users from CSV text (RFC 4180: commas, double-quoted cells, `""` for a quote).
public enum UsersCSV {
  /// The columns a Users CSV may have; `id`, `roles` and `entry_year` are required.
  public static let columns = [
    "id", "name", "roles", "entry_year", "exit_year", "anniversary_quarter", "cycle_position", "domestic_premises",
    "non_domestic_premises", "domestic_meters", "non_domestic_meters", "exposure_sms", "srp",
  ]
  public static let requiredColumns = ["id", "roles", "entry_year"]

  /// What `parse` found: the Users, each one's line, and every problem.
  public struct Result: Sendable {
    public var users: [UserSpec]
    /// The 1-based line of each User's row.
    public var lines: [Int]
    public var diagnostics: [Diagnostic]
    /// The column of each User's `srp` cell (for reporting unknown SRPs).
    var srpColumns: [String: Int]
  }

  /// Parses `text`; `file` names the CSV in diagnostics. Roles are separated by `;`
  /// (`supplier;other_user`); `srp` holds `;`-separated hosts, one User System each
  /// (`bespoke` or an SRP id; empty: one bespoke system); `cycle_position` is one
  /// number for every role. Empty cells take the field's default.
  public static func parse(_ text: String, file: String, startYear: Int) -> Result {
    var result = Result(users: [], lines: [], diagnostics: [], srpColumns: [:])
    let rows = splitRows(text, file: file, diagnostics: &result.diagnostics)
    guard let header = rows.first else {
      result.diagnostics.append(
        Diagnostic(
          file: file, line: 1, column: 1, path: "users_csv", expected: "a header row (id,roles,entry_year,…)", found: "an empty file"))
      return result
    }
    var index: [String: Int] = [:]
    for (i, cell) in header.cells.enumerated() {
      let name = cell.text.trimmingCharacters(in: .whitespaces)
      if !columns.contains(name) {
        var found = "unknown column \"\(name)\""
        if let s = didYouMean(name, among: columns) { found += " (did you mean \"\(s)\"?)" }
        result.diagnostics.append(
          Diagnostic(file: file, line: header.line, column: cell.column, path: "users_csv.header", expected: "a known column", found: found)
        )
      } else if index[name] != nil {
        result.diagnostics.append(
          Diagnostic(
            file: file, line: header.line, column: cell.column, path: "users_csv.header", expected: "each column once",
            found: "\"\(name)\" again"))
      } else {
        index[name] = i
      }
    }
    for required in requiredColumns where index[required] == nil {
      result.diagnostics.append(
        Diagnostic(file: file, line: header.line, column: 1, path: "users_csv.header", expected: "a column \"\(required)\"", found: "none"))
    }
    guard requiredColumns.allSatisfy({ index[$0] != nil }) else { return result }
    result.users.reserveCapacity(rows.count)
    result.lines.reserveCapacity(rows.count)

    for row in rows.dropFirst() {
      if row.cells.count == 1 && row.cells[0].text.isEmpty { continue }  // blank line
      var bad = false
      func report(_ cell: Cell, _ field: String, _ id: String, expected: String) {
        bad = true
        let found = cell.text.isEmpty ? "nothing" : "\"\(cell.text)\""
        result.diagnostics.append(
          Diagnostic(file: file, line: row.line, column: cell.column, path: "users_csv[\(id)].\(field)", expected: expected, found: found))
      }
      if row.cells.count != header.cells.count {
        bad = true
        let last = row.cells.last!
        result.diagnostics.append(
          Diagnostic(
            file: file, line: row.line, column: last.column, path: "users_csv[line \(row.line)]",
            expected: "\(header.cells.count) cells (as in the header)", found: "\(row.cells.count)"))
        continue
      }
      func cell(_ name: String) -> Cell? {
        guard let i = index[name] else { return nil }
        let c = row.cells[i]
        return c.text.isEmpty ? nil : c
      }
      let idCell = row.cells[index["id"]!]
      let id = idCell.text
      let label = Walker.isIdentifier(id) ? id : "line \(row.line)"
      if !Walker.isIdentifier(id) { report(idCell, "id", label, expected: "an identifier (letters, digits, '-', '_' or '.')") }

      func int(_ name: String, min: Int, max: Int = Int.max, expected: String) -> Int? {
        guard let c = cell(name) else { return nil }
        guard let v = parseInt(c.text), v >= min, v <= max else {
          report(c, name, label, expected: expected)
          return nil
        }
        return v
      }

      var roles: [UserRole] = []
      let rolesCell = row.cells[index["roles"]!]
      if rolesCell.text.isEmpty {
        report(rolesCell, "roles", label, expected: "User Roles separated by ';'")
      } else {
        for part in rolesCell.text.split(separator: ";", omittingEmptySubsequences: false) {
          let name = part.trimmingCharacters(in: [" ", "\t"])
          if let role = UserRole(rawValue: name) {
            if !roles.contains(role) { roles.append(role) }
          } else {
            var expected = "User Roles separated by ';' (" + UserRole.allCases.map(\.rawValue).joined(separator: ", ") + ")"
            if let s = didYouMean(name, among: UserRole.allCases.map(\.rawValue)) { expected += "; did you mean \"\(s)\"?" }
            report(rolesCell, "roles", label, expected: expected)
          }
        }
      }
      let entryCell = row.cells[index["entry_year"]!]
      let entry = int("entry_year", min: 1900, max: startYear, expected: "a year from 1900 to start_year \(startYear)")
      if entryCell.text.isEmpty { report(entryCell, "entry_year", label, expected: "a year (the User's initial FUSA)") }

      var user = UserSpec(id: id, roles: roles, entryYear: entry ?? startYear)
      if let n = cell("name") { user.name = n.text }
      user.exitYear = int("exit_year", min: 1900, max: 2300, expected: "a year")
      user.anniversaryQuarter = int("anniversary_quarter", min: 1, max: 4, expected: "a quarter from 1 to 4")
      if let p = int("cycle_position", min: 1, expected: "a position ≥ 1") { for r in roles { user.cyclePositions[r] = p } }
      let count = "a count (a whole number ≥ 0)"
      user.domesticPremises = int("domestic_premises", min: 0, expected: count) ?? 0
      user.nonDomesticPremises = int("non_domestic_premises", min: 0, expected: count) ?? 0
      user.domesticMeters = int("domestic_meters", min: 0, expected: count)
      user.nonDomesticMeters = int("non_domestic_meters", min: 0, expected: count)
      user.exposureSMS = int("exposure_sms", min: 0, expected: count)
      if let s = cell("srp") {
        result.srpColumns[id] = s.column
        let hosts = s.text.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        for (k, host) in hosts.enumerated() {
          guard Walker.isIdentifier(host) else {
            report(s, "srp", label, expected: "bespoke or SRP ids separated by ';'")
            break
          }
          user.systems.append(UserSystemSpec(id: "\(id)-\(k + 1)", srp: host == "bespoke" ? nil : host))
        }
      }
      if let exit = user.exitYear, let entry, exit <= entry {
        report(cell("exit_year")!, "exit_year", label, expected: "a year after entry_year \(entry)")
      }
      if !bad {
        result.users.append(user)
        result.lines.append(row.line)
      }
    }
    return result
  }

  struct Cell {
    var text: String
    var column: Int
  }

  struct Row {
    var line: Int
    var cells: [Cell]
  }

  /// Splits CSV text into rows of cells with their positions (columns count
  /// Unicode scalars from 1). A quoted cell may span lines; the row's line is where
  /// it starts. Unquoted cells are trimmed of spaces and tabs. Works on UTF-8 bytes.
  static func splitRows(_ text: String, file: String, diagnostics: inout [Diagnostic]) -> [Row] {
    var text = text
    return text.withUTF8 { bytes -> [Row] in
      var rows: [Row] = []
      var cells: [Cell] = []
      var buffer: [UInt8] = []
      buffer.reserveCapacity(64)
      var line = 1
      var column = 1
      var rowLine = 1
      var cellColumn = 1
      var inQuotes = false
      var wasQuoted = false
      var quoteStart = (1, 1)
      let quote = UInt8(ascii: "\"")
      let comma = UInt8(ascii: ",")
      let newline = UInt8(ascii: "\n")
      let cr = UInt8(ascii: "\r")
      let space = UInt8(ascii: " ")
      let tab = UInt8(ascii: "\t")

      func endCell() {
        var slice = buffer[...]
        if !wasQuoted {
          while let f = slice.first, f == space || f == tab { slice = slice.dropFirst() }
          while let l = slice.last, l == space || l == tab { slice = slice.dropLast() }
        }
        cells.append(Cell(text: String(decoding: slice, as: UTF8.self), column: cellColumn))
        buffer.removeAll(keepingCapacity: true)
        wasQuoted = false
      }
      var i = 0
      let n = bytes.count
      while i < n {
        let c = bytes[i]
        // A UTF-8 continuation byte does not start a new column.
        let advances = c & 0xC0 != 0x80
        if inQuotes {
          if c == quote {
            if i + 1 < n && bytes[i + 1] == quote {
              buffer.append(quote)
              i += 2
              column += 2
              continue
            }
            inQuotes = false
          } else {
            buffer.append(c)
            if c == newline {
              line += 1
              column = 0
            }
          }
        } else if c == quote && buffer.allSatisfy({ $0 == space || $0 == tab }) {
          inQuotes = true
          wasQuoted = true
          buffer.removeAll(keepingCapacity: true)
          quoteStart = (line, column)
        } else if c == comma {
          endCell()
          cellColumn = column + 1
        } else if c == newline {
          endCell()
          rows.append(Row(line: rowLine, cells: cells))
          cells.removeAll(keepingCapacity: true)
          line += 1
          column = 0
          rowLine = line
          cellColumn = 1
        } else if c != cr {
          buffer.append(c)
        }
        i += 1
        if advances { column += 1 }
      }
      if inQuotes {
        diagnostics.append(
          Diagnostic(
            file: file, line: quoteStart.0, column: quoteStart.1, path: "users_csv[line \(rowLine)]",
            expected: "a closing quote", found: "the end of the file"))
      }
      if !buffer.isEmpty || !cells.isEmpty {
        endCell()
        rows.append(Row(line: rowLine, cells: cells))
      }
      return rows
    }
  }

  /// A whole number written with optional sign and `_` separators, or nil.
  static func parseInt(_ s: String) -> Int? {
    var value = 0
    var negative = false
    var digits = 0
    for (k, b) in s.utf8.enumerated() {
      switch b {
      case UInt8(ascii: "-") where k == 0: negative = true
      case UInt8(ascii: "+") where k == 0: continue
      case UInt8(ascii: "_") where digits > 0: continue
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(Int(b - UInt8(ascii: "0")))
        if o1 || o2 { return nil }
        value = a
        digits += 1
      default: return nil
      }
    }
    return digits > 0 ? (negative ? -value : value) : nil
  }
}
