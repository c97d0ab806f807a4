/// The Saltelli design for Sobol indices (Saltelli 2002; Saltelli et al. 2010): two
/// N × d matrices A and B from the first N points of a 2d-dimensional Sobol
/// sequence (A the first d coordinates, B the last d), and for each parameter i the
/// matrix A_B^(i): A with column i taken from B. The model runs N(d + 2) times.
///
/// GSL's `gsl_qrng_sobol` supports at most 40 dimensions, so at most 20 parameters.
public struct SaltelliDesign: Sendable, Hashable {
  /// The largest number of parameters (half of GSL's 40 Sobol dimensions).
  public static let maxParameters = SobolDesign.maxDimensions / 2

  /// Base sample size N.
  public let base: Int
  /// Number of parameters d.
  public let dimensions: Int
  /// Rows of A and of B, in [0, 1]^d.
  public let a: [[Double]]
  public let b: [[Double]]

  public init(base n: Int, dimensions d: Int) throws(WhatIfError) {
    precondition(n >= 2 && d >= 1)
    guard d <= SaltelliDesign.maxParameters else {
      throw .usage(
        "Sobol sensitivity takes at most \(SaltelliDesign.maxParameters) parameters (found \(d)): its Saltelli design needs 2 × \(d) = \(2 * d) "
          + "Sobol dimensions and GSL's gsl_qrng_sobol supports at most \(SobolDesign.maxDimensions) (MODEL.md §10). "
          + "Use --method morris, or fewer parameters.")
    }
    let rows = try SobolDesign.points(samples: n, dimensions: 2 * d)
    base = n
    dimensions = d
    a = rows.map { Array($0[0..<d]) }
    b = rows.map { Array($0[d..<(2 * d)]) }
  }

  /// Every point to run, in order: A's N rows, B's N rows, then A_B^(1) … A_B^(d).
  public var points: [[Double]] {
    var out = a + b
    for i in 0..<dimensions {
      for j in 0..<base {
        var row = a[j]
        row[i] = b[j][i]
        out.append(row)
      }
    }
    return out
  }

  /// Splits model outputs given in `points` order into f(A), f(B) and f(A_B^(i)).
  public func split(_ outputs: [Double]) -> (fA: [Double], fB: [Double], fAB: [[Double]]) {
    precondition(outputs.count == base * (dimensions + 2), "outputs do not match the design")
    let fA = Array(outputs[0..<base])
    let fB = Array(outputs[base..<(2 * base)])
    let fAB = (0..<dimensions).map { i in Array(outputs[((2 + i) * base)..<((3 + i) * base)]) }
    return (fA, fB, fAB)
  }
}
