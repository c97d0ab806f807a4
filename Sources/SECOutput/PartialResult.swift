import Foundation
import SECEngine

/// Shard I of N (I from 1 to N): a contiguous range of whole replicate blocks
/// (MODEL.md §10). With B = ⌈R / blockSize⌉ blocks, shard I takes blocks
/// ⌊(I−1)·B/N⌋ ..< ⌊I·B/N⌋, so the shards cover every replicate exactly once and
/// differ in size by at most one block; a shard may be empty when N > B.
public struct ShardSpec: Sendable, Hashable, CustomStringConvertible {
  /// 1 … count.
  public let index: Int
  public let count: Int

  /// Largest N accepted (a job array of more tasks than this is surely a mistake).
  public static let maxCount = 1_000_000

  public init?(index: Int, count: Int) {
    guard count >= 1, count <= ShardSpec.maxCount, index >= 1, index <= count else { return nil }
    self.index = index
    self.count = count
  }

  /// Parses `I/N`.
  public init?(parsing text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
      let i = Int(parts[0]), let n = Int(parts[1])
    else { return nil }
    self.init(index: i, count: n)
  }

  public var description: String { "\(index)/\(count)" }

  /// The replicates of this shard of a run of `replicates` in blocks of `blockSize`.
  public func range(replicates: Int, blockSize: Int) -> Range<Int> {
    let blocks = (replicates + blockSize - 1) / blockSize
    let first = (index - 1) * blocks / count
    let last = index * blocks / count
    return min(first * blockSize, replicates)..<min(last * blockSize, replicates)
  }

  /// The file name a run's shard writes into an output folder: `shard-I-of-N.secsim-partial`.
  public var fileName: String { fileName(prefix: "") }

  /// The file name of a shard whose command names its partials with `prefix`
  /// (`sweep-`: `sweep-shard-I-of-N.secsim-partial`).
  public func fileName(prefix: String) -> String { "\(prefix)shard-\(index)-of-\(count).\(PartialResult.fileExtension)" }
}

/// What fixes the shape of a run's state (its `MetricLayout` and `UserTallies`),
/// recorded so that `secsim merge` can rebuild the empty state without the scenario
/// file: exactly the fields of `EngineInput` that `Simulation.layout(for:)` and
/// `Simulation.emptyState(for:)` read. A partial is written only after checking
/// that the state rebuilt from these fields has the layout of the real run, so a
/// change in the engine's layout rule cannot produce a partial that merges into the
/// wrong slots.
public struct StateShape: Sendable, Hashable {
  public var policyCount: Int
  public var baseline: Int
  public var years: Int
  /// Per party present at the start or scheduled: domestic premises, non-domestic
  /// premises, exposure (smart metering systems), flattened.
  public var partyPremises: [Double]
  /// Entry rate per year.
  public var entryRate: [Double]
  /// Effort tables' (min, max) per kind and host, flattened, with the row lengths.
  public var effortBounds: [Double]
  public var effortRowLengths: [Int]
  /// Assessor day rate per year.
  public var dayRateGBP: [Double]

  public init(_ input: EngineInput) {
    policyCount = input.policies.count
    baseline = input.baseline
    years = input.years
    partyPremises = input.parties.flatMap { [$0.domesticPremises, $0.nonDomesticPremises, $0.exposureSMS] }
    entryRate = input.processes.entryRate
    effortBounds = input.processes.effort.flatMap { row in row.flatMap { [$0.min, $0.max] } }
    effortRowLengths = input.processes.effort.map(\.count)
    dayRateGBP = input.dayRateGBP
  }

  public var partyCount: Int { partyPremises.count / 3 }

  /// The empty state of a run of this shape, built by the engine's own layout rule
  /// (`Simulation.layout`) from the recorded fields.
  public func emptyState() throws -> RunState {
    guard partyPremises.count % 3 == 0, effortBounds.count % 2 == 0, policyCount >= 1, years >= 1 else {
      throw PartialFormatError.inconsistent("state shape")
    }
    let layout = Simulation.layout(
      policyCount: policyCount, baseline: baseline, years: years, partyPremises: partyPremises, entryRate: entryRate,
      effortMaxima: stride(from: 1, to: effortBounds.count, by: 2).map { effortBounds[$0] }, dayRateGBP: dayRateGBP)
    return RunState(layout: layout, userRows: Simulation.userRows(parties: partyCount, years: years))
  }

