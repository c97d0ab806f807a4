import GSL
import SECRules

/// One replicate's population and its policy-independent future (MODEL.md §5,
/// items 1–8 and reporting noise): Users, portfolios, User Systems, issues. Owned
/// by one worker and reset for each replicate, so a replicate allocates only when
/// it outgrows every earlier one (more entrants, systems or issues).
struct World {
  let input: EngineInput
  /// Role slots per party: the most roles any User holds (entrants hold one).
  let roleSlots: Int

  // MARK: Parties (slot order = start population, then entrants in order of entry)
  var partyCount = 0
  var templateIndex: Buffer<Int>  // index into input.parties, or −1 for a random entrant
  var present: Buffer<Bool>
  var entryYear: Buffer<Int>
  var exitYear: Buffer<Int>  // Int.max while present or never entered
  var saUntil: Buffer<Int>  // calendar year its special administration ends (customers sold, exit); Int.max if none
  var quarter: Buffer<Int>
  var partyClass: Buffer<PartyClassIndex>
  var isSupplier: Buffer<Bool>
  var userRow: Buffer<Int>
  var domestic: Buffer<Double>  // true Domestic Premises
  var nonDomestic: Buffer<Double>
  var smartFactorDomestic: Buffer<Double>
  var smartFactorNonDomestic: Buffer<Double>
  var ndMetersPerPremises: Buffer<Double>
  var domesticMeters: Buffer<Int>  // this year's smart metering systems
  var nonDomesticMeters: Buffer<Int>
  var reportedDomestic: Buffer<Int>  // this year's reported premises (after noise)
  var reportedNonDomestic: Buffer<Int>
  /// Counts deciding the current year's band (§8.3), set before assessments.
  var deciding: Buffer<PortfolioCounts>
  /// Counts that will decide next year (end of this year, after noise).
  var decidingNext: Buffer<PortfolioCounts>
  var exposureSMS: Buffer<Double>
  var roleWeight: Buffer<Double>
  var firstSystem: Buffer<Int>  // head of the party's system list, −1 none

  // MARK: User Systems
  var systemCount = 0
  var systemOwner: Buffer<Int>
  var systemSRP: Buffer<Int>  // −1 bespoke
  var systemStart: Buffer<Int>
  var systemStartQuarter: Buffer<Int>
  var systemEnd: Buffer<Int>  // first year out of service, Int.max
  var systemShare: Buffer<Double>
  var systemIsLater: Buffer<Bool>  // a second or subsequent system (§8.10)
  var systemInServiceAtStart: Buffer<Bool>
  var nextSystemOfParty: Buffer<Int>
  var firstIssue: Buffer<Int>
  var lastIssue: Buffer<Int>

  // MARK: Issues
  var issueCount = 0
  var issueSystem: Buffer<Int>
  var nextIssueOfSystem: Buffer<Int>

  // MARK: Market
  var domesticTotal = 0.0
  var nonDomesticTotal = 0.0
  var market = [Double](repeating: 0, count: MarketMetric.allCases.count)

  // MARK: Roll-out (§5.5), per segment (0 domestic, 1 non-domestic)
  /// This replicate's midpoint shift (years), the pace deviation accumulated so far
  /// and this year's smart share.
  var rolloutShift = [0.0, 0.0]
  var rolloutDeviation = [0.0, 0.0]
  var smartShare = [0.0, 0.0]

  // MARK: Streams, one per purpose, reseeded per replicate
  let streams: [RandomStream]
  /// The non-domestic segment's roll-out stream (entity 1, purpose `rollout`).
  let rolloutNonDomesticStream: RandomStream
  /// Per party slot: [outcome, effort regular, effort follow-up] per role slot.
  var partyVariates: Buffer<Double>
  /// Per system slot: [SSC decision, effort].
  var systemVariates: Buffer<Double>
  /// Per issue: its resistance to detection, Exp(1), drawn when it arises (§5.9; see
  /// `PolicyRun.detect`).
  var issueResistance: Buffer<Double>
  static let variatesPerRole = 3

