import Foundation
import SECScenario
import Testing

/// Scheduled acquisitions (`event: acquisition`, `buyer:`) and replayed entry counts
/// (`entry.exact_until`), added for the GB history replay (issue 17).
@Suite("acquisition events and replayed entry counts")
struct AcquisitionAndReplayTests {
  static let users = minimalScenario.replacingOccurrences(
    of: "{id: A, roles: [supplier], entry_year: 2020, domestic_premises: 1000}\n",
    with: "{id: A, roles: [supplier], entry_year: 2020, domestic_premises: 1000}\n"
      + "    - {id: B, roles: [supplier], entry_year: 2020, domestic_premises: 500}\n"
      + "    - {id: C, roles: [supplier], entry_year: 2020, domestic_premises: 2000000}\n"
      + "    - {id: N, roles: [electricity_distributor], entry_year: 2020, domestic_premises: 500}\n")

  static let stated =
    users + """
      processes:
        entry: {rate: {value: {2025: 3, 2027: 0.5}}, initial_size_log_mean: 9, initial_size_log_sd: 1, non_domestic_only_share: 0, anniversary_quarter_random: true, exact_until: 2026}
      events:
        - {year: 2026, user: A, event: acquisition, buyer: B}
        - {year: 2025, user: C, event: failure}
        - {year: 2026, user: C, event: acquisition, buyer: B}

      """

  @Test("an acquisition names its buyer; exact_until makes the years up to it replayed counts; left out, Poisson every year")
  func read() throws {
    let s = try ScenarioFile.load(yaml: Self.stated, file: "t.yaml", baseDirectory: nil)
    #expect(s.events.map(\.eventName) == ["acquisition", "failure", "acquisition"])
    #expect(s.events[0] == ScheduledEvent(year: 2026, user: "A", kind: .acquisition(buyer: "B")))
    // A failure followed by an acquisition: the sale of a book in special administration.
    #expect(s.events[2] == ScheduledEvent(year: 2026, user: "C", kind: .acquisition(buyer: "B")))
    let entry = s.processes.entry
    #expect(entry.exactUntil == 2026)
    #expect(entry.isExact(inYear: 2025) && entry.isExact(inYear: 2026))
    #expect(!entry.isExact(inYear: 2027))
    let plain = try ScenarioFile.load(yaml: minimalScenario, file: "t.yaml", baseDirectory: nil)
    #expect(plain.processes.entry.exactUntil == nil && !plain.processes.entry.isExact(inYear: 2025))
  }

  @Test("both round-trip through YAML; left out, exact_until stays out")
  func roundTrip() throws {
    let first = try ScenarioFile.load(yaml: Self.stated, file: "t.yaml", baseDirectory: nil)
    let text = try first.yaml()
    #expect(text.contains("event: acquisition") && text.contains("buyer: B") && text.contains("exact_until: 2026"))
    let second = try ScenarioFile.load(yaml: text, file: "again.yaml", baseDirectory: nil, useDefaults: false)
    #expect(first == second)
    #expect(try second.yaml() == text)
    let plain = try ScenarioFile.load(yaml: minimalScenario, file: "t.yaml", baseDirectory: nil)
    #expect(try !plain.yaml().contains("exact_until"))
  }

  @Test(
    "a bad acquisition or replayed count is reported at its line and column with its path",
    arguments: [
      (
        "{year: 2026, user: A, event: acquisition, buyer: B}", "{year: 2026, user: A, event: acquisition}",
        "t.yaml:17:5: error: events[0].buyer: expected the supplier that takes over the customers, found nothing (the field is missing)"
      ),
      (
        "{year: 2026, user: A, event: acquisition, buyer: B}", "{year: 2026, user: A, event: acquisition, buyer: Q}",
        "t.yaml:17:54: error: events[0].buyer: expected a supplier (the buyer of the customers), found \"Q\", not a supplier of the population"
      ),
      (
        "{year: 2026, user: A, event: acquisition, buyer: B}", "{year: 2026, user: A, event: acquisition, buyer: A}",
        "t.yaml:17:54: error: events[0].buyer: expected a buyer other than the acquired User, found \"A\""
      ),
      (
        "{year: 2026, user: A, event: acquisition, buyer: B}", "{year: 2026, user: N, event: acquisition, buyer: B}",
        "t.yaml:17:24: error: events[0].user: expected a supplier (an acquisition moves a supplier's customers), found \"N\""
      ),
      (
        "{year: 2026, user: A, event: acquisition, buyer: B}",
        "{year: 2026, user: A, event: acquisition, buyer: B}\n  - {year: 2027, user: A, event: failure}",
        "t.yaml:18:12: error: events[1].year: expected a year ≤ A's acquisition in 2026, found 2027"
      ),
      (
        "{year: 2026, user: A, event: acquisition, buyer: B}", "{year: 2026, user: A, event: acquisition, solr: B}",
        "t.yaml:17:47: error: events[0].solr: expected a known key, found unknown key \"solr\" (known keys: year, user, event, buyer)"
      ),
      (
        "{year: 2026, user: A, event: acquisition, buyer: B}",
        "{year: 2026, user: A, event: acquisition, buyer: B}\n  - {year: 2026, user: A, event: acquisition, buyer: C}",
        "t.yaml:18:12: error: events[1].year: expected one acquisition per User, found a second acquisition (first in 2026)"
      ),
      (
        "{year: 2025, user: C, event: failure}", "{year: 2025, user: C, event: failure, solr: C}",
        "t.yaml:18:49: error: events[1].solr: expected a Supplier of Last Resort other than the failing User, found \"C\""
      ),
      (
        "exact_until: 2026}", "exact_until: 2027}",
        "t.yaml:15:17: error: processes.entry.rate: expected a whole number of entrants in every year up to exact_until 2027 (a replayed count), found 0.5 in 2027"
      ),
    ])
  func located(_ find: String, _ replace: String, _ message: String) {
    expectDiagnostic(Self.stated, replacing: find, with: replace, message)
  }
}
