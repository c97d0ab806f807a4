internal import CGSL

/// A GSL pseudo-random generator algorithm, chosen by name (`--rng`).
public enum RNGAlgorithm: String, CaseIterable, Sendable, Hashable, Codable {
  /// Mersenne Twister MT19937 (`gsl_rng_mt19937`): 624 32-bit words of state. The default.
  case mt19937
  /// Tausworthe taus2 (`gsl_rng_taus2`): three 32-bit words, s1 > 1, s2 > 7, s3 > 15.
  case taus2

  /// The algorithm named `name`, or `GSLError.unknownAlgorithm`.
  public init(named name: String) throws {
    guard let algorithm = RNGAlgorithm(rawValue: name) else { throw GSLError.unknownAlgorithm(name) }
    self = algorithm
  }

  var gslType: UnsafePointer<gsl_rng_type> {
    switch self {
    case .mt19937: return secsim_rng_mt19937()
    case .taus2: return secsim_rng_taus2()
    }
  }
}
