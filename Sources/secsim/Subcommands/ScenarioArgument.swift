import ArgumentParser
import Foundation
import SECRules
import SECScenario

/// The scenario a command reads: a file, a shipped scenario's name, or (absent) the
/// built-in GB default. Invalid scenarios print every problem and exit 2 (MODEL.md §9).
struct ScenarioArgument: ParsableArguments {
  @Argument(help: "Scenario file, or the name of a shipped scenario (see `secsim scenarios`). Default: the built-in GB default.")
  var scenario: String?

  @Option(help: "Folder of shipped scenarios, for names that are not files (default: ./scenarios or the built-in ones).")
  var scenariosDir: String?

  /// A loaded scenario, its file and text (for the manifest) and its resolved policies.
  struct Loaded {
    var scenario: Scenario
    var displayName: String
    var url: URL?
    var text: String
    var policies: [Policy]
  }

  func load() throws -> Loaded {
    let url: URL
    let name: String
    if let given = scenario {
      name = given
      var candidate = URL(fileURLWithPath: given)
      if !FileManager.default.fileExists(atPath: candidate.path),
        let entry = ScenarioLibrary.find(
          given, directory: scenariosDir.map { URL(fileURLWithPath: $0) } ?? ScenarioLibrary.defaultScenariosDirectory())
      {
        candidate = entry.url
      }
      url = candidate
    } else {
      guard let builtIn = ScenarioLibrary.builtInURL(named: "gb-default") else {
        throw ValidationError("the built-in GB default scenario is missing from this build; give a scenario file")
      }
      url = builtIn
      name = "gb-default (built in)"
    }
    let result = ScenarioFile.check(contentsOf: url, displayName: name)
    guard let scenario = result.scenario, result.diagnostics.isEmpty else {
      for d in result.diagnostics { FileHandle.standardError.write(Data((d.description + "\n").utf8)) }
      throw ExitCode(ScenarioError.exitCode)
    }
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    do {
      let policies = try scenario.resolvedPolicies(near: url.deletingLastPathComponent())
      return Loaded(scenario: scenario, displayName: name, url: url, text: text, policies: policies)
    } catch {
      FileHandle.standardError.write(Data("\(name): error: regime: \(error)\n".utf8))
      throw ExitCode(ScenarioError.exitCode)
    }
  }
}
