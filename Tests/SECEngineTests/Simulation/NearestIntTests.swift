import GSL
import Testing

@testable import SECEngine

/// `Double.nearestInt` (the engine's premises and meter counts) rounds without the
/// library call; it must equal `Int(rounded())` for every value it is given.
@Suite("nearestInt equals Int(rounded())")
struct NearestIntTests {
  @Test("halfway cases, their neighbours, signs, zeros and large values")
  func edges() {
    var xs: [Double] = [
      0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994, 1e15 + 0.5,
      4_503_599_627_370_495.5, -4_503_599_627_370_495.5, 4_503_599_627_370_496, 9_007_199_254_740_992, 1e18, -1e18,
      9_223_372_036_854_774_784, -9_223_372_036_854_775_808, Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude,
    ]
    for k: Double in [0, 1, 2, 3, 7, 1_234, 99_999, 0x1p20, 0x1p40, 0x1p51 - 1] {
      for h in [k + 0.5, -(k + 0.5), k, -k] { xs += [h, h.nextUp, h.nextDown] }
    }
    for x in xs { #expect(x.nearestInt == Int(x.rounded()), "\(x)") }
  }

  @Test("200,000 random values on many scales")
  func random() throws {
    let g = try RandomStream(StreamKey(seed: 3, replicate: 0, entity: 0, purpose: 0))
    for _ in 0..<200_000 {
      let scale = [1.0, 10, 1_000, 1e6, 1e9, 1e15][g.uniformInt(6)]
      let x = (g.uniform() - 0.5) * 2 * scale
      #expect(x.nearestInt == Int(x.rounded()), "\(x)")
      let h = (x * 2).rounded(.towardZero) / 2  // a halfway or whole value near x
      #expect(h.nearestInt == Int(h.rounded()), "\(h)")
    }
  }
}
