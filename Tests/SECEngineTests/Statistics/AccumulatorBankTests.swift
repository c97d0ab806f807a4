import GSL
import Testing

@testable import SECEngine

@Suite("Exact accumulators and histograms (MODEL.md §10)")
struct AccumulatorBankTests {
  /// Integer values with a wide spread: lognormal draws in a fixed unit, some negative when signed.
  func sample(seed: UInt64, count: Int, signed: Bool = false, scale: Double = 10_000) throws -> [Int64] {
    let stream = try RandomStream(StreamKey(seed: seed, replicate: 0, entity: 0, purpose: 9))
    return (0..<count).map { _ in
      let v = Int64((stream.lognormal(zeta: 0, sigma: 1.5) * scale).rounded())
      return signed && stream.bernoulli(0.4) ? -v : v
    }
  }

  @Test("every magnitude lies inside its bucket, and the midpoint is within 1/128 of it")
  func bucketBounds() {
    var m: UInt64 = 0
    while m < 1 << 40 {
      let i = HistogramLayout.magnitudeIndex(m)
      let b = HistogramLayout.magnitudeBounds(i)
      #expect(b.lower <= m && m <= b.upper, "m = \(m) in bucket \(i) = \(b)")
      let mid = Double(b.lower + (b.upper - b.lower) / 2)
      if m < HistogramLayout.exactLimit {
        #expect(mid == Double(m))
      } else {
        #expect(abs(mid - Double(m)) / Double(m) <= 1.0 / 128)
      }
      m = m < 300 ? m + 1 : m + m / 37 + 1
    }
  }

  @Test("quantiles equal a sorted sample's nearest rank within the stated resolution", arguments: [UInt64(1), 2, 3])
  func quantilesMatchSortedSample(_ seed: UInt64) throws {
    let values = try sample(seed: seed, count: 5_001)
    var bank = AccumulatorBank(layouts: [HistogramLayout(maxMagnitude: 1 << 40)])
    for v in values { bank.add(v, to: 0) }
    let sorted = SampleStatistics.sorted(values.map(Double.init))
    for p in [0.05, 0.5, 0.95] {
      let exact = SampleStatistics.nearestRankQuantile(sortedSample: sorted, p)
      let approx = Double(bank.quantile(0, p))
      let tolerance = exact < 128 ? 0 : exact / 128
      #expect(abs(approx - exact) <= tolerance, "p = \(p): histogram \(approx), sample \(exact)")
    }
  }

  @Test("small counts are exact: quantiles of 0…9 repeated")
  func smallCountsExact() {
    var bank = AccumulatorBank(layouts: [HistogramLayout(maxMagnitude: 1000)])
    for r in 0..<200 { bank.add(Int64(r % 10), to: 0) }
    // 200 values, 20 of each digit: rank 10 → 0, rank 100 → 4, rank 190 → 9.
    #expect(bank.quantile(0, 0.05) == 0)
    #expect(bank.quantile(0, 0.5) == 4)
    #expect(bank.quantile(0, 0.95) == 9)
    let s = bank.summary(0, scale: 1)
    #expect(s.mean == 4.5)
    #expect(abs(s.sd - SampleStatistics.standardDeviation((0..<200).map { Double($0 % 10) })) < 1e-12)
  }

  @Test("signed layouts order negatives before positives")
  func signedQuantiles() throws {
    let values = try sample(seed: 7, count: 3_000, signed: true, scale: 50)
    var bank = AccumulatorBank(layouts: [HistogramLayout(maxMagnitude: 1 << 30, signed: true)])
    for v in values { bank.add(v, to: 0) }
    let sorted = SampleStatistics.sorted(values.map(Double.init))
    for p in [0.05, 0.5, 0.95] {
      let exact = SampleStatistics.nearestRankQuantile(sortedSample: sorted, p)
      let approx = Double(bank.quantile(0, p))
      let tolerance = abs(exact) < 128 ? 0 : abs(exact) / 128
      #expect(abs(approx - exact) <= tolerance, "p = \(p): histogram \(approx), sample \(exact)")
    }
  }

