import Foundation
import SECEngine
import SECOutput

/// One shard of a sweep or sensitivity analysis (`--shard I/N`, docs/cluster.md):
/// the exact state of the design points it ran plus everything a merge needs
/// without the scenario file — the command, its design (kind, size, seed,
/// parameters, the design's SHA-256), the scenario's text and SHA-256, seed, rng,
/// replicates, policies and calendar, this shard's point range and where it ran.
/// `bytes()` and `init(bytes:)` are its only writer and reader.
///
/// The file is the run partial's container with its own magic, `SECSIMDP`: magic,
/// format version, header length, a header block zero-padded so that the state
/// starts at a multiple of 4 KiB, the points' states, and the SHA-256 of every
/// byte before it. Its size depends on the design and the shard's point count,
/// never on the replicate count.
public struct DesignPartial: Sendable {
  /// "SECSIMDP".
  public static let magic: [UInt8] = Array("SECSIMDP".utf8)
  public static let formatVersion: UInt32 = PartialResult.designFormatVersion
  /// Bytes of one slot's moments: n (8), Σx (16), Σx² (16).
  static let slotBytes = 40

  /// Whether `bytes` start with this format's magic (a design-point partial, not a run's).
  public static func isDesignPartial(_ bytes: [UInt8]) -> Bool { Array(bytes.prefix(magic.count)) == magic }

  // What every shard of one analysis shares (a merge refuses partials that differ).
  public var secsimVersion: String
  public var scenarioName: String
  /// The scenario as the user named it (the manifest's `scenario_file`).
  public var scenarioFile: String
  public var scenarioText: String
  /// The `--set PATH=VALUE` settings as given.
  public var settings: [String]
  public var rng: String
  /// Replicates per design point.
  public var replicates: Int
  public var shardCount: Int
  /// The design, policies, calendar and target (its points are recomputed on reading).
  public var plan: DesignPlan

  // This shard's own record.
  public var shard: Int
  /// This shard's design points.
  public var range: Range<Int>
  /// Where and how this shard ran.
  public var provenance: ShardProvenance

  /// The exact state of each point in `range`, in point order.
  public var states: [PointState]

  public init(
    secsimVersion: String, scenarioName: String, scenarioFile: String, scenarioText: String, settings: [String], rng: String,
    replicates: Int, shardCount: Int, plan: DesignPlan, shard: Int, range: Range<Int>, provenance: ShardProvenance, states: [PointState]
  ) {
    self.secsimVersion = secsimVersion
    self.scenarioName = scenarioName
    self.scenarioFile = scenarioFile
    self.scenarioText = scenarioText
    self.settings = settings
    self.rng = rng
    self.replicates = replicates
    self.shardCount = shardCount
    self.plan = plan
    self.shard = shard
    self.range = range
    self.provenance = provenance
    self.states = states
  }

  /// SHA-256 of the scenario text, lowercase hex.
  public var scenarioSHA256: String { RunManifest.sha256Hex(Array(scenarioText.utf8)) }

  /// The file name this shard writes into an output folder: `sweep-shard-I-of-N.secsim-partial`.
  public var fileName: String { ShardSpec(index: shard, count: shardCount)?.fileName(prefix: plan.command.filePrefix) ?? "" }

  // MARK: Writing

