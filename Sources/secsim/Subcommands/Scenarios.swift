import ArgumentParser
import Foundation
import SECScenario

/// `secsim scenarios`: lists the shipped scenarios; `--show NAME` prints one.
struct Scenarios: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List the shipped scenarios, or print one to start from a copy.",
    discussion: """
      Scenarios come from the folder given by --scenarios-dir, else $SECSIM_SCENARIOS, \
      else ./scenarios, else a scenarios/ folder above the secsim executable (a repository \
      checkout), plus the GB default built into secsim. `secsim scenarios --show NAME > mine.yaml` \
      copies one.
      """)

  @Option(name: .long, help: "Print this scenario's file (name without .yaml).")
  var show: String?

  @Option(help: "Folder of scenario files to list.")
  var scenariosDir: String?

  func run() throws {
    let dir = scenariosDir.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? ScenarioLibrary.defaultScenariosDirectory()
    if let scenariosDir, !FileManager.default.fileExists(atPath: scenariosDir) {
      throw ValidationError("no folder \(scenariosDir)")
    }
    let entries = ScenarioLibrary.list(directory: dir)
    if let show {
      guard let entry = ScenarioLibrary.find(show, directory: dir) else {
        throw ValidationError("no shipped scenario named \"\(show)\" (known: \(entries.map(\.name).joined(separator: ", ")))")
      }
      let data = try Data(contentsOf: entry.url)
      FileHandle.standardOutput.write(data)
      return
    }
    let width = entries.map(\.name.count).max() ?? 0
    for e in entries {
      let name = e.name.padding(toLength: width, withPad: " ", startingAt: 0)
      print("\(name)  \(e.description)\(e.isBuiltIn ? " [built in]" : "")")
    }
  }
}
