import Crypto
import Foundation
import SECScenario

/// run.json: what a run was and how it ran (MODEL.md §7; issue 13/14). Fields other
/// than `host`, `wall_time_s` and the rates are the same for the same inputs.
public struct RunManifest: Sendable {
  public var version: String
  public var scenarioName: String
  public var scenarioFile: String
  public var scenarioText: String
  public var seed: UInt64
  public var rng: String
  public var replicates: Int
  public var threads: Int
  public var blockSize: Int
  public var blocksPerWorker: [Int]
  public var policies: [String]
  public var baseline: String
  public var capacityPerQuarter: [[Double]]
  public var otherDemandPerQuarter: [[Double]]
  public var startYear: Int
  public var wallSeconds: Double
  public var partyYears: Int64
  public var commandLine: [String]
  /// The scenario itself (for its description, parameter source labels and policy
  /// settings); nil leaves those out of run.json.
  public var scenario: Scenario?

  public init(
    version: String, scenarioName: String, scenarioFile: String, scenarioText: String, seed: UInt64, rng: String, replicates: Int,
    threads: Int, blockSize: Int, blocksPerWorker: [Int], policies: [String], baseline: String, capacityPerQuarter: [[Double]],
    otherDemandPerQuarter: [[Double]], startYear: Int, wallSeconds: Double, partyYears: Int64, commandLine: [String],
    scenario: Scenario? = nil
  ) {
    self.version = version
    self.scenarioName = scenarioName
    self.scenarioFile = scenarioFile
    self.scenarioText = scenarioText
    self.seed = seed
    self.rng = rng
    self.replicates = replicates
    self.threads = threads
    self.blockSize = blockSize
    self.blocksPerWorker = blocksPerWorker
    self.policies = policies
    self.baseline = baseline
    self.capacityPerQuarter = capacityPerQuarter
    self.otherDemandPerQuarter = otherDemandPerQuarter
    self.startYear = startYear
    self.wallSeconds = wallSeconds
    self.partyYears = partyYears
    self.commandLine = commandLine
    self.scenario = scenario
  }

  /// SHA-256 of the scenario text (its UTF-8 bytes, as read), lowercase hex.
  public var scenarioSHA256: String { RunManifest.sha256Hex(Array(scenarioText.utf8)) }

  /// SHA-256 of `bytes` in lowercase hex (swift-crypto).
  public static func sha256Hex(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { byte in
      let hex = String(byte, radix: 16)
      return hex.count == 1 ? "0" + hex : hex
    }.joined()
  }

  /// The parameters' source labels (empty without a scenario).
  public var parameterSources: [ParameterSource] { scenario.map(ScenarioFacts.parameters(of:)) ?? [] }

  /// The manifest as pretty-printed JSON with sorted keys.
  public func json() throws -> String {
    let capacity = capacityPerQuarter.enumerated().map { i, q in
      ["year": startYear + i, "assessor_days": q, "other_demand_days": otherDemandPerQuarter[i]] as [String: Any]
    }
    var scenarioObject: [String: Any] = ["name": scenarioName, "file": scenarioFile, "sha256": scenarioSHA256]
    var object: [String: Any] = [
      "secsim_version": version,
      "seed": seed,
      "rng": rng,
      "replicates": replicates,
      "threads": threads,
      "block_size": blockSize,
      "blocks_per_worker": blocksPerWorker,
      "policies": policies,
      "baseline": baseline,
      "assessor_capacity_per_quarter": capacity,
      "host": ProcessInfo.processInfo.hostName,
      "wall_time_s": wallSeconds,
      "replicates_per_s": Double(replicates) / max(wallSeconds, 1e-9),
      "party_years": partyYears,
      "party_years_per_s": Double(partyYears) / max(wallSeconds, 1e-9),
      "command_line": commandLine,
      "start_year": startYear,
      "horizon_years": capacityPerQuarter.count,
    ]
    if let scenario {
      scenarioObject["description"] = scenario.description
      let sources = parameterSources
      object["parameter_sources"] = sources.map { p in
        ["path": p.path, "label": p.label.rawValue, "source": p.source, "value": p.value] as [String: Any]
      }
      var counts: [String: Int] = [:]
      for label in SourceLabel.allCases { counts[label.rawValue] = sources.filter { $0.label == label }.count }
      object["source_label_counts"] = counts
      object["policy_settings"] = policies.compactMap { name -> [String: Any]? in
        guard let spec = scenario.policies.first(where: { $0.name == name }) else { return nil }
        var settings: [String: String] = [:]
        for (k, v) in ScenarioFacts.settings(of: spec) { settings[k] = v }
        return ["name": name, "baseline": name == baseline, "settings": settings]
      }
    }
    object["scenario"] = scenarioObject
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
