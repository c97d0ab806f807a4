import GSL
import Testing

@Suite("Quasi-random sequences (gsl_qrng)")
struct QuasiRandomSequenceTests {
  @Test("the first 2-D Sobol points are those of GSL's manual example")
  func sobolManual() throws {
    // GSL Reference Manual, "Quasi-Random Sequences", Examples: the program prints
    // 0.50000 0.50000 / 0.75000 0.25000 / 0.25000 0.75000 / 0.37500 0.37500 / 0.87500 0.87500.
    let q = try QuasiRandomSequence(.sobol, dimensions: 2)
    let expected: [[Double]] = [[0.5, 0.5], [0.75, 0.25], [0.25, 0.75], [0.375, 0.375], [0.875, 0.875]]
    for point in expected { #expect(try q.next() == point) }
    q.restart()
    #expect(try q.next() == [0.5, 0.5])
  }

  @Test("Sobol with 40 dimensions works; 41 and 0 are refused")
  func sobolDimensions() throws {
    let q = try QuasiRandomSequence(.sobol, dimensions: 40)
    let point = try q.next()
    #expect(point.count == 40)
    #expect(point.allSatisfy { $0 > 0 && $0 < 1 }, "no dimension of a supported design is zero")
    #expect(throws: GSLError.unsupportedDimension(generator: "gsl_qrng_sobol", requested: 41, supported: 1...40)) {
      try QuasiRandomSequence(.sobol, dimensions: 41)
    }
    #expect(throws: GSLError.self) { try QuasiRandomSequence(.sobol, dimensions: 0) }
  }

  @Test("Halton's first 2-D points are the van der Corput sequences in bases 2 and 3")
  func halton() throws {
    let q = try QuasiRandomSequence(.halton, dimensions: 2)
    let first = try q.next()
    let second = try q.next()
    #expect(abs(first[0] - 0.5) < 1e-12 && abs(first[1] - 1.0 / 3) < 1e-12)
    #expect(abs(second[0] - 0.25) < 1e-12 && abs(second[1] - 2.0 / 3) < 1e-12)
  }
}

@Suite("Inverse CDFs")
struct InverseCDFTests {
  @Test("Beta(1, 1) is uniform and Beta(2, 2) is symmetric about 1/2")
  func beta() {
    #expect(abs(InverseCDF.beta(0.3, a: 1, b: 1) - 0.3) < 1e-12)
    #expect(abs(InverseCDF.beta(0.5, a: 2, b: 2) - 0.5) < 1e-12)
    // Beta(2, 1) has CDF x², so its p-quantile is √p.
    #expect(abs(InverseCDF.beta(0.25, a: 2, b: 1) - 0.5) < 1e-10)
  }

  @Test("the unit Gaussian's 97.5% quantile is 1.959964")
  func gaussian() {
    #expect(abs(InverseCDF.unitGaussian(0.975) - 1.959_963_984_540_054) < 1e-9)
  }
}
