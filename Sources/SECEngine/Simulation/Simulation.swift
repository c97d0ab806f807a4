import GSL
import SECRules

/// What to run: seed, replicates, threads, generator (MODEL.md §7, §10).
public struct RunConfiguration: Sendable, Hashable {
  public var seed: UInt64
  /// Total replicates of the run (all shards together).
  public var replicates: Int
  /// The replicates this process runs (a shard's range; all of them by default).
  public var range: Range<Int>
  public var threads: Int
  public var algorithm: RNGAlgorithm
  /// Replicates per block of the static work plan.
  public var blockSize: Int
  /// Whether policies with equal state and decision inputs share a party's work
  /// (`PolicySharing`; the results are bit-identical either way). Off only to test that.
  public var sharesPolicyWork: Bool

  public init(
    seed: UInt64, replicates: Int, range: Range<Int>? = nil, threads: Int = 1, algorithm: RNGAlgorithm = .mt19937, blockSize: Int = 64,
    sharesPolicyWork: Bool = true
  ) {
    self.seed = seed
    self.replicates = replicates
    self.range = range ?? 0..<replicates
    self.threads = threads
    self.algorithm = algorithm
    self.blockSize = blockSize
    self.sharesPolicyWork = sharesPolicyWork
  }
}

/// The merged state of a run: exact accumulators for every metric slot, the per-User
/// tallies and the work plan. Everything is integer state, so runs, threads and
/// shards merge bit-identically (MODEL.md §10).
public struct RunState: Sendable, Equatable {
  public let layout: MetricLayout
  public var bank: AccumulatorBank
  public var tallies: UserTallies
  /// Party-years simulated (one party stepped one year with every policy).
  public var partyYears: Int64

  /// A state from its parts: a metric layout, an accumulator bank with one slot per
  /// layout slot, User tallies and the party-years they hold (a partial result read
  /// back, or an empty state built without an `EngineInput`).
  public init(layout: MetricLayout, bank: AccumulatorBank, tallies: UserTallies, partyYears: Int64 = 0) {
    precondition(bank.layouts == layout.layouts, "an accumulator bank must have the metric layout's slots")
    self.layout = layout
    self.bank = bank
    self.tallies = tallies
    self.partyYears = partyYears
  }

  /// The empty state of a layout with `userRows` User rows (tallied per year and policy).
  public init(layout: MetricLayout, userRows: Int) {
    self.init(
      layout: layout, bank: AccumulatorBank(layouts: layout.layouts),
      tallies: UserTallies(rows: userRows, years: layout.years, policies: layout.policyCount))
  }

  public mutating func merge(_ other: RunState) {
    bank.merge(other.bank)
    tallies.merge(other.tallies)
    partyYears &+= other.partyYears
  }
}

/// The Monte Carlo engine: replicates of the future (MODEL.md §5), every policy
/// evaluated on each (common random numbers), results into exact accumulators.
public enum Simulation {
  /// The fixed metric layout of an input (identical in every process that runs it).
  public static func layout(for input: EngineInput) -> MetricLayout {
    layout(
      policyCount: input.policies.count, baseline: input.baseline, years: input.years,
      partyPremises: input.parties.flatMap { [$0.domesticPremises, $0.nonDomesticPremises, $0.exposureSMS] },
      entryRate: input.processes.entryRate, effortMaxima: input.processes.effort.flatMap { $0 }.map(\.max),
      dayRateGBP: input.dayRateGBP)
  }

  /// The layout rule itself, from the only fields of an input it reads: policies,
  /// years, each starting party's (domestic premises, non-domestic premises,
  /// exposure) flattened, the entry rate per year, every effort table's maximum
  /// days and the day rate per year. A partial result records these, so a merge
  /// rebuilds the layout without the scenario file.
  public static func layout(
    policyCount: Int, baseline: Int, years: Int, partyPremises: [Double], entryRate: [Double], effortMaxima: [Double],
    dayRateGBP: [Double]
  ) -> MetricLayout {
    let expectedEntrants = entryRate.reduce(0, +) * 3 + 20
    // Summed in party order, three fields at a time (the order fixes the Double's bits).
    let premises = partyPremises.reduce(0, +)
    let maxDays = effortMaxima.max() ?? 10
    return MetricLayout(
      policyCount: policyCount, baseline: baseline, years: years, parties: partyPremises.count / 3 + Int(expectedEntrants),
      premises: max(premises, 1) * 2, maxDayRate: dayRateGBP.max() ?? 1_000, maxDays: maxDays)
  }

