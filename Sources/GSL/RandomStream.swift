public import CGSL

/// One pseudo-random stream: owns a GSL generator (`gsl_rng_alloc`, freed exactly
/// once in `deinit` by `gsl_rng_free`) whose whole state is filled from a
/// `StreamKey` (MODEL.md §10). Not `Sendable`: each worker owns its streams.
///
/// `reseed(_:)` refills the state in place, so a hot loop can move one stream from
/// entity to entity without allocating.
///
/// The draws are `@inlinable` (MODEL.md §10: the hot loop calls the wrapper's inlinable
/// functions): each is one GSL call, made from the caller's code, and with the shim's
/// `HAVE_INLINE` GSL's header-inline functions (`gsl_rng_uniform`, `gsl_rng_get`, …)
/// compile into it too. CGSL is imported publicly for that reason only; clients still
/// never name a GSL declaration.
public final class RandomStream {
  @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>
  /// The generator algorithm.
  public let algorithm: RNGAlgorithm
  /// The key the stream was last seeded from (set by `reseed` alone, never while
  /// it is being read, so it needs no run-time exclusivity check).
  @exclusivity(unchecked) public private(set) var key: StreamKey
  /// mt19937's 624 state words inside GSL's state (`secsim_rng_mt19937_words`), filled
  /// in place by `fill(from:)`; nil for taus2.
  private let mtWords: UnsafeMutablePointer<UInt>?

  /// A stream of `algorithm` seeded from `key`.
  public init(_ key: StreamKey, algorithm: RNGAlgorithm = .mt19937) throws {
    _ = gslHandlerOff
    guard let rng = gsl_rng_alloc(algorithm.gslType) else { throw GSLError.allocationFailed(function: "gsl_rng_alloc") }
    self.rng = rng
    self.algorithm = algorithm
    self.key = key
    switch algorithm {
    case .mt19937:
      let words = secsim_rng_mt19937_words(rng)
      precondition(words != nil, "GSL's mt19937 state layout differs from the shim's")
      mtWords = words
    case .taus2:
      mtWords = nil
    }
    fill(from: key.derivedSeed)
  }

  deinit { gsl_rng_free(rng) }

  /// Refills the whole generator state from `key` (no allocation).
  public func reseed(_ key: StreamKey) {
    self.key = key
    fill(from: key.derivedSeed)
  }

  /// Fills the state from a 64-bit seed within the algorithm's constraints:
  /// - mt19937: 624 words, each below 2³² (GSL stores them in `unsigned long`), from
  ///   the SplitMix64 sequence (`StateWords`: each output gives two words, low half
  ///   first), written straight into GSL's state; should the significant bits (the
  ///   top bit of word 0 and all of words 1…623) all be zero, word 0 becomes 2³¹.
  /// - taus2: three words drawn in turn, each redrawn from the sequence until
  ///   s1 > 1, s2 > 7, s3 > 15 (GSL's own `taus2_set` enforces the same bounds).
  func fill(from seed: UInt64) {
    switch algorithm {
    case .mt19937:
      // StateWords' sequence two words at a time.
      let words = mtWords.unsafelyUnwrapped
      var sequence = StateWords(seed: seed)
      var significant: UInt64 = 0
      for i in stride(from: 0, to: 624, by: 2) {
        let z = sequence.nextOutput()
        words[i] = UInt(truncatingIfNeeded: UInt32(truncatingIfNeeded: z))
        words[i + 1] = UInt(truncatingIfNeeded: z >> 32)
        // Word 0 counts by its top bit only.
        significant |= i == 0 ? z & 0xFFFF_FFFF_8000_0000 : z
      }
      if significant == 0 { words[0] = 0x8000_0000 }
      secsim_rng_mt19937_restart(rng)
    case .taus2:
      var words = StateWords(seed: seed)
      func draw(above minimum: UInt32) -> UInt32 {
        var w = words.next()
        while w <= minimum { w = words.next() }
        return w
      }
      let s1 = draw(above: 1)
      let s2 = draw(above: 7)
      let s3 = draw(above: 15)
      let status = secsim_rng_fill_taus2(rng, s1, s2, s3)
      precondition(status == 0, "GSL's taus2 state layout differs from the shim's")
    }
  }

  // MARK: Raw output

  /// The generator's next raw output in 0…2³²−1 (`gsl_rng_get`).
  @inlinable public func nextRaw() -> UInt {
    gsl_rng_get(rng)
  }

  // MARK: Continuous distributions

  /// Uniform on [0, 1) (`gsl_rng_uniform`).
  @inlinable public func uniform() -> Double { gsl_rng_uniform(rng) }

