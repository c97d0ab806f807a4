/// The identity of one random stream: (master seed, replicate, entity, purpose)
/// (MODEL.md §7, §10). Streams are keyed by what they are *for*, never by the
/// policy, so every policy sees the same variates (common random numbers).
///
/// Derivation (documented, pinned by tests; changing it changes every result):
///
///     mix(z)   = SplitMix64's finaliser (Steele, Lea & Flood 2014; Vigna's constants):
///                z ^= z >> 30; z *= 0xBF58476D1CE4E5B9
///                z ^= z >> 27; z *= 0x94D049BB133111EB
///                z ^= z >> 31
///     γ        = 0x9E3779B97F4A7C15 (the golden-ratio increment)
///     h₀ = mix(seed      &+ 1γ)
///     h₁ = mix(h₀ ^ mix(replicate &+ 2γ))
///     h₂ = mix(h₁ ^ mix(entity    &+ 3γ))
///     h₃ = mix(h₂ ^ mix(purpose   &+ 4γ))      — the stream's 64-bit seed
///
/// The generator's *whole* state is then filled from the SplitMix64 sequence
/// started at h₃ (xᵢ = h₃ &+ i·γ, wordᵢ = mix(xᵢ)), two 32-bit words per output,
/// low half first (see `RandomStream`). All 64 bits of every component matter:
/// GSL's own `gsl_rng_set` keeps only 32 bits of a seed, so seeds s and s + 2³²
/// would give the same stream there.
public struct StreamKey: Sendable, Hashable, CustomStringConvertible {
  /// The run's master seed (`--seed`).
  public var seed: UInt64
  /// Replicate index within the run (or design point × replicate, composed by the caller).
  public var replicate: UInt64
  /// The entity the draws belong to: the market, a User, a User System, an issue, …
  public var entity: UInt64
  /// What the draws are for (growth, failure, outcome, effort, …).
  public var purpose: UInt64

  public init(seed: UInt64, replicate: UInt64, entity: UInt64, purpose: UInt64) {
    self.seed = seed
    self.replicate = replicate
    self.entity = entity
    self.purpose = purpose
  }

  /// The golden-ratio increment of SplitMix64.
  public static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

  /// SplitMix64's output function: a bijection on 64-bit words with good avalanche.
  @inlinable public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// The stream's 64-bit seed h₃ (see the type's documentation).
  public var derivedSeed: UInt64 {
    let g = StreamKey.gamma
    let h0 = StreamKey.mix(seed &+ g)
    let h1 = StreamKey.mix(h0 ^ StreamKey.mix(replicate &+ 2 &* g))
    let h2 = StreamKey.mix(h1 ^ StreamKey.mix(entity &+ 3 &* g))
    return StreamKey.mix(h2 ^ StreamKey.mix(purpose &+ 4 &* g))
  }

  public var description: String { "(seed \(seed), replicate \(replicate), entity \(entity), purpose \(purpose))" }
}

/// The SplitMix64 sequence that fills a generator's state from a 64-bit seed.
struct StateWords {
  private var x: UInt64
  private var pending: UInt32?

  init(seed: UInt64) { x = seed }

  /// The next 32-bit word: the low half of the next SplitMix64 output, then its high half.
  mutating func next() -> UInt32 {
    if let word = pending {
      pending = nil
      return word
    }
    let z = nextOutput()
    pending = UInt32(truncatingIfNeeded: z >> 32)
    return UInt32(truncatingIfNeeded: z)
  }

  /// The next SplitMix64 output whole: its two words, low half first, as `next()` gives
  /// them (for a caller that takes the words in pairs; not mixed with `next()`'s pending half).
  @inline(__always) mutating func nextOutput() -> UInt64 {
    x = x &+ StreamKey.gamma
    return StreamKey.mix(x)
  }
}
