// Where shipped scenarios and regimes are found: the copy built into the binary
// (the GB default) and a `scenarios/` folder (the repository's, or one named).

import Foundation
import Yams

/// Shipped scenarios and regime names.
public enum ScenarioLibrary {
  /// One shipped scenario.
  public struct Entry: Sendable, Hashable {
    /// The file's name without `.yaml` (`gb-default`); `secsim scenarios --show NAME` takes it.
    public var name: String
    /// The scenario's `description:` (its first line).
    public var description: String
    public var url: URL
    /// Whether it is the copy built into the binary.
    public var isBuiltIn: Bool
  }

  /// The regimes shipped in `scenarios/regimes/` (helper files may add more there).
  public static let shippedRegimeNames = ["sec-current", "sec-pre-mp0059", "sec-networks-banded"]

  /// The folder of scenarios built into the binary (SECScenario's resources).
  public static var builtInDirectory: URL? {
    Bundle.module.url(forResource: "Resources", withExtension: nil)
  }

  /// A built-in scenario by name (`gb-default`).
  public static func builtInURL(named name: String) -> URL? {
    Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "Resources")
  }

  /// The scenarios folder to list when none is named: `$SECSIM_SCENARIOS`, else
  /// `./scenarios` if it exists, else the first `scenarios/` folder holding
  /// `gb-default.yaml` in the folders above the running executable (a repository
  /// checkout's build). Nil when none is found.
  public static func defaultScenariosDirectory() -> URL? {
    let fm = FileManager.default
    func isScenarios(_ url: URL) -> Bool { fm.fileExists(atPath: url.appendingPathComponent("gb-default.yaml").path) }
    if let env = ProcessInfo.processInfo.environment["SECSIM_SCENARIOS"], !env.isEmpty {
      return URL(fileURLWithPath: env, isDirectory: true)
    }
    let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("scenarios", isDirectory: true)
    if isScenarios(cwd) { return cwd }
    var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<6 {
      let candidate = dir.appendingPathComponent("scenarios", isDirectory: true)
      if isScenarios(candidate) { return candidate }
      let parent = dir.deletingLastPathComponent()
      if parent == dir { break }
      dir = parent
    }
    return nil
  }

  /// Every shipped scenario: those in `directory` (if any), then built-in ones not
  /// shadowed by a file of the same name, sorted by name.
  public static func list(directory: URL?) -> [Entry] {
    var entries: [String: Entry] = [:]
    if let builtIn = builtInDirectory {
      for url in yamlFiles(in: builtIn) {
        let name = url.deletingPathExtension().lastPathComponent
        entries[name] = Entry(name: name, description: describe(url), url: url, isBuiltIn: true)
      }
    }
    if let directory {
      for url in yamlFiles(in: directory) {
        let name = url.deletingPathExtension().lastPathComponent
        entries[name] = Entry(name: name, description: describe(url), url: url, isBuiltIn: false)
      }
    }
    return entries.values.sorted { $0.name < $1.name }
  }

  /// A shipped scenario by name (with or without `.yaml`).
  public static func find(_ name: String, directory: URL?) -> Entry? {
    let stem = name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name
    return list(directory: directory).first { $0.name == stem }
  }

  /// Regime names a scenario in `directory` may use: the shipped names, plus every
  /// `*.yaml` in `directory/regimes`, `directory/../regimes` and the built-in
  /// `regimes` folder.
  public static func regimeNames(near directory: URL?) -> Set<String> {
    var names = Set(shippedRegimeNames)
    var folders: [URL] = []
    if let directory {
      folders.append(directory.appendingPathComponent("regimes"))
      folders.append(directory.deletingLastPathComponent().appendingPathComponent("regimes"))
    }
    if let builtIn = builtInDirectory { folders.append(builtIn.appendingPathComponent("regimes")) }
    for folder in folders {
      for url in yamlFiles(in: folder) { names.insert(url.deletingPathExtension().lastPathComponent) }
    }
    return names
  }

  static func yamlFiles(in directory: URL) -> [URL] {
    let items = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
    return items.filter { $0.pathExtension == "yaml" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
  }

  /// The first line of a scenario's `description:` (empty if unreadable).
  static func describe(_ url: URL) -> String {
    guard let text = try? String(contentsOf: url, encoding: .utf8), let root = try? Yams.compose(yaml: text),
      let d = root["description"]?.string
    else { return "" }
    return d.split(separator: "\n").first.map(String.init) ?? ""
  }
}
