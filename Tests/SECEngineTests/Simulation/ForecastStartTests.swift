import Foundation
import SECRules
import SECScenario
import Testing

@testable import SECEngine

/// Issue 17: the default forecast starts where the history ends. gb-default's 2025
/// start state must lie inside gb-history's simulated 2024 p05–p95 band for the active
/// domestic suppliers, the top-six share and the smart share.
@Suite("the default forecast starts where the history ends")
struct ForecastStartTests {
  static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scenarios")

  static func input(_ name: String) throws -> (Scenario, EngineInput) {
    let scenario = try ScenarioFile.load(contentsOf: scenarios.appendingPathComponent("\(name).yaml"))
    let policies = try scenario.resolvedPolicies(near: scenarios)
    let baseline = policies.firstIndex { $0.name == scenario.baseline?.name } ?? 0
    return (scenario, EngineInput(scenario: scenario, policies: [policies[baseline]], baseline: 0))
  }

  @Test(
    "gb-default's 2025 start state (active domestic suppliers, top-six share, smart share) lies inside gb-history's 2024 p05-p95 (400 replicates, the history's seed)"
  )
  func startInsideHistoryBand() throws {
    let (history, h) = try Self.input("gb-history")
    let (forecast, f) = try Self.input("gb-default")
    #expect(history.startYear + history.horizonYears == forecast.startYear)
    let last = history.horizonYears - 1
    let (state, _) = try Simulation.run(h, RunConfiguration(seed: history.seed, replicates: 400, threads: 2))
    let metrics: [MarketMetric] = [.activeDomesticSuppliers, .topSixShare, .smartShare]
    let bands = metrics.map { state.bank.summary(state.layout.marketSlot(t: last, metric: $0), scale: $0.unit.scale) }
    // The start state as the engine sets it up (before any 2025 step); the smart share
    // depends on each non-domestic supplier's drawn meters per premises, so several replicates.
    for r in 0..<5 {
      var world = try World(input: f, algorithm: .mt19937)
      world.reset(seed: forecast.seed, replicate: r)
      world.marketMetrics(0, forecast.startYear)
      for (m, band) in zip(metrics, bands) {
        let start = Double(m.unit.integer(world.market[m.rawValue])) / m.unit.scale
        let inside = band.p05 <= start && start <= band.p95
        let note =
          "\(m.name): start \(start), history 2024 p05-p95 \(band.p05)-\(band.p95), margins \(start - band.p05) / \(band.p95 - start)"
        if r == 0 { print(note) }
        #expect(inside, "\(note)")
      }
    }
  }
}