  /// Whether the state rebuilt from this shape has the layout and tally shape of
  /// `input`'s real run.
  public func matches(_ input: EngineInput) throws -> Bool {
    let rebuilt = try emptyState()
    let real = Simulation.emptyState(for: input)
    return rebuilt.layout == real.layout && rebuilt.tallies.rows == real.tallies.rows && rebuilt.tallies.years == real.tallies.years
      && rebuilt.tallies.policies == real.tallies.policies
  }
}

/// Why bytes are not a usable partial-result file.
public enum PartialFormatError: Error, Equatable, CustomStringConvertible {
  case notAPartial
  case unsupportedVersion(UInt32)
  /// A design-point partial (sweep, sensitivity) of a format version this secsim does not read.
  case unsupportedDesignVersion(UInt32)
  case badChecksum
  case truncated(String)
  case inconsistent(String)

  public var description: String {
    switch self {
    case .notAPartial: return "not a secsim partial-result file (no SECSIMPR magic)"
    case .unsupportedVersion(let v):
      return "partial-result format version \(v); this secsim reads version \(PartialResult.formatVersion)"
    case .unsupportedDesignVersion(let v):
      return "design-point partial format version \(v); this secsim reads version \(PartialResult.designFormatVersion)"
    case .badChecksum: return "checksum mismatch: the file is corrupt or was changed after it was written"
    case .truncated(let what): return "truncated or malformed (\(what))"
    case .inconsistent(let what): return "inconsistent content: \(what)"
    }
  }
}

/// One shard's result (MODEL.md §10): the exact integer state of its replicates plus
/// everything a merge needs without the scenario file. See `docs/cluster.md` for the
/// byte layout; `bytes()` and `init(bytes:)` are its only writer and reader.
public struct PartialResult: Sendable {
  /// "SECSIMPR".
  public static let magic: [UInt8] = Array("SECSIMPR".utf8)
  public static let formatVersion: UInt32 = 1
  /// The version of the design-point partials of `sweep` and `sensitivity` (magic `SECSIMDP`) this secsim reads.
  public static let designFormatVersion: UInt32 = 1
  public static let fileExtension = "secsim-partial"
  /// The header block is zero-padded so the state starts at a multiple of this.
  public static let alignment = 4096

  // What every shard of one run shares (a merge refuses partials that differ).
  public var secsimVersion: String
  public var scenarioName: String
  /// The scenario as the user named it (run.json's `scenario.file`).
  public var scenarioFile: String
  /// The folder the scenario's relative paths (users_csv, regime files) were
  /// resolved against, "" if none; used to rebuild run.json's scenario facts.
  public var scenarioDirectory: String
  public var scenarioText: String
  public var seed: UInt64
  public var rng: String
  /// Total replicates of the run (all shards).
  public var replicates: Int
  public var blockSize: Int
  public var shardCount: Int
  public var labels: RunLabels
  public var capacityPerQuarter: [[Double]]
  public var otherDemandPerQuarter: [[Double]]
  public var shape: StateShape

  // This shard's own record.
  public var shard: Int
  /// This shard's replicates.
  public var range: Range<Int>
  /// Where and how this shard ran.
  public var provenance: ShardProvenance

  /// The shard's state.
  public var state: RunState

  public init(
    secsimVersion: String, scenarioName: String, scenarioFile: String, scenarioDirectory: String, scenarioText: String, seed: UInt64,
    rng: String, replicates: Int, blockSize: Int, shardCount: Int, labels: RunLabels, capacityPerQuarter: [[Double]],
    otherDemandPerQuarter: [[Double]], shape: StateShape, shard: Int, range: Range<Int>, provenance: ShardProvenance, state: RunState
  ) {
    self.secsimVersion = secsimVersion
    self.scenarioName = scenarioName
    self.scenarioFile = scenarioFile
    self.scenarioDirectory = scenarioDirectory
    self.scenarioText = scenarioText
    self.seed = seed
    self.rng = rng
    self.replicates = replicates
    self.blockSize = blockSize
    self.shardCount = shardCount
    self.labels = labels
    self.capacityPerQuarter = capacityPerQuarter
    self.otherDemandPerQuarter = otherDemandPerQuarter
    self.shape = shape
    self.shard = shard
    self.range = range
    self.provenance = provenance
    self.state = state
  }

