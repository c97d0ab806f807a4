import Foundation

/// One swept parameter as the analyst writes it: `PATH=LOW:HIGH` (docs/whatif.md).
///
/// PATH addresses a numeric field of the scenario file (`ParameterPath`); a path
/// starting with `inert.` is a dummy parameter that the model never reads: it is
/// sampled and reported like the others but changes nothing, so its sensitivity
/// indices show the estimator's noise floor.
public struct ParameterRange: Sendable, Hashable, CustomStringConvertible {
  /// The path as written on the command line.
  public var path: String
  /// Lower and upper end of the range (LOW ≤ HIGH).
  public var low: Double
  public var high: Double

  public init(path: String, low: Double, high: Double) {
    self.path = path
    self.low = low
    self.high = high
  }

  /// Parses `PATH=LOW:HIGH` (numbers may carry `_` separators: `150_000`).
  public init(parsing text: String) throws(WhatIfError) {
    let syntax = "expected PATH=LOW:HIGH (e.g. policies[today].counting.threshold=150000:350000)"
    guard let eq = text.lastIndex(of: "=") else { throw .usage("--param '\(text)': \(syntax)") }
    let path = text[..<eq].trimmingCharacters(in: .whitespaces)
    let range = text[text.index(after: eq)...]
    let parts = range.split(separator: ":", omittingEmptySubsequences: false)
    guard !path.isEmpty, parts.count == 2 else { throw .usage("--param '\(text)': \(syntax)") }
    guard let low = ParameterRange.number(parts[0]), let high = ParameterRange.number(parts[1]) else {
      throw .usage("--param '\(text)': LOW and HIGH must be numbers (\(syntax))")
    }
    guard low <= high else { throw .usage("--param '\(text)': LOW (\(parts[0])) is above HIGH (\(parts[1]))") }
    self.init(path: path, low: low, high: high)
  }

  /// Whether this is a dummy `inert.*` parameter.
  public var isInert: Bool { path.hasPrefix("inert.") }

  /// The value at `u` ∈ [0, 1] of the range (linear).
  public func value(atUnit u: Double) -> Double { low + (high - low) * u }

  public var description: String { "\(path)=\(formatted(low)):\(formatted(high))" }

  static func number(_ text: Substring) -> Double? {
    let t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
    guard !t.isEmpty, let v = Double(t), v.isFinite else { return nil }
    return v
  }
}

/// A number as the what-if commands print it: integers without a fraction, others
/// in Swift's shortest round-trip form.
func formatted(_ x: Double) -> String {
  if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
  return x.description
}
