import Foundation

/// The JSON record a what-if command writes beside its CSV (sweep.json,
/// sensitivity.json, discovery.json): what was run, on what, with which seed, so a
/// result can be reproduced. Only `wall_seconds` varies between identical runs.
public struct WhatIfManifest: Codable, Sendable {
  public struct Parameter: Codable, Sendable {
    public var path: String
    public var field: String
    public var low: Double
    public var high: Double
    public var wholeNumber: Bool
    public var inert: Bool
    public var scenarioValue: Double?
  }

  public var format = 1
  public var command: String
  public var secsimVersion: String
  public var scenarioName: String
  public var scenarioFile: String
  public var parameters: [Parameter]
  public var settings: [String]
  public var design: String
  public var samples: Int
  public var points: Int
  public var replicates: Int
  public var seed: UInt64
  public var rng: String
  public var threads: Int
  public var policies: [String]
  public var startYear: Int
  public var years: Int
  public var partyYears: Int64
  public var wallSeconds: Double
  public var commandLine: [String]

  public init(
    command: String, secsimVersion: String, scenarioName: String, scenarioFile: String, parameters: [SweptParameter],
    settings: [String], design: String, samples: Int, points: Int, replicates: Int, seed: UInt64, rng: String, threads: Int,
    policies: [String], startYear: Int, years: Int, partyYears: Int64, wallSeconds: Double, commandLine: [String]
  ) {
    self.command = command
    self.secsimVersion = secsimVersion
    self.scenarioName = scenarioName
    self.scenarioFile = scenarioFile
    self.parameters = parameters.map {
      Parameter(
        path: $0.name, field: $0.canonicalPath, low: $0.range.low, high: $0.range.high, wholeNumber: $0.wholeNumber,
        inert: $0.range.isInert, scenarioValue: $0.baseValue)
    }
    self.settings = settings
    self.design = design
    self.samples = samples
    self.points = points
    self.replicates = replicates
    self.seed = seed
    self.rng = rng
    self.threads = threads
    self.policies = policies
    self.startYear = startYear
    self.years = years
    self.partyYears = partyYears
    self.wallSeconds = wallSeconds
    self.commandLine = commandLine
  }

  /// Pretty-printed JSON with sorted keys and snake_case names.
  public func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
  }
}

extension WhatIfManifest {
  /// The manifest of a sweep or sensitivity analysis from its plan: what
  /// `secsim sweep`/`sensitivity` and a merge of their shards both write.
  public init(
    plan: DesignPlan, secsimVersion: String, scenarioName: String, scenarioFile: String, settings: [String], replicates: Int,
    rng: String, threads: Int, partyYears: Int64, wallSeconds: Double, commandLine: [String]
  ) {
    self.init(
      command: plan.command.rawValue, secsimVersion: secsimVersion, scenarioName: scenarioName, scenarioFile: scenarioFile,
      parameters: plan.parameters, settings: settings, design: plan.design, samples: plan.samples, points: plan.pointCount,
      replicates: replicates, seed: plan.seed, rng: rng, threads: threads, policies: plan.policies, startYear: plan.startYear,
      years: plan.years, partyYears: partyYears, wallSeconds: wallSeconds, commandLine: commandLine)
  }
}

/// The files `secsim sweep` and `secsim sensitivity` write, from the finished
/// analysis alone, so a merge of their shards writes the same bytes.
public enum WhatIfOutputs {
  /// sweep.csv, frontier.csv, sweep.html, sweep.json.
  public static func sweep(_ s: Sweep, scenarioName: String, manifest: WhatIfManifest) throws -> [(name: String, text: String)] {
    [
      ("sweep.csv", SweepTables.sweep(s)), ("frontier.csv", SweepTables.frontier(s)),
      ("sweep.html", SweepReport.html(s, scenarioName: scenarioName)), ("sweep.json", try manifest.json()),
    ]
  }

  /// sensitivity.csv, sensitivity.html, sensitivity.json.
  public static func sensitivity(
    _ a: SensitivityAnalysis, scenarioName: String, manifest: WhatIfManifest
  ) throws -> [(name: String, text: String)] {
    [
      ("sensitivity.csv", SensitivityTables.csv(a)), ("sensitivity.html", SensitivityReport.html(a, scenarioName: scenarioName)),
      ("sensitivity.json", try manifest.json()),
    ]
  }
}
