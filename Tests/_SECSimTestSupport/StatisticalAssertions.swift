/// Helpers for statistical assertions in tests: a sample mean is compared with a
/// theoretical one within a stated number of standard errors, and the z-score is
/// reported so a failure says how far off it was.
public struct StatisticalCheck: Sendable, CustomStringConvertible {
  /// Observed value (a sample mean or variance).
  public let observed: Double
  /// The value theory predicts.
  public let expected: Double
  /// Standard error of `observed`.
  public let standardError: Double

  public init(observed: Double, expected: Double, standardError: Double) {
    self.observed = observed
    self.expected = expected
    self.standardError = standardError
  }

  /// (observed − expected) / standard error.
  public var zScore: Double { (observed - expected) / standardError }

  /// Whether |z| ≤ `limit`.
  public func within(standardErrors limit: Double) -> Bool { abs(zScore) <= limit }

  public var description: String {
    "observed \(observed), expected \(expected), se \(standardError), z = \(zScore)"
  }
}
