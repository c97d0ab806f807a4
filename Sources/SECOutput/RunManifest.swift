import Foundation

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

  public init(
    version: String, scenarioName: String, scenarioFile: String, scenarioText: String, seed: UInt64, rng: String, replicates: Int,
    threads: Int, blockSize: Int, blocksPerWorker: [Int], policies: [String], baseline: String, capacityPerQuarter: [[Double]],
    otherDemandPerQuarter: [[Double]], startYear: Int, wallSeconds: Double, partyYears: Int64, commandLine: [String]
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
  }

  /// The manifest as pretty-printed JSON with sorted keys.
  public func json() throws -> String {
    let capacity = capacityPerQuarter.enumerated().map { i, q in
      ["year": startYear + i, "assessor_days": q, "other_demand_days": otherDemandPerQuarter[i]] as [String: Any]
    }
    let object: [String: Any] = [
      "secsim_version": version,
      "scenario": ["name": scenarioName, "file": scenarioFile],
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
    ]
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