  /// User rows of a run's tallies: one per starting party, one per entry year.
  public static func userRows(parties: Int, years: Int) -> Int { parties + years }

  /// An empty run state for an input.
  public static func emptyState(for input: EngineInput) -> RunState {
    RunState(layout: layout(for: input), userRows: userRows(parties: input.parties.count, years: input.years))
  }

  /// Runs `configuration.range` on `configuration.threads` workers with a static
  /// plan; returns the merged state and the plan.
  public static func run(
    _ input: EngineInput, _ configuration: RunConfiguration, progress: ProgressCounter? = nil
  ) throws -> (state: RunState, plan: WorkPlan) {
    let plan = WorkPlan(replicates: configuration.range, blockSize: configuration.blockSize, workers: max(1, configuration.threads))
    let states = try ParallelRunner.run(
      plan, progress: progress,
      makeState: { _ in try Worker(input: input, configuration: configuration) },
      block: { worker, range in
        for r in range { worker.replicate(r) }
      })
    // The first worker's state is the base (no third bank of zeros to allocate and add).
    for worker in states { worker.finish() }
    var merged = states.first?.state ?? emptyState(for: input)
    for worker in states.dropFirst() { merged.merge(worker.state) }
    return (merged, plan)
  }
}

/// One worker: its own world, policy runs, buffers and accumulators; shares nothing.
final class Worker: @unchecked Sendable {
  // @unchecked: a Worker is created, used and returned by exactly one thread of
  // ParallelRunner; nothing in it is shared while it runs.
  let input: EngineInput
  let seed: UInt64
  var world: World
  var runs: [PolicyRun]
  /// Shares a party's work between policies whose state and bands are equal.
  var sharing: PolicySharing
  let sharesPolicyWork: Bool
  /// This year's policy-independent exposure of the User Systems.
  var exposure: YearExposure
  var state: RunState
  /// This worker's User tallies, year-major; added to `state.tallies` by `finish`.
  let tallyRecorder: UserTallyRecorder
  let results: [YearResults]
  /// Sums of yearly values for mean-rule totals [policy][class][metric], and market.
  let meanSums: Buffer<Double>
  let marketMeanSums: Buffer<Double>
  /// The values of the last `batchFill` replicates, replicate-major ([j][slot],
  /// j < batchSize): each replicate writes one contiguous row, block by block, so its
  /// writes stay in cache (slot-major, each of its ~7,500 values went to a different
  /// cache line of a 3.8 MB batch). Added to the bank slot by slot when full (the
  /// bank gathers the columns a tile at a time): the bank's buckets span tens of
  /// megabytes, so adding one replicate at a time would miss the cache once per slot.
  let batch: Buffer<Int64>
  var batchFill = 0
  static let batchSize = 64
  /// Slots per replicate row of `batch` (every slot of the layout).
  let slotCount: Int
  /// Zeros added per slot but not yet counted in its zero bucket (the bank's deferred
  /// zeros; added to the buckets by `finish`).
  let deferredZeros: Buffer<UInt32>
  /// Per policy metric: its unit's scale and its horizon total rule (`sumRule`,
  /// `meanRule`, else max or any), read in the per-replicate loops.
  let metricScale: Buffer<Double>
  let metricRule: Buffer<UInt8>
  static let sumRule: UInt8 = 0
  static let meanRule: UInt8 = 1
  static let maxRule: UInt8 = 2
  /// Per class: how many metrics have a slot (`classWidth`) and which, in slot order
  /// (`classMetric[c * metricCount + j]`, raw values); per (policy, class): the first
  /// slot of its values and of its paired differences (−1 for the baseline). The slot
  /// of (k, c, t, j-th metric) is `policyBlock[k * classes + c] + t * classWidth[c] + j`
  /// (`MetricLayout`).
  let classWidth: Buffer<Int>
  let classMetric: Buffer<Int>
  /// Per class, in the same order: each metric's unit scale (`classScale`); and
  /// which of its metrics have the mean rule (`classMeanCount`, `classMean`, raw values).
  let classScale: Buffer<Double>
  let classMeanCount: Buffer<Int>
  let classMean: Buffer<Int>
  let policyBlock: Buffer<Int>
  let differenceBlock: Buffer<Int>