  /// Owns every buffer of this world.
  let arena: Arena
  /// The run's effort tables in one block (read by every policy's assessments).
  let effort: EffortLookup

  /// Per template: the largest role weight of its roles (MODEL.md §9).
  let templateRoleWeight: [Double]
  /// Per template: how many roles it holds (a party never has more units than roles).
  let templateRoleCount: [Int]
  /// What a party slot takes from its template when it starts (MODEL.md §5): plain
  /// values, so starting a party copies no template (its strings and arrays).
  struct TemplateStart {
    var entryYear: Int
    var anniversaryQuarter: Int?
    var partyClass: PartyClassIndex
    var isSupplier: Bool
    var userRow: Int
    var domesticPremises: Double
    var nonDomesticPremises: Double
    var domesticMeters: Int?
    var nonDomesticMeters: Int?
    var exposureSMS: Double

    init(_ t: PartyTemplate) {
      entryYear = t.entryYear
      anniversaryQuarter = t.anniversaryQuarter
      partyClass = t.partyClass
      isSupplier = t.isSupplier
      userRow = t.userRow
      domesticPremises = t.domesticPremises
      nonDomesticPremises = t.nonDomesticPremises
      domesticMeters = t.domesticMeters
      nonDomesticMeters = t.nonDomesticMeters
      exposureSMS = t.exposureSMS
    }
  }
  /// Per template: its `TemplateStart`.
  let templateStart: [TemplateStart]
  /// The templates present at the start (entered before the start year and not
  /// exited by it), in scenario order.
  let startTemplates: [Int]
  /// A stated system as `reset` starts it: plain values, so starting one copies no
  /// `SystemTemplate` (its id string).
  struct StartSystem {
    var srp: Int?
    var startYear: Int
    var startQuarter: Int?
    var share: Double
  }
  /// The systems of the start templates started by the start year, template after
  /// template in `startTemplates` order, each template's in scenario order; template
  /// `startTemplates[k]` has `startSystems[startSystemRanges[k]]`.
  let startSystems: [StartSystem]
  let startSystemRanges: [Range<Int>]
  /// Per year index: the templates whose stated exit year it is, in scenario order.
  let exitingTemplates: [[Int]]
  /// Per template: its party slot in this replicate, −1 while it has none (a template
  /// gets at most one: at the start, or in its entry year). Set by `addParty`.
  var templateSlot: Buffer<Int>
  /// Per template: whether any of its stated systems starts after the start year
  /// (a later system, §5.8), so `secondSystems` looks at its list.
  let templateHasLaterSystems: [Bool]
  /// Per year index: the templates that enter in that year (entry year that year and
  /// not before the start), in scenario order, so `entries` does not walk every template.
  let enteringTemplates: [[Int]]
  /// The role weight of a random entrant (a supplier, MODEL.md §9).
  let entrantRoleWeight: Double
  /// Scratch storage reused every year (no allocation per party-year or per year).
  var scratchFailing: [Int] = []
  var scratchSizes: Buffer<Double>
  /// Per party slot: failing this year (set and cleared within `failures`).
  var isFailing: Buffer<Bool>
  /// `chooseBuyer`'s candidates and weights (per party slot).
  var buyerCandidates: Buffer<Int>
  var buyerWeights: Buffer<Double>
  /// This year's survivors once its failing set is known (`failures`, per party slot):
  /// the candidates `chooseBuyer` filters by size.
  var survivors: Buffer<Int>

