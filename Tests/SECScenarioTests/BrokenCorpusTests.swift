import Foundation
import SECScenario
import Testing

/// One expected problem of a broken fixture: where, which field, and a fragment of
/// the message (`expected …, found …`).
struct ExpectedProblem: Sendable, CustomStringConvertible {
  var file: String
  var line: Int
  var column: Int
  var path: String
  var fragment: String
  var description: String { "\(file):\(line):\(column) \(path)" }
}

/// Every fixture in Fixtures/broken and the problems it must yield, all of them, in
/// reading order. (A CSV problem names the CSV file.)
let brokenCorpus: [(scenario: String, problems: [ExpectedProblem])] = {
  func p(_ file: String, _ line: Int, _ column: Int, _ path: String, _ fragment: String) -> ExpectedProblem {
    ExpectedProblem(file: file, line: line, column: column, path: path, fragment: fragment)
  }
  func one(_ file: String, _ line: Int, _ column: Int, _ path: String, _ fragment: String) -> (String, [ExpectedProblem]) {
    (file, [p(file, line, column, path, fragment)])
  }
  return [
    one("01-yaml-syntax.yaml", 13, 1, "yaml", "expected valid YAML, found did not find expected ',' or '}'"),
    one("02-duplicate-key.yaml", 2, 1, "yaml", "found key \"name\" more than once"),
    (
      "03-unknown-top-key.yaml",
      [
        p("03-unknown-top-key.yaml", 1, 1, "horizon_years", "found nothing (the field is missing)"),
        p("03-unknown-top-key.yaml", 4, 1, "horizon_year", "(did you mean \"horizon_years\"?)"),
      ]
    ),
    one("04-unknown-process.yaml", 14, 3, "processes.failur", "unknown key \"failur\" (did you mean \"failure\"?)"),
    one("05-quoted-year.yaml", 3, 13, "start_year", "expected a year between 1900 and 2300, found \"2025\""),
    one("06-missing-name.yaml", 1, 1, "name", "found nothing (the field is missing)"),
    one("07-negative-count.yaml", 8, 71, "population.users[A].domestic_premises", "whole number ≥ 0), found -5"),
    one(
      "08-probability-above-one.yaml", 15, 27, "processes.second_systems.adoption_probability",
      "expected a probability between 0 and 1, found 1.5"),
    one("09-outcomes-not-summing.yaml", 16, 14, "processes.outcomes.fusa.small", "summing to 1, found a sum of 0.9"),
    one("10-threshold-zero.yaml", 12, 93, "policies[today].counting.threshold", "expected a number > 0, found 0"),
    one("11-threshold-negative.yaml", 14, 41, "policies[meters].counting.threshold", "expected a number > 0, found -5"),
    one("12-no-baseline.yaml", 12, 3, "policies", "found no baseline"),
    one("13-two-baselines.yaml", 13, 30, "policies[meters].baseline", "found a second baseline (first: today)"),
    one("14-baseline-not-among-policies.yaml", 13, 11, "baseline", "not among the policies (did you mean \"today\"?)"),
    one("15-duplicate-user.yaml", 11, 7, "population.users[A].id", "found \"A\" again"),
    one("16-duplicate-policy.yaml", 13, 12, "policies[1].name", "found \"today\" again (policies[0])"),
    one("17-event-unknown-user.yaml", 14, 24, "events[0].user", "found unknown User \"C\""),
    one("18-unknown-regime.yaml", 5, 9, "regime", "unknown regime \"sec-curent\" (did you mean \"sec-current\"?)"),
    (
      "19-users-csv-bad-row.yaml",
      [p("19-users.csv", 3, 17, "users_csv[B].domestic_premises", "found \"12abc\"")]
    ),
    one("20-users-csv-missing.yaml", 7, 14, "population.users_csv", "found no file at no-such-users.csv"),
    one("21-unknown-role.yaml", 9, 23, "population.users[B].roles[0]", "found \"suplier\" (did you mean \"supplier\"?)"),
    one("22-unknown-srp.yaml", 10, 82, "population.users[A].srp", "found unknown SRP \"SRP9\" (did you mean \"SRP1\"?)"),
    one("23-event-year-outside-horizon.yaml", 14, 12, "events[0].year", "a year from 2025 to 2028 (the horizon), found 2040"),
    one("24-solr-not-a-supplier.yaml", 14, 49, "events[0].solr", "found \"E1\", not a supplier"),
    (
      "25-bad-series.yaml",
      [
        p("25-bad-series.yaml", 15, 21, "processes.entry.rate[twenty]", "a year as the key of a per-year series"),
        p("25-bad-series.yaml", 16, 39, "processes.entry.initial_size_log_sd", "at most 4 yearly values"),
      ]
    ),
    one("26-label-without-source.yaml", 13, 29, "day_rate_gbp.source", "a citation for a parameter labelled proxy"),
    one("27-effort-min-above-mode.yaml", 15, 23, "processes.effort.follow_up_review", "min ≤ mode ≤ max"),
    one("28-detection-order.yaml", 15, 16, "processes.issues.detection", "fusa ≥ vusa ≥ ussa"),
    one("29-meter-rule-without-threshold.yaml", 13, 30, "policies[meters].counting.threshold", "a meter rule's T must be stated"),
    one("30-format-2.yaml", 1, 9, "format", "found 2"),
    one("31-inline-regime-bad.yaml", 8, 23, "regime.roles.supplier.small", "follow_up cannot be a regular assessment"),
    (
      "32-five-problems.yaml",
      [
        p("32-five-problems.yaml", 8, 71, "population.users[A].domestic_premises", "found -5"),
        p("32-five-problems.yaml", 9, 7, "population.users[A].id", "found \"A\" again"),
        p("32-five-problems.yaml", 13, 63, "policies[today].counting.threshold", "found 0"),
        p("32-five-problems.yaml", 15, 24, "events[0].user", "unknown User \"Z\""),
        p("32-five-problems.yaml", 17, 42, "processes.second_systems.adoption_probability", "found 1.5"),
      ]
    ),
    (
      "33-users-csv-unknown-column.yaml",
      [p("33-users.csv", 1, 21, "users_csv.header", "unknown column \"domestic_premisses\" (did you mean \"domestic_premises\"?)")]
    ),
    one("34-entry-after-start.yaml", 9, 46, "population.users[B].entry_year", "later entrants are entry events"),
    one("35-empty.yaml", 1, 1, "file", "found an empty file"),
    (
      "36-wrong-types.yaml",
      [
        p("36-wrong-types.yaml", 13, 13, "replicates", "found \"many\""),
        p("36-wrong-types.yaml", 14, 6, "rng", "(did you mean \"mt19937\"?)"),
        p("36-wrong-types.yaml", 17, 29, "capacity.other_demand_per_quarter", "expected a mapping, found 5"),
      ]
    ),
  ]
}()

