/// A one-at-a-time tornado: every parameter moved alone to its LOW and its HIGH
/// end while the others stay at their base values (the scenario's own value,
/// clamped into the range; the midpoint for an inert or per-year parameter). Bars
/// are sorted by swing |f(high) − f(low)|, largest first.
public struct Tornado: Sendable, Hashable {
  public struct Bar: Sendable, Hashable {
    public var parameter: Int
    public var outputAtLow: Double
    public var outputAtHigh: Double
    public var swing: Double { abs(outputAtHigh - outputAtLow) }
  }

  /// The base point (unit coordinates).
  public let base: [Double]
  public let baseOutput: Double
  /// Bars, largest swing first (ties: parameter order).
  public let bars: [Bar]

  /// The 2d + 1 points to run: the base, then each parameter at LOW and at HIGH.
  public static func points(base: [Double]) -> [[Double]] {
    var out = [base]
    for i in base.indices {
      var low = base
      low[i] = 0
      var high = base
      high[i] = 1
      out += [low, high]
    }
    return out
  }

  /// Reads outputs given in `points(base:)` order.
  public init(base: [Double], outputs: [Double]) {
    precondition(outputs.count == 2 * base.count + 1)
    self.base = base
    baseOutput = outputs[0]
    bars = base.indices.map { Bar(parameter: $0, outputAtLow: outputs[1 + 2 * $0], outputAtHigh: outputs[2 + 2 * $0]) }
      .sorted { $0.swing != $1.swing ? $0.swing > $1.swing : $0.parameter < $1.parameter }
  }
}