  init(input: EngineInput, algorithm: RNGAlgorithm) throws {
    self.input = input
    templateRoleWeight = input.parties.map { t in t.roles.map { input.roleWeights[$0] ?? 1 }.max() ?? 1 }
    roleSlots = max(1, input.parties.map(\.roles.count).max() ?? 1)
    templateRoleCount = input.parties.map { max(1, $0.roles.count) }
    exitingTemplates = (0..<input.years).map { yi in input.parties.indices.filter { input.parties[$0].exitYear == input.year(yi) } }
    templateStart = input.parties.map(TemplateStart.init)
    startTemplates = input.parties.indices.filter { i in
      let t = input.parties[i]
      return t.entryYear < input.startYear && !(t.exitYear.map { $0 <= input.startYear } ?? false)
    }
    var stated: [StartSystem] = []
    startSystemRanges = startTemplates.map { i in
      let first = stated.count
      for s in input.parties[i].systems where s.startYear <= input.startYear {
        stated.append(StartSystem(srp: s.srp, startYear: s.startYear, startQuarter: s.startQuarter, share: s.share))
      }
      return first..<stated.count
    }
    startSystems = stated
    templateHasLaterSystems = input.parties.map { $0.systems.contains { s in s.startYear > input.startYear } }
    enteringTemplates = (0..<input.years).map { yi in
      let y = input.year(yi)
      return input.parties.indices.filter { t in input.parties[t].entryYear == y && y >= input.startYear }
    }
    entrantRoleWeight = input.roleWeights[.supplier] ?? 1
    let partyCapacity = input.parties.count + 64
    let systemCapacity = 2 * partyCapacity
    let issueCapacity = 1_024
    arena = Arena()
    let arena = self.arena
    templateSlot = Buffer(arena, repeating: -1, count: input.parties.count)
    templateIndex = Buffer(arena, repeating: 0, count: partyCapacity)
    present = Buffer(arena, repeating: false, count: partyCapacity)
    entryYear = Buffer(arena, repeating: 0, count: partyCapacity)
    exitYear = Buffer(arena, repeating: 0, count: partyCapacity)
    saUntil = Buffer(arena, repeating: 0, count: partyCapacity)
    quarter = Buffer(arena, repeating: 1, count: partyCapacity)
    partyClass = Buffer(arena, repeating: .other, count: partyCapacity)
    isSupplier = Buffer(arena, repeating: false, count: partyCapacity)
    userRow = Buffer(arena, repeating: 0, count: partyCapacity)
    domestic = Buffer(arena, repeating: 0, count: partyCapacity)
    nonDomestic = Buffer(arena, repeating: 0, count: partyCapacity)
    smartFactorDomestic = Buffer(arena, repeating: 1, count: partyCapacity)
    smartFactorNonDomestic = Buffer(arena, repeating: 1, count: partyCapacity)
    ndMetersPerPremises = Buffer(arena, repeating: 1, count: partyCapacity)
    domesticMeters = Buffer(arena, repeating: 0, count: partyCapacity)
    nonDomesticMeters = Buffer(arena, repeating: 0, count: partyCapacity)
    reportedDomestic = Buffer(arena, repeating: 0, count: partyCapacity)
    reportedNonDomestic = Buffer(arena, repeating: 0, count: partyCapacity)
    deciding = Buffer(arena, repeating: .zero, count: partyCapacity)
    decidingNext = Buffer(arena, repeating: .zero, count: partyCapacity)
    exposureSMS = Buffer(arena, repeating: 0, count: partyCapacity)
    roleWeight = Buffer(arena, repeating: 1, count: partyCapacity)
    firstSystem = Buffer(arena, repeating: -1, count: partyCapacity)
    isFailing = Buffer(arena, repeating: false, count: partyCapacity)
    buyerCandidates = Buffer(arena, repeating: 0, count: partyCapacity)
    buyerWeights = Buffer(arena, repeating: 0, count: partyCapacity)
    survivors = Buffer(arena, repeating: 0, count: partyCapacity)
    scratchSizes = Buffer(arena, repeating: 0, count: partyCapacity)
    systemOwner = Buffer(arena, repeating: 0, count: systemCapacity)
    systemSRP = Buffer(arena, repeating: -1, count: systemCapacity)
    systemStart = Buffer(arena, repeating: 0, count: systemCapacity)
    systemStartQuarter = Buffer(arena, repeating: 1, count: systemCapacity)
    systemEnd = Buffer(arena, repeating: Int.max, count: systemCapacity)
    systemShare = Buffer(arena, repeating: 1, count: systemCapacity)
    systemIsLater = Buffer(arena, repeating: false, count: systemCapacity)
    systemInServiceAtStart = Buffer(arena, repeating: false, count: systemCapacity)
    nextSystemOfParty = Buffer(arena, repeating: -1, count: systemCapacity)
    firstIssue = Buffer(arena, repeating: -1, count: systemCapacity)
    lastIssue = Buffer(arena, repeating: -1, count: systemCapacity)
    issueSystem = Buffer(arena, repeating: 0, count: issueCapacity)
    nextIssueOfSystem = Buffer(arena, repeating: -1, count: issueCapacity)
    partyVariates = Buffer(arena, repeating: 0, count: partyCapacity * roleSlots * World.variatesPerRole)
    systemVariates = Buffer(arena, repeating: 0, count: systemCapacity * 2)
    issueResistance = Buffer(arena, repeating: 0, count: issueCapacity)
    effort = EffortLookup(input.processes.effort, arena: arena)
    streams = try Purpose.allCases.map {
      try RandomStream(StreamKey(seed: 0, replicate: 0, entity: 0, purpose: $0.rawValue), algorithm: algorithm)
    }
    rolloutNonDomesticStream = try RandomStream(
      StreamKey(seed: 0, replicate: 0, entity: 1, purpose: Purpose.rollout.rawValue), algorithm: algorithm)
  }

