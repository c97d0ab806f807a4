import GSL
import Testing

@Suite("Sample statistics (nearest-rank quantiles, MODEL.md §10)")
struct SampleStatisticsTests {
  @Test("mean and unbiased variance of a hand-checked sample")
  func meanVariance() {
    let xs: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
    #expect(SampleStatistics.mean(xs) == 5)
    #expect(abs(SampleStatistics.variance(xs) - 32.0 / 7) < 1e-12)
  }

  @Test(
    "nearest-rank quantiles of 1…20 in shuffled order",
    arguments: [(0.0, 1.0), (0.05, 1), (0.06, 2), (0.5, 10), (0.51, 11), (0.95, 19), (0.96, 20), (1, 20)])
  func nearestRank(_ p: Double, _ expected: Double) {
    let xs: [Double] = [13, 2, 20, 7, 1, 18, 5, 9, 11, 16, 3, 14, 6, 19, 8, 17, 4, 12, 10, 15]
    #expect(SampleStatistics.nearestRankQuantile(xs, p) == expected)
  }

  @Test("nearest rank differs from GSL's interpolating quantile where ranks fall between values")
  func notInterpolated() {
    // GSL's gsl_stats_quantile_from_sorted_data(0.5) of [1, 2, 3, 4] is 2.5; the nearest rank is 2.
    #expect(SampleStatistics.nearestRankQuantile([4, 1, 3, 2], 0.5) == 2)
  }
}