  /// SHA-256 of the scenario text, lowercase hex.
  public var scenarioSHA256: String { RunManifest.sha256Hex(Array(scenarioText.utf8)) }

  // MARK: Writing

  /// The file's bytes (layout in docs/cluster.md).
  public func bytes() -> [UInt8] {
    var header = ByteWriter()
    header.string(secsimVersion)
    header.string(scenarioName)
    header.string(scenarioFile)
    header.string(scenarioDirectory)
    header.string(scenarioText)
    header.string(scenarioSHA256)
    header.u64(seed)
    header.string(rng)
    header.int(replicates)
    header.int(blockSize)
    header.int(shardCount)
    header.int(shard)
    header.int(range.lowerBound)
    header.int(range.upperBound)
    header.strings(labels.policies)
    header.int(labels.baseline)
    header.int(labels.startYear)
    header.int(labels.years)
    header.strings(labels.userRows.map(\.id))
    header.strings(labels.userRows.map(\.name))
    header.matrix(capacityPerQuarter)
    header.matrix(otherDemandPerQuarter)
    header.int(shape.policyCount)
    header.int(shape.baseline)
    header.int(shape.years)
    header.doubles(shape.partyPremises)
    header.doubles(shape.entryRate)
    header.doubles(shape.effortBounds)
    header.ints(shape.effortRowLengths)
    header.doubles(shape.dayRateGBP)
    provenance.write(to: &header)
    var out = PartialContainer.begin(magic: PartialResult.magic, version: PartialResult.formatVersion, header: header.bytes)
    out.i64(state.partyYears)
    let bank = state.bank.serialized()
    out.u64(UInt64(bank.count))
    out.bytes.append(contentsOf: bank)
    out.u64(UInt64(state.tallies.counts.count))
    out.bytes.reserveCapacity(out.bytes.count + 8 * state.tallies.counts.count + PartialContainer.checksumSize)
    for c in state.tallies.counts { out.i64(c) }
    return PartialContainer.seal(out)
  }

  /// Recomputes the trailing checksum of partial-file bytes in place (tests that
  /// alter a count on purpose use it).
  public static func resealed(_ bytes: [UInt8]) -> [UInt8] {
    guard bytes.count >= PartialContainer.checksumSize else { return bytes }
    var body = ByteWriter()
    body.bytes = Array(bytes.dropLast(PartialContainer.checksumSize))
    return PartialContainer.seal(body)
  }

  /// Offset of the first tally count (tests use it to alter one count).
  public static func stateOffsets(_ bytes: [UInt8]) throws -> (bank: Int, tallies: Int) {
    var r = ByteReader(bytes)
    r.at = try PartialContainer.stateStart(bytes) + 8
    let bankCount = Int(try r.u64("bank size"))
    let bank = r.at
    return (bank, bank + bankCount + 8)
  }

  // MARK: Reading

