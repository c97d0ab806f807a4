import GSL

/// How a sweep places its design points in the unit cube [0, 1]^d (each coordinate
/// is then mapped linearly onto its parameter's LOW…HIGH).
public enum DesignKind: String, CaseIterable, Sendable, Codable {
  /// Every combination of `samples` equally spaced levels per parameter (samples^d points).
  case grid
  /// A Latin hypercube of `samples` points from GSL uniforms.
  case lhs
  /// The first `samples` points of GSL's Sobol sequence (at most 40 parameters).
  case sobol

  /// The design's points in [0, 1]^d, in a fixed order.
  ///
  /// - Parameters:
  ///   - samples: levels per parameter (`grid`) or points (`lhs`, `sobol`).
  ///   - seed: seeds the Latin hypercube's stream (the others are deterministic).
  public func points(samples: Int, dimensions: Int, seed: UInt64) throws(WhatIfError) -> [[Double]] {
    switch self {
    case .grid: return GridDesign.points(levels: samples, dimensions: dimensions)
    case .lhs: return LatinHypercubeDesign.points(samples: samples, dimensions: dimensions, seed: seed)
    case .sobol: return try SobolDesign.points(samples: samples, dimensions: dimensions)
    }
  }

  /// Number of points `points(samples:dimensions:seed:)` returns.
  public func pointCount(samples: Int, dimensions: Int) -> Int {
    switch self {
    case .grid:
      var n = 1
      for _ in 0..<dimensions {
        let (m, overflow) = n.multipliedReportingOverflow(by: samples)
        if overflow { return Int.max }
        n = m
      }
      return n
    case .lhs, .sobol: return samples
    }
  }
}

/// Stream purposes of the what-if layer (distinct from the engine's §5 purposes;
/// design streams use replicate 0 and entity 0 of the run's seed).
enum WhatIfPurpose {
  static let latinHypercube: UInt64 = 0x5748_4946_0001
  static let morris: UInt64 = 0x5748_4946_0002
  static let bootstrap: UInt64 = 0x5748_4946_0003

  static func stream(seed: UInt64, purpose: UInt64) -> RandomStream {
    // mt19937 allocation only fails when memory is exhausted.
    try! RandomStream(StreamKey(seed: seed, replicate: 0, entity: 0, purpose: purpose))
  }
}