  init(input: EngineInput, configuration: RunConfiguration) throws {
    self.input = input
    seed = configuration.seed
    world = try World(input: input, algorithm: configuration.algorithm)
    let roleSlots = world.roleSlots
    let arena = world.arena
    exposure = YearExposure(arena, parties: input.parties.count + 64, systems: 2 * (input.parties.count + 64))
    runs = input.policies.map { PolicyRun(policy: $0, roleSlots: roleSlots, templates: input.parties, arena: arena) }
    sharing = PolicySharing(
      policies: input.policies, arena: arena, parties: input.parties.count + 64, systems: 2 * (input.parties.count + 64))
    sharesPolicyWork = configuration.sharesPolicyWork && sharing.enabled
    if sharesPolicyWork { for k in runs.indices { runs[k].unitsHeldElsewhere = sharing.ruleClass[k] != k } }
    state = Simulation.emptyState(for: input)
    results = input.policies.map { _ in YearResults(arena) }
    tallyRecorder = UserTallyRecorder(rows: state.tallies.rows, years: state.tallies.years, policies: state.tallies.policies, arena: arena)
    meanSums = Buffer(arena, repeating: 0, count: input.policies.count * MetricClass.count * PolicyMetric.allCases.count)
    marketMeanSums = Buffer(arena, repeating: 0, count: MarketMetric.allCases.count)
    slotCount = state.layout.layouts.count
    batch = Buffer(arena, repeating: 0, count: slotCount * Worker.batchSize)
    deferredZeros = Buffer(arena, repeating: 0, count: slotCount)
    let metrics = PolicyMetric.allCases
    precondition(metrics.count == MetricLayout.metricCount && metrics.count == YearResults.width, "one cell per policy metric")
    metricScale = Buffer(arena, repeating: 1, count: metrics.count)
    metricRule = Buffer(arena, repeating: Worker.sumRule, count: metrics.count)
    for m in metrics {
      metricScale[m.rawValue] = m.unit.scale
      switch m.totalRule {
      case .sum: metricRule[m.rawValue] = Worker.sumRule
      case .mean: metricRule[m.rawValue] = Worker.meanRule
      case .max, .any: metricRule[m.rawValue] = Worker.maxRule
      }
    }
    let layout = state.layout
    classWidth = Buffer(arena, repeating: 0, count: MetricClass.count)
    classMetric = Buffer(arena, repeating: 0, count: MetricClass.count * metrics.count)
    classScale = Buffer(arena, repeating: 1, count: MetricClass.count * metrics.count)
    classMeanCount = Buffer(arena, repeating: 0, count: MetricClass.count)
    classMean = Buffer(arena, repeating: 0, count: MetricClass.count * metrics.count)
    for c in 0..<MetricClass.count {
      let present = layout.metrics(classIndex: c)
      classWidth[c] = present.count
      for (j, m) in present.enumerated() {
        classMetric[c * metrics.count + j] = m.rawValue
        classScale[c * metrics.count + j] = m.unit.scale
      }
      for m in present where m.totalRule == .mean {
        classMean[c * metrics.count + classMeanCount[c]] = m.rawValue
        classMeanCount[c] += 1
      }
    }
    policyBlock = Buffer(arena, repeating: -1, count: input.policies.count * MetricClass.count)
    differenceBlock = Buffer(arena, repeating: -1, count: input.policies.count * MetricClass.count)
    for k in input.policies.indices {
      for c in 0..<MetricClass.count {
        policyBlock[k * MetricClass.count + c] = layout.policyBlock(policy: k, classIndex: c)
        differenceBlock[k * MetricClass.count + c] = layout.differenceBlock(policy: k, classIndex: c) ?? -1
      }
    }
  }

  func replicate(_ r: Int) { replicate(r, world: &world) }