  @inline(__always) func stream(_ p: Purpose) -> RandomStream { streams[Int(p.rawValue) - 1] }

  /// Starts replicate r: reseeds every stream and resets the population to the scenario's start.
  mutating func reset(seed: UInt64, replicate: Int) {
    for p in Purpose.allCases {
      stream(p).reseed(StreamKey(seed: seed, replicate: UInt64(replicate), entity: 0, purpose: p.rawValue))
    }
    resetRollout(seed: seed, replicate: replicate)
    partyCount = 0
    systemCount = 0
    issueCount = 0
    templateSlot.fill(-1, count: input.parties.count)
    let shareD = input.processes.smartShareDomestic[0]
    let shareND = input.processes.smartShareNonDomestic[0]
    let mppD = input.processes.domesticMetersPerPremises[0]
    // Users that entered before the start are present; those entering at or after it
    // enter in their year (EntryStep), with an initial FUSA.
    for (k, i) in startTemplates.enumerated() {
      let t = templateStart[i]
      let p = addParty(template: i, entryYear: t.entryYear)
      // Stated meters calibrate a per-supplier smart factor against the segment share.
      let derivedD = t.domesticPremises * shareD * mppD
      if let m = t.domesticMeters, derivedD > 0 { smartFactorDomestic[p] = Double(m) / derivedD }
      let derivedND = t.nonDomesticPremises * shareND * ndMetersPerPremises[p]
      if let m = t.nonDomesticMeters, derivedND > 0 { smartFactorNonDomestic[p] = Double(m) / derivedND }
      present[p] = true
      for j in startSystemRanges[k] {
        let s = startSystems[j]
        addSystem(owner: p, srp: s.srp, start: s.startYear, startQuarter: s.startQuarter ?? quarter[p], share: s.share, later: false)
        systemInServiceAtStart[systemCount - 1] = true
      }
    }
    domesticTotal = 0
    nonDomesticTotal = 0
    for p in 0..<partyCount where present[p] && isSupplier[p] {
      domesticTotal += domestic[p]
      nonDomesticTotal += nonDomestic[p]
    }
    updateMeters(yearIndex: 0)
    // §8.3: in the first simulated year the scenario's starting counts decide (no noise).
    for p in 0..<partyCount {
      let c = PortfolioCounts(
        domesticPremises: domestic[p].nearestInt, nonDomesticPremises: nonDomestic[p].nearestInt,
        domesticMeters: domesticMeters[p], nonDomesticMeters: nonDomesticMeters[p])
      deciding[p] = c
      decidingNext[p] = c
    }
  }

