import GSL

extension EffortTable {
  /// Intervals of the tabulated inverse CDF.
  public static let resolution = 1024

  /// A PERT distribution on [min, max] with the given mode, tabulated from GSL's
  /// inverse Beta CDF (`gsl_cdf_beta_Pinv`). min = max gives a constant.
  public init(min: Double, mode: Double, max: Double) {
    self.min = min
    self.max = max
    guard max > min else {
      nodes = []
      return
    }
    let m = Swift.min(Swift.max(mode, min), max)
    let a = 1 + 4 * (m - min) / (max - min)
    let b = 1 + 4 * (max - m) / (max - min)
    nodes = (0...EffortTable.resolution).map { i in
      InverseCDF.beta(Double(i) / Double(EffortTable.resolution), a: a, b: b)
    }
  }

  /// A constant effort of `days`.
  public static func constant(_ days: Double) -> EffortTable { EffortTable(min: days, mode: days, max: days) }
}