@Suite("broken scenario corpus")
struct BrokenCorpusTests {
  @Test("the corpus has at least 25 files and the table covers every one")
  func coverage() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: brokenFolder.path).filter { $0.hasSuffix(".yaml") }
    #expect(files.count >= 25)
    #expect(Set(files) == Set(brokenCorpus.map(\.scenario)))
  }

  @Test("each broken file yields exactly its expected problems", arguments: brokenCorpus.map(\.scenario))
  func problems(scenario: String) throws {
    let expected = try #require(brokenCorpus.first { $0.scenario == scenario }).problems
    // Name the file as a user in that folder would: diagnostics carry this name.
    let result = ScenarioFile.check(contentsOf: brokenFolder.appendingPathComponent(scenario), displayName: scenario)
    #expect(result.scenario == nil)
    #expect(result.diagnostics.count == expected.count, "\(result.diagnostics.map(\.description).joined(separator: "\n"))")
    for (d, e) in zip(result.diagnostics, expected) {
      #expect(d.file == e.file)
      #expect(d.line == e.line, "\(d)")
      #expect(d.column == e.column, "\(d)")
      #expect(d.path == e.path, "\(d)")
      #expect(d.description.contains(e.fragment), "\(d)")
      #expect(d.description.hasPrefix("\(e.file):\(e.line):\(e.column): error: \(e.path): expected "))
      #expect(d.description.contains(", found "))
    }
  }

  @Test("one file with five problems yields all five at once")
  func fiveAtOnce() {
    let result = ScenarioFile.check(contentsOf: brokenFolder.appendingPathComponent("32-five-problems.yaml"))
    #expect(result.diagnostics.count == 5)
    #expect(Set(result.diagnostics.map(\.line)).count == 5)
  }
}
