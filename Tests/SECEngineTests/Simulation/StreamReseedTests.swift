import GSL
import Testing

@testable import SECEngine

/// `World.reset` reseeds each purpose's stream in place for the replicate (MODEL.md
/// §10): its draws must be those of a fresh stream of the replicate's key, whatever
/// earlier replicates drew from that stream or left unused, and a world reused across
/// replicates must draw as a new one.
@Suite("streams reseeded per replicate (MODEL.md §10)")
struct StreamReseedTests {
  static func input() -> EngineInput {
    Fixture.input(parties: Fixture.suppliers(3, domesticPremises: 100_000), policies: [Fixture.policy("today")], years: 3)
  }

  /// The first `count` raw outputs of a fresh stream keyed (seed, replicate, entity 0, p).
  static func fresh(_ seed: UInt64, _ replicate: Int, _ p: Purpose, _ algorithm: RNGAlgorithm, count: Int) throws -> [UInt] {
    let key = StreamKey(seed: seed, replicate: UInt64(replicate), entity: 0, purpose: p.rawValue)
    let stream = try RandomStream(key, algorithm: algorithm)
    return (0..<count).map { _ in stream.nextRaw() }
  }

  static func draws(_ world: World, _ p: Purpose, count: Int) -> [UInt] {
    (0..<count).map { _ in world.stream(p).nextRaw() }
  }

  @Test("a replicate's stream draws as a fresh stream of its key", arguments: RNGAlgorithm.allCases)
  func replicateStreamEqualsFresh(_ algorithm: RNGAlgorithm) throws {
    // `reset` itself draws quarters and meters per premises for the starting parties
    // (checked against a fresh world below); every other purpose is untouched by it.
    let drawnByReset: Set<Purpose> = [.quarters, .metersPerPremises]
    var world = try World(input: Self.input(), algorithm: algorithm)
    // Replicate 4 draws 700 outputs from every stream (past mt19937's 624-word block).
    world.reset(seed: 11, replicate: 4)
    for p in Purpose.allCases { _ = Self.draws(world, p, count: 700) }
    // Replicate 5 draws from the even purposes only; the odd ones are next drawn from
    // in replicate 6, two resets after their last draws.
    world.reset(seed: 11, replicate: 5)
    for p in Purpose.allCases where p.rawValue % 2 == 0 && !drawnByReset.contains(p) {
      #expect(try Self.draws(world, p, count: 700) == Self.fresh(11, 5, p, algorithm, count: 700), "replicate 5, \(p)")
    }
    // Replicate 6 uses them all.
    world.reset(seed: 11, replicate: 6)
    var fresh = try World(input: Self.input(), algorithm: algorithm)
    fresh.reset(seed: 11, replicate: 6)
    for p in Purpose.allCases {
      let reused = Self.draws(world, p, count: 700)
      #expect(reused == Self.draws(fresh, p, count: 700), "replicate 6, \(p): a reused world draws as a new one")
      if !drawnByReset.contains(p) {
        #expect(try reused == Self.fresh(11, 6, p, algorithm, count: 700), "replicate 6, \(p)")
      }
    }
  }

  @Test("a stream drawn from twice in a replicate continues: it is reseeded per replicate, not per use")
  func reseededOnce() throws {
    var world = try World(input: Self.input(), algorithm: .mt19937)
    world.reset(seed: 3, replicate: 1)
    let first = Self.draws(world, .failure, count: 5)
    let next = Self.draws(world, .failure, count: 5)
    #expect(first + next == (try Self.fresh(3, 1, .failure, .mt19937, count: 10)))
  }
}
