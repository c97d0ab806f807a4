internal import CGSL

/// Statistics of a sample held in memory, computed by GSL (tests, bootstraps and
/// small design tables; the Monte Carlo stream uses SECEngine's exact accumulators,
/// MODEL.md §10).
public enum SampleStatistics {
  /// Arithmetic mean (`gsl_stats_mean`). The sample must not be empty.
  public static func mean(_ sample: [Double]) -> Double {
    precondition(!sample.isEmpty, "mean of an empty sample")
    return sample.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, $0.count) }
  }

  /// Unbiased sample variance, divisor n − 1 (`gsl_stats_variance`); needs n ≥ 2.
  public static func variance(_ sample: [Double]) -> Double {
    precondition(sample.count >= 2, "variance needs at least two values")
    return sample.withUnsafeBufferPointer { gsl_stats_variance($0.baseAddress, 1, $0.count) }
  }

  /// Sample standard deviation, divisor n − 1 (`gsl_stats_sd`); needs n ≥ 2.
  public static func standardDeviation(_ sample: [Double]) -> Double {
    precondition(sample.count >= 2, "standard deviation needs at least two values")
    return sample.withUnsafeBufferPointer { gsl_stats_sd($0.baseAddress, 1, $0.count) }
  }

  /// The sample sorted ascending (`gsl_sort`).
  public static func sorted(_ sample: [Double]) -> [Double] {
    var copy = sample
    copy.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress, 1, $0.count) }
    return copy
  }

  /// The nearest-rank quantile of a sample: the value of rank ⌈p·n⌉ (at least 1)
  /// in the ascending order given by `gsl_sort`. This is the definition SECSim's
  /// histograms use (MODEL.md §10); GSL's `gsl_stats_quantile_from_sorted_data`
  /// interpolates between ranks instead, so it is not used here.
  public static func nearestRankQuantile(_ sample: [Double], _ p: Double) -> Double {
    nearestRankQuantile(sortedSample: sorted(sample), p)
  }

  /// `nearestRankQuantile` on a sample already sorted ascending.
  public static func nearestRankQuantile(sortedSample: [Double], _ p: Double) -> Double {
    precondition(!sortedSample.isEmpty, "quantile of an empty sample")
    precondition(p >= 0 && p <= 1, "quantile probability outside [0, 1]")
    let rank = nearestRank(p, count: sortedSample.count)
    return sortedSample[rank - 1]
  }

  /// The 1-based nearest rank ⌈p·n⌉, clamped to 1…n. A product within 10⁻⁹ above
  /// an integer counts as that integer, so that 0.95 × 20 is rank 19 although
  /// 0.95 has no exact binary form.
  public static func nearestRank(_ p: Double, count n: Int) -> Int {
    let r = Int((p * Double(n) - 1e-9).rounded(.up))
    return min(max(r, 1), n)
  }
}
