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

  /// `integer(x[i], scale: scale[i])` for two values at once, exactly, in the SIMD
  /// lanes of the baseline x86-64 (no 64-bit float-to-integer conversion there, so
  /// in the floating point domain): below 2⁵¹ in magnitude, a + 2⁵² − 2⁵² is a
  /// rounded to an integer (the sum's unit is 1), one less where that went up gives
  /// trunc(a); a − trunc(a) is exact, so comparing it with 0.5 decides halfway cases
  /// exactly; the integral magnitude m is read from the bits of m + 2⁵² (its low 52
  /// bits are m) and takes the sign of the value. A lane at or above 2⁵¹, infinite
  /// or NaN sends both through `integer(_:scale:)`, which traps where it would.
  @inlinable @inline(__always) public static func integers(_ x: SIMD2<Double>, scale: SIMD2<Double>) -> SIMD2<Int64> {
    let v = x * scale
    let magnitude = unsafeBitCast(unsafeBitCast(v, to: SIMD2<UInt64>.self) & 0x7FFF_FFFF_FFFF_FFFF, to: SIMD2<Double>.self)
    guard all(magnitude .< 0x1p51) else {
      return SIMD2(integer(x[0], scale: scale[0]), integer(x[1], scale: scale[1]))
    }
    let two52 = SIMD2<Double>(repeating: 0x1p52)
    let (zero, one) = (SIMD2<Double>.zero, SIMD2<Double>(repeating: 1))
    let nearest = (magnitude + two52) - two52
    let t = nearest - zero.replacing(with: one, where: nearest .> magnitude)
    let m = t + zero.replacing(with: one, where: magnitude - t .>= 0.5)
    let integral = unsafeBitCast(m + two52, to: SIMD2<Int64>.self) &- SIMD2(repeating: 0x4330_0000_0000_0000)
    // Negated where the value is negative: (i ^ s) − s with s all ones there.
    let sign = SIMD2<Int64>.zero.replacing(with: -1, where: v .< 0)
    return (integral ^ sign) &- sign
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
