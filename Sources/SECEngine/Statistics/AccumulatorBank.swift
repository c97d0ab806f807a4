import GSL

/// The summary statistics of one accumulator slot, in the metric's own units
/// (the fixed integer unit divided back out).
public struct SlotSummary: Hashable, Sendable {
  /// Number of replicates added.
  public var n: Int64
  public var mean: Double
  /// Sample standard deviation (divisor n − 1; 0 when n < 2).
  public var sd: Double
  /// Standard error of the mean, sd / √n.
  public var se: Double
  /// Nearest-rank quantiles from the histogram (exact below 128 units, else within 1/128).
  public var p05: Double
  public var p50: Double
  public var p95: Double
  /// Replicates whose value fell outside the histogram's range (clamped).
  public var overflow: Int64
}

/// The exact moment state of one accumulator slot — n, Σx and Σx² of integer
/// values in the metric's fixed unit — from which mean, standard deviation and
/// standard error are computed once, at the end (MODEL.md §10). It merges by
/// addition, so a design point's summary state can be kept and merged exactly
/// without its histograms.
public struct SlotMoments: Sendable, Hashable {
  public var n: Int64
  public var sum: Int128
  public var sumSquares: Int128

  public init(n: Int64 = 0, sum: Int128 = 0, sumSquares: Int128 = 0) {
    self.n = n
    self.sum = sum
    self.sumSquares = sumSquares
  }

  /// Adds another slot's moments (exact).
  public mutating func merge(_ other: SlotMoments) {
    n &+= other.n
    sum &+= other.sum
    sumSquares &+= other.sumSquares
  }

  /// Mean in the metric's units (the integer unit divided by `scale`); NaN when empty.
  public func mean(scale: Double) -> Double {
    guard n > 0 else { return .nan }
    return SlotMoments.double(sum) / Double(n) / scale
  }

  /// Sample standard deviation (divisor n − 1; 0 when n = 1, NaN when empty).
  public func sd(scale: Double) -> Double {
    guard n > 0 else { return .nan }
    var variance = 0.0
    if n > 1 {
      // n·Σx² − (Σx)² exactly when it fits in 128 bits, else in Double.
      let (nq, o1) = Int128(n).multipliedReportingOverflow(by: sumSquares)
      let (s2, o2) = sum.multipliedReportingOverflow(by: sum)
      if !o1 && !o2 {
        variance = SlotMoments.double(nq - s2) / (Double(n) * Double(n - 1))
      } else {
        let m = SlotMoments.double(sum) / Double(n)
        variance = max(0, (SlotMoments.double(sumSquares) - SlotMoments.double(sum) * m) / Double(n - 1))
      }
    }
    return variance.squareRoot() / scale
  }

  /// Standard error of the mean, sd / √n.
  public func se(scale: Double) -> Double { SlotMoments.se(sd: sd(scale: scale), n: n) }

  /// The standard error from a standard deviation already computed: sd / √n.
  @inline(__always) static func se(sd: Double, n: Int64) -> Double { sd / Double(n).squareRoot() }

  /// `Double(x)`, the nearest Double (ties to even), exactly as the standard library
  /// converts an `Int128`, without its generic conversion (~3,000 instructions a
  /// call; the fixed cost of writing summary.csv). Below 2⁶³ in magnitude the
  /// hardware converts the `Int64`; above, the top 64 bits of the magnitude are
  /// converted with every lower bit ORed into their lowest bit (a sticky bit): the
  /// Double keeps 53 bits, so the 64 bits hold the rounding bit and a nonzero tail
  /// exactly when the full value does, and scaling by a power of two is exact.
  static func double(_ x: Int128) -> Double {
    if let small = Int64(exactly: x) { return Double(small) }
    let m = x.magnitude
    let high = UInt64(truncatingIfNeeded: m &>> 64)
    let d: Double
    if high == 0 {
      d = Double(UInt64(truncatingIfNeeded: m))
    } else {
      let shift = 64 - high.leadingZeroBitCount  // 1…64: m has 64 + shift bits
      var top = UInt64(truncatingIfNeeded: m &>> UInt128(shift))
      if m & ((1 &<< UInt128(shift)) &- 1) != 0 { top |= 1 }
      d = Double(sign: .plus, exponent: shift, significand: Double(top))
    }
    return x < 0 ? -d : d
  }
}