  /// `count` uniforms on [0, 1) into `out`, in order: `gsl_rng_uniform` `count` times
  /// (`secsim_rng_uniform_fill`: one call into the shim instead of `count`).
  @inlinable public func fillUniform(_ out: UnsafeMutablePointer<Double>, count: Int) {
    secsim_rng_uniform_fill(rng, out, count)
  }

  /// Uniform on (0, 1) (`gsl_rng_uniform_pos`).
  @inlinable public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }

  /// Uniform on [a, b) (`gsl_ran_flat`).
  public func flat(_ a: Double, _ b: Double) -> Double { gsl_ran_flat(rng, a, b) }

  /// Gaussian with mean `mean` and standard deviation `sd` by the ziggurat method
  /// (`gsl_ran_gaussian_ziggurat`). `sd` 0 gives `mean` exactly.
  @inlinable public func gaussian(mean: Double = 0, sd: Double) -> Double {
    mean + gsl_ran_gaussian_ziggurat(rng, sd)
  }

  /// Exponential with mean `mean` (`gsl_ran_exponential`: −mean · log1p(−u)).
  @inlinable public func exponential(mean: Double) -> Double { gsl_ran_exponential(rng, mean) }

  /// Lognormal: exp of a Gaussian with mean `zeta` and sd `sigma` (`gsl_ran_lognormal`).
  @inlinable public func lognormal(zeta: Double, sigma: Double) -> Double { gsl_ran_lognormal(rng, zeta, sigma) }

  /// Gamma with shape `a` and scale `b`, mean a·b (`gsl_ran_gamma`).
  public func gamma(shape a: Double, scale b: Double) -> Double { gsl_ran_gamma(rng, a, b) }

  /// Beta with parameters a, b, mean a / (a + b) (`gsl_ran_beta`).
  public func beta(_ a: Double, _ b: Double) -> Double { gsl_ran_beta(rng, a, b) }

  // MARK: Discrete distributions

  /// Uniform integer in 0..<n (`gsl_rng_uniform_int`); n ≥ 1.
  @inlinable public func uniformInt(_ n: Int) -> Int {
    precondition(n >= 1, "uniformInt needs n ≥ 1")
    return Int(gsl_rng_uniform_int(rng, UInt(n)))
  }

  /// Bernoulli trial with success probability p (`gsl_ran_bernoulli`); p 0 and 1 are exact.
  @inlinable public func bernoulli(_ p: Double) -> Bool { gsl_ran_bernoulli(rng, p) == 1 }

  /// Poisson with mean mu (`gsl_ran_poisson`); mu 0 gives 0.
  @inlinable public func poisson(_ mu: Double) -> Int { Int(gsl_ran_poisson(rng, mu)) }

  /// Binomial: successes in n trials with probability p (`gsl_ran_binomial`).
  public func binomial(_ p: Double, trials n: Int) -> Int {
    precondition(n >= 0 && n <= Int(UInt32.max), "binomial trials out of range")
    return Int(gsl_ran_binomial(rng, p, UInt32(n)))
  }

  /// Multinomial: `trials` draws over the categories of `probabilities` (weights,
  /// normalised by GSL), counts written into `counts` (`gsl_ran_multinomial`).
  /// `counts` must have the same length as `probabilities`.
  public func multinomial(trials: Int, probabilities: [Double], into counts: inout [UInt32]) {
    precondition(counts.count == probabilities.count, "multinomial: counts and probabilities differ in length")
    precondition(trials >= 0 && trials <= Int(UInt32.max), "multinomial trials out of range")
    probabilities.withUnsafeBufferPointer { p in
      counts.withUnsafeMutableBufferPointer { n in
        gsl_ran_multinomial(rng, p.count, UInt32(trials), p.baseAddress, n.baseAddress)
      }
    }
  }

  /// A draw from a preprocessed discrete distribution (`gsl_ran_discrete`): an
  /// index into the weights it was built from.
  @inlinable public func discrete(_ table: DiscreteDistribution) -> Int {
    Int(gsl_ran_discrete(rng, table.table))
  }

  /// One draw from the discrete distribution with the non-negative `weights` (read,
  /// not kept; at least one positive, with a finite sum): the draw
  /// `discrete(DiscreteDistribution(weights:))` makes, GSL's Walker table
  /// (`gsl_ran_discrete_preproc`) built, drawn from once (`gsl_ran_discrete`) and
  /// freed, without an object around it: the form for a table used once (the
  /// Supplier of Last Resort choice, whose weights change with every choice).
  public func discrete(weights: UnsafeBufferPointer<Double>) throws -> Int {
    let table = try DiscreteDistribution.preprocess(weights)
    defer { gsl_ran_discrete_free(table) }
    return Int(gsl_ran_discrete(rng, table))
  }
}
