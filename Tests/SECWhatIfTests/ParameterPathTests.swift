import Foundation
import SECScenario
import Testing

@testable import SECWhatIf

@Suite("Parameter paths on the scenario's YAML tree")
struct ParameterPathTests {
  @Test(
    "paths resolve to their canonical field, shorthand included",
    arguments: [
      ("policies[meters].counting.threshold", "policies[meters].counting.threshold", 250_000.0),
      ("policies[meters].threshold", "policies[meters].counting.threshold", 250_000),
      ("policies[today].weight", "policies[today].counting.weight", 5),
      ("policies[1].counting.threshold", "policies[meters].counting.threshold", 250_000),
      ("processes.failure.crisis.multiplier", "processes.failure.crisis.multiplier", 8),
      ("processes.failure.crisis.multiplier.value", "processes.failure.crisis.multiplier", 8),
      ("processes.entry.rate", "processes.entry.rate", 1),
      ("day_rate_gbp", "day_rate_gbp", 1100),
      ("capacity.assessor_days_per_quarter", "capacity.assessor_days_per_quarter", 200),
      ("processes.failure.classes[0].hazard", "processes.failure.classes[0].hazard", 0.04),
      ("population.users[S10].domestic_premises", "population.users[S10].domestic_premises", 200_000),
    ])
  func resolves(path: String, canonical: String, value: Double) throws {
    let template = try ScenarioTemplate.builtInDefault()
    let p = try template.resolve([ParameterRange(path: path, low: value, high: value)])[0]
    #expect(p.canonicalPath == canonical)
    #expect(p.baseValue == value)
  }

  @Test("an unknown path is a usage error naming the closest valid path")
  func unknown() throws {
    let template = try ScenarioTemplate.builtInDefault()
    do {
      _ = try template.resolve([ParameterRange(path: "processes.failure.crisis.multiplyer", low: 1, high: 2)])
      Issue.record("no error")
    } catch {
      guard case .usage(let message) = error else { throw error }
      #expect(message.contains("closest valid path is 'processes.failure.crisis.multiplier'"), "\(message)")
    }
    #expect(throws: WhatIfError.self) { try template.resolve([ParameterRange(path: "policies[nope].counting.threshold", low: 1, high: 2)]) }
    #expect(throws: WhatIfError.self) { try template.resolve([ParameterRange(path: "policies[today].counting", low: 1, high: 2)]) }
    #expect(throws: WhatIfError.self) { try template.resolve([ParameterRange(path: "seed", low: 1, high: 2)]) }
  }

  @Test("a bad value gets the scenario's located diagnostic, at the field's line in the file")
  func badValue() throws {
    let template = try ScenarioTemplate.builtInDefault()
    do {
      _ = try template.resolve([ParameterRange(path: "processes.entry.rate", low: -1, high: 2)])
      Issue.record("no error")
    } catch {
      guard case .invalidScenario(_, let diagnostics) = error else { throw error }
      let lines = template.text.split(separator: "\n", omittingEmptySubsequences: false)
      let d = try #require(diagnostics.first)
      #expect(d.file == "gb-default.yaml" && d.path.hasPrefix("processes.entry.rate"))
      #expect(lines[d.line - 1].contains("rate:"), "line \(d.line): \(lines[d.line - 1])")
      #expect(d.found == "-1")
    }
  }

  @Test("a field left to the defaults (secmp0059 has no processes section) is copied in and set")
  func fromDefaults() throws {
    let template = try shippedTemplate("secmp0059")
    let p = try template.resolve([ParameterRange(path: "processes.failure.crisis.multiplier", low: 2, high: 9)])
    #expect(p[0].baseValue == 8)
    let scenario = try template.scenario(p, values: [3])
    #expect(scenario.processes.failure.crisisMultiplier.value(inYear: 2025) == 3)
    #expect(scenario.processes.entry.rate.value(inYear: 2025) == 1)
    #expect(scenario.policies.map(\.name) == ["today", "unweighted", "meters", "meters_x5"])
  }

  @Test("whole-number fields are detected and design values rounded")
  func wholeNumbers() throws {
    let template = try ScenarioTemplate.builtInDefault()
    let p = try template.resolve([
      ParameterRange(path: "processes.failure.special_administration.years", low: 0, high: 4),
      ParameterRange(path: "processes.entry.rate", low: 0, high: 4),
    ])
    #expect(p[0].wholeNumber && !p[1].wholeNumber)
    #expect(p[0].value(atUnit: 0.4) == 2 && p[1].value(atUnit: 0.4) == 1.6)
    let s = try template.scenario(p, values: [p[0].value(atUnit: 0.4), 1.6])
    #expect(s.processes.failure.specialAdministrationYears == 2)
  }

  @Test("values land in the scenario; --set values apply at every point; inert parameters change nothing")
  func setting() throws {
    var template = try ScenarioTemplate.builtInDefault()
    try template.fix([ParameterRange(path: "day_rate_gbp", low: 900, high: 900)])
    let p = try template.resolve([
      ParameterRange(path: "policies[today].counting.threshold", low: 150_000, high: 350_000),
      ParameterRange(path: "inert.x", low: 0, high: 1),
    ])
    let s = try template.scenario(p, values: [200_000, 0.3])
    #expect(s.dayRateGBP.value(inYear: 2026) == 900)
    #expect(s.dayRateGBP.label == .proxy)  // the parameter's label stays
    let today = try #require(s.policies.first { $0.name == "today" })
    #expect(today.counting.threshold == 200_000)
    #expect(try template.yaml(p, values: [200_000, 0.3]) == template.yaml(p, values: [200_000, 0.9]))
    #expect(try template.yaml(p, values: [200_000, 0.3]).contains("threshold: 200000"))
  }

  @Test("--list-params lists the numeric fields in file order, run settings excluded")
  func listing() throws {
    let paths = try ScenarioTemplate.builtInDefault().parameterPaths()
    #expect(paths.contains("policies[today].counting.threshold"))
    #expect(paths.contains("processes.failure.crisis.multiplier"))
    #expect(paths.contains("capacity.other_demand_per_quarter.srp_assessments"))
    #expect(!paths.contains("seed") && !paths.contains("horizon_years"))
  }
}