  /// Appends a party slot for a template (or a random entrant when `template` < 0).
  @discardableResult
  mutating func addParty(template: Int, entryYear year: Int, domesticPremises: Double = 0, nonDomesticPremises: Double = 0) -> Int {
    let p = partyCount
    partyCount += 1
    if partyCount > templateIndex.capacity { growParties(to: partyCount) }
    templateIndex[p] = template
    present[p] = false
    entryYear[p] = year
    exitYear[p] = Int.max
    saUntil[p] = Int.max
    firstSystem[p] = -1
    smartFactorDomestic[p] = 1
    smartFactorNonDomestic[p] = 1
    if template >= 0 {
      templateSlot[template] = p
      let t = templateStart[template]
      quarter[p] = t.anniversaryQuarter ?? (stream(.quarters).uniformInt(4) + 1)
      partyClass[p] = t.partyClass
      isSupplier[p] = t.isSupplier
      userRow[p] = t.userRow
      domestic[p] = t.domesticPremises
      nonDomestic[p] = t.nonDomesticPremises
      exposureSMS[p] = t.exposureSMS
      roleWeight[p] = templateRoleWeight[template]
    } else {
      quarter[p] = stream(.quarters).uniformInt(4) + 1
      partyClass[p] = domesticPremises > 0 ? .supplierDomestic : .supplierNonDomesticOnly
      isSupplier[p] = true
      userRow[p] = input.parties.count + (year - input.startYear)
      domestic[p] = domesticPremises
      nonDomestic[p] = nonDomesticPremises
      exposureSMS[p] = 0
      roleWeight[p] = entrantRoleWeight
    }
    let pr = input.processes
    ndMetersPerPremises[p] = max(1, stream(.metersPerPremises).gaussian(mean: pr.nonDomesticMetersMean, sd: pr.nonDomesticMetersSD))
    domesticMeters[p] = 0
    nonDomesticMeters[p] = 0
    reportedDomestic[p] = domestic[p].nearestInt
    reportedNonDomestic[p] = nonDomestic[p].nearestInt
    return p
  }

  /// Appends a User System to a party's list.
  @discardableResult
  mutating func addSystem(owner p: Int, srp: Int?, start: Int, startQuarter: Int, share: Double, later: Bool) -> Int {
    let s = systemCount
    systemCount += 1
    if systemCount > systemOwner.capacity { growSystems(to: systemCount) }
    systemOwner[s] = p
    systemSRP[s] = srp ?? -1
    systemStart[s] = start
    systemStartQuarter[s] = startQuarter
    systemEnd[s] = Int.max
    systemShare[s] = share
    systemIsLater[s] = later
    systemInServiceAtStart[s] = false
    firstIssue[s] = -1
    lastIssue[s] = -1
    // Append at the tail so a party's systems stay in order of creation.
    nextSystemOfParty[s] = -1
    if firstSystem[p] < 0 {
      firstSystem[p] = s
    } else {
      var t = firstSystem[p]
      while nextSystemOfParty[t] >= 0 { t = nextSystemOfParty[t] }
      nextSystemOfParty[t] = s
    }
    return s
  }

  @inline(__always) func inService(_ s: Int, _ year: Int) -> Bool { systemStart[s] <= year && year < systemEnd[s] }

  mutating func addIssue(system s: Int) {
    let i = issueCount
    issueCount += 1
    if issueCount > issueSystem.capacity { growIssues(to: issueCount) }
    issueSystem[i] = s
    nextIssueOfSystem[i] = -1
    if lastIssue[s] >= 0 { nextIssueOfSystem[lastIssue[s]] = i } else { firstIssue[s] = i }
    lastIssue[s] = i
  }

  /// §5.5–5.6: this year's smart metering systems from premises, the segment's smart
  /// share this year (`smartShare`, set by `advanceRollout`) and meters per premises (a supplier's stated start-year meters scale its share).
  mutating func updateMeters(yearIndex yi: Int) {
    let pr = input.processes
    let shareD = smartShare[0]
    let shareND = smartShare[1]
    let mppD = pr.domesticMetersPerPremises[yi]
    for p in 0..<partyCount where present[p] && isSupplier[p] { updateMeters(p, shareD: shareD, shareND: shareND, mppD: mppD) }
  }

