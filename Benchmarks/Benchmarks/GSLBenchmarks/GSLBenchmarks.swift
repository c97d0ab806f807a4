import Benchmark
import GSL

/// Costs at the GSL edge that the engine's hot loop pays: a draw, and moving one
/// stream to a new entity (refilling the whole generator state).
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration.maxDuration = .seconds(2)

  for algorithm in RNGAlgorithm.allCases {
    Benchmark("reseed \(algorithm.rawValue)", configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal])) {
      benchmark in
      let stream = try RandomStream(StreamKey(seed: 1, replicate: 0, entity: 0, purpose: 0), algorithm: algorithm)
      for i in benchmark.scaledIterations {
        stream.reseed(StreamKey(seed: 1, replicate: UInt64(i), entity: 2, purpose: 3))
        blackHole(stream.nextRaw())
      }
    }

    Benchmark("1000 uniforms \(algorithm.rawValue)", configuration: .init(metrics: [.throughput, .wallClock])) { benchmark in
      let stream = try RandomStream(StreamKey(seed: 1, replicate: 0, entity: 0, purpose: 0), algorithm: algorithm)
      for _ in benchmark.scaledIterations {
        var sum = 0.0
        for _ in 0..<1000 { sum += stream.uniform() }
        blackHole(sum)
      }
    }
  }

  Benchmark("1000 Gaussians (ziggurat)", configuration: .init(metrics: [.throughput, .wallClock])) { benchmark in
    let stream = try RandomStream(StreamKey(seed: 1, replicate: 0, entity: 0, purpose: 0))
    for _ in benchmark.scaledIterations {
      var sum = 0.0
      for _ in 0..<1000 { sum += stream.gaussian(sd: 1) }
      blackHole(sum)
    }
  }
}
