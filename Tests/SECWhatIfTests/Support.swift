import Foundation
import SECWhatIf
import Testing

/// The repository's scenarios folder.
let scenariosFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("scenarios")

/// A template of a shipped scenario file.
func shippedTemplate(_ name: String) throws -> ScenarioTemplate {
  let url = scenariosFolder.appendingPathComponent("\(name).yaml")
  return try ScenarioTemplate(text: String(contentsOf: url, encoding: .utf8), file: "\(name).yaml", baseDirectory: scenariosFolder)
}

/// The default scenario with every effort distribution made a point mass at its
/// mode (zero effort variance): `--set` of each min and max to the mode.
func zeroEffortVariance(_ template: ScenarioTemplate) throws -> ScenarioTemplate {
  var template = template
  var stems = ["processes.effort.follow_up_review"]
  for kind in ["fusa", "vusa", "ussa", "initial_fusa"] {
    for host in ["bespoke", "srp"] { stems.append("processes.effort.\(kind).\(host)") }
  }
  var settings: [ParameterRange] = []
  for stem in stems {
    let v = try #require(try template.value(at: "\(stem).mode"))
    settings += [ParameterRange(path: "\(stem).min", low: v, high: v), ParameterRange(path: "\(stem).max", low: v, high: v)]
  }
  try template.fix(settings)
  return template
}