  /// One replicate on the world held in place: passing the class's `world` property
  /// by value to each step would copy it (and retain everything it holds) every time.
  /// Its values go straight into its batch row, block by block (`MetricLayout`).
  private func replicate(_ r: Int, world: inout World) {
    let years = input.years
    let classes = MetricClass.count
    let metricCount = PolicyMetric.allCases.count
    let marketCount = MarketMetric.allCases.count
    let marketBlock = state.layout.marketBlock
    let row = batch.base + batchFill &* slotCount
    world.reset(seed: seed, replicate: r)
    for k in runs.indices { runs[k].reset() }
    sharing.reset()
    meanSums.fill(0, count: meanSums.capacity)
    marketMeanSums.fill(0, count: marketMeanSums.capacity)
    for yi in 0..<years {
      world.stepFuture(yearIndex: yi)
      exposure.update(world, year: input.year(yi))
      var present: Int64 = 0
      for p in 0..<world.partyCount { present &+= world.present[p] ? 1 : 0 }
      state.partyYears &+= present
      if sharesPolicyWork {
        for k in runs.indices { runs[k].beginYear(world, yearIndex: yi, results: results[k]) }
        sharing.assessYear(world, exposure, runs: &runs, results: results)
        for k in runs.indices { runs[k].endYear(world, exposure, yearIndex: yi, results: results[k], shared: sharing.shared(policy: k)) }
      } else {
        for k in runs.indices { runs[k].assess(world, exposure, yearIndex: yi, results: results[k]) }
      }
      // The year's values in their units, into the row at t = yi.
      for k in runs.indices {
        let values = results[k].values.base
        for c in 0..<classes {
          let width = classWidth[c]
          let present = classMetric.base + c * metricCount
          let scale = classScale.base + c * metricCount
          let from = values + c * metricCount
          let to = row + policyBlock[k * classes + c] + yi * width
          // Two cells at a time (`MetricUnit.integers`, exactly `integer` of each).
          var j = 0
          while j &+ 1 < width {
            let pair = MetricUnit.integers(
              SIMD2(from[present[j]], from[present[j &+ 1]]), scale: SIMD2(scale[j], scale[j &+ 1]))
            to[j] = pair[0]
            to[j &+ 1] = pair[1]
            j &+= 2
          }
          if j < width { to[j] = MetricUnit.integer(from[present[j]], scale: scale[j]) }
          // Mean-rule metrics: their yearly values summed unrounded, in year order.
          let means = classMean.base + c * metricCount
          let sums = meanSums.base + (k * classes + c) * metricCount
          for i in 0..<classMeanCount[c] { sums[means[i]] += from[means[i]] }
        }
      }
      tallyRecorder.record(world, runs: runs, holders: sharesPolicyWork ? sharing.stateClass : nil, baseline: input.baseline, yearIndex: yi)
      for m in MarketMetric.allCases {
        row[marketBlock + yi * marketCount + m.rawValue] = m.unit.integer(world.market[m.rawValue])
        marketMeanSums[m.rawValue] += world.market[m.rawValue]
      }
    }
    // Horizon totals (MODEL.md §6), per replicate, at t = years.
    for k in runs.indices {
      for c in 0..<classes {
        let width = classWidth[c]
        let present = classMetric.base + c * metricCount
        let block = row + policyBlock[k * classes + c]
        let sums = meanSums.base + (k * classes + c) * metricCount
        for j in 0..<width {
          let m = present[j]
          var total: Int64 = 0
          switch metricRule[m] {
          case Worker.sumRule: for yi in 0..<years { total += block[yi &* width &+ j] }
          case Worker.meanRule: total = MetricUnit.integer(sums[m] / Double(years), scale: metricScale[m])
          default: for yi in 0..<years { total = max(total, block[yi &* width &+ j]) }  // max, any
          }
          block[years * width + j] = total
        }
      }
    }
    for m in MarketMetric.allCases {
      var total: Int64 = 0
      if m.totalRule == .sum {
        for yi in 0..<years { total += row[marketBlock + yi * marketCount + m.rawValue] }
      } else {
        total = m.unit.integer(marketMeanSums[m.rawValue] / Double(years))
      }
      row[marketBlock + years * marketCount + m.rawValue] = total
    }
    // Paired differences against the baseline, every t (the blocks have the same shape).
    let baseline = input.baseline
    for k in runs.indices where k != baseline {
      for c in 0..<classes {
        let value = row + policyBlock[k * classes + c]
        let base = row + policyBlock[baseline * classes + c]
        let difference = row + differenceBlock[k * classes + c]
        // Wrapping, with the overflow test of `-` kept aside: a sign bit in `overflow`
        // marks an operand pair whose difference overflowed (the loop vectorises).
        var overflow: Int64 = 0
        for i in 0..<((years + 1) * classWidth[c]) {
          let (a, b) = (value[i], base[i])
          let d = a &- b
          difference[i] = d
          overflow |= (a ^ b) & (a ^ d)
        }
        precondition(overflow >= 0, "a paired difference overflowed")
      }
    }
    // Every slot of the row now holds this replicate's value (the bank counts one per slot).
    batchFill += 1
    if batchFill == Worker.batchSize { flush() }
  }

  /// Adds the batched replicates to the bank.
  func flush() {
    guard batchFill > 0 else { return }
    state.bank.add(
      batch: UnsafePointer(batch.base), slotStride: 1, replicateStride: slotCount, count: batchFill, deferredZeros: deferredZeros.base)
    batchFill = 0
  }

  /// Adds what is still batched, and the deferred zeros; call after the last
  /// replicate (the state is complete only then).
  func finish() {
    flush()
    state.bank.addDeferredZeros(deferredZeros.base)
    state.tallies.add(tallyRecorder)
  }
}
