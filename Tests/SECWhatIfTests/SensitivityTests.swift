import Foundation
import SECEngine
import Testing

@testable import SECWhatIf

@Suite("Sensitivity on the engine")
struct SensitivityTests {
  @Test("default scenario: an inert parameter's total index is below 0.02, today's threshold T (150,000–350,000) above 0.1")
  func inertAndThreshold() throws {
    let template = try ScenarioTemplate.builtInDefault()
    let parameters = try template.resolve([
      ParameterRange(path: "policies[today].counting.threshold", low: 150_000, high: 350_000),
      ParameterRange(path: "inert.x", low: 0, high: 1),
    ])
    let runner = DesignRunner(template: template, parameters: parameters, seed: 20_250_101, replicates: 3, threads: 2)
    let a = try SensitivityAnalysis(
      runner: runner, method: .sobol, target: SensitivityTarget(policy: "today", metric: .policy(.fusa)), samples: 16, bootstrap: 200)
    let s = try #require(a.sobol)
    print("Sobol on gb-default (N = 16, R = 3): S1 = \(s.firstOrder.map(\.value)), ST = \(s.total.map(\.value))")
    #expect(s.total[1].value < 0.02, "inert ST \(s.total[1].value)")
    #expect(s.total[0].value > 0.1, "threshold ST \(s.total[0].value)")
    #expect(a.tornado.bars[0].parameter == 0 && a.tornado.bars[1].swing == 0)
    // The threshold: a lower T makes more Users large, so more FUSAs.
    #expect(a.tornado.bars[0].outputAtLow > a.tornado.bars[0].outputAtHigh)
    let csv = SensitivityTables.csv(a)
    #expect(csv.contains("sobol,today,fusa,total,policies[today].counting.threshold,ST,"))
    #expect(SensitivityReport.html(a, scenarioName: "gb-default").contains("Tornado"))
  }

  @Test("Morris on the engine: the threshold has μ* > 0, the inert parameter μ* = 0")
  func morris() throws {
    let template = try ScenarioTemplate.builtInDefault()
    let parameters = try template.resolve([
      ParameterRange(path: "policies[today].counting.threshold", low: 150_000, high: 350_000),
      ParameterRange(path: "inert.x", low: 0, high: 1),
    ])
    let runner = DesignRunner(template: template, parameters: parameters, seed: 1, replicates: 2, threads: 2)
    let a = try SensitivityAnalysis(
      runner: runner, method: .morris, target: SensitivityTarget(policy: "today", metric: .policy(.fusa), year: "2027"), samples: 4,
      bootstrap: 50)
    let m = try #require(a.morris)
    #expect(m[0].muStar.value > 0 && m[1].muStar.value == 0 && m[1].sigma == 0)
    #expect(SensitivityTables.csv(a).contains(",2027,inert.x,mu_star,0,0,0"))
  }
}
