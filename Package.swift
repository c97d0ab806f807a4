// swift-tools-version:6.1
// SECSim: a Monte Carlo what-if workbench for Smart Energy Code (SEC) Section G8
// User Security Assessment policy. See README.md and docs/.
import PackageDescription

let package = Package(
  name: "secsim",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "secsim", targets: ["secsim"]),
    .library(name: "GSL", targets: ["GSL"]),
    .library(name: "SECRules", targets: ["SECRules"]),
    .library(name: "SECScenario", targets: ["SECScenario"]),
    .library(name: "SECEngine", targets: ["SECEngine"]),
    .library(name: "SECOutput", targets: ["SECOutput"]),
    .library(name: "SECWhatIf", targets: ["SECWhatIf"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
  ],
  targets: [
    // The C edge: GNU Scientific Library through pkg-config (Debian: libgsl-dev).
    .systemLibrary(
      name: "CGSL",
      pkgConfig: "gsl",
      providers: [.apt(["libgsl-dev"])]
    ),
    // The only importer of CGSL: random streams, distributions, quasi-random
    // sequences and statistics of in-memory samples.
    .target(name: "GSL", dependencies: ["CGSL"]),
    // Every SEC rule: roles, counts, regimes (as data), counting rules, scheduler. Pure.
    .target(name: "SECRules"),
    // Scenario and regime files: value types, YAML decoding, diagnostics.
    .target(
      name: "SECScenario",
      dependencies: ["SECRules", .product(name: "Yams", package: "Yams")],
      resources: [.copy("Resources")]
    ),
    // The processes of MODEL.md §5, entity-keyed streams, the parallel runner,
    // exact accumulators and metrics. The only place rules meet randomness.
    .target(
      name: "SECEngine",
      dependencies: ["GSL", "SECRules", "SECScenario", .product(name: "RealModule", package: "swift-numerics")]
    ),
    // CSV with the injection guard, atomic output folders, run manifests, reports.
    .target(
      name: "SECOutput",
      dependencies: ["SECEngine", "SECScenario", "SECRules", .product(name: "Crypto", package: "swift-crypto")]
    ),
    // What-if analysis: designs (grid, Latin hypercube, Sobol), parameter paths,
    // Sobol and Morris sensitivity, tornado, PRIM scenario discovery, policy frontier.
    .target(
      name: "SECWhatIf",
      dependencies: ["GSL", "SECEngine", "SECScenario", "SECOutput", "SECRules", .product(name: "Yams", package: "Yams")]
    ),
    .executableTarget(
      name: "secsim",
      dependencies: [
        "GSL", "SECRules", "SECScenario", "SECEngine", "SECOutput", "SECWhatIf",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Shared test helpers: statistical assertions, temporary folders, fixtures.
    .target(name: "_SECSimTestSupport", dependencies: ["GSL"], path: "Tests/_SECSimTestSupport"),
    .testTarget(name: "GSLTests", dependencies: ["GSL", "_SECSimTestSupport"]),
    .testTarget(
      name: "SECRulesTests",
      dependencies: [
        "SECRules", "SECScenario", "_SECSimTestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),
    .testTarget(
      name: "SECScenarioTests", dependencies: ["SECScenario", "SECRules", "_SECSimTestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "SECEngineTests", dependencies: ["SECEngine", "GSL", "SECRules", "SECScenario", "_SECSimTestSupport"]),
    .testTarget(name: "SECOutputTests", dependencies: ["SECOutput", "SECEngine", "_SECSimTestSupport"]),
    .testTarget(
      name: "SECWhatIfTests", dependencies: ["SECWhatIf", "GSL", "SECEngine", "SECScenario", "SECOutput", "_SECSimTestSupport"]),
    .testTarget(name: "secsimTests", dependencies: ["_SECSimTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
