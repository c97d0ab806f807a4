import Foundation
import Testing
import _SECSimTestSupport

/// The repository's folders, from this file's place in it.
private let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let broken = repo.appendingPathComponent("Tests/SECScenarioTests/Fixtures/broken")
private let scenarios = repo.appendingPathComponent("scenarios")

@Suite("secsim validate and secsim scenarios")
struct ScenarioCommandTests {
  @Test("validate accepts every shipped scenario with exit 0")
  func validShipped() throws {
    let names = ["gb-default", "secmp0059", "secmp0044", "second-user-system", "supplier-crisis", "deterministic"]
    let result = try runSecsim(["validate"] + names.map { "\($0).yaml" }, in: scenarios)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    #expect(result.stdout.split(separator: "\n").count == names.count)
  }

  @Test(
    "validate lists every problem in compiler format and exits 2",
    arguments: [
      (
        "10-threshold-zero.yaml",
        ["10-threshold-zero.yaml:12:93: error: policies[today].counting.threshold: expected a number > 0, found 0"]
      ),
      (
        "19-users-csv-bad-row.yaml",
        ["19-users.csv:3:17: error: users_csv[B].domestic_premises: expected a count (a whole number ≥ 0), found \"12abc\""]
      ),
      ("01-yaml-syntax.yaml", ["01-yaml-syntax.yaml:13:1: error: yaml: expected valid YAML, found "]),
      ("32-five-problems.yaml", ["32-five-problems.yaml:8:71: ", ":9:7: ", ":13:63: ", ":15:24: ", ":17:42: "]),
    ])
  func invalid(file: String, fragments: [String]) throws {
    let result = try runSecsim(["validate", file], in: broken)
    #expect(result.status == 2)
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(lines.count == fragments.count, "\(result.stderr)")
    for (line, fragment) in zip(lines, fragments) { #expect(line.contains(fragment), "\(line)") }
  }

  @Test("validate reports every file's problems and exits 2 if any is invalid")
  func several() throws {
    let result = try runSecsim(
      ["validate", "12-no-baseline.yaml", "15-duplicate-user.yaml", "../../../../scenarios/deterministic.yaml"], in: broken)
    #expect(result.status == 2)
    #expect(result.stderr.contains("12-no-baseline.yaml:12:3: error: policies:"))
    #expect(result.stderr.contains("15-duplicate-user.yaml:11:7: error: population.users[A].id:"))
    #expect(result.stdout.contains("deterministic.yaml: ok"))
  }

  @Test("validate without files is a usage error (64)")
  func usage() throws {
    #expect(try runSecsim(["validate"]).status == 64)
  }

  @Test("scenarios lists the shipped scenarios; --show prints one byte for byte")
  func list() throws {
    let listing = try runSecsim(["scenarios", "--scenarios-dir", scenarios.path])
    #expect(listing.status == 0)
    for name in ["gb-default", "secmp0059", "secmp0044", "second-user-system", "supplier-crisis", "deterministic"] {
      #expect(listing.stdout.contains("\(name) "), "\(listing.stdout)")
    }
    let shown = try runSecsim(["scenarios", "--show", "deterministic", "--scenarios-dir", scenarios.path])
    #expect(shown.status == 0)
    #expect(shown.stdout == (try String(contentsOf: scenarios.appendingPathComponent("deterministic.yaml"), encoding: .utf8)))
    #expect(try runSecsim(["scenarios", "--show", "no-such"]).status == 64)
  }

  @Test("the built-in default is listed and shown from an empty folder")
  func builtIn() throws {
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("secsim-empty-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: empty) }
    let listing = try runSecsim(["scenarios", "--scenarios-dir", empty.path])
    #expect(listing.stdout.contains("gb-default") && listing.stdout.contains("[built in]"))
    let shown = try runSecsim(["scenarios", "--show", "gb-default", "--scenarios-dir", empty.path])
    #expect(shown.stdout == (try String(contentsOf: scenarios.appendingPathComponent("gb-default.yaml"), encoding: .utf8)))
  }
}
