import Foundation
import GSL
import Testing

@testable import SECWhatIf

/// The Ishigami function (Ishigami & Homma 1990) on [−π, π]³, whose Sobol indices
/// are known in closed form.
struct Ishigami {
  let a = 7.0
  let b = 0.1

  func callAsFunction(_ x: [Double]) -> Double { sin(x[0]) + a * pow(sin(x[1]), 2) + b * pow(x[2], 4) * sin(x[0]) }

  var v1: Double { 0.5 * pow(1 + b * pow(.pi, 4) / 5, 2) }
  var v2: Double { a * a / 8 }
  var v13: Double { 8 * b * b * pow(.pi, 8) / 225 }
  var variance: Double { v1 + v2 + v13 }
  var first: [Double] { [v1 / variance, v2 / variance, 0] }
  var total: [Double] { [(v1 + v13) / variance, v2 / variance, v13 / variance] }

  /// The function on unit coordinates.
  func unit(_ u: [Double]) -> Double { self(u.map { -Double.pi + 2 * .pi * $0 }) }
}

@Suite("Sobol indices (Saltelli 2010 first order, Jansen total)")
struct SobolIndicesTests {
  @Test("the analytic Ishigami indices are the published ones")
  func analytic() {
    let f = Ishigami()
    #expect(abs(f.first[0] - 0.3139) < 1e-4)
    #expect(abs(f.first[1] - 0.4424) < 1e-4)
    #expect(abs(f.total[0] - 0.5576) < 1e-4)
    #expect(abs(f.total[2] - 0.2437) < 1e-4)
  }

  @Test("Ishigami at N = 2^13: every index within 0.05 of the analytic value, S3 ≈ 0 and ST3 clearly above it")
  func ishigami() throws {
    let f = Ishigami()
    let design = try SaltelliDesign(base: 1 << 13, dimensions: 3)
    let outputs = design.points.map(f.unit)
    let (fA, fB, fAB) = design.split(outputs)
    let s = SobolIndices(fA: fA, fB: fB, fAB: fAB, bootstrap: 200, seed: 7)
    print("Ishigami N = 8192: S1 = \(s.firstOrder.map(\.value)), ST = \(s.total.map(\.value)); analytic \(f.first), \(f.total)")
    for i in 0..<3 {
      #expect(abs(s.firstOrder[i].value - f.first[i]) < 0.05, "S\(i + 1) = \(s.firstOrder[i].value), analytic \(f.first[i])")
      #expect(abs(s.total[i].value - f.total[i]) < 0.05, "ST\(i + 1) = \(s.total[i].value), analytic \(f.total[i])")
    }
    #expect(abs(s.firstOrder[2].value) < 0.05)
    // ST3 clearly above zero: its whole bootstrap interval is above 0.15.
    #expect(s.total[2].low > 0.15, "ST3 interval [\(s.total[2].low), \(s.total[2].high)]")
    // The intervals are proper and hold the estimate.
    for e in s.firstOrder + s.total { #expect(e.low <= e.value && e.value <= e.high) }
    #expect(abs(s.variance - f.variance) / f.variance < 0.05)
  }

  @Test("a constant output has indices 0; an output of one parameter only puts S1 = ST1 = 1")
  func degenerate() throws {
    let design = try SaltelliDesign(base: 256, dimensions: 2)
    let constant = design.split(design.points.map { _ in 3.0 })
    let c = SobolIndices(fA: constant.fA, fB: constant.fB, fAB: constant.fAB)
    #expect(c.firstOrder.map(\.value) == [0, 0] && c.total.map(\.value) == [0, 0])
    let one = design.split(design.points.map { $0[0] * 10 })
    let o = SobolIndices(fA: one.fA, fB: one.fB, fAB: one.fAB)
    #expect(abs(o.firstOrder[0].value - 1) < 0.05 && abs(o.total[0].value - 1) < 0.05)
    #expect(o.total[1].value == 0 && abs(o.firstOrder[1].value) < 1e-12)
  }

  @Test("more than 20 parameters is refused, citing GSL's 40 Sobol dimensions")
  func tooMany() {
    #expect(throws: WhatIfError.self) { try SaltelliDesign(base: 8, dimensions: 21) }
    do {
      _ = try SaltelliDesign(base: 8, dimensions: 21)
    } catch {
      #expect(error.description.contains("40"))
      #expect(error.description.contains("gsl_qrng_sobol"))
    }
    #expect((try? SaltelliDesign(base: 8, dimensions: 20)) != nil)
  }
}

@Suite("Morris elementary effects and tornado")
struct MorrisTests {
  @Test("Morris on a linear model: μ* is the coefficient (per whole range), σ 0; an unused parameter has μ* 0")
  func linear() {
    let design = MorrisDesign(trajectories: 20, dimensions: 3, levels: 4, seed: 3)
    #expect(design.points.count == 20 * 4)
    #expect(design.points.allSatisfy { $0.allSatisfy { (0...1).contains($0) } })
    let outputs = design.points.map { 5 * $0[0] - 2 * $0[1] }
    let e = MorrisEffect.estimate(design, outputs: outputs, bootstrap: 100)
    #expect(abs(e[0].muStar.value - 5) < 1e-9 && abs(e[0].mu - 5) < 1e-9 && e[0].sigma < 1e-9)
    #expect(abs(e[1].muStar.value - 2) < 1e-9 && abs(e[1].mu + 2) < 1e-9)
    #expect(e[2].muStar.value == 0)
  }

  @Test("Morris on Ishigami: x3 acts through its interaction with x1 (μ*₃ > 0, σ₃ > 0)")
  func ishigami() {
    let f = Ishigami()
    let design = MorrisDesign(trajectories: 200, dimensions: 3, levels: 4, seed: 11)
    let e = MorrisEffect.estimate(design, outputs: design.points.map(f.unit))
    #expect(e[0].muStar.value > 0 && e[2].sigma > 0)
    #expect(e[2].muStar.value > 0)
  }

  @Test("tornado: bars sorted by swing, outputs at each end")
  func tornado() {
    let base = [0.5, 0.5, 0.5]
    let points = Tornado.points(base: base)
    #expect(points.count == 7)
    let t = Tornado(base: base, outputs: points.map { 1 * $0[0] + 10 * $0[1] + 0 * $0[2] })
    #expect(t.bars.map(\.parameter) == [1, 0, 2])
    #expect(t.bars[0].outputAtLow == 0.5 && t.bars[0].outputAtHigh == 10.5)
    #expect(t.baseOutput == 5.5)
  }
}
