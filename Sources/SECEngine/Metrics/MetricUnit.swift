/// The fixed integer unit a metric is accumulated in (MODEL.md §10): per-replicate
/// values are rounded to it, then summed exactly.
public enum MetricUnit: String, Sendable, Hashable, CaseIterable {
  /// Whole counts (assessments, Users, meters, customers).
  case count
  /// Assessor days in tenths of a day.
  case tenthDay
  /// Money in pence.
  case pence
  /// Shares in parts per million.
  case ppm
  /// Ages in thousandths of a year.
  case milliYear

  /// Integer units per metric unit (a metric value x is stored as round(x × scale)).
  public var scale: Double {
    switch self {
    case .count: return 1
    case .tenthDay: return 10
    case .pence: return 100
    case .ppm: return 1_000_000
    case .milliYear: return 1_000
    }
  }

  /// `x` in this integer unit, rounded half away from zero: exactly
  /// `Int64((x × scale).rounded(.toNearestOrAwayFromZero))` (and trapping where it
  /// would), without the library call. v − trunc(v) is exact in binary floating
  /// point, so comparing it with ±0.5 decides the halfway cases exactly.
  @inlinable public func integer(_ x: Double) -> Int64 { MetricUnit.integer(x, scale: scale) }

  /// `integer(_:)` for a unit given by its scale (the engine's per-metric tables).
  @inlinable public static func integer(_ x: Double, scale: Double) -> Int64 {
    let v = x * scale
    let t = Int64(v)  // toward zero
    let f = v - Double(t)
    // Selects rather than branches (the fraction is data, often unpredictable). t ± 1
    // cannot overflow: a Double that converts has |t| ≤ 2⁶³ − 1024, and f ≠ 0 only
    // below 2⁵².
    return t &+ (f >= 0.5 ? 1 : 0) &- (f <= -0.5 ? 1 : 0)
  }
}

/// How a metric's horizon total (`year = total`) is formed from its yearly values,
/// per replicate (MODEL.md §6).
public enum TotalRule: String, Sendable, Hashable {
  /// The sum over the years (flows: assessments, days, cost, …).
  case sum
  /// 1 if any year was 1 (`capacity_exceeded`: the chance of any breach in the horizon).
  case any
  /// The mean over the years (shares, ages, and market stocks).
  case mean
  /// The largest year (`peak_quarter_assessor_days`: the horizon's peak quarter).
  case max
}
