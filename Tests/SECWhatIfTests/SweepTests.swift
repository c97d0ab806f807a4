import Foundation
import SECEngine
import SECScenario
import Testing

@testable import SECWhatIf

@Suite("Sweeps on common random numbers")
struct SweepTests {
  @Test(
    "SECMP0059 weight w from 1 to 10, zero effort variance: mean horizon FUSA count never falls by > 2 se; w = 10 above w = 1 by > 5 se")
  func weightSweep() throws {
    let template = try zeroEffortVariance(try ScenarioTemplate.builtInDefault())
    let parameters = try template.resolve([ParameterRange(path: "policies[today].counting.weight", low: 1, high: 10)])
    let runner = DesignRunner(template: template, parameters: parameters, policies: ["today"], seed: 20_250_101, replicates: 16, threads: 2)
    let sweep = try Sweep(runner: runner, design: .grid, samples: 10, progress: nil)
    #expect(sweep.values.map { $0[0] } == (1...10).map(Double.init))
    let k = try #require(sweep.policies.firstIndex(of: "today"))
    let means = sweep.summaries.map { $0.mean(policy: k, .fusa, t: sweep.years) }
    let ses = sweep.summaries.map { $0.se(policy: k, .fusa, t: sweep.years) }
    print("w sweep, horizon FUSA mean (se):", zip(means, ses).map { "\($0) (\(String(format: "%.2f", $1)))" }.joined(separator: ", "))
    for i in 1..<means.count {
      let se = (ses[i] * ses[i] + ses[i - 1] * ses[i - 1]).squareRoot()
      #expect(means[i] - means[i - 1] >= -2 * se, "w \(i) → \(i + 1): \(means[i - 1]) → \(means[i]), se \(se)")
    }
    let se = (ses[0] * ses[0] + ses[9] * ses[9]).squareRoot()
    #expect(means[9] - means[0] > 5 * se, "w = 1: \(means[0]), w = 10: \(means[9]), se \(se)")
    // Zero effort variance: at any one point the assessor days are exact multiples of the modes, so se comes from the futures only.
    #expect(sweep.summaries.allSatisfy { $0.mean(policy: k, .assessorDays, t: sweep.years) > 0 })
  }

  @Test("sweep.csv and frontier.csv are byte-identical whatever the thread count")
  func threadInvariance() throws {
    let template = try ScenarioTemplate.builtInDefault()
    let parameters = try template.resolve([
      ParameterRange(path: "capacity.assessor_days_per_quarter", low: 100, high: 300),
      ParameterRange(path: "processes.entry.rate", low: 0, high: 3),
    ])
    var texts: [String] = []
    for threads in [1, 2, 3] {
      let runner = DesignRunner(
        template: template, parameters: parameters, policies: ["today", "meters"], seed: 9, replicates: 3, threads: threads)
      let sweep = try Sweep(runner: runner, design: .lhs, samples: 3)
      texts.append(SweepTables.sweep(sweep) + SweepTables.frontier(sweep))
    }
    #expect(texts[0] == texts[1])
    #expect(texts[0] == texts[2])
    let header = try #require(texts[0].split(separator: "\n").first)
    #expect(header.hasPrefix("point,capacity.assessor_days_per_quarter,processes.entry.rate,policy,metric,total_mean,total_se,mean_2025"))
  }

  @Test("every design point runs the same futures: points differing only in an inert parameter give identical rows")
  func commonRandomNumbers() throws {
    let template = try ScenarioTemplate.builtInDefault()
    let parameters = try template.resolve([ParameterRange(path: "inert.x", low: 0, high: 1)])
    let runner = DesignRunner(template: template, parameters: parameters, policies: ["today"], seed: 3, replicates: 2, threads: 2)
    let sweep = try Sweep(runner: runner, design: .grid, samples: 3)
    #expect(sweep.summaries[0] == sweep.summaries[1] && sweep.summaries[1] == sweep.summaries[2])
    let rows = SweepTables.sweep(sweep).split(separator: "\n").dropFirst()
    let bodies = Set(rows.map { $0.split(separator: ",", maxSplits: 2).last! })
    #expect(bodies.count == rows.count / 3)
  }

  @Test("the frontier marks non-dominated policies per design point")
  func frontier() throws {
    let template = try ScenarioTemplate.builtInDefault()
    let parameters = try template.resolve([ParameterRange(path: "inert.x", low: 0, high: 1)])
    let runner = DesignRunner(template: template, parameters: parameters, seed: 3, replicates: 2, threads: 2)
    let sweep = try Sweep(runner: runner, design: .grid, samples: 2)
    #expect(sweep.policies == ["today", "meters", "unweighted", "pre_mp0044"])
    for point in sweep.frontier {
      #expect(point.contains { $0.nonDominated })
      let best = point.map(\.coverage).max()!
      #expect(point.contains { $0.coverage == best && $0.nonDominated })
    }
    let html = SweepReport.html(sweep, scenarioName: "gb-default <test>")
    #expect(html.contains("<svg") && html.contains("gb-default &lt;test&gt;") && !html.contains("<test>"))
  }
}
