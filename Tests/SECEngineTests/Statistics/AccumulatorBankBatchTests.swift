import GSL
import Testing

@testable import SECEngine

/// The engine's batch add (replicate-major rows, zeros deferred) must leave the bank
/// in exactly the state of adding each replicate's value one at a time (MODEL.md §10).
@Suite("Accumulator batches")
struct AccumulatorBankBatchTests {
  /// Eleven slots (more than one tile of eight, the last tile partial): wide and
  /// narrow ranges, signed and unsigned, a slot of zeros only, slots with many zeros
  /// and one that overflows.
  static let layouts: [HistogramLayout] = (0..<11).map { slot in
    switch slot % 4 {
    case 0: return HistogramLayout(maxMagnitude: 1 << 30)
    case 1: return HistogramLayout(maxMagnitude: 1 << 20, signed: true)
    case 2: return HistogramLayout(maxMagnitude: 50)
    default: return HistogramLayout(maxMagnitude: 3)
    }
  }

  /// Replicate r's value of a slot (lognormal draws rounded to a small unit: many zeros).
  static func values(replicates: Int) throws -> [[Int64]] {
    let stream = try RandomStream(StreamKey(seed: 31, replicate: 0, entity: 0, purpose: 9))
    return (0..<replicates).map { _ in
      (0..<layouts.count).map { slot in
        let v = Int64((stream.lognormal(zeta: 0, sigma: 1.5) * 2).rounded())
        switch slot % 4 {
        case 0: return v * 1_000
        case 1: return stream.bernoulli(0.4) ? -v : v
        case 2: return slot == 2 ? 0 : v
        default: return v * 5  // beyond 3: overflow
        }
      }
    }
  }

  @Test(
    "replicate-major batches with deferred zeros give the very same state as adding value by value",
    arguments: [1, 7, 64])
  func replicateMajor(_ batchCount: Int) throws {
    let replicates = 150
    let all = try Self.values(replicates: replicates)
    let slots = Self.layouts.count
    var single = AccumulatorBank(layouts: Self.layouts)
    for r in 0..<replicates { for slot in 0..<slots { single.add(all[r][slot], to: slot) } }

    var batched = AccumulatorBank(layouts: Self.layouts)
    let zeros = UnsafeMutablePointer<UInt32>.allocate(capacity: slots)
    defer { zeros.deallocate() }
    zeros.initialize(repeating: 0, count: slots)
    // Rows of `slots + 3` values: the padding must not be read.
    let rowStride = slots + 3
    var rows = [Int64](repeating: -999, count: batchCount * rowStride)
    var r = 0
    while r < replicates {
      let n = min(batchCount, replicates - r)
      for j in 0..<n { for slot in 0..<slots { rows[j * rowStride + slot] = all[r + j][slot] } }
      rows.withUnsafeBufferPointer {
        batched.add(batch: $0.baseAddress!, slotStride: 1, replicateStride: rowStride, count: n, deferredZeros: zeros)
      }
      r += n
    }
    #expect(zeros[2] == UInt32(replicates))
    #expect(batched != single)  // the zeros are still aside
    batched.addDeferredZeros(zeros)
    #expect(batched == single)
    #expect((0..<slots).allSatisfy { zeros[$0] == 0 })
    #expect(single.counts.allSatisfy { $0 == Int64(replicates) })
    #expect(single.overflows[3] > 0)
    #expect(single.minima[2] == 0 && single.maxima[2] == 0)
  }

  @Test("a batch without deferred zeros counts them in the zero bucket at once")
  func zerosInPlace() throws {
    let all = try Self.values(replicates: 40)
    let slots = Self.layouts.count
    var single = AccumulatorBank(layouts: Self.layouts)
    var batched = AccumulatorBank(layouts: Self.layouts)
    for r in 0..<40 { for slot in 0..<slots { single.add(all[r][slot], to: slot) } }
    let rows = all.flatMap { $0 }
    rows.withUnsafeBufferPointer { batched.add(batch: $0.baseAddress!, slotStride: 1, replicateStride: slots, count: 40) }
    #expect(batched == single)
  }
}
