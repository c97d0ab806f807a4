import GSL

/// The first n points of GSL's Sobol sequence (`gsl_qrng_sobol`, which starts at
/// (½, …, ½) and never returns the origin). GSL supports at most 40 dimensions
/// (MODEL.md §10); more is a usage error.
public enum SobolDesign {
  /// The largest dimension GSL's Sobol generator supports.
  public static let maxDimensions = QuasiRandomSequence.Kind.sobol.supportedDimensions.upperBound

  public static func points(samples n: Int, dimensions d: Int) throws(WhatIfError) -> [[Double]] {
    let sequence = try sequence(dimensions: d)
    var points: [[Double]] = []
    points.reserveCapacity(n)
    for _ in 0..<n {
      guard let p = try? sequence.next() else { throw .usage("GSL's Sobol generator failed at point \(points.count + 1)") }
      points.append(p)
    }
    return points
  }

  static func sequence(dimensions d: Int) throws(WhatIfError) -> QuasiRandomSequence {
    do {
      return try QuasiRandomSequence(.sobol, dimensions: d)
    } catch {
      throw .usage(
        "a Sobol design of \(d) dimensions is more than GSL's gsl_qrng_sobol supports (at most \(maxDimensions) dimensions; MODEL.md §10)")
    }
  }
}
