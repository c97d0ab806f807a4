import Foundation
import SECRules
import SECScenario

/// The package root, found from this file's path (Tests/SECRulesTests/Support.swift).
let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// Loads a shipped regime file by name (`sec-current`, …) from scenarios/regimes/.
func shippedRegime(_ name: String) throws -> Regime {
  try RegimeFile.load(url: packageRoot.appendingPathComponent("scenarios/regimes/\(name).yaml"))
}

/// Outcomes scheduled by (party index, role, year); anything else is Approved.
struct ScheduledOutcomes: OutcomeSource {
  var table: [String: Outcome]
  var asked: [(AssessedUnit, Int, AssessmentKind)] = []
  init(_ table: [String: Outcome] = [:]) { self.table = table }
  static func key(_ party: Int, _ role: UserRole?, _ year: Int) -> String { "\(party)/\(role?.rawValue ?? "-")/\(year)" }
  mutating func outcome(unit: AssessedUnit, year: Int, kind: AssessmentKind) -> Outcome {
    asked.append((unit, year, kind))
    return table[Self.key(unit.party, unit.role, year)] ?? .approved
  }
}

/// A one-Party population scheduled under `policy` with deciding counts by year.
func scheduleOne(
  _ party: Party, policy: Policy, years: ClosedRange<Int>, counts: @escaping (Int) -> PortfolioCounts,
  outcomes: [String: Outcome] = [:]
) throws -> Schedule {
  let scheduler = try Scheduler(policy: policy, population: Population(parties: [party]), years: years)
  var source = ScheduledOutcomes(outcomes)
  return scheduler.run(counts: { _, y in counts(y) }, outcomes: &source)
}

extension Schedule {
  /// Regular kinds of the first unit of party 0, by year.
  func regularKinds(unit: Int = 0) -> [AssessmentKind] { records.map { $0.units[unit].regular.kind } }
}

let small = PortfolioCounts(domesticPremises: 100_000, domesticMeters: 100_000)
let large = PortfolioCounts(domesticPremises: 300_000, domesticMeters: 300_000)