/// Exactly mergeable accumulators for many metric slots at once (MODEL.md §10).
///
/// Each slot keeps, for integer values in a fixed unit (counts; assessor days in
/// tenths; pence; parts per million; thousandths of a year): the count n, Σx and
/// Σx² as `Int128`, and a histogram with a fixed layout. Everything is integer
/// addition, so any grouping of replicates — threads, shards, merge order — gives
/// bit-identical state; mean and variance are computed once, at the end. Storage
/// is flat arrays whose size depends on the layouts only, never on the number of
/// replicates. Buckets count in `UInt32`: one run (all shards together) may hold
/// up to 2³² − 1 replicates.
public struct AccumulatorBank: Sendable, Equatable {
  /// Histogram layout of each slot.
  public let layouts: [HistogramLayout]
  /// Offset of each slot's first bucket in `buckets`.
  public let offsets: [Int]
  public private(set) var counts: [Int64]
  public private(set) var sums: [Int128]
  public private(set) var sumSquares: [Int128]
  public private(set) var overflows: [Int64]
  /// Smallest and largest value added to each slot (exact; merged by min and max),
  /// used to clamp quantiles so a constant reports itself exactly.
  public private(set) var minima: [Int64]
  public private(set) var maxima: [Int64]
  public private(set) var buckets: [UInt32]

  /// An empty bank with one slot per layout.
  public init(layouts: [HistogramLayout]) {
    self.layouts = layouts
    var offsets: [Int] = []
    offsets.reserveCapacity(layouts.count)
    var total = 0
    for layout in layouts {
      offsets.append(total)
      total += layout.bucketCount
    }
    self.offsets = offsets
    counts = Array(repeating: 0, count: layouts.count)
    sums = Array(repeating: 0, count: layouts.count)
    sumSquares = Array(repeating: 0, count: layouts.count)
    overflows = Array(repeating: 0, count: layouts.count)
    minima = Array(repeating: Int64.max, count: layouts.count)
    maxima = Array(repeating: Int64.min, count: layouts.count)
    buckets = Array(repeating: 0, count: total)
  }

  /// Number of slots.
  public var slotCount: Int { layouts.count }

  /// Adds one replicate's value (in the slot's integer unit) to a slot.
  public mutating func add(_ value: Int64, to slot: Int) {
    counts[slot] &+= 1
    sums[slot] &+= Int128(value)
    sumSquares[slot] &+= AccumulatorBank.square(value)
    let (index, overflow) = layouts[slot].index(of: value)
    buckets[offsets[slot] + index] &+= 1
    if overflow { overflows[slot] &+= 1 }
    if value < minima[slot] { minima[slot] = value }
    if value > maxima[slot] { maxima[slot] = value }
  }

  /// Adds `count` replicates' values to every slot, slot-major: slot i's values at
  /// `values[i * stride ..< i * stride + count]`. `add(batch:slotStride:replicateStride:count:)`
  /// with a replicate stride of 1.
  mutating func add(batch values: UnsafePointer<Int64>, stride: Int, count: Int) {
    precondition(count >= 0 && count <= stride, "batch of \(count) values with stride \(stride)")
    add(batch: values, slotStride: stride, replicateStride: 1, count: count)
  }

