import Foundation
import GSL
import Testing

@testable import SECEngine

/// `MetricUnit.integer` rounds without the library call; it must agree with
/// `rounded(.toNearestOrAwayFromZero)` bit for bit (MODEL.md §10: per-replicate
/// values rounded to their unit, then summed exactly).
@Suite("Metric units")
struct MetricUnitTests {
  static func reference(_ unit: MetricUnit, _ x: Double) -> Int64 { Int64((x * unit.scale).rounded(.toNearestOrAwayFromZero)) }

  @Test("halfway cases, neighbours of halves, signs and large values round as rounded(.toNearestOrAwayFromZero)")
  func edges() {
    var xs: [Double] = [
      0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994, 1e15 + 0.5, 4_503_599_627_370_495.5,
      -4_503_599_627_370_495.5, 9_007_199_254_740_993, 1e18, -1e18, Double.leastNonzeroMagnitude,
    ]
    for h in [0.5, 1.5, 2.5, 1234.5, 99_999.5] {
      xs += [h.nextUp, h.nextDown, -h.nextUp, -h.nextDown]
    }
    for unit in MetricUnit.allCases {
      for x in xs where abs(x * unit.scale) < 9e18 {
        #expect(unit.integer(x) == Self.reference(unit, x), "\(unit) \(x)")
        #expect(unit.integer(x / unit.scale) == Self.reference(unit, x / unit.scale), "\(unit) \(x) / scale")
      }
    }
  }

  @Test("random values of every magnitude round as rounded(.toNearestOrAwayFromZero)")
  func random() throws {
    let stream = try RandomStream(StreamKey(seed: 99, replicate: 0, entity: 0, purpose: 1), algorithm: .mt19937)
    var mismatches: [String] = []
    for _ in 0..<200_000 {
      let magnitude = pow(10, stream.uniform() * 14 - 4)
      let x = (stream.uniform() - 0.5) * 2 * magnitude
      for unit in MetricUnit.allCases where unit.integer(x) != Self.reference(unit, x) { mismatches.append("\(unit) \(x)") }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }

  /// `integers` (two lanes at once, in the floating point domain) must give exactly
  /// `integer` of each lane: halfway cases and their neighbours, signs, ±0, values
  /// near and beyond 2⁵¹ (the scalar path), and random values of every magnitude.
  @Test("two values at a time round exactly as integer(_:scale:) each")
  func pairs() throws {
    var xs: [Double] = [
      0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994, 1e15 + 0.5, 0x1p51, -0x1p51,
      0x1p51.nextDown, -0x1p51.nextDown, 0x1p51 - 0.5, 0x1p52 + 1, 4_503_599_627_370_495.5, -4_503_599_627_370_495.5, 1e18, -1e18,
      Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude,
    ]
    for h in [0.5, 1.5, 2.5, 1234.5, 99_999.5, 0x1p50 + 0.5] {
      xs += [h, -h, h.nextUp, h.nextDown, -h.nextUp, -h.nextDown]
    }
    let stream = try RandomStream(StreamKey(seed: 7, replicate: 0, entity: 0, purpose: 2), algorithm: .mt19937)
    for _ in 0..<100_000 {
      let magnitude = pow(10, stream.uniform() * 19 - 4)
      xs.append((stream.uniform() - 0.5) * 2 * magnitude)
    }
    var mismatches: [String] = []
    for unit in MetricUnit.allCases {
      for i in xs.indices where abs(xs[i] * unit.scale) < 9e18 {
        let (a, b) = (xs[i], xs[(i * 7 + 3) % xs.count])
        guard abs(b * unit.scale) < 9e18 else { continue }
        let pair = MetricUnit.integers(SIMD2(a, b), scale: SIMD2(repeating: unit.scale))
        if pair[0] != unit.integer(a) || pair[1] != unit.integer(b) { mismatches.append("\(unit) \(a) \(b)") }
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }
}
