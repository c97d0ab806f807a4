import GSL

/// An estimate with a bootstrap interval.
public struct Estimate: Sendable, Hashable {
  public var value: Double
  /// Percentile bootstrap interval (nearest rank; NaN when no bootstrap was run).
  public var low: Double
  public var high: Double

  public init(value: Double, low: Double = .nan, high: Double = .nan) {
    self.value = value
    self.low = low
    self.high = high
  }
}

/// First-order and total Sobol indices of each parameter from a Saltelli design.
///
/// With f_A, f_B, f_AB⁽ⁱ⁾ the outputs on the rows of A, B and A_B^(i) (N rows each)
/// and V the sample variance of the 2N outputs f_A ∪ f_B (divisor 2N − 1):
///
///     S_i  = (1/N) Σ_j (f_B,j − f̄) (f_AB⁽ⁱ⁾,j − f_A,j) / V     (Saltelli et al. 2010, table 2 (b))
///     ST_i = (1/2N) Σ_j (f_A,j − f_AB⁽ⁱ⁾,j)² / V                (Jansen 1999; Saltelli et al. 2010 (f))
///
/// f̄ is the mean of the 2N outputs. Subtracting it changes nothing in expectation
/// (E[f_AB⁽ⁱ⁾ − f_A] = 0) but removes the term f̄ · mean(f_AB⁽ⁱ⁾ − f_A), whose noise
/// swamps S_i when the output's mean is large against its spread (a FUSA count of
/// ~480 varying by ±20: Sobol 2001's centring).
///
/// Intervals: B bootstrap resamples of the N rows (with replacement, the same rows
/// for A, B and every A_B^(i), drawn with `gsl_rng_uniform_int`), the indices
/// recomputed on each, and the nearest-rank (1 − c)/2 and (1 + c)/2 quantiles taken.
public struct SobolIndices: Sendable, Hashable {
  public var firstOrder: [Estimate]
  public var total: [Estimate]
  /// The output variance V and mean.
  public var variance: Double
  public var mean: Double

  /// Estimates from outputs on a Saltelli design.
  ///
  /// - Parameters:
  ///   - bootstrap: resamples for the intervals (0: none).
  ///   - confidence: the interval's coverage (default 0.95).
  ///   - seed: seeds the bootstrap stream.
  public init(fA: [Double], fB: [Double], fAB: [[Double]], bootstrap: Int = 0, confidence: Double = 0.95, seed: UInt64 = 1) {
    let n = fA.count
    precondition(n >= 2 && fB.count == n && fAB.allSatisfy { $0.count == n })
    let all = Array(0..<n)
    let point = SobolIndices.indices(fA, fB, fAB, rows: all)
    mean = point.mean
    variance = point.variance
    var first = point.first.map { Estimate(value: $0) }
    var total = point.total.map { Estimate(value: $0) }
    if bootstrap > 0 {
      let stream = WhatIfPurpose.stream(seed: seed, purpose: WhatIfPurpose.bootstrap)
      let d = fAB.count
      var firstDraws = [[Double]](repeating: [], count: d)
      var totalDraws = [[Double]](repeating: [], count: d)
      var rows = [Int](repeating: 0, count: n)
      for _ in 0..<bootstrap {
        for j in 0..<n { rows[j] = stream.uniformInt(n) }
        let r = SobolIndices.indices(fA, fB, fAB, rows: rows)
        for i in 0..<d {
          firstDraws[i].append(r.first[i])
          totalDraws[i].append(r.total[i])
        }
      }
      let lo = (1 - confidence) / 2
      let hi = (1 + confidence) / 2
      for i in 0..<d {
        let fs = SampleStatistics.sorted(firstDraws[i].map { $0.isNaN ? 0 : $0 })
        let ts = SampleStatistics.sorted(totalDraws[i].map { $0.isNaN ? 0 : $0 })
        first[i].low = SampleStatistics.nearestRankQuantile(sortedSample: fs, lo)
        first[i].high = SampleStatistics.nearestRankQuantile(sortedSample: fs, hi)
        total[i].low = SampleStatistics.nearestRankQuantile(sortedSample: ts, lo)
        total[i].high = SampleStatistics.nearestRankQuantile(sortedSample: ts, hi)
      }
    }
    firstOrder = first
    self.total = total
  }

  /// The point estimates on the given rows (repeated rows allowed). A constant
  /// output (V = 0) gives indices 0.
  static func indices(_ fA: [Double], _ fB: [Double], _ fAB: [[Double]], rows: [Int]) -> (
    first: [Double], total: [Double], variance: Double, mean: Double
  ) {
    let n = Double(rows.count)
    var pooled: [Double] = []
    pooled.reserveCapacity(2 * rows.count)
    for j in rows { pooled.append(fA[j]) }
    for j in rows { pooled.append(fB[j]) }
    let v = SampleStatistics.variance(pooled)
    let mean = SampleStatistics.mean(pooled)
    var first: [Double] = []
    var total: [Double] = []
    for ab in fAB {
      var s = 0.0
      var t = 0.0
      for j in rows {
        s += (fB[j] - mean) * (ab[j] - fA[j])
        let diff = fA[j] - ab[j]
        t += diff * diff
      }
      first.append(v > 0 ? s / n / v : 0)
      total.append(v > 0 ? t / (2 * n) / v : 0)
    }
    return (first, total, v, mean)
  }
}