  @Test("the one-pass quantile scan agrees with a scan of every bucket, overflow included", arguments: [false, true])
  func onePassMatchesFullScan(_ signed: Bool) throws {
    let values = try sample(seed: 13, count: 2_500, signed: true, scale: 300)
    // A small range, so large magnitudes overflow; unsigned layouts also see negatives (overflow to the top bucket).
    let layout = HistogramLayout(maxMagnitude: 20_000, signed: signed)
    var bank = AccumulatorBank(layouts: [layout])
    for v in values { bank.add(v, to: 0) }
    #expect(bank.overflows[0] > 0)
    let buckets = bank.buckets
    func fullScan(_ p: Double) -> Int64 {
      let rank = UInt64(SampleStatistics.nearestRank(p, count: values.count))
      var cumulative: UInt64 = 0
      for i in 0..<layout.bucketCount {
        cumulative += UInt64(buckets[i])
        if cumulative >= rank { return min(max(layout.representative(i), bank.minima[0]), bank.maxima[0]) }
      }
      return bank.maxima[0]
    }
    let ps = [0.0, 0.01, 0.05, 0.25, 0.5, 0.5, 0.75, 0.95, 0.999, 1.0]
    #expect(bank.quantiles(0, ps) == ps.map(fullScan))
    #expect(ps.map { bank.quantile(0, $0) } == ps.map(fullScan))
  }

  @Test("a slot-major batch add gives the very same state as adding value by value", arguments: [1, 7, 16])
  func batchAdd(_ batchCount: Int) throws {
    let layouts = [
      HistogramLayout(maxMagnitude: 1 << 30), HistogramLayout(maxMagnitude: 1 << 20, signed: true), HistogramLayout(maxMagnitude: 50),
      HistogramLayout(maxMagnitude: 3),
    ]
    let draws = try sample(seed: 17, count: 4 * 96, signed: true, scale: 2)
    // Many zeros (|v| < 0.25 rounds to 0), a slot of zeros only, a slot that overflows.
    func value(_ r: Int, _ slot: Int) -> Int64 {
      switch slot {
      case 0: return abs(draws[4 * r])
      case 1: return draws[4 * r + 1]
      case 2: return 0
      default: return draws[4 * r + 3] * 5
      }
    }
    var single = AccumulatorBank(layouts: layouts)
    var batched = AccumulatorBank(layouts: layouts)
    let stride = 16
    var values = [Int64](repeating: -999, count: layouts.count * stride)  // unused entries must not be read
    var r = 0
    while r < 96 {
      let n = min(batchCount, 96 - r)
      for j in 0..<n {
        for slot in 0..<layouts.count {
          single.add(value(r + j, slot), to: slot)
          values[slot * stride + j] = value(r + j, slot)
        }
      }
      values.withUnsafeBufferPointer { batched.add(batch: $0.baseAddress!, stride: stride, count: n) }
      r += n
    }
    #expect(batched == single)
    #expect(single.counts == [96, 96, 96, 96])
    #expect(single.overflows[3] > 0)
    #expect(single.minima[2] == 0 && single.maxima[2] == 0)
  }

  @Test("the one-multiply square equals Int128's product, extremes included")
  func squares() throws {
    let values: [Int64] = [0, 1, -1, 7, -123_456_789, Int64(Int32.max) + 5, 1 << 40, Int64.max, Int64.min, Int64.min + 1]
    for x in try sample(seed: 29, count: 500, signed: true, scale: 1e12) + values {
      #expect(AccumulatorBank.square(x) == Int128(x) * Int128(x), "x = \(x)")
    }
  }

  @Test("mean and sd agree with GSL's statistics of the same sample")
  func momentsMatchGSL() throws {
    let values = try sample(seed: 11, count: 4_000)
    var bank = AccumulatorBank(layouts: [HistogramLayout(maxMagnitude: 1 << 40)])
    for v in values { bank.add(v, to: 0) }
    let s = bank.summary(0, scale: 100)
    let xs = values.map { Double($0) / 100 }
    #expect(abs(s.mean - SampleStatistics.mean(xs)) <= 1e-9 * abs(s.mean))
    #expect(abs(s.sd - SampleStatistics.standardDeviation(xs)) <= 1e-9 * s.sd)
    #expect(abs(s.se - s.sd / Double(xs.count).squareRoot()) <= 1e-12 * s.se)
  }

