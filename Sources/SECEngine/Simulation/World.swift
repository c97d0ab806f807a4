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
  var templateIndex: [Int] = []  // index into input.parties, or −1 for a random entrant
  var present: [Bool] = []
  var entryYear: [Int] = []
  var exitYear: [Int] = []  // Int.max while present or never entered
  var saUntil: [Int] = []  // calendar year its special administration ends (customers sold, exit); Int.max if none
  var quarter: [Int] = []
  var partyClass: [PartyClassIndex] = []
  var isSupplier: [Bool] = []
  var userRow: [Int] = []
  var domestic: [Double] = []  // true Domestic Premises
  var nonDomestic: [Double] = []
  var smartFactorDomestic: [Double] = []
  var smartFactorNonDomestic: [Double] = []
  var ndMetersPerPremises: [Double] = []
  var domesticMeters: [Int] = []  // this year's smart metering systems
  var nonDomesticMeters: [Int] = []
  var reportedDomestic: [Int] = []  // this year's reported premises (after noise)
  var reportedNonDomestic: [Int] = []
  /// Counts deciding the current year's band (§8.3), set before assessments.
  var deciding: [PortfolioCounts] = []
  /// Counts that will decide next year (end of this year, after noise).
  var decidingNext: [PortfolioCounts] = []
  var exposureSMS: [Double] = []
  var roleWeight: [Double] = []
  var firstSystem: [Int] = []  // head of the party's system list, −1 none

  // MARK: User Systems
  var systemCount = 0
  var systemOwner: [Int] = []
  var systemSRP: [Int] = []  // −1 bespoke
  var systemStart: [Int] = []
  var systemStartQuarter: [Int] = []
  var systemEnd: [Int] = []  // first year out of service, Int.max
  var systemShare: [Double] = []
  var systemIsLater: [Bool] = []  // a second or subsequent system (§8.10)
  var systemInServiceAtStart: [Bool] = []
  var nextSystemOfParty: [Int] = []
  var firstIssue: [Int] = []
  var lastIssue: [Int] = []

  // MARK: Issues
  var issueCount = 0
  var issueSystem: [Int] = []
  var nextIssueOfSystem: [Int] = []

  // MARK: Market
  var domesticTotal = 0.0
  var nonDomesticTotal = 0.0
  var market = [Double](repeating: 0, count: MarketMetric.allCases.count)

  // MARK: Streams, one per purpose, reseeded per replicate
  let streams: [RandomStream]
  /// Per party slot: [outcome, effort regular, effort follow-up] per role slot.
  var partyVariates: [Double] = []
  /// Per system slot: [SSC decision, effort].
  var systemVariates: [Double] = []
  /// Per issue: three detection variates (regular or initial, follow-up, system assessment).
  var issueVariates: [Double] = []
  static let variatesPerRole = 3

  /// Per template: the largest role weight of its roles (MODEL.md §9).
  let templateRoleWeight: [Double]
  /// Scratch buffers reused every year (no allocation per party-year).
  var scratchFailing: [Int] = []
  var scratchSizes: [Double] = []

  init(input: EngineInput, algorithm: RNGAlgorithm) throws {
    self.input = input
    templateRoleWeight = input.parties.map { t in t.roles.map { input.roleWeights[$0] ?? 1 }.max() ?? 1 }
    roleSlots = max(1, input.parties.map(\.roles.count).max() ?? 1)
    streams = try Purpose.allCases.map {
      try RandomStream(StreamKey(seed: 0, replicate: 0, entity: 0, purpose: $0.rawValue), algorithm: algorithm)
    }
  }

  @inline(__always) func stream(_ p: Purpose) -> RandomStream { streams[Int(p.rawValue) - 1] }

  var currentYearIndex = 0

  /// Starts replicate r: reseeds every stream and resets the population to the scenario's start.
  mutating func reset(seed: UInt64, replicate: Int) {
    for p in Purpose.allCases {
      stream(p).reseed(StreamKey(seed: seed, replicate: UInt64(replicate), entity: 0, purpose: p.rawValue))
    }
    partyCount = 0
    systemCount = 0
    issueCount = 0
    let y0 = input.startYear
    let shareD = input.processes.smartShareDomestic[0]
    let shareND = input.processes.smartShareNonDomestic[0]
    let mppD = input.processes.domesticMetersPerPremises[0]
    // Users that entered before the start are present; those entering at or after it
    // enter in their year (EntryStep), with an initial FUSA.
    for (i, t) in input.parties.enumerated() where t.entryYear < y0 && !(t.exitYear.map { $0 <= y0 } ?? false) {
      let p = addParty(template: i, entryYear: t.entryYear)
      // Stated meters calibrate a per-supplier smart factor against the segment share.
      let derivedD = t.domesticPremises * shareD * mppD
      if let m = t.domesticMeters, derivedD > 0 { smartFactorDomestic[p] = Double(m) / derivedD }
      let derivedND = t.nonDomesticPremises * shareND * ndMetersPerPremises[p]
      if let m = t.nonDomesticMeters, derivedND > 0 { smartFactorNonDomestic[p] = Double(m) / derivedND }
      present[p] = true
      for s in t.systems where s.startYear <= y0 {
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
        domesticPremises: Int(domestic[p].rounded()), nonDomesticPremises: Int(nonDomestic[p].rounded()),
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
    if templateIndex.count < partyCount {
      templateIndex.append(0); present.append(false); entryYear.append(0); exitYear.append(0); saUntil.append(0)
      quarter.append(1); partyClass.append(.other); isSupplier.append(false); userRow.append(0)
      domestic.append(0); nonDomestic.append(0); smartFactorDomestic.append(1); smartFactorNonDomestic.append(1)
      ndMetersPerPremises.append(1); domesticMeters.append(0); nonDomesticMeters.append(0)
      reportedDomestic.append(0); reportedNonDomestic.append(0); deciding.append(.zero); decidingNext.append(.zero)
      exposureSMS.append(0); roleWeight.append(1); firstSystem.append(-1)
      partyVariates.append(contentsOf: repeatElement(0, count: roleSlots * World.variatesPerRole))
    }
    templateIndex[p] = template
    present[p] = false
    entryYear[p] = year
    exitYear[p] = Int.max
    saUntil[p] = Int.max
    firstSystem[p] = -1
    smartFactorDomestic[p] = 1
    smartFactorNonDomestic[p] = 1
    if template >= 0 {
      let t = input.parties[template]
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
      roleWeight[p] = input.roleWeights[.supplier] ?? 1
    }
    let pr = input.processes
    ndMetersPerPremises[p] = max(1, stream(.metersPerPremises).gaussian(mean: pr.nonDomesticMetersMean, sd: pr.nonDomesticMetersSD))
    domesticMeters[p] = 0
    nonDomesticMeters[p] = 0
    reportedDomestic[p] = Int(domestic[p].rounded())
    reportedNonDomestic[p] = Int(nonDomestic[p].rounded())
    return p
  }

  /// Appends a User System to a party's list.
  @discardableResult
  mutating func addSystem(owner p: Int, srp: Int?, start: Int, startQuarter: Int, share: Double, later: Bool) -> Int {
    let s = systemCount
    systemCount += 1
    if systemOwner.count < systemCount {
      systemOwner.append(0); systemSRP.append(-1); systemStart.append(0); systemStartQuarter.append(1)
      systemEnd.append(Int.max); systemShare.append(1); systemIsLater.append(false); systemInServiceAtStart.append(false)
      nextSystemOfParty.append(-1); firstIssue.append(-1); lastIssue.append(-1)
      systemVariates.append(contentsOf: [0, 0])
    }
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
    if issueSystem.count < issueCount {
      issueSystem.append(0)
      nextIssueOfSystem.append(-1)
      issueVariates.append(contentsOf: [0, 0, 0])
    }
    issueSystem[i] = s
    nextIssueOfSystem[i] = -1
    if lastIssue[s] >= 0 { nextIssueOfSystem[lastIssue[s]] = i } else { firstIssue[s] = i }
    lastIssue[s] = i
  }

  /// §5.5–5.6: this year's smart metering systems from premises, the segment's smart
  /// share and meters per premises (a supplier's stated start-year meters scale its share).
  mutating func updateMeters(yearIndex yi: Int) {
    let pr = input.processes
    let shareD = pr.smartShareDomestic[yi]
    let shareND = pr.smartShareNonDomestic[yi]
    let mppD = pr.domesticMetersPerPremises[yi]
    for p in 0..<partyCount where present[p] && isSupplier[p] {
      domesticMeters[p] = Int((domestic[p] * min(1, shareD * smartFactorDomestic[p]) * mppD).rounded())
      nonDomesticMeters[p] = Int((nonDomestic[p] * min(1, shareND * smartFactorNonDomestic[p]) * ndMetersPerPremises[p]).rounded())
    }
  }
}
