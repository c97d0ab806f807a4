import Foundation
import GSL
import Testing
import _SECSimTestSupport

/// Sample moments of each distribution against theory, within 5 standard errors,
/// for seeds fixed here. The standard error of a sample mean is sd/√n; that of a
/// sample variance is √((m₄ − s⁴)/n), m₄ the sample's fourth central moment.
@Suite("Distributions (GSL wrapper)")
struct DistributionTests {
  static let n = 200_000
  static let seeds: [UInt64] = [1, 20_251_123, 0xDEAD_BEEF_0000_0001]

  func sample(_ seed: UInt64, _ draw: (RandomStream) -> Double) throws -> [Double] {
    let stream = try RandomStream(StreamKey(seed: seed, replicate: 0, entity: 0, purpose: 0))
    return (0..<Self.n).map { _ in draw(stream) }
  }

  func checkMoments(_ xs: [Double], mean: Double, variance: Double, _ label: String) {
    let m = SampleStatistics.mean(xs)
    let s2 = SampleStatistics.variance(xs)
    let n = Double(xs.count)
    let m4 = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) * ($1 - m) * ($1 - m) } / n
    let meanCheck = StatisticalCheck(observed: m, expected: mean, standardError: (s2 / n).squareRoot())
    let varCheck = StatisticalCheck(observed: s2, expected: variance, standardError: ((m4 - s2 * s2) / n).squareRoot())
    #expect(meanCheck.within(standardErrors: 5), "\(label) mean: \(meanCheck)")
    #expect(varCheck.within(standardErrors: 5), "\(label) variance: \(varCheck)")
  }

  @Test("uniform on [0, 1): mean 1/2, variance 1/12", arguments: seeds)
  func uniform(_ seed: UInt64) throws {
    checkMoments(try sample(seed) { $0.uniform() }, mean: 0.5, variance: 1.0 / 12, "uniform")
  }

  @Test("Gaussian (ziggurat): mean μ, variance σ²", arguments: seeds)
  func gaussian(_ seed: UInt64) throws {
    checkMoments(try sample(seed) { $0.gaussian(mean: 3, sd: 2) }, mean: 3, variance: 4, "gaussian")
  }

  @Test("lognormal: mean e^(ζ+σ²/2), variance (e^σ² − 1)e^(2ζ+σ²)", arguments: seeds)
  func lognormal(_ seed: UInt64) throws {
    let zeta = 0.2
    let sigma = 0.5
    let mean = exp(zeta + sigma * sigma / 2)
    let variance = (exp(sigma * sigma) - 1) * exp(2 * zeta + sigma * sigma)
    checkMoments(try sample(seed) { $0.lognormal(zeta: zeta, sigma: sigma) }, mean: mean, variance: variance, "lognormal")
  }

  @Test("Poisson: mean and variance μ", arguments: seeds)
  func poisson(_ seed: UInt64) throws {
    checkMoments(try sample(seed) { Double($0.poisson(3.5)) }, mean: 3.5, variance: 3.5, "poisson")
  }

  @Test("binomial: mean np, variance np(1 − p)", arguments: seeds)
  func binomial(_ seed: UInt64) throws {
    checkMoments(try sample(seed) { Double($0.binomial(0.3, trials: 40)) }, mean: 12, variance: 8.4, "binomial")
  }

  @Test("gamma: mean ab, variance ab²", arguments: seeds)
  func gamma(_ seed: UInt64) throws {
    checkMoments(try sample(seed) { $0.gamma(shape: 2.5, scale: 1.5) }, mean: 3.75, variance: 5.625, "gamma")
  }

  @Test("beta: mean a/(a+b), variance ab/((a+b)²(a+b+1))", arguments: seeds)
  func beta(_ seed: UInt64) throws {
    let a = 2.0
    let b = 5.0
    checkMoments(
      try sample(seed) { $0.beta(a, b) }, mean: a / (a + b), variance: a * b / ((a + b) * (a + b) * (a + b + 1)), "beta")
  }

  @Test("Bernoulli: mean p, variance p(1 − p)", arguments: seeds)
  func bernoulli(_ seed: UInt64) throws {
    checkMoments(try sample(seed) { $0.bernoulli(0.2) ? 1 : 0 }, mean: 0.2, variance: 0.16, "bernoulli")
  }

  @Test("multinomial: category means n·pᵢ and counts summing to n", arguments: seeds)
  func multinomial(_ seed: UInt64) throws {
    let stream = try RandomStream(StreamKey(seed: seed, replicate: 0, entity: 0, purpose: 1))
    let p = [0.5, 0.3, 0.2]
    var counts = [UInt32](repeating: 0, count: 3)
    var firstCategory: [Double] = []
    for _ in 0..<20_000 {
      stream.multinomial(trials: 10, probabilities: p, into: &counts)
      #expect(counts.reduce(0, +) == 10)
      firstCategory.append(Double(counts[0]))
    }
    checkMoments(firstCategory, mean: 5, variance: 2.5, "multinomial[0]")
  }

  @Test("discrete (Walker tables): frequencies match the weights", arguments: seeds)
  func discrete(_ seed: UInt64) throws {
    let weights = [1.0, 0, 3, 6]
    let table = try DiscreteDistribution(weights: weights)
    #expect(abs(table.probability(of: 3) - 0.6) < 1e-12)
    let stream = try RandomStream(StreamKey(seed: seed, replicate: 0, entity: 0, purpose: 2))
    var hits = [Int](repeating: 0, count: 4)
    for _ in 0..<Self.n { hits[stream.discrete(table)] += 1 }
    #expect(hits[1] == 0, "a zero weight is never drawn")
    for k in [0, 2, 3] {
      let p = weights[k] / 10
      let check = StatisticalCheck(
        observed: Double(hits[k]) / Double(Self.n), expected: p, standardError: (p * (1 - p) / Double(Self.n)).squareRoot())
      #expect(check.within(standardErrors: 5), "category \(k): \(check)")
    }
  }

  @Test("a one-shot discrete draw is the table's draw, and refuses the weights a table refuses", arguments: seeds)
  func discreteOnce(_ seed: UInt64) throws {
    let weights = [1.0, 0, 3, 6, 0.25]
    let table = try DiscreteDistribution(weights: weights)
    let a = try RandomStream(StreamKey(seed: seed, replicate: 0, entity: 0, purpose: 2))
    let b = try RandomStream(StreamKey(seed: seed, replicate: 0, entity: 0, purpose: 2))
    try weights.withUnsafeBufferPointer { w in
      for _ in 0..<1_000 {
        let once = try a.discrete(weights: w)
        #expect(once == b.discrete(table))
      }
    }
    for bad: [Double] in [[0, 0], [1, -1], [], [1, .nan], [1, .infinity]] {
      bad.withUnsafeBufferPointer { w in #expect(throws: GSLError.self) { try a.discrete(weights: w) } }
    }
  }

  @Test("a discrete table refuses all-zero, negative, NaN or infinite weights, or a sum that overflows")
  func discreteRefusesBadWeights() throws {
    #expect(throws: GSLError.self) { try DiscreteDistribution(weights: [0, 0]) }
    #expect(throws: GSLError.self) { try DiscreteDistribution(weights: [1, -1]) }
    #expect(throws: GSLError.self) { try DiscreteDistribution(weights: [5, -1]) }
    #expect(throws: GSLError.self) { try DiscreteDistribution(weights: []) }
    #expect(throws: GSLError.self) { try DiscreteDistribution(weights: [1, .nan]) }
    #expect(throws: GSLError.self) { try DiscreteDistribution(weights: [1, .infinity]) }
    #expect(throws: GSLError.self) { try DiscreteDistribution(weights: [1, -.infinity]) }
    #expect(throws: GSLError.self) { try DiscreteDistribution(weights: [.greatestFiniteMagnitude, .greatestFiniteMagnitude]) }
    // Zeros (of either sign) beside a positive weight are fine.
    #expect(try DiscreteDistribution(weights: [0, -0.0, 2]).probability(of: 2) == 1)
  }

  @Test("zero variance is exact: sd 0, rate 0, probabilities 0 and 1")
  func zeroVariance() throws {
    let stream = try RandomStream(StreamKey(seed: 3, replicate: 0, entity: 0, purpose: 0))
    for _ in 0..<1000 {
      #expect(stream.gaussian(mean: 7.25, sd: 0) == 7.25)
      #expect(stream.poisson(0) == 0)
      #expect(stream.bernoulli(0) == false)
      #expect(stream.bernoulli(1) == true)
      #expect(stream.lognormal(zeta: 0, sigma: 0) == 1)
      #expect(stream.binomial(1, trials: 9) == 9)
    }
  }
}
