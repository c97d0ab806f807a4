import ArgumentParser
import Foundation
import SECScenario

/// `secsim validate FILE…`: checks scenario files and lists every problem, one line
/// each in the compiler's format (MODEL.md §9 exit codes: 0 valid, 2 invalid, 64 usage).
struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check scenario files and list every problem.",
    discussion: """
      Each problem is one line on standard error: FILE:LINE:COLUMN: error: FIELD.PATH: \
      expected …, found …. All problems of all files are listed. A name that is not a \
      file but a shipped scenario (see `secsim scenarios`) is checked too. Exit status: \
      0 when every file is valid, 2 when any is invalid.
      """)

  @Argument(help: "Scenario files (YAML) to check.")
  var files: [String]

  @Option(help: "Folder of shipped scenarios, for names that are not files (default: ./scenarios or the built-in ones).")
  var scenariosDir: String?

  func run() throws {
    var invalid = false
    for file in files {
      var url = URL(fileURLWithPath: file)
      if !FileManager.default.fileExists(atPath: url.path),
        let entry = ScenarioLibrary.find(
          file, directory: scenariosDir.map { URL(fileURLWithPath: $0) } ?? ScenarioLibrary.defaultScenariosDirectory())
      {
        url = entry.url
      }
      let result = ScenarioFile.check(contentsOf: url, displayName: file)
      if let scenario = result.scenario, result.diagnostics.isEmpty {
        let users = scenario.population.allUsers.count
        var line =
          "\(file): ok (\(scenario.name): \(users) Users, \(scenario.policies.count) policies, baseline \(scenario.baseline?.name ?? "?")"
        if !result.defaultedFields.isEmpty { line += "; from gb-default: \(result.defaultedFields.joined(separator: ", "))" }
        print(line + ")")
      } else {
        invalid = true
        for d in result.diagnostics { FileHandle.standardError.write(Data((d.description + "\n").utf8)) }
      }
    }
    if invalid { throw ExitCode(ScenarioError.exitCode) }
  }
}
