import Foundation
import SECRules
import SECScenario
import Testing

@Suite("Users CSV")
struct UsersCSVTests {
  /// A CSV of `n` suppliers, spread over three SRPs and bespoke systems.
  static func generated(_ n: Int) -> String {
    var text = "id,name,roles,entry_year,anniversary_quarter,cycle_position,domestic_premises,non_domestic_premises,domestic_meters,srp\n"
    text.reserveCapacity(n * 64)
    for i in 0..<n {
      let srp = i % 4 == 0 ? "" : "SRP\(i % 3 + 1)"
      text += "U\(i),\"User \(i), Ltd\",supplier,\(2017 + i % 8),\(i % 4 + 1),\(i % 3 + 1),\(1000 + i * 7),\(i % 50),\(2000 + i),\(srp)\n"
    }
    return text
  }

  @Test("a 10,000-row CSV loads completely and correctly")
  func tenThousand() throws {
    let text = Self.generated(10_000)
    let start = ContinuousClock.now
    let result = UsersCSV.parse(text, file: "users.csv", startYear: 2025)
    let elapsed = ContinuousClock.now - start
    print("UsersCSV.parse of 10,000 rows: \(elapsed)")  // a figure for the notes, not an assertion
    #expect(result.diagnostics.isEmpty)
    #expect(result.users.count == 10_000)
    let u = result.users[9_999]
    #expect(u.id == "U9999" && u.name == "User 9999, Ltd" && u.roles == [.supplier])
    #expect(u.entryYear == 2017 + 9_999 % 8 && u.anniversaryQuarter == 4 && u.cyclePositions[.supplier] == 1)
    #expect(u.domesticPremises == 1000 + 9_999 * 7 && u.nonDomesticPremises == 49 && u.domesticMeters == 11_999)
    #expect(u.systems == [UserSystemSpec(id: "U9999-1", srp: "SRP1")])
    #expect(result.users[0].systems.isEmpty)
    #expect(result.lines[0] == 2 && result.lines[9_999] == 10_001)
  }

  @Test("a 10,000-row CSV behind a scenario validates")
  func throughScenario() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secsim-csv-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try Self.generated(10_000).write(to: dir.appendingPathComponent("users.csv"), atomically: true, encoding: .utf8)
    let yaml = """
      format: 1
      name: big
      start_year: 2025
      horizon_years: 3
      regime: sec-current
      population:
        srps: [{id: SRP1}, {id: SRP2}, {id: SRP3}]
        users_csv: users.csv
      policies:
        - {name: today, baseline: true, counting: {rule: premises_weighted, weight: 5, threshold: 250000}}
      """
    try yaml.write(to: dir.appendingPathComponent("big.yaml"), atomically: true, encoding: .utf8)
    let result = ScenarioFile.check(contentsOf: dir.appendingPathComponent("big.yaml"), displayName: "big.yaml")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.prefix(3))")
    #expect(result.scenario?.population.allUsers.count == 10_000)
  }

  @Test("a malformed row names its line and column, and every bad cell is reported")
  func malformedRow() {
    let text = """
      id,roles,entry_year,domestic_premises
      A,supplier,2020,100
      B,supplier,20x0,-4
      "C, quoted",other_user,2019,5
      D,supplier,2021
      E,gas_transportr,2019,0

      """
    let result = UsersCSV.parse(text, file: "u.csv", startYear: 2025)
    let lines = result.diagnostics.map(\.description)
    #expect(
      lines == [
        "u.csv:3:12: error: users_csv[B].entry_year: expected a year from 1900 to start_year 2025, found \"20x0\"",
        "u.csv:3:17: error: users_csv[B].domestic_premises: expected a count (a whole number ≥ 0), found \"-4\"",
        "u.csv:4:1: error: users_csv[line 4].id: expected an identifier (letters, digits, '-', '_' or '.'), found \"C, quoted\"",
        "u.csv:5:12: error: users_csv[line 5]: expected 4 cells (as in the header), found 3",
        "u.csv:6:3: error: users_csv[E].roles: expected User Roles separated by ';' (supplier, electricity_distributor, gas_transporter, other_user, registered_supplier_agent); did you mean \"gas_transporter\"?, found \"gas_transportr\"",
      ])
    #expect(result.users.map(\.id) == ["A"])
  }

  @Test("a missing required column and an unclosed quote are reported")
  func headerAndQuote() {
    let r1 = UsersCSV.parse("id,entry_year\nA,2020\n", file: "u.csv", startYear: 2025)
    #expect(r1.diagnostics.map(\.description) == ["u.csv:1:1: error: users_csv.header: expected a column \"roles\", found none"])
    let r2 = UsersCSV.parse("id,roles,entry_year\n\"A,supplier,2020\n", file: "u.csv", startYear: 2025)
    #expect(r2.diagnostics.contains { $0.line == 2 && $0.column == 1 && $0.expected == "a closing quote" })
  }
}
