internal import CGSL

/// A low-discrepancy sequence in [0, 1)^d for experiment designs (`gsl_qrng`),
/// owning its generator and freeing it exactly once. GSL's Sobol generator
/// supports 1…40 dimensions and Halton 1…1229; GSL does not refuse more (it
/// allocates and then returns zeros), so this wrapper does (MODEL.md §10).
public final class QuasiRandomSequence {
  /// The sequences GSL provides that SECSim uses.
  public enum Kind: String, CaseIterable, Sendable {
    /// Sobol (`gsl_qrng_sobol`, Antonov–Saleev), at most 40 dimensions.
    case sobol
    /// Halton (`gsl_qrng_halton`), at most 1229 dimensions.
    case halton

    /// The dimensions GSL supports for this kind.
    public var supportedDimensions: ClosedRange<Int> {
      switch self {
      case .sobol: return 1...40
      case .halton: return 1...1229
      }
    }
  }

  let qrng: UnsafeMutablePointer<gsl_qrng>
  /// The sequence kind.
  public let kind: Kind
  /// Dimension d of each point.
  public let dimensions: Int

  /// A sequence of `kind` in `dimensions` dimensions, or `GSLError.unsupportedDimension`.
  public init(_ kind: Kind, dimensions: Int) throws {
    _ = gslHandlerOff
    guard kind.supportedDimensions.contains(dimensions) else {
      throw GSLError.unsupportedDimension(
        generator: "gsl_qrng_\(kind.rawValue)", requested: dimensions, supported: kind.supportedDimensions)
    }
    let type = kind == .sobol ? secsim_qrng_sobol() : secsim_qrng_halton()
    guard let q = gsl_qrng_alloc(type, UInt32(dimensions)) else { throw GSLError.allocationFailed(function: "gsl_qrng_alloc") }
    qrng = q
    self.kind = kind
    self.dimensions = dimensions
  }

  deinit { gsl_qrng_free(qrng) }

  /// The next point of the sequence (`gsl_qrng_get`).
  public func next() throws -> [Double] {
    var point = [Double](repeating: 0, count: dimensions)
    let status = point.withUnsafeMutableBufferPointer { gsl_qrng_get(qrng, $0.baseAddress) }
    try GSLError.check(status, "gsl_qrng_get")
    return point
  }

  /// Restarts the sequence at its first point (`gsl_qrng_init`).
  public func restart() { gsl_qrng_init(qrng) }
}
