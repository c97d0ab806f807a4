import GSL
import Testing

@Suite("Stream derivation (MODEL.md §10)")
struct StreamDerivationTests {
  static let algorithms = RNGAlgorithm.allCases

  func draws(_ key: StreamKey, _ algorithm: RNGAlgorithm, count: Int = 8) throws -> [UInt] {
    let stream = try RandomStream(key, algorithm: algorithm)
    return (0..<count).map { _ in stream.nextRaw() }
  }

  @Test("the same key gives the same sequence", arguments: algorithms)
  func sameKeySameSequence(_ algorithm: RNGAlgorithm) throws {
    let key = StreamKey(seed: 42, replicate: 7, entity: 3, purpose: 1)
    #expect(try draws(key, algorithm, count: 2000) == draws(key, algorithm, count: 2000))
  }

  @Test("changing any one component of the key changes the stream", arguments: algorithms)
  func componentsMatter(_ algorithm: RNGAlgorithm) throws {
    let base = StreamKey(seed: 42, replicate: 7, entity: 3, purpose: 1)
    var variants = [base]
    variants.append(StreamKey(seed: 43, replicate: 7, entity: 3, purpose: 1))
    variants.append(StreamKey(seed: 42, replicate: 8, entity: 3, purpose: 1))
    variants.append(StreamKey(seed: 42, replicate: 7, entity: 4, purpose: 1))
    variants.append(StreamKey(seed: 42, replicate: 7, entity: 3, purpose: 2))
    // Swapping two components must not give the same stream either.
    variants.append(StreamKey(seed: 42, replicate: 3, entity: 7, purpose: 1))
    let sequences = try variants.map { try draws($0, algorithm) }
    #expect(Set(sequences.map { $0.description }).count == variants.count)
  }

  @Test("seeds that differ only above bit 32 give different streams", arguments: algorithms)
  func highBitsMatter(_ algorithm: RNGAlgorithm) throws {
    // gsl_rng_set would collapse these: it keeps 32 bits of a seed.
    let s: UInt64 = 12345
    let keys = [s, s + (1 << 32), s + (1 << 40), s + (1 << 63)].map {
      StreamKey(seed: $0, replicate: 0, entity: 0, purpose: 0)
    }
    let sequences = try keys.map { try draws($0, algorithm) }
    #expect(Set(sequences.map { $0.description }).count == keys.count)
    // The same holds for the other components.
    let replicates = [UInt64(5), 5 + (1 << 32)].map { StreamKey(seed: s, replicate: $0, entity: 0, purpose: 0) }
    #expect(try draws(replicates[0], algorithm) != draws(replicates[1], algorithm))
  }

  @Test("derivation does not depend on the order streams are created", arguments: algorithms)
  func orderIndependence(_ algorithm: RNGAlgorithm) throws {
    let keys = (0..<5).map { StreamKey(seed: 9, replicate: UInt64($0), entity: 1, purpose: 2) }
    let forward = try keys.map { try draws($0, algorithm) }
    var backward = [[UInt]](repeating: [], count: keys.count)
    for i in keys.indices.reversed() {
      // Interleave draws from a throw-away stream to show there is no shared state.
      _ = try draws(StreamKey(seed: 1, replicate: 1, entity: 1, purpose: 1), algorithm, count: 3)
      backward[i] = try draws(keys[i], algorithm)
    }
    #expect(forward == backward)
  }

  @Test("reseeding in place equals a fresh stream", arguments: algorithms)
  func reseedEqualsFresh(_ algorithm: RNGAlgorithm) throws {
    let stream = try RandomStream(StreamKey(seed: 1, replicate: 2, entity: 3, purpose: 4), algorithm: algorithm)
    _ = (0..<1000).map { _ in stream.nextRaw() }
    let key = StreamKey(seed: 5, replicate: 6, entity: 7, purpose: 8)
    stream.reseed(key)
    let reseeded = (0..<700).map { _ in stream.nextRaw() }
    #expect(try reseeded == draws(key, algorithm, count: 700))
  }

  @Test("reseeding in place at any point of the state block equals a fresh stream", arguments: algorithms)
  func reseedAnywhereEqualsFresh(_ algorithm: RNGAlgorithm) throws {
    // mt19937 regenerates its 624-word block every 624 outputs; reseed before, at and
    // after a regeneration, and straight after another reseed.
    let stream = try RandomStream(StreamKey(seed: 1, replicate: 2, entity: 3, purpose: 4), algorithm: algorithm)
    for (i, used) in [0, 1, 623, 624, 625, 1248, 0].enumerated() {
      _ = (0..<used).map { _ in stream.nextRaw() }
      let key = StreamKey(seed: 100 + UInt64(i), replicate: UInt64(i), entity: 1 << 40, purpose: 9)
      stream.reseed(key)
      #expect(stream.key == key)
      let reseeded = (0..<1300).map { _ in stream.nextRaw() }
      #expect(try reseeded == draws(key, algorithm, count: 1300), "after \(used) draws")
    }
  }

  @Test("the 64-bit mix of documented keys is pinned")
  func pinnedDerivedSeeds() {
    // SplitMix64's finaliser of 0 is 0; of γ it is the first SplitMix64 output for state 0.
    #expect(StreamKey.mix(0) == 0)
    #expect(StreamKey.mix(StreamKey.gamma) == 0xE220_A839_7B1D_CDAF)
    #expect(StreamKey(seed: 0, replicate: 0, entity: 0, purpose: 0).derivedSeed == Pinned.derivedSeed0)
    #expect(StreamKey(seed: 20_251_123, replicate: 1, entity: 2, purpose: 3).derivedSeed == Pinned.derivedSeedDoc)
  }

  @Test("the first draws of documented keys are pinned", arguments: algorithms)
  func pinnedFirstDraws(_ algorithm: RNGAlgorithm) throws {
    let key = StreamKey(seed: 20_251_123, replicate: 1, entity: 2, purpose: 3)
    let expected = algorithm == .mt19937 ? Pinned.mt19937 : Pinned.taus2
    let actual = try draws(key, algorithm, count: expected.count)
    #expect(actual == expected, "first draws \(actual)")
  }

  @Test("an unknown generator name is refused with the list of known ones")
  func unknownAlgorithm() {
    #expect(throws: GSLError.unknownAlgorithm("ranlux")) { try RNGAlgorithm(named: "ranlux") }
    #expect(GSLError.unknownAlgorithm("ranlux").description.contains("mt19937, taus2"))
  }
}

/// Pinned values: any change of derivation breaks them. The derived seeds and the
/// mt19937 draws were checked independently: a Python SplitMix64 of the documented
/// formula, and CPython's own MT19937 (`random.setstate` with the same 624 words and
/// index 624), give exactly these numbers.
enum Pinned {
  static let derivedSeed0: UInt64 = 11_570_720_679_245_996_361
  static let derivedSeedDoc: UInt64 = 12_942_500_966_545_506_676
  static let mt19937: [UInt] = [792_235_417, 3_888_040_504, 3_418_820_285, 3_910_349_085, 2_267_118_615, 2_419_324_001]
  static let taus2: [UInt] = [1_355_592_133, 3_708_092_199, 1_279_810_562, 506_227_930, 2_510_106_924, 1_768_637_973]
}