  @Test("any grouping and merge order gives bit-identical state")
  func mergeIsExact() throws {
    let layouts = [HistogramLayout(maxMagnitude: 1 << 36), HistogramLayout(maxMagnitude: 1 << 20, signed: true)]
    let a = try sample(seed: 21, count: 3_000)
    let b = try sample(seed: 22, count: 3_000, signed: true, scale: 30)
    func bank(_ range: Range<Int>) -> AccumulatorBank {
      var k = AccumulatorBank(layouts: layouts)
      for i in range {
        k.add(a[i], to: 0)
        k.add(b[i], to: 1)
      }
      return k
    }
    let whole = bank(0..<3_000)
    // Three groupings of the same replicates, merged in different orders.
    var left = bank(0..<1_000)
    left.merge(bank(1_000..<2_200))
    left.merge(bank(2_200..<3_000))
    var right = bank(2_200..<3_000)
    var middle = bank(1_000..<2_200)
    middle.merge(bank(0..<1_000))
    right.merge(middle)
    #expect(left == whole)
    #expect(right == whole)
    #expect(left.serialized() == whole.serialized())
  }

  @Test("serialized state has a fixed size and round-trips")
  func serialization() throws {
    let layouts = [HistogramLayout(maxMagnitude: 5_000), HistogramLayout(maxMagnitude: 1 << 30, signed: true)]
    var small = AccumulatorBank(layouts: layouts)
    var large = AccumulatorBank(layouts: layouts)
    let values = try sample(seed: 5, count: 20_000, signed: true, scale: 10)
    for v in values.prefix(1_000) { small.add(v, to: 1) }
    for v in values { large.add(v, to: 1) }
    #expect(small.serialized().count == large.serialized().count)
    #expect(AccumulatorBank(layouts: layouts, serialized: large.serialized()) == large)
    #expect(AccumulatorBank(layouts: layouts, serialized: Array(large.serialized().dropLast())) == nil)
  }

  @Test("values beyond the range are clamped and counted as overflow")
  func overflow() {
    var bank = AccumulatorBank(layouts: [HistogramLayout(maxMagnitude: 1_000)])
    bank.add(5, to: 0)
    bank.add(1_000_000, to: 0)
    bank.add(-3, to: 0)
    #expect(bank.summary(0, scale: 1).overflow == 2)
    #expect(bank.counts[0] == 3)
    #expect(bank.sums[0] == 1_000_002, "sums stay exact even when the histogram clamps")
  }
}

@Suite("Quantiles of constants")
struct ConstantQuantileTests {
  @Test("a constant large value reports itself exactly at every quantile")
  func constant() {
    var bank = AccumulatorBank(layouts: [HistogramLayout(maxMagnitude: 1 << 40)])
    for _ in 0..<50 { bank.add(28_900_000, to: 0) }
    let s = bank.summary(0, scale: 1)
    #expect(s.p05 == 28_900_000 && s.p50 == 28_900_000 && s.p95 == 28_900_000 && s.sd == 0)
  }
}

@Suite("Int128 to Double")
struct Int128ConversionTests {
  /// `SlotMoments.double` replaces the standard library's generic Int128 → Double
  /// conversion; it must give the same Double (nearest, ties to even) everywhere:
  /// the Int64 range, 2⁶³…2⁶⁴, ties and near-ties above 2⁶⁴ (where the sticky bit
  /// decides), the extremes, and random values of every bit length.
  @Test("the fast Int128 → Double conversion equals Double(_:) bit for bit")
  func int128ToDouble() {
    var xs: [Int128] = [
      0, 1, -1, Int128(Int64.max), Int128(Int64.min), Int128(Int64.max) + 1, Int128(Int64.min) - 1, .max, .min, .max - 1, .min + 1,
    ]
    for bits in 53...126 {
      let p = Int128(1) << bits
      for x in [p, p - 1, p + 1] { xs += [x, -x] }
      if bits >= 54 {
        // A tie and its neighbours: the bit just below the Double's last one, alone or with a lower bit.
        let ulp = Int128(1) << (bits - 52)
        for base in [p, p + ulp, p + 3 * ulp] {
          for x in [base + ulp / 2, base + ulp / 2 + 1, base + ulp / 2 - 1, base - ulp / 2] { xs += [x, -x] }
        }
      }
    }
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    for _ in 0..<200_000 {
      let raw = Int128(bitPattern: UInt128(next()) << 64 | UInt128(next()))
      xs.append(raw >> Int(next() % 127))
    }
    let mismatches = xs.filter { SlotMoments.double($0).bitPattern != Double($0).bitPattern }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }
}
