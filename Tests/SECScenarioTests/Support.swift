import Foundation
import SECScenario
import Testing

/// The repository's root folder (two levels above this test file's folder).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// `scenarios/` of the repository.
let scenariosFolder = repositoryRoot.appendingPathComponent("scenarios")

/// The folder of broken scenario fixtures.
let brokenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/broken")

/// Checks scenario text written in a test (no folder; named `test.yaml`).
func check(_ yaml: String, file: String = "test.yaml", defaults: Bool = true) -> ScenarioCheck {
  ScenarioFile.check(yaml: yaml, file: file, baseDirectory: nil, useDefaults: defaults)
}

/// Replaces `find` in `yaml` (which must contain it) and expects `message`, a whole
/// `FILE:LINE:COLUMN: error: …` line, among the diagnostics of checking it as `t.yaml`.
func expectDiagnostic(
  _ yaml: String, replacing find: String, with replace: String, _ message: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(yaml.contains(find), sourceLocation: sourceLocation)
  let r = check(yaml.replacingOccurrences(of: find, with: replace), file: "t.yaml")
  #expect(r.diagnostics.map(\.description).contains(message), "\(r.diagnostics.map(\.description))", sourceLocation: sourceLocation)
}

/// A minimal valid scenario; tests append or replace lines.
let minimalScenario = """
  format: 1
  name: minimal
  start_year: 2025
  horizon_years: 4
  regime: sec-current
  population:
    users:
      - {id: A, roles: [supplier], entry_year: 2020, domestic_premises: 1000}
  policies:
    - {name: today, baseline: true, counting: {rule: premises_weighted, weight: 5, threshold: 250000}}

  """
