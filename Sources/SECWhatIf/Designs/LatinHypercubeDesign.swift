import GSL

/// A Latin hypercube (McKay, Beckman & Conover 1979): each parameter's range is cut
/// into n equal strata and every stratum holds exactly one point. For each
/// dimension a random permutation π (Fisher–Yates with `gsl_rng_uniform_int`) picks
/// the stratum of each point and a GSL uniform U places it inside:
/// u_ij = (π_j(i) + U_ij) / n.
public enum LatinHypercubeDesign {
  public static func points(samples n: Int, dimensions d: Int, seed: UInt64) -> [[Double]] {
    precondition(n >= 1 && d >= 1)
    let stream = WhatIfPurpose.stream(seed: seed, purpose: WhatIfPurpose.latinHypercube)
    var points = [[Double]](repeating: [Double](repeating: 0, count: d), count: n)
    for j in 0..<d {
      var strata = Array(0..<n)
      for i in stride(from: n - 1, to: 0, by: -1) {
        strata.swapAt(i, stream.uniformInt(i + 1))
      }
      for i in 0..<n { points[i][j] = (Double(strata[i]) + stream.uniform()) / Double(n) }
    }
    return points
  }
}
