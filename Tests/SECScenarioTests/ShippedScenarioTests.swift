import Foundation
import SECRules
import SECScenario
import Testing

@Suite("shipped scenarios")
struct ShippedScenarioTests {
  static let names = ["gb-default", "secmp0059", "secmp0044", "second-user-system", "supplier-crisis", "deterministic"]

  @Test("every shipped scenario validates", arguments: names)
  func validates(name: String) throws {
    let url = scenariosFolder.appendingPathComponent("\(name).yaml")
    let result = ScenarioFile.check(contentsOf: url, displayName: "\(name).yaml")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description).joined(separator: "\n"))")
    #expect(result.scenario?.name == name)
  }

  @Test("every shipped scenario round-trips YAML → types → YAML → types", arguments: names)
  func roundTrip(name: String) throws {
    let url = scenariosFolder.appendingPathComponent("\(name).yaml")
    let first = try ScenarioFile.load(contentsOf: url)
    let text = try first.yaml()
    let second = try ScenarioFile.load(yaml: text, file: "\(name)-roundtrip.yaml", baseDirectory: scenariosFolder, useDefaults: false)
    #expect(first == second)
    #expect(try second.yaml() == text)
  }

  @Test("every shipped scenario's policies resolve to SECRules policies", arguments: names)
  func policiesResolve(name: String) throws {
    let scenario = try ScenarioFile.load(contentsOf: scenariosFolder.appendingPathComponent("\(name).yaml"))
    let policies = try scenario.resolvedPolicies(near: scenariosFolder)
    #expect(policies.count == scenario.policies.count)
    for p in policies { #expect(p.problems().isEmpty, "\(p.name): \(p.problems())") }
  }

  @Test("the built-in gb-default.yaml is byte-identical to scenarios/gb-default.yaml")
  func builtInIdentical() throws {
    let repo = try Data(contentsOf: scenariosFolder.appendingPathComponent("gb-default.yaml"))
    let builtIn = try #require(ScenarioLibrary.builtInURL(named: "gb-default"))
    #expect(try Data(contentsOf: builtIn) == repo)
    let source = try Data(contentsOf: repositoryRoot.appendingPathComponent("Sources/SECScenario/Resources/gb-default.yaml"))
    #expect(source == repo)
  }

  @Test("the built-in regime copies are byte-identical to scenarios/regimes", arguments: ScenarioLibrary.shippedRegimeNames)
  func builtInRegimesIdentical(name: String) throws {
    let repo = try Data(contentsOf: scenariosFolder.appendingPathComponent("regimes/\(name).yaml"))
    let builtIn = try #require(ScenarioLibrary.builtInDirectory?.appendingPathComponent("regimes/\(name).yaml"))
    #expect(try Data(contentsOf: builtIn) == repo)
  }

  @Test("the built-in default loads without the repository")
  func builtInDefaultLoads() throws {
    let s = try ScenarioFile.builtInDefault()
    #expect(s.startYear == 2025 && s.horizonYears == 10)
    #expect(s.baseline?.name == "today")
    #expect(Set(s.policies.map(\.name)) == ["today", "meters", "unweighted", "pre_mp0044"])
    _ = try s.resolvedPolicies(near: nil)
  }

  @Test("gb-default's population follows MODEL.md §9 and CALIBRATION.md")
  func gbPopulation() throws {
    let s = try ScenarioFile.builtInDefault()
    let users = s.population.allUsers
    let domestic = users.filter { $0.isSupplier && $0.domesticPremises > 0 }
    #expect(domestic.count == 22)
    let total = domestic.reduce(0) { $0 + $1.domesticPremises }
    #expect(total > 28_000_000 && total < 29_500_000)
    let topSix = domestic.map(\.domesticPremises).sorted(by: >).prefix(6).reduce(0, +)
    #expect(Double(topSix) / Double(total) > 0.9)
    let ndOnly = users.filter { $0.isSupplier && $0.domesticPremises == 0 }
    #expect(ndOnly.count >= 75 && ndOnly.count <= 90)
    #expect(ndOnly.filter { $0.nonDomesticPremises > 50_000 }.count >= 3)
    #expect(users.filter { $0.roles.contains(.electricityDistributor) && $0.id.hasPrefix("EDN") }.count == 14)
    #expect(users.filter { $0.roles.contains(.gasTransporter) && $0.id.hasPrefix("GDN") }.count == 8)
    #expect(users.contains { $0.roles.contains(.otherUser) })
    #expect(users.contains { $0.roles.contains(.registeredSupplierAgent) })
    #expect(s.population.srps.count >= 2)
    // Every sourced, derived or proxy parameter cites something.
    let text = try s.yaml()
    #expect(!text.contains("label: sourced\n") || text.contains("source:"))
  }
}
