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
  let results: [YearResults]
  /// Per-replicate integer values [policy][class][t][metric] and market [t][metric].
  let cells: Buffer<Int64>
  let market: Buffer<Int64>
  /// Sums of yearly values for mean-rule totals [policy][class][metric], and market.
  let meanSums: Buffer<Double>
  let marketMeanSums: Buffer<Double>
  /// The values of the last `batchFill` replicates, slot-major ([slot][j], j < batchSize),
  /// added to the bank slot by slot when full: the bank's buckets span tens of
  /// megabytes, so adding one replicate at a time would miss the cache once per slot.
  let batch: Buffer<Int64>
  var batchFill = 0
  static let batchSize = 64
  /// Per policy metric: its unit's scale and its horizon total rule (`sumRule`,
  /// `meanRule`, else max or any), read in the per-replicate loops.
  let metricScale: Buffer<Double>
  let metricRule: Buffer<UInt8>
  static let sumRule: UInt8 = 0
  static let meanRule: UInt8 = 1
  static let maxRule: UInt8 = 2
  /// Per cell: its policy slot and paired-difference slot in the bank (−1 none).
  let policySlotOfCell: Buffer<Int>
  let differenceSlotOfCell: Buffer<Int>

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
    state = Simulation.emptyState(for: input)
    results = input.policies.map { _ in YearResults(arena) }
    cells = Buffer(arena, repeating: 0, count: state.layout.cellCount)
    market = Buffer(arena, repeating: 0, count: (input.years + 1) * MarketMetric.allCases.count)
    meanSums = Buffer(arena, repeating: 0, count: input.policies.count * MetricClass.count * PolicyMetric.allCases.count)
    marketMeanSums = Buffer(arena, repeating: 0, count: MarketMetric.allCases.count)
    batch = Buffer(arena, repeating: 0, count: state.layout.layouts.count * Worker.batchSize)
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
    policySlotOfCell = Buffer(arena, repeating: -1, count: layout.cellCount)
    differenceSlotOfCell = Buffer(arena, repeating: -1, count: layout.cellCount)
    for cell in 0..<layout.cellCount {
      policySlotOfCell[cell] = layout.rawPolicySlot(cell)
      differenceSlotOfCell[cell] = layout.rawDifferenceSlot(cell)
    }
  }

  func replicate(_ r: Int) { replicate(r, world: &world) }

  /// One replicate on the world held in place: passing the class's `world` property
  /// by value to each step would copy it (and retain everything it holds) every time.
  private func replicate(_ r: Int, world: inout World) {
    let years = input.years
    let layout = state.layout
    let classes = MetricClass.count
    let metricCount = PolicyMetric.allCases.count
    world.reset(seed: seed, replicate: r)
    for k in runs.indices { runs[k].reset() }
    sharing.reset()
    meanSums.fill(0, count: meanSums.capacity)
    marketMeanSums.fill(0, count: marketMeanSums.capacity)
    for yi in 0..<years {
      world.stepFuture(yearIndex: yi)
      exposure.update(world, year: input.year(yi))
      for p in 0..<world.partyCount where world.present[p] { state.partyYears &+= 1 }
      if sharesPolicyWork {
        for k in runs.indices { runs[k].beginYear(world, yearIndex: yi, results: results[k]) }
        sharing.assessYear(world, exposure, runs: &runs, results: results)
        for k in runs.indices { runs[k].endYear(world, exposure, yearIndex: yi, results: results[k], shared: sharing.shared(policy: k)) }
      } else {
        for k in runs.indices { runs[k].assess(world, exposure, yearIndex: yi, results: results[k]) }
      }
      // The year's values in their units: cells [policy][class][t][metric] (MetricLayout.cell).
      for k in runs.indices {
        let values = results[k].values.base
        for c in 0..<classes {
          let from = values + c * metricCount
          let to = cells.base + ((k * classes + c) * (years + 1) + yi) * metricCount
          let sums = meanSums.base + (k * classes + c) * metricCount
          for m in 0..<metricCount {
            let x = from[m]
            to[m] = MetricUnit.integer(x, scale: metricScale[m])
            if metricRule[m] == Worker.meanRule { sums[m] += x }
          }
        }
      }
      state.tallies.record(world, runs: runs, baseline: input.baseline, yearIndex: yi)
      for m in MarketMetric.allCases {
        market[yi * MarketMetric.allCases.count + m.rawValue] = m.unit.integer(world.market[m.rawValue])
        marketMeanSums[m.rawValue] += world.market[m.rawValue]
      }
    }
    // Horizon totals (MODEL.md §6), per replicate.
    for k in runs.indices {
      for c in 0..<classes {
        let block = cells.base + (k * classes + c) * (years + 1) * metricCount
        let sums = meanSums.base + (k * classes + c) * metricCount
        for m in 0..<metricCount {
          var total: Int64 = 0
          switch metricRule[m] {
          case Worker.sumRule: for yi in 0..<years { total += block[yi * metricCount + m] }
          case Worker.meanRule: total = MetricUnit.integer(sums[m] / Double(years), scale: metricScale[m])
          default: for yi in 0..<years { total = max(total, block[yi * metricCount + m]) }  // max, any
          }
          block[years * metricCount + m] = total
        }
      }
    }
    for m in MarketMetric.allCases {
      var total: Int64 = 0
      if m.totalRule == .sum {
        for yi in 0..<years { total += market[yi * MarketMetric.allCases.count + m.rawValue] }
      } else {
        total = m.unit.integer(marketMeanSums[m.rawValue] / Double(years))
      }
      market[years * MarketMetric.allCases.count + m.rawValue] = total
    }
    // Into the batch: every policy's value and its paired difference.
    let baseline = input.baseline
    let stride = Worker.batchSize
    let j = batchFill
    let perPolicy = classes * (years + 1) * metricCount
    let baseBlock = cells.base + baseline * perPolicy
    for k in runs.indices {
      let block = cells.base + k * perPolicy
      let policySlots = policySlotOfCell.base + k * perPolicy
      let differenceSlots = differenceSlotOfCell.base + k * perPolicy
      for i in 0..<perPolicy {
        let slot = policySlots[i]
        guard slot >= 0 else { continue }
        // Every slot gets a value every replicate (the bank counts one per slot).
        let value = block[i]
        batch[slot &* stride &+ j] = value
        if k != baseline { batch[differenceSlots[i] &* stride &+ j] = value - baseBlock[i] }
      }
    }
    for t in 0...years {
      for m in MarketMetric.allCases {
        batch[layout.marketSlot(t: t, metric: m) &* stride &+ j] = market[t * MarketMetric.allCases.count + m.rawValue]
      }
    }
    batchFill += 1
    if batchFill == stride { flush() }
  }

  /// Adds the batched replicates to the bank.
  func flush() {
    guard batchFill > 0 else { return }
    state.bank.add(batch: UnsafePointer(batch.base), stride: Worker.batchSize, count: batchFill)
    batchFill = 0
  }

  /// Adds what is still batched; call after the last replicate.
  func finish() { flush() }
}