  /// Adds `count` replicates' values to every slot (the engine's hot path): replicate
  /// j's value of slot i is `values[i * slotStride + j * replicateStride]` (the engine
  /// writes each replicate's values contiguously: slot stride 1, replicate stride the
  /// slot count). Equal, state for state, to `count` calls of `add(_:to:)` per slot,
  /// except that with `deferredZeros` each slot's zeros are counted there (per slot,
  /// wrapping like a bucket) instead of in its zero bucket: `addDeferredZeros` adds
  /// them later, and then the state is equal. The zero bucket is the commonest, and
  /// a slot's buckets are far from the next slot's, so this saves a cache miss per
  /// slot and batch for slots that are always zero.
  ///
  /// Slot by slot, so each slot's histogram is visited once per batch. The values are
  /// first gathered a tile of `tileSlots` slots at a time, the tile's first slot from
  /// every replicate before the next slot: those loads do not depend on each other,
  /// so their cache misses overlap (read slot by slot while adding, each would wait
  /// for the last one's bucket update).
  mutating func add(
    batch values: UnsafePointer<Int64>, slotStride: Int, replicateStride: Int, count: Int,
    deferredZeros: UnsafeMutablePointer<UInt32>? = nil
  ) {
    precondition(count >= 0, "batch of \(count) replicates")
    let tileSlots = AccumulatorBank.tileSlots
    let tile = UnsafeMutablePointer<Int64>.allocate(capacity: max(1, tileSlots * count))
    defer { tile.deallocate() }
    layouts.withUnsafeBufferPointer { layouts in
      offsets.withUnsafeBufferPointer { offsets in
        counts.withUnsafeMutableBufferPointer { counts in
          sums.withUnsafeMutableBufferPointer { sums in
            sumSquares.withUnsafeMutableBufferPointer { squares in
              minima.withUnsafeMutableBufferPointer { minima in
                maxima.withUnsafeMutableBufferPointer { maxima in
                  buckets.withUnsafeMutableBufferPointer { buckets in
                    overflows.withUnsafeMutableBufferPointer { overflows in
                      var first = 0
                      while first < layouts.count {
                        let width = min(tileSlots, layouts.count - first)
                        // tile[s * count + j]: slot first + s of replicate j.
                        for s in 0..<width {
                          let from = values + (first &+ s) &* slotStride
                          let to = tile + s &* count
                          for j in 0..<count { to[j] = from[j &* replicateStride] }
                        }
                        for s in 0..<width {
                          let slot = first + s
                          let layout = layouts[slot]
                          let base = offsets[slot]
                          let v = tile + s &* count
                          var zeros: UInt32 = 0
                          var sum: Int128 = 0
                          var square: Int128 = 0
                          var low = minima[slot]
                          var high = maxima[slot]
                          var overflow: Int64 = 0
                          // The loop twice, for signed and unsigned layouts (`signed` a
                          // constant in each, not a test per value).
                          @inline(__always) func addValues(signed: Bool) {
                            for j in 0..<count {
                              let x = v[j]
                              if x == 0 {
                                zeros &+= 1
                                continue
                              }
                              sum &+= Int128(x)
                              square &+= AccumulatorBank.square(x)
                              let (index, over) = layout.index(of: x, signed: signed)
                              buckets[base &+ index] &+= 1
                              if over { overflow &+= 1 }
                              if x < low { low = x }
                              if x > high { high = x }
                            }
                          }
                          if layout.signed { addValues(signed: true) } else { addValues(signed: false) }
                          if zeros > 0 {
                            if let deferredZeros {
                              deferredZeros[slot] &+= zeros
                            } else {
                              buckets[base &+ layout.index(of: 0).index] &+= zeros
                            }
                            if 0 < low { low = 0 }
                            if 0 > high { high = 0 }
                          }
                          counts[slot] &+= Int64(count)
                          sums[slot] &+= sum
                          squares[slot] &+= square
                          overflows[slot] &+= overflow
                          minima[slot] = low
                          maxima[slot] = high
                        }
                        first += width
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// Slots gathered at a time by the batch add: one 64-byte cache line of each
  /// replicate's contiguous values.
  static let tileSlots = 8

  /// Adds zeros counted aside by `add(batch:…deferredZeros:)` (one count per slot)
  /// to each slot's zero bucket, and resets the counts to 0.
  mutating func addDeferredZeros(_ zeros: UnsafeMutablePointer<UInt32>) {
    for slot in 0..<layouts.count where zeros[slot] != 0 {
      buckets[offsets[slot] + layouts[slot].index(of: 0).index] &+= zeros[slot]
      zeros[slot] = 0
    }
  }

  /// x² exactly, from one 64 × 64 → 128-bit multiply (an `Int128` product would do three).
  @inline(__always) static func square(_ x: Int64) -> Int128 {
    let m = x.magnitude.multipliedFullWidth(by: x.magnitude)
    return Int128(bitPattern: UInt128(m.high) << 64 | UInt128(m.low))
  }

  /// Adds another bank's state (same layouts) into this one: exact and associative.
  public mutating func merge(_ other: AccumulatorBank) {
    precondition(layouts == other.layouts, "merging accumulator banks of different layouts")
    for i in counts.indices {
      counts[i] &+= other.counts[i]
      sums[i] &+= other.sums[i]
      sumSquares[i] &+= other.sumSquares[i]
      overflows[i] &+= other.overflows[i]
      minima[i] = min(minima[i], other.minima[i])
      maxima[i] = max(maxima[i], other.maxima[i])
    }
    for i in buckets.indices { buckets[i] &+= other.buckets[i] }
  }

  /// The statistics of a slot, dividing the integer unit back out by `scale`.
  public func summary(_ slot: Int, scale: Double) -> SlotSummary {
    let moments = moments(slot)
    guard moments.n > 0 else {
      return SlotSummary(n: 0, mean: .nan, sd: .nan, se: .nan, p05: .nan, p50: .nan, p95: .nan, overflow: 0)
    }
    let sd = moments.sd(scale: scale)
    let p = quantiles(slot, [0.05, 0.50, 0.95])
    return SlotSummary(
      n: moments.n, mean: moments.mean(scale: scale), sd: sd, se: SlotMoments.se(sd: sd, n: moments.n),
      p05: Double(p[0]) / scale, p50: Double(p[1]) / scale, p95: Double(p[2]) / scale, overflow: overflows[slot])
  }

  /// Buckets summed at a time by `quantiles` while the cumulative count is far below the next rank.
  static let quantileBlock = 8

  /// The exact moment state of a slot: n, Σx and Σx² in its integer unit.
  public func moments(_ slot: Int) -> SlotMoments { SlotMoments(n: counts[slot], sum: sums[slot], sumSquares: sumSquares[slot]) }

  /// The nearest-rank p-quantile of a slot, in its integer unit: the representative
  /// value of the bucket holding rank ⌈p·n⌉ (the rank `SampleStatistics` uses),
  /// clamped to the slot's exact minimum and maximum.
  public func quantile(_ slot: Int, _ p: Double) -> Int64 { quantiles(slot, [p])[0] }

  /// `quantile(slot, p)` for several p in ascending order, in one pass over the
  /// buckets that can hold values (from the bucket of the slot's minimum).
  public func quantiles(_ slot: Int, _ ps: [Double]) -> [Int64] {
    let n = counts[slot]
    precondition(n > 0, "quantile of an empty slot")
    precondition(zip(ps, ps.dropFirst()).allSatisfy { $0 <= $1 }, "quantiles are asked for in ascending order")
    let layout = layouts[slot]
    let lo = minima[slot]
    let hi = maxima[slot]
    // Buckets below the minimum's are empty (the index grows with the value) unless
    // the minimum overflowed, which can land it in the top bucket.
    let first = layout.index(of: lo)
    let start = first.overflow ? 0 : first.index
    let base = offsets[slot]
    var result: [Int64] = []
    result.reserveCapacity(ps.count)
    var k = 0
    var rank = UInt64(SampleStatistics.nearestRank(ps[0], count: Int(n)))
    var cumulative: UInt64 = 0
    var i = start
    buckets.withUnsafeBufferPointer { buckets in
      let counts = buckets.baseAddress! + base
      while k < ps.count && i < layout.bucketCount {
        // Eight buckets at a time while they cannot reach the next rank (the
        // cumulative count only grows, so none of them would be the quantile's).
        let block = AccumulatorBank.quantileBlock
        if i &+ block <= layout.bucketCount {
          var sum: UInt64 = 0
          for b in 0..<block { sum &+= UInt64(counts[i &+ b]) }
          if cumulative &+ sum < rank {
            cumulative &+= sum
            i &+= block
            continue
          }
        }
        cumulative &+= UInt64(counts[i])
        while k < ps.count && cumulative >= rank {
          result.append(min(max(layout.representative(i), lo), hi))
          k += 1
          if k < ps.count { rank = UInt64(SampleStatistics.nearestRank(ps[k], count: Int(n))) }
        }
        i += 1
      }
    }
    while result.count < ps.count { result.append(min(max(layout.representative(layout.bucketCount - 1), lo), hi)) }
    return result
  }

  /// The state as a fixed-width little-endian byte layout: per slot n (8 bytes),
  /// Σx and Σx² (16 bytes each), overflow, minimum and maximum (8 bytes each), then
  /// every bucket (4 bytes).
  /// Its size depends on the layouts only.
  public func serialized() -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(serializedByteCount)
    func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    for i in counts.indices {
      put(counts[i])
      put(sums[i])
      put(sumSquares[i])
      put(overflows[i])
      put(minima[i])
      put(maxima[i])
    }
    for b in buckets { put(b) }
    return bytes
  }

  /// Size of `serialized()` in bytes.
  public var serializedByteCount: Int { counts.count * 64 + buckets.count * 4 }

  /// Restores state written by `serialized()` for the same layouts, or nil if the
  /// byte count does not match.
  public init?(layouts: [HistogramLayout], serialized bytes: [UInt8]) {
    self.init(layouts: layouts)
    guard bytes.count == serializedByteCount else { return nil }
    var at = 0
    func get<T: FixedWidthInteger>(_: T.Type) -> T {
      var v = T.zero
      withUnsafeMutableBytes(of: &v) { $0.copyBytes(from: bytes[at..<(at + MemoryLayout<T>.size)]) }
      at += MemoryLayout<T>.size
      return T(littleEndian: v)
    }
    for i in counts.indices {
      counts[i] = get(Int64.self)
      sums[i] = get(Int128.self)
      sumSquares[i] = get(Int128.self)
      overflows[i] = get(Int64.self)
      minima[i] = get(Int64.self)
      maxima[i] = get(Int64.self)
    }
    for i in buckets.indices { buckets[i] = get(UInt32.self) }
  }
}