  /// The file's bytes (layout in docs/cluster.md).
  public func bytes() -> [UInt8] {
    var h = ByteWriter()
    h.string(plan.command.rawValue)
    h.string(secsimVersion)
    h.string(scenarioName)
    h.string(scenarioFile)
    h.string(scenarioText)
    h.string(scenarioSHA256)
    h.strings(settings)
    h.u64(plan.seed)
    h.string(rng)
    h.int(replicates)
    h.string(plan.design)
    h.int(plan.samples)
    h.int(plan.levels)
    h.int(plan.bootstrap)
    h.u32(UInt32(plan.parameters.count))
    for p in plan.parameters {
      h.string(p.range.path)
      h.f64(p.range.low)
      h.f64(p.range.high)
      h.string(p.canonicalPath)
      h.int(p.wholeNumber ? 1 : 0)
      h.int(p.baseValue == nil ? 0 : 1)
      h.f64(p.baseValue ?? 0)
    }
    h.string(plan.target?.policy ?? "")
    h.string(plan.target?.metric.name ?? "")
    h.string(plan.target?.year ?? "")
    h.int(plan.pointCount)
    h.string(plan.designSHA256)
    h.strings(plan.policies)
    h.int(plan.baseline ?? -1)
    h.int(plan.startYear)
    h.int(plan.years)
    h.int(plan.slotsPerPoint)
    h.int(shardCount)
    h.int(shard)
    h.int(range.lowerBound)
    h.int(range.upperBound)
    provenance.write(to: &h)
    var out = PartialContainer.begin(magic: DesignPartial.magic, version: DesignPartial.formatVersion, header: h.bytes)
    out.u64(UInt64(states.count))
    out.bytes.reserveCapacity(
      out.bytes.count + states.count * (8 + plan.slotsPerPoint * DesignPartial.slotBytes) + PartialContainer.checksumSize)
    for state in states {
      out.i64(state.partyYears)
      for m in state.moments {
        out.i64(m.n)
        out.put(m.sum)
        out.put(m.sumSquares)
      }
    }
    return PartialContainer.seal(out)
  }

  /// Offset of the first point's state (party-years, then its slots): tests use it
  /// to alter one count.
  public static func stateOffset(_ bytes: [UInt8]) throws -> Int {
    try PartialContainer.stateStart(bytes) + 8
  }

  // MARK: Reading