  /// Reads a partial, checking magic, version and checksum before anything else.
  public init(bytes: [UInt8]) throws {
    guard bytes.count >= PartialResult.magic.count, Array(bytes.prefix(PartialResult.magic.count)) == PartialResult.magic else {
      throw PartialFormatError.notAPartial
    }
    var (r, stateStart) = try PartialContainer.open(
      bytes, version: PartialResult.formatVersion, unsupported: { PartialFormatError.unsupportedVersion($0) })
    let bodyCount = bytes.count - PartialContainer.checksumSize
    secsimVersion = try r.string("secsim version")
    scenarioName = try r.string("scenario name")
    scenarioFile = try r.string("scenario file")
    scenarioDirectory = try r.string("scenario folder")
    scenarioText = try r.string("scenario text")
    let sha = try r.string("scenario SHA-256")
    seed = try r.u64("seed")
    rng = try r.string("rng")
    replicates = try r.int("replicates")
    blockSize = try r.int("block size")
    shardCount = try r.int("shard count")
    shard = try r.int("shard")
    let lower = try r.int("first replicate")
    let upper = try r.int("end of replicates")
    let policies = try r.strings("policies")
    let baseline = try r.int("baseline")
    let startYear = try r.int("start year")
    let years = try r.int("years")
    let ids = try r.strings("user ids")
    let names = try r.strings("user names")
    capacityPerQuarter = try r.matrix("capacity")
    otherDemandPerQuarter = try r.matrix("other demand")
    var shape = StateShape.empty
    shape.policyCount = try r.int("policy count")
    shape.baseline = try r.int("layout baseline")
    shape.years = try r.int("layout years")
    shape.partyPremises = try r.doubles("party premises")
    shape.entryRate = try r.doubles("entry rate")
    shape.effortBounds = try r.doubles("effort bounds")
    shape.effortRowLengths = try r.ints("effort rows")
    shape.dayRateGBP = try r.doubles("day rate")
    self.shape = shape
    provenance = try ShardProvenance(reading: &r)
    guard bytes[r.at..<stateStart].allSatisfy({ $0 == 0 }) else { throw PartialFormatError.inconsistent("header padding") }

    guard sha == RunManifest.sha256Hex(Array(scenarioText.utf8)) else {
      throw PartialFormatError.inconsistent("the recorded scenario SHA-256 is not that of the recorded scenario text")
    }
    guard policies.count == shape.policyCount, baseline >= 0, baseline < policies.count, ids.count == names.count, years == shape.years,
      shape.partyPremises.count % 3 == 0, shape.effortRowLengths.allSatisfy({ $0 >= 0 }),
      shape.effortBounds.count == 2 * shape.effortRowLengths.reduce(0, +), shape.policyCount >= 1, years >= 1, years <= 1_000
    else { throw PartialFormatError.inconsistent("labels and state shape disagree") }
    labels = RunLabels(
      policies: policies, baseline: baseline, startYear: startYear, years: years, userRows: zip(ids, names).map { ($0, $1) })
    guard let spec = ShardSpec(index: shard, count: shardCount), replicates >= 1, blockSize >= 1,
      lower <= upper, spec.range(replicates: replicates, blockSize: blockSize) == lower..<upper
    else {
      throw PartialFormatError.inconsistent(
        "shard \(shard)/\(shardCount) with replicates \(lower)..<\(upper) is not a shard of \(replicates) replicates in blocks of \(blockSize)"
      )
    }
    range = lower..<upper

    r.limit = bodyCount
    r.at = stateStart
    var state = try shape.emptyState()
    state.partyYears = try r.i64("party-years")
    let bankCount = Int(try r.u64("bank size"))
    guard bankCount == state.bank.serializedByteCount else {
      throw PartialFormatError.inconsistent("accumulator state of \(bankCount) bytes, expected \(state.bank.serializedByteCount)")
    }
    let bankBytes = try r.take(bankCount, "accumulator state")
    guard let bank = AccumulatorBank(layouts: state.bank.layouts, serialized: bankBytes) else {
      throw PartialFormatError.inconsistent("accumulator state")
    }
    state.bank = bank
    let tallyCount = Int(try r.u64("tally count"))
    guard tallyCount == state.tallies.counts.count else {
      throw PartialFormatError.inconsistent("\(tallyCount) User tallies, expected \(state.tallies.counts.count)")
    }
    var counts = [Int64](repeating: 0, count: tallyCount)
    for i in 0..<tallyCount { counts[i] = try r.i64("User tallies") }
    guard r.at == bodyCount else { throw PartialFormatError.inconsistent("\(bodyCount - r.at) bytes after the User tallies") }
    let t = state.tallies
    guard let tallies = UserTallies(rows: t.rows, years: t.years, policies: t.policies, counts: counts) else {
      throw PartialFormatError.inconsistent("User tallies")
    }
    state.tallies = tallies
    self.state = state
  }
}

extension StateShape {
  static let empty = StateShape(
    policyCount: 0, baseline: 0, years: 0, partyPremises: [], entryRate: [], effortBounds: [], effortRowLengths: [], dayRateGBP: [])

  init(
    policyCount: Int, baseline: Int, years: Int, partyPremises: [Double], entryRate: [Double], effortBounds: [Double],
    effortRowLengths: [Int], dayRateGBP: [Double]
  ) {
    self.policyCount = policyCount
    self.baseline = baseline
    self.years = years
    self.partyPremises = partyPremises
    self.entryRate = entryRate
    self.effortBounds = effortBounds
    self.effortRowLengths = effortRowLengths
    self.dayRateGBP = dayRateGBP
  }
}

