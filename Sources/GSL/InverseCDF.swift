internal import CGSL

/// Inverse cumulative distribution functions (`gsl_cdf_*_Pinv`). SECSim maps one
/// entity-keyed uniform variate through the inverse CDF of whichever distribution
/// a policy needs, so policies that choose different assessment kinds still share
/// the same variate (common random numbers, MODEL.md §10).
public enum InverseCDF {
  /// The p-quantile of Beta(a, b) (`gsl_cdf_beta_Pinv`), p in [0, 1].
  public static func beta(_ p: Double, a: Double, b: Double) -> Double {
    _ = gslHandlerOff
    return gsl_cdf_beta_Pinv(p, a, b)
  }

  /// The p-quantile of the unit Gaussian (`gsl_cdf_ugaussian_Pinv`).
  public static func unitGaussian(_ p: Double) -> Double {
    _ = gslHandlerOff
    return gsl_cdf_ugaussian_Pinv(p)
  }
}
