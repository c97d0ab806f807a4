import Foundation
import SECRules
import SECScenario
import Testing

@Suite("parameters and the format")
struct ParameterTests {
  @Test("value(inYear:) of a constant and of a step series")
  func values() {
    #expect(Parameter(0.05).value(inYear: 1999) == 0.05)
    let p = Parameter(series: [2027: 0.05, 2025: 0.02])
    #expect(p.value(inYear: 2024) == 0.02)
    #expect(p.value(inYear: 2025) == 0.02)
    #expect(p.value(inYear: 2026) == 0.02)
    #expect(p.value(inYear: 2027) == 0.05)
    #expect(p.value(inYear: 2040) == 0.05)
  }

  @Test("the three ways to write a parameter, and labels")
  func forms() throws {
    let yaml =
      minimalScenario + """
        processes:
          market_growth:
            domestic_rate: 0.01
            non_domestic_rate: {value: [0.01, 0.02, 0.03], label: derived, source: "CALIBRATION §6"}
          entry:
            rate: {2025: 1, 2027: 0}
        day_rate_gbp: {value: 1100, label: proxy, source: "CALIBRATION §3"}
        """
    let s = try ScenarioFile.load(yaml: yaml, file: "t.yaml", baseDirectory: nil)
    let g = s.processes.marketGrowth
    #expect(g.domesticRate == Parameter(0.01))
    #expect(g.domesticRate.label == .assumption)
    #expect(g.nonDomesticRate.value(inYear: 2026) == 0.02 && g.nonDomesticRate.value(inYear: 2030) == 0.03)
    #expect(g.nonDomesticRate.provenance == Provenance(.derived, "CALIBRATION §6"))
    #expect(s.processes.entry.rate.value(inYear: 2026) == 1 && s.processes.entry.rate.value(inYear: 2028) == 0)
    #expect(s.dayRateGBP.label == .proxy)
    // Fields left out come from gb-default with their labels.
    #expect(s.ssc.meetingsPerYear.value(inYear: 2025) == 24 && s.ssc.meetingsPerYear.label == .sourced)
    let check = ScenarioFile.check(yaml: yaml, file: "t.yaml", baseDirectory: nil)
    #expect(check.defaultedFields.contains("processes.failure"))
    #expect(check.defaultedFields.contains("processes.market_growth") == false)
  }

  @Test("without defaults, every section is required")
  func noDefaults() {
    let r = check(minimalScenario, defaults: false)
    #expect(Set(r.diagnostics.map(\.path)) == ["processes", "capacity", "day_rate_gbp", "exposure", "ssc"])
  }

  @Test("the deterministic scenario has zero variance everywhere and every event kind")
  func deterministic() throws {
    let s = try ScenarioFile.load(contentsOf: scenariosFolder.appendingPathComponent("deterministic.yaml"))
    let p = s.processes
    #expect(p.portfolio.marketFactorSD.allValues == [0] && p.portfolio.idiosyncraticSD.allValues == [0])
    #expect(p.reportingNoise.premisesSD.allValues == [0] && p.entry.rate.allValues == [0] && p.issues.rate.allValues == [0])
    #expect(p.failure.classes.allSatisfy { $0.hazard.allValues == [0] })
    #expect(Set(s.events.map(\.eventName)) == ["failure", "entry", "second_system", "outcome"])
    #expect(s.population.allUsers.count >= 5 && s.population.allUsers.count <= 8 && s.horizonYears >= 4 && s.horizonYears <= 6)
    #expect(s.policies.contains { $0.secondSystem.rule == .alwaysAssess })
    #expect(p.effort.fusa.bespoke.min == p.effort.fusa.bespoke.max)
  }

  @Test("did-you-mean suggests the nearest key and nothing for far-off words")
  func suggestions() {
    let r = check(minimalScenario + "proceses: {}\nzzzzzzzz: 1\n")
    let messages = r.diagnostics.map(\.found)
    #expect(messages.contains { $0.contains("(did you mean \"processes\"?)") })
    #expect(messages.contains { $0.contains("\"zzzzzzzz\" (known keys:") })
  }

  @Test("events may name entrants, and entrants' fields are checked")
  func entrants() {
    let ok = check(
      minimalScenario + """
        events:
          - {year: 2027, user: X, event: failure}
          - {year: 2026, user: X, event: entry, entrant: {roles: [supplier], domestic_premises: 5000}}
        """)
    #expect(ok.diagnostics.isEmpty, "\(ok.diagnostics)")
    let bad = check(
      minimalScenario + """
        events:
          - {year: 2025, user: X, event: failure}
          - {year: 2026, user: X, event: entry, entrant: {roles: [supplier], domestic_premises: -1}}
          - {year: 2026, user: A, event: outcome, kind: ussa, outcome: approved}
        """)
    #expect(
      bad.diagnostics.map(\.path) == ["events[0].year", "events[1].entrant.domestic_premises", "events[2].kind"])
  }
}

@Suite("conversion to SECRules")
struct ConversionTests {
  @Test("Users, systems and SRPs become Parties, UserSystems and SharedResourceProviders")
  func parties() throws {
    let s = try ScenarioFile.load(contentsOf: scenariosFolder.appendingPathComponent("deterministic.yaml"))
    let pop = s.population.rulesPopulation { _ in 1 }
    #expect(pop.parties.count == 6)
    let e1 = try #require(pop.parties.first { $0.id == "E1" })
    #expect(e1.statedPositions == [.electricityDistributor: 2] && e1.anniversaryQuarter == 1)
    #expect(e1.systems == [UserSystem(id: "E1-1", host: .bespoke, startYear: 2018)])
    let gb = try ScenarioFile.builtInDefault()
    let gbPop = gb.population.rulesPopulation { $0 % 4 + 1 }
    #expect(gbPop.parties.first { $0.id == "S12" }?.systems.first?.host == .srp("SRP1"))
    #expect(gbPop.srps.map(\.id) == ["SRP1", "SRP2", "SRP3"])
  }
}

@Suite("policy fields")
struct PolicyFieldTests {
  @Test("follow_up.fusa_kind_after is read and defaults to rejected")
  func fusaKindAfter() throws {
    let gb = try ScenarioFile.builtInDefault()
    #expect(gb.policies.allSatisfy { $0.followUp.fusaKindAfter == [.rejected] })
    let s = try ScenarioFile.load(
      yaml: minimalScenario.replacingOccurrences(
        of: "threshold: 250000}}", with: "threshold: 250000}, follow_up: {outcomes: [rejected], fusa_kind_after: [deferred, rejected]}}"),
      file: "t.yaml", baseDirectory: nil)
    #expect(s.policies[0].followUp.fusaKindAfter == [.deferred, .rejected])
    #expect(s.policies[0].followUp.triggers == [.rejected])
  }
}