/// Little-endian fixed-width encoding: integers and Double bit patterns in 8 bytes,
/// strings and arrays as a UInt32 count followed by their elements (UTF-8 bytes).
package struct ByteWriter {
  package var bytes: [UInt8] = []

  package init() {}

  package mutating func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
  package mutating func u32(_ v: UInt32) { put(v) }
  package mutating func u64(_ v: UInt64) { put(v) }
  package mutating func i64(_ v: Int64) { put(v) }
  package mutating func int(_ v: Int) { put(Int64(v)) }
  package mutating func f64(_ v: Double) { put(v.bitPattern) }
  package mutating func string(_ s: String) {
    let utf8 = Array(s.utf8)
    u32(UInt32(utf8.count))
    bytes.append(contentsOf: utf8)
  }
  package mutating func strings(_ a: [String]) {
    u32(UInt32(a.count))
    for s in a { string(s) }
  }
  package mutating func doubles(_ a: [Double]) {
    u32(UInt32(a.count))
    for x in a { f64(x) }
  }
  package mutating func ints(_ a: [Int]) {
    u32(UInt32(a.count))
    for x in a { int(x) }
  }
  package mutating func matrix(_ m: [[Double]]) {
    u32(UInt32(m.count))
    for row in m { doubles(row) }
  }
}

/// Reads what `ByteWriter` wrote, never past `limit`.
package struct ByteReader {
  package let bytes: [UInt8]
  package var at = 0
  package var limit: Int

  package init(_ bytes: [UInt8]) {
    self.bytes = bytes
    limit = bytes.count
  }

  package mutating func take(_ n: Int, _ what: String) throws -> [UInt8] {
    guard n >= 0, n <= limit - at else { throw PartialFormatError.truncated(what) }
    defer { at += n }
    return Array(bytes[at..<(at + n)])
  }

  package mutating func get<T: FixedWidthInteger>(_: T.Type, _ what: String) throws -> T {
    let size = MemoryLayout<T>.size
    guard size <= limit - at else { throw PartialFormatError.truncated(what) }
    var v = T.zero
    withUnsafeMutableBytes(of: &v) { $0.copyBytes(from: bytes[at..<(at + size)]) }
    at += size
    return T(littleEndian: v)
  }

  package mutating func u32(_ what: String) throws -> UInt32 { try get(UInt32.self, what) }
  package mutating func u64(_ what: String) throws -> UInt64 { try get(UInt64.self, what) }
  package mutating func i64(_ what: String) throws -> Int64 { try get(Int64.self, what) }
  package mutating func int(_ what: String) throws -> Int {
    let v = try i64(what)
    guard let i = Int(exactly: v) else { throw PartialFormatError.truncated(what) }
    return i
  }
  package mutating func f64(_ what: String) throws -> Double { Double(bitPattern: try u64(what)) }
  package mutating func count(_ what: String, elementSize: Int) throws -> Int {
    let n = Int(try u32(what))
    guard n <= (limit - at) / max(elementSize, 1) else { throw PartialFormatError.truncated(what) }
    return n
  }
  package mutating func string(_ what: String) throws -> String {
    let n = try count(what, elementSize: 1)
    let utf8 = try take(n, what)
    guard let s = String(validating: utf8, as: UTF8.self) else { throw PartialFormatError.inconsistent("\(what) is not UTF-8") }
    return s
  }
  package mutating func strings(_ what: String) throws -> [String] {
    let n = try count(what, elementSize: 4)
    return try (0..<n).map { _ in try string(what) }
  }
  package mutating func doubles(_ what: String) throws -> [Double] {
    let n = try count(what, elementSize: 8)
    return try (0..<n).map { _ in try f64(what) }
  }
  package mutating func ints(_ what: String) throws -> [Int] {
    let n = try count(what, elementSize: 8)
    return try (0..<n).map { _ in try int(what) }
  }
  package mutating func matrix(_ what: String) throws -> [[Double]] {
    let n = try count(what, elementSize: 4)
    return try (0..<n).map { _ in try doubles(what) }
  }
}
