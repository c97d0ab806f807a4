import Foundation
import SECEngine
import Testing
import _SECSimTestSupport

@testable import SECOutput

/// The partial-result format and the merge's reading of it (MODEL.md §10, issue 16).
@Suite("Partial results: shards, format, checksum")
struct PartialResultTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let deterministic = root.appendingPathComponent("scenarios/deterministic.yaml").path

  func temporary() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secsim-partial-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  /// Two shards of 200 replicates of the deterministic scenario (blocks 0–1 and 2–3).
  func twoShards(in dir: URL) throws -> [URL] {
    try (1...2).map { i in
      let file = dir.appendingPathComponent("parts/shard-\(i)-of-2.secsim-partial")
      let r = try runSecsim([
        "run", Self.deterministic, "--replicates", "200", "--seed", "5", "--shard", "\(i)/2", "--partial", file.path,
      ])
      #expect(r.status == 0, "\(r.stderr)")
      return file
    }
  }

  @Test("ShardSpec parses I/N with 1 ≤ I ≤ N only")
  func parsing() {
    #expect(ShardSpec(parsing: "3/8") == ShardSpec(index: 3, count: 8))
    #expect(ShardSpec(parsing: "1/1") != nil)
    for bad in ["0/3", "4/3", "1/0", "0/0", "a/b", "1/3x", "+1/3", "-1/3", "1", "1/2/3", "", "/", "١/٣"] {
      #expect(ShardSpec(parsing: bad) == nil, "\(bad)")
    }
  }

  @Test("the shards of a run are contiguous whole blocks covering every replicate once")
  func shardRanges() {
    for replicates in [1, 63, 64, 65, 600, 1_000, 12_345] {
      for blockSize in [1, 7, 64] {
        let blocks = (replicates + blockSize - 1) / blockSize
        for n in 1...12 {
          let ranges = (1...n).map { ShardSpec(index: $0, count: n)!.range(replicates: replicates, blockSize: blockSize) }
          #expect(ranges.first?.lowerBound == 0)
          #expect(ranges.last?.upperBound == replicates)
          for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
          for r in ranges { #expect(r.lowerBound % blockSize == 0, "a shard starts on a block boundary") }
          let sizes = ranges.map { ($0.count + blockSize - 1) / blockSize }
          #expect(sizes.reduce(0, +) == blocks)
          #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1, "shards differ by at most one block: \(sizes)")
        }
      }
    }
  }

  @Test("a partial reads back to the same bytes and records the run")
  func roundTrip() throws {
    let dir = try temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let files = try twoShards(in: dir)
    let bytes = Array(try Data(contentsOf: files[1]))
    let partial = try PartialResult(bytes: bytes)
    #expect(partial.bytes() == bytes)
    #expect(Array(bytes.prefix(8)) == Array("SECSIMPR".utf8))
    #expect(partial.seed == 5 && partial.replicates == 200 && partial.rng == "mt19937")
    #expect(partial.shard == 2 && partial.shardCount == 2 && partial.range == 128..<200)
    #expect(partial.blockSize == 64)
    #expect(partial.state.bank.counts.allSatisfy { $0 == 72 }, "every slot holds this shard's 72 replicates")
    #expect(partial.labels.policies == ["today", "always"])
    #expect(partial.labels.userRows.map(\.id).prefix(6) == ["D1", "D2", "D3", "N1", "E1", "O1"])
    let text = try String(contentsOf: URL(fileURLWithPath: Self.deterministic), encoding: .utf8)
    #expect(partial.scenarioText == text)
    #expect(partial.scenarioSHA256 == RunManifest.sha256Hex(Array(text.utf8)))
    #expect(partial.provenance.commandLine.contains("--shard") && partial.provenance.commandLine.contains("2/2"))
    #expect(partial.provenance.jobScript.isEmpty)
    let offsets = try PartialResult.stateOffsets(bytes)
    #expect(offsets.bank % PartialResult.alignment == 8 + 8, "state starts on an aligned boundary (party-years, bank size)")
  }

  @Test("corrupt, truncated, foreign and future-version bytes are refused")
  func refusals() throws {
    let dir = try temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let bytes = Array(try Data(contentsOf: try twoShards(in: dir)[0]))
    var flipped = bytes
    flipped[bytes.count - 100] ^= 0x80
    #expect(throws: PartialFormatError.badChecksum) { try PartialResult(bytes: flipped) }
    #expect(throws: PartialFormatError.badChecksum) { try PartialResult(bytes: Array(bytes.dropLast(1))) }
    #expect(throws: PartialFormatError.notAPartial) { try PartialResult(bytes: Array("SECSIM".utf8)) }
    #expect(throws: PartialFormatError.notAPartial) { try PartialResult(bytes: []) }
    var future = bytes
    future[8] = 2
    #expect(throws: PartialFormatError.unsupportedVersion(2)) { try PartialResult(bytes: future) }
    // A resealed file with a bank of the wrong size is inconsistent, not silently read.
    var short = Array(bytes.dropLast(32))
    short.removeLast(8)
    #expect(throws: PartialFormatError.self) { try PartialResult(bytes: PartialResult.resealed(short + [UInt8](repeating: 0, count: 32))) }
  }

  @Test("a count changed inside a partial (checksum recomputed) shows as exactly that change in the merged summary.csv")
  func mergeReadsThePartials() throws {
    let dir = try temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let files = try twoShards(in: dir)
    let clean = dir.appendingPathComponent("clean")
    #expect(try runSecsim(["merge", dir.appendingPathComponent("parts").path, "--out", clean.path]).status == 0)

    // Σx of today/all/2025/fusa (every replicate has 4 FUSAs) in shard 2, minus 8.
    var bytes = Array(try Data(contentsOf: files[1]))
    let partial = try PartialResult(bytes: bytes)
    let slot = try #require(partial.state.layout.policySlot(policy: 0, classIndex: 0, t: 0, metric: .fusa))
    let at = try PartialResult.stateOffsets(bytes).bank + slot * 64 + 8
    var sum = Int128(0)
    withUnsafeMutableBytes(of: &sum) { $0.copyBytes(from: bytes[at..<(at + 16)]) }
    #expect(Int128(littleEndian: sum) == 4 * 72)
    withUnsafeBytes(of: (Int128(littleEndian: sum) - 8).littleEndian) { bytes.replaceSubrange(at..<(at + 16), with: $0) }
    try Data(PartialResult.resealed(bytes)).write(to: files[1])

    let altered = dir.appendingPathComponent("altered")
    let r = try runSecsim(["merge"] + files.map(\.path) + ["--out", altered.path])
    try #require(r.status == 0, "\(r.stderr)")
    let before = try String(contentsOf: clean.appendingPathComponent("summary.csv"), encoding: .utf8).split(separator: "\n")
    let after = try String(contentsOf: altered.appendingPathComponent("summary.csv"), encoding: .utf8).split(separator: "\n")
    #expect(before.count == after.count)
    let changed = zip(before, after).enumerated().filter { $0.element.0 != $0.element.1 }
    try #require(changed.count == 1, "exactly one row changes: \(changed.map(\.element))")
    #expect(changed[0].element.0 == "today,all,2025,fusa,4,0,0,4,4,4,200")
    // Σx = 800 − 8 over n = 200 with Σx² = 3,200: mean 3.96, variance (200·3200 − 792²)/(200·199).
    let fields = changed[0].element.1.split(separator: ",").map(String.init)
    #expect(Array(fields[0..<4]) == ["today", "all", "2025", "fusa"])
    let sd = (Double(200 * 3_200 - 792 * 792) / Double(200 * 199)).squareRoot()
    #expect(Double(fields[4]) == 3.96)
    #expect(abs(Double(fields[5])! - sd) < 1e-12)
    #expect(abs(Double(fields[6])! - sd / Double(200).squareRoot()) < 1e-12)
    #expect(Array(fields[7...]) == ["4", "4", "4", "200"], "quantiles and n are other counts: unchanged")
    for name in ["differences.csv", "users.csv"] {
      #expect(
        try Data(contentsOf: clean.appendingPathComponent(name)) == Data(contentsOf: altered.appendingPathComponent(name)),
        "\(name) does not read that count")
    }
  }
}