  /// Reads a partial, checking magic, version and checksum before anything else,
  /// then its internal consistency (scenario SHA-256, shard range, design hash).
  public init(bytes: [UInt8]) throws(PartialFormatError) {
    guard DesignPartial.isDesignPartial(bytes) else { throw .notAPartial }
    do {
      var (r, stateStart) = try PartialContainer.open(
        bytes, version: DesignPartial.formatVersion, unsupported: { PartialFormatError.unsupportedDesignVersion($0) })
      let bodyCount = bytes.count - PartialContainer.checksumSize
      guard let command = DesignPlan.Command(rawValue: try r.string("command")) else {
        throw PartialFormatError.inconsistent("unknown command")
      }
      secsimVersion = try r.string("secsim version")
      scenarioName = try r.string("scenario name")
      scenarioFile = try r.string("scenario file")
      scenarioText = try r.string("scenario text")
      let sha = try r.string("scenario SHA-256")
      settings = try r.strings("settings")
      let seed = try r.u64("seed")
      rng = try r.string("rng")
      replicates = try r.int("replicates")
      let design = try r.string("design")
      let samples = try r.int("samples")
      let levels = try r.int("levels")
      let bootstrap = try r.int("bootstrap")
      let d = try r.count("parameters", elementSize: 40)
      var parameters: [SweptParameter] = []
      for _ in 0..<d {
        let path = try r.string("parameter path")
        let low = try r.f64("parameter low")
        let high = try r.f64("parameter high")
        let canonical = try r.string("parameter field")
        let whole = try r.int("parameter whole-number flag")
        let hasBase = try r.int("parameter scenario-value flag")
        let base = try r.f64("parameter scenario value")
        parameters.append(
          SweptParameter(
            range: ParameterRange(path: path, low: low, high: high), canonicalPath: canonical, wholeNumber: whole != 0,
            baseValue: hasBase != 0 ? base : nil, location: nil))
      }
      let targetPolicy = try r.string("target policy")
      let targetMetric = try r.string("target metric")
      let targetYear = try r.string("target year")
      let pointCount = try r.int("design points")
      let designSHA = try r.string("design SHA-256")
      let policies = try r.strings("policies")
      let baseline = try r.int("baseline")
      let startYear = try r.int("start year")
      let years = try r.int("years")
      let slotsPerPoint = try r.int("slots per point")
      shardCount = try r.int("shard count")
      shard = try r.int("shard")
      let lower = try r.int("first point")
      let upper = try r.int("end of points")
      provenance = try ShardProvenance(reading: &r)
      guard bytes[r.at..<stateStart].allSatisfy({ $0 == 0 }) else { throw PartialFormatError.inconsistent("header padding") }

      guard sha == RunManifest.sha256Hex(Array(scenarioText.utf8)) else {
        throw PartialFormatError.inconsistent("the recorded scenario SHA-256 is not that of the recorded scenario text")
      }
      var target: SensitivityTarget?
      if command == .sensitivity {
        guard let metric = MetricRef(name: targetMetric) else {
          throw PartialFormatError.inconsistent("unknown target metric '\(targetMetric)'")
        }
        target = SensitivityTarget(policy: targetPolicy, metric: metric, year: targetYear)
      }
      guard !policies.isEmpty, baseline >= -1, baseline < policies.count, years >= 1, years <= 1_000, replicates >= 1,
        samples >= 1, pointCount >= 1, pointCount <= 100_000_000, d <= 10_000
      else { throw PartialFormatError.inconsistent("policies, calendar or design size") }
      let plan: DesignPlan
      do {
        plan = try DesignPlan.rebuilt(
          command: command, parameters: parameters, design: design, samples: samples, levels: levels, seed: seed, bootstrap: bootstrap,
          target: target, policies: policies, baseline: baseline < 0 ? nil : baseline, startYear: startYear, years: years)
      } catch {
        throw PartialFormatError.inconsistent("the recorded design cannot be rebuilt (\(error))")
      }
      guard plan.pointCount == pointCount, plan.designSHA256 == designSHA else {
        throw PartialFormatError.inconsistent(
          "the design recorded (\(pointCount) points, SHA-256 \(designSHA.prefix(12))…) is not the one its kind, size, seed and "
            + "parameters give (\(plan.pointCount) points, \(plan.designSHA256.prefix(12))…)")
      }
      guard command == .sweep || plan.targetYearIndex != nil else {
        throw PartialFormatError.inconsistent("target year '\(targetYear)' is outside the calendar")
      }
      guard slotsPerPoint == plan.slotsPerPoint else {
        throw PartialFormatError.inconsistent("\(slotsPerPoint) slots per point, expected \(plan.slotsPerPoint)")
      }
      self.plan = plan
      guard let spec = ShardSpec(index: shard, count: shardCount), lower <= upper, spec.points(of: pointCount) == lower..<upper else {
        throw PartialFormatError.inconsistent(
          "shard \(shard)/\(shardCount) with design points \(lower)..<\(upper) is not a shard of \(pointCount) points")
      }
      range = lower..<upper

      r.limit = bodyCount
      r.at = stateStart
      let count = Int(try r.u64("point count"))
      guard count == range.count else {
        throw PartialFormatError.inconsistent("\(count) design point states, expected \(range.count)")
      }
      guard bodyCount - r.at == count * (8 + slotsPerPoint * DesignPartial.slotBytes) else {
        throw PartialFormatError.inconsistent("point states of \(bodyCount - r.at) bytes, expected \(count) × \(slotsPerPoint) slots")
      }
      var states: [PointState] = []
      states.reserveCapacity(count)
      for _ in 0..<count {
        let partyYears = try r.i64("party-years")
        var moments: [SlotMoments] = []
        moments.reserveCapacity(slotsPerPoint)
        for _ in 0..<slotsPerPoint {
          let n = try r.i64("count")
          let sum = try r.get(Int128.self, "sum")
          let squares = try r.get(Int128.self, "sum of squares")
          guard n >= 0 else { throw PartialFormatError.inconsistent("a negative count") }
          moments.append(SlotMoments(n: n, sum: sum, sumSquares: squares))
        }
        states.append(PointState(partyYears: partyYears, moments: moments))
      }
      self.states = states
    } catch let error as PartialFormatError {
      throw error
    } catch {
      throw .inconsistent("\(error)")
    }
  }
}

extension ShardSpec {
  /// The design points of this shard of `total`: ⌊(I−1)·P/N⌋ ..< ⌊I·P/N⌋, a
  /// contiguous range; the shards cover every point once, differ in size by at
  /// most one point, and some are empty when N > P.
  public func points(of total: Int) -> Range<Int> { range(replicates: total, blockSize: 1) }
}
