public import CGSL

/// A discrete distribution over 0..<K, preprocessed once by Walker's alias method
/// (`gsl_ran_discrete_preproc`) so each draw is O(1); owns the table and frees it
/// exactly once (`gsl_ran_discrete_free`). Immutable after construction.
public final class DiscreteDistribution: @unchecked Sendable {
  // Immutable after init; gsl_ran_discrete only reads the table, so sharing is safe.
  @usableFromInline let table: UnsafeMutablePointer<gsl_ran_discrete_t>
  /// Number of categories K.
  public let count: Int

  /// A table for non-negative `weights` (not necessarily summing to 1), at least
  /// one positive, with a finite sum.
  public convenience init(weights: [Double]) throws {
    let table = try weights.withUnsafeBufferPointer { try DiscreteDistribution.preprocess($0) }
    self.init(table: table, count: weights.count)
  }

  /// A table for the non-negative weights in `weights` (read, not kept), at least
  /// one positive, with a finite sum: the hot loop's form, with the weights in reused
  /// storage.
  public convenience init(weights: UnsafeBufferPointer<Double>) throws {
    self.init(table: try DiscreteDistribution.preprocess(weights), count: weights.count)
  }

  private init(table: UnsafeMutablePointer<gsl_ran_discrete_t>, count: Int) {
    self.table = table
    self.count = count
  }

  /// `gsl_ran_discrete_preproc` of the weights, after checking them (the caller frees
  /// the table with `gsl_ran_discrete_free`).
  static func preprocess(_ weights: UnsafeBufferPointer<Double>) throws -> UnsafeMutablePointer<gsl_ran_discrete_t> {
    _ = gslHandlerOff
    guard !weights.isEmpty else { throw GSLError.invalidArgument(function: "gsl_ran_discrete_preproc", detail: "no weights") }
    // One pass, as this runs for every Supplier of Last Resort choice: no weight below
    // zero, and a sum that is positive and finite (so no weight is NaN or infinite, and
    // GSL's own sum of them, by which it divides, does not overflow).
    var total = 0.0
    var negative = false
    for w in weights {
      total += w
      if w < 0 { negative = true }
    }
    guard !negative, total > 0, total < .infinity else {
      throw GSLError.invalidArgument(
        function: "gsl_ran_discrete_preproc", detail: "weights must be non-negative, not all zero, with a finite sum")
    }
    guard let made = gsl_ran_discrete_preproc(weights.count, weights.baseAddress) else {
      throw GSLError.allocationFailed(function: "gsl_ran_discrete_preproc")
    }
    return made
  }

  deinit { gsl_ran_discrete_free(table) }

  /// The probability of category k (`gsl_ran_discrete_pdf`).
  public func probability(of k: Int) -> Double {
    gsl_ran_discrete_pdf(k, table)
  }
}