  /// `updateMeters(yearIndex:)` for supplier `p`, the year's shares and domestic meters
  /// per premises given (the year's pass, `partyPass`, calls it party by party).
  @inline(__always) func updateMeters(_ p: Int, shareD: Double, shareND: Double, mppD: Double) {
    domesticMeters[p] = (domestic[p] * min(1, shareD * smartFactorDomestic[p]) * mppD).nearestInt
    nonDomesticMeters[p] = (nonDomestic[p] * min(1, shareND * smartFactorNonDomestic[p]) * ndMetersPerPremises[p]).nearestInt
  }

  // Growth beyond every earlier replicate (rare: more entrants, systems or issues).
  mutating func growParties(to n: Int) {
    templateIndex.reserve(n, filling: 0, in: arena)
    present.reserve(n, filling: false, in: arena)
    entryYear.reserve(n, filling: 0, in: arena)
    exitYear.reserve(n, filling: 0, in: arena)
    saUntil.reserve(n, filling: 0, in: arena)
    quarter.reserve(n, filling: 1, in: arena)
    partyClass.reserve(n, filling: .other, in: arena)
    isSupplier.reserve(n, filling: false, in: arena)
    userRow.reserve(n, filling: 0, in: arena)
    domestic.reserve(n, filling: 0, in: arena)
    nonDomestic.reserve(n, filling: 0, in: arena)
    smartFactorDomestic.reserve(n, filling: 1, in: arena)
    smartFactorNonDomestic.reserve(n, filling: 1, in: arena)
    ndMetersPerPremises.reserve(n, filling: 1, in: arena)
    domesticMeters.reserve(n, filling: 0, in: arena)
    nonDomesticMeters.reserve(n, filling: 0, in: arena)
    reportedDomestic.reserve(n, filling: 0, in: arena)
    reportedNonDomestic.reserve(n, filling: 0, in: arena)
    deciding.reserve(n, filling: .zero, in: arena)
    decidingNext.reserve(n, filling: .zero, in: arena)
    exposureSMS.reserve(n, filling: 0, in: arena)
    roleWeight.reserve(n, filling: 1, in: arena)
    firstSystem.reserve(n, filling: -1, in: arena)
    isFailing.reserve(n, filling: false, in: arena)
    buyerCandidates.reserve(n, filling: 0, in: arena)
    buyerWeights.reserve(n, filling: 0, in: arena)
    survivors.reserve(n, filling: 0, in: arena)
    scratchSizes.reserve(n, filling: 0, in: arena)
    partyVariates.reserve(n * roleSlots * World.variatesPerRole, filling: 0, in: arena)
  }
  mutating func growSystems(to n: Int) {
    systemOwner.reserve(n, filling: 0, in: arena)
    systemSRP.reserve(n, filling: -1, in: arena)
    systemStart.reserve(n, filling: 0, in: arena)
    systemStartQuarter.reserve(n, filling: 1, in: arena)
    systemEnd.reserve(n, filling: Int.max, in: arena)
    systemShare.reserve(n, filling: 1, in: arena)
    systemIsLater.reserve(n, filling: false, in: arena)
    systemInServiceAtStart.reserve(n, filling: false, in: arena)
    nextSystemOfParty.reserve(n, filling: -1, in: arena)
    firstIssue.reserve(n, filling: -1, in: arena)
    lastIssue.reserve(n, filling: -1, in: arena)
    systemVariates.reserve(n * 2, filling: 0, in: arena)
  }
  mutating func growIssues(to n: Int) {
    issueSystem.reserve(n, filling: 0, in: arena)
    nextIssueOfSystem.reserve(n, filling: -1, in: arena)
    issueResistance.reserve(n, filling: 0, in: arena)
  }
}

extension Double {
  /// `Int(rounded())`: the nearest integer, halfway cases away from zero, trapping
  /// where that traps (NaN, ±∞, beyond Int's range), without the library call
  /// `round` that `rounded()` makes: `MetricUnit.integer` in whole units.
  @inline(__always) var nearestInt: Int { Int(MetricUnit.integer(self, scale: 1)) }
}
