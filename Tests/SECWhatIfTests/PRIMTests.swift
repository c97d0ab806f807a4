import GSL
import Testing

@testable import SECWhatIf

@Suite("PRIM scenario discovery")
struct PRIMTests {
  /// n uniform points in [0, 1]³; cases inside the box [0.2, 0.6] × [0.5, 0.9] × any,
  /// with `noise` of the labels flipped.
  static func data(n: Int, noise: Double, seed: UInt64) throws -> (x: [[Double]], y: [Bool]) {
    let stream = try RandomStream(StreamKey(seed: seed, replicate: 0, entity: 0, purpose: 99))
    var x: [[Double]] = []
    var y: [Bool] = []
    for _ in 0..<n {
      let p = [stream.uniform(), stream.uniform(), stream.uniform()]
      var inside = (0.2...0.6).contains(p[0]) && (0.5...0.9).contains(p[1])
      if stream.bernoulli(noise) { inside.toggle() }
      x.append(p)
      y.append(inside)
    }
    return (x, y)
  }

  @Test("recovers a known box: coverage and density ≥ 0.8, bounds within 0.05, the free parameter unrestricted")
  func knownBox() throws {
    let (x, y) = try PRIMTests.data(n: 3000, noise: 0.03, seed: 5)
    let prim = PRIM(x: x, y: y, alpha: 0.05, minSupport: 0.05, minCoverage: 0.8)
    let box = prim.chosen
    #expect(box.coverage >= 0.8, "coverage \(box.coverage)")
    #expect(box.density >= 0.8, "density \(box.density)")
    #expect(abs(box.box.lower[0] - 0.2) < 0.05 && abs(box.box.upper[0] - 0.6) < 0.05, "x0 \(box.box.lower[0])…\(box.box.upper[0])")
    #expect(abs(box.box.lower[1] - 0.5) < 0.05 && abs(box.box.upper[1] - 0.9) < 0.05, "x1 \(box.box.lower[1])…\(box.box.upper[1])")
    #expect(box.box.lower[2] < 0.05 && box.box.upper[2] > 0.95, "x2 \(box.box.lower[2])…\(box.box.upper[2])")
  }

  @Test("the trajectory starts with every point, its coverage never rises and its support falls")
  func trajectory() throws {
    let (x, y) = try PRIMTests.data(n: 1000, noise: 0, seed: 6)
    let prim = PRIM(x: x, y: y)
    #expect(prim.trajectory[0].coverage == 1 && prim.trajectory[0].support == 1)
    for (a, b) in zip(prim.trajectory, prim.trajectory.dropFirst()) {
      #expect(b.coverage <= a.coverage && b.support < a.support)
    }
    #expect(prim.trajectory.last!.density > 0.95)
    #expect(prim.trajectory.count > 10)
  }

  @Test("pasting never lowers density or coverage")
  func pasting() throws {
    let (x, y) = try PRIMTests.data(n: 1500, noise: 0.1, seed: 8)
    let prim = PRIM(x: x, y: y, minCoverage: 0.5)
    let peeled = prim.trajectory[prim.chosenIndex]
    #expect(prim.chosen.density >= peeled.density && prim.chosen.coverage >= peeled.coverage)
  }

  @Test("policy frontier: dominated policies are those with more days and no more coverage")
  func frontier() {
    let marks = PolicyFrontier.nonDominated([(100, 0.5), (120, 0.6), (130, 0.55), (100, 0.4), (90, 0.3)])
    #expect(marks == [true, true, false, false, true])
    #expect(PolicyFrontier.nonDominated([(1, 1), (1, 1)]) == [true, true])
  }
}
