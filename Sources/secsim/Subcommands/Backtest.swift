import ArgumentParser
import Foundation
import GSL
import SECEngine
import SECOutput
import SECRules
import SECScenario

/// `secsim backtest`: runs a scenario and scores its market metrics against observed
/// series (docs/validation.md).
struct BacktestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backtest",
    abstract: "Run a scenario and score its market metrics against an observed-series CSV.",
    discussion: """
      Writes backtest.csv (series, year, use, observed, p05, p50, p95, inside, \
      percentile, source) and backtest.html (headline coverage and median absolute \
      percentage error by series, scored separately for calibration and held-out \
      points; one chart per series) into --out, all or nothing. The observed CSV has \
      the columns series,year,value,source,use (docs/validation.md); a malformed one \
      is reported as FILE:LINE:COLUMN and exits 2.
      """)

  @OptionGroup var input: ScenarioArgument

  @Option(help: "Observed series (CSV: series,year,value,source,use).")
  var observed: String

  @Option(help: "Replicates (random futures) to run. Default: the scenario's `replicates`.")
  var replicates: Int?

  @Option(help: "Master seed; any 64-bit number. Default: the scenario's `seed`.")
  var seed: UInt64?

  @Option(help: "Worker threads (results do not depend on it).")
  var threads: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Output folder (replaced whole at the end of a successful run).")
  var out: String = "out/backtest"

  func validate() throws {
    if let replicates, replicates < 1 {
      throw ValidationError("--replicates must be at least 1 (found \(replicates))")
    }
    if threads < 1 { throw ValidationError("--threads must be at least 1 (found \(threads))") }
  }

  func run() throws {
    let loaded = try input.load()
    let scenario = loaded.scenario
    let observedURL = URL(fileURLWithPath: observed)
    let text: String
    do {
      text = try String(contentsOf: observedURL, encoding: .utf8)
    } catch {
      FileHandle.standardError.write(Data("\(observed): error: cannot read the observed CSV: \(error.localizedDescription)\n".utf8))
      throw ExitCode(ScenarioError.exitCode)
    }
    let points: [ObservedPoint]
    do {
      points = try ObservedCSV.parse(
        text, file: observed, years: scenario.startYear...(scenario.startYear + scenario.horizonYears - 1))
    } catch let error as ObservedCSVError {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      throw ExitCode(ScenarioError.exitCode)
    }
    // Market metrics do not depend on the policy: the baseline alone is run.
    guard let baseline = loaded.policies.first(where: { $0.name == scenario.baseline?.name }) ?? loaded.policies.first else {
      throw ExitCode(ScenarioError.exitCode)
    }
    let engineInput = EngineInput(scenario: scenario, policies: [baseline], baseline: 0)
    let algorithm = try RNGAlgorithm(named: scenario.rng.rawValue)
    let configuration = RunConfiguration(
      seed: seed ?? scenario.seed, replicates: replicates ?? scenario.replicates, threads: threads, algorithm: algorithm)
    let started = Date()
    let (state, _) = try Simulation.run(engineInput, configuration)
    let seconds = Date().timeIntervalSince(started)
    let rows = Backtest.evaluate(state, startYear: engineInput.startYear, points: points)
    var folder = try OutputFolder(target: URL(fileURLWithPath: out))
    do {
      try folder.write(Backtest.csv(rows), to: "backtest.csv")
      try folder.write(
        Backtest.html(
          rows, state: state, startYear: engineInput.startYear, years: engineInput.years, scenarioName: scenario.name,
          observedFile: observed, replicates: configuration.replicates, seed: configuration.seed),
        to: "backtest.html")
      try folder.commit()
    } catch {
      folder.discard()
      throw error
    }
    print("Wrote \(Backtest.files.joined(separator: ", ")) to \(folder.target.path)")
    for use in ObservedUse.allCases {
      let s = BacktestScore(rows.filter { $0.point.use == use })
      print("\(use.rawValue): \(s.inside) of \(s.points) points inside p05-p95")
    }
    print("\(configuration.replicates) replicates of \(scenario.name) in \(String(format: "%.3g", seconds)) s")
  }
}
