// swift-tools-version:6.1
// SECSim's benchmarks, kept out of the root package so its build never compiles
// the harness. Run with `make bench` (or `swift package benchmark` here).
import PackageDescription

let package = Package(
  name: "secsim-benchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "secsim", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "EngineBenchmarks",
      dependencies: [
        .product(name: "GSL", package: "secsim"),
        .product(name: "SECEngine", package: "secsim"),
        .product(name: "SECScenario", package: "secsim"),
        .product(name: "SECRules", package: "secsim"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/EngineBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "GSLBenchmarks",
      dependencies: [
        .product(name: "GSL", package: "secsim"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/GSLBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
