import GSL

/// Fixed log-linear buckets over integer values in a metric's unit (MODEL.md §10):
/// every magnitude below 128 has its own bucket (exact), and each octave
/// [2ᵉ, 2ᵉ⁺¹) above is split into 64 equal buckets, up to a fixed maximum
/// magnitude. A bucket is reported by its midpoint, so a quantile above 127 is
/// within 1/128 (0.78%) of a value of its bucket; below 128 it is exact. Signed
/// layouts (paired differences) mirror the magnitudes around a shared zero bucket.
/// Magnitudes above the maximum are counted in the top bucket and flagged as
/// overflow, so the range is part of the layout and merges stay exact.
public struct HistogramLayout: Hashable, Sendable {
  /// Magnitudes below this have their own bucket.
  public static let exactLimit: UInt64 = 128
  /// Buckets per octave above `exactLimit`.
  public static let subBuckets = 64

  /// Largest magnitude with its own bucket; larger ones are clamped (overflow).
  public let maxMagnitude: UInt64
  /// Whether negative values are expected (paired differences).
  public let signed: Bool
  /// Buckets for magnitudes 0…maxMagnitude.
  public let magnitudeBuckets: Int

  /// A layout holding magnitudes up to at least `maxMagnitude`.
  public init(maxMagnitude: UInt64, signed: Bool = false) {
    self.maxMagnitude = max(maxMagnitude, 1)
    self.signed = signed
    self.magnitudeBuckets = HistogramLayout.magnitudeIndex(self.maxMagnitude) + 1
  }

  /// Number of buckets of this layout.
  public var bucketCount: Int { signed ? 2 * magnitudeBuckets - 1 : magnitudeBuckets }

  /// The bucket of a magnitude m (no clamping).
  @inlinable public static func magnitudeIndex(_ m: UInt64) -> Int {
    if m < exactLimit { return Int(m) }
    let e = 63 - m.leadingZeroBitCount  // ≥ 7
    let sub = Int((m >> UInt64(e - 6)) & 63)
    return Int(exactLimit) + (e - 7) * subBuckets + sub
  }

  /// The smallest and largest magnitude of bucket i (inclusive).
  public static func magnitudeBounds(_ i: Int) -> (lower: UInt64, upper: UInt64) {
    if i < Int(exactLimit) { return (UInt64(i), UInt64(i)) }
    let e = 7 + (i - Int(exactLimit)) / subBuckets
    let sub = UInt64((i - Int(exactLimit)) % subBuckets)
    let width = UInt64(1) << UInt64(e - 6)
    let lower = (64 + sub) * width
    return (lower, lower + width - 1)
  }

  /// The bucket of value v and whether it overflowed the range.
  @inlinable public func index(of v: Int64) -> (index: Int, overflow: Bool) { index(of: v, signed: signed) }

  /// `index(of:)` with the layout's `signed` given by the caller (who has tested it
  /// once for many values, so that a constant replaces the test in a loop).
  @inlinable @inline(__always) func index(of v: Int64, signed: Bool) -> (index: Int, overflow: Bool) {
    let m = v.magnitude
    let overflow = m > maxMagnitude || (!signed && v < 0)
    let mi = overflow ? magnitudeBuckets - 1 : HistogramLayout.magnitudeIndex(m)
    if !signed { return (mi, overflow) }
    return (v < 0 ? magnitudeBuckets - 1 - mi : magnitudeBuckets - 1 + mi, overflow)
  }

  /// The value reported for bucket i: its midpoint (rounded toward zero).
  public func representative(_ i: Int) -> Int64 {
    if !signed {
      let b = HistogramLayout.magnitudeBounds(i)
      return Int64(b.lower + (b.upper - b.lower) / 2)
    }
    let zero = magnitudeBuckets - 1
    let b = HistogramLayout.magnitudeBounds(abs(i - zero))
    let mid = Int64(b.lower + (b.upper - b.lower) / 2)
    return i < zero ? -mid : mid
  }
}
