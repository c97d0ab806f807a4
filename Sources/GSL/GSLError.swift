internal import CGSL

/// A failure reported by, or refused at, the GSL edge. Every GSL status code and
/// every argument GSL would accept silently but mishandle becomes one of these,
/// here and nowhere else.
public enum GSLError: Error, Equatable, CustomStringConvertible {
  /// A generator name that is not one of `RNGAlgorithm`'s.
  case unknownAlgorithm(String)
  /// A GSL allocation returned NULL.
  case allocationFailed(function: String)
  /// A quasi-random dimension outside what the generator supports (GSL's Sobol
  /// supports 1…40; it allocates beyond that and then returns zeros).
  case unsupportedDimension(generator: String, requested: Int, supported: ClosedRange<Int>)
  /// An argument outside the distribution's domain.
  case invalidArgument(function: String, detail: String)
  /// A non-zero GSL status code, with GSL's own message.
  case status(function: String, code: Int32, message: String)

  public var description: String {
    switch self {
    case .unknownAlgorithm(let name):
      return "unknown random number generator '\(name)'; expected one of: \(RNGAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))"
    case .allocationFailed(let function):
      return "\(function) could not allocate memory"
    case .unsupportedDimension(let generator, let requested, let supported):
      return "\(generator) supports \(supported.lowerBound)…\(supported.upperBound) dimensions; \(requested) were asked for"
    case .invalidArgument(let function, let detail):
      return "\(function): \(detail)"
    case .status(let function, let code, let message):
      return "\(function) failed with GSL status \(code): \(message)"
    }
  }

  static func check(_ code: Int32, _ function: String) throws {
    guard code != 0 else { return }
    throw GSLError.status(function: function, code: code, message: String(cString: gsl_strerror(code)))
  }
}

/// Turns GSL's abort-on-error handler off once per process: SECSim checks every
/// status code itself (GSL's default handler would abort the whole run).
let gslHandlerOff: Void = secsim_gsl_handler_off()
