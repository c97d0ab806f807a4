import Benchmark
import GSL
import SECEngine
import SECRules
import SECScenario

/// The Monte Carlo engine on the built-in GB default scenario (every default policy
/// evaluated), with 1 and 2 threads, on the scenario's generator (mt19937) and on
/// GSL's taus2 (`--rng taus2`, cheaper per draw and to reseed). One iteration =
/// `replicates` replicates; the custom metric `party-years` counts parties stepped one
/// year with every policy (MODEL.md §10), so its throughput is party-years per second.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration.maxDuration = .seconds(20)
  Benchmark.defaultConfiguration.maxIterations = 20

  let scenario = try! ScenarioFile.builtInDefault()
  let policies = try! scenario.resolvedPolicies(near: nil)
  let baseline = policies.firstIndex { $0.name == scenario.baseline?.name } ?? 0
  let input = EngineInput(scenario: scenario, policies: policies, baseline: baseline)
  let replicates = 1_000

  for algorithm in [RNGAlgorithm.mt19937, .taus2] {
    for threads in [1, 2] {
      let generator = algorithm == .mt19937 ? "" : ", \(algorithm.rawValue)"
      Benchmark(
        "default scenario, \(replicates) replicates, \(threads) thread(s)\(generator)",
        configuration: .init(metrics: [.wallClock, .throughput, .peakMemoryResident, .custom("party-years")])
      ) { benchmark in
        let configuration = RunConfiguration(seed: 1, replicates: replicates, threads: threads, algorithm: algorithm)
        let (state, _) = try Simulation.run(input, configuration)
        benchmark.measurement(.custom("party-years"), Int(state.partyYears))
        blackHole(state)
      }
    }
  }
}
