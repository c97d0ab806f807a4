import GSL
import RealModule
import SECRules

/// The policy-independent part of a year (MODEL.md §5 items 1–9 and reporting
/// noise), in the fixed order: growth → failures and SoLR transfers → entry →
/// roll-out and meters per premises → SRP migration → second User Systems → issue
/// accrual → reporting noise; then the entity-keyed variates every policy reads.
///
/// Each step draws from its own stream (`Purpose`) in slot order, so the steps that
/// touch each present party on its own — renormalisation, meters, User-started
/// systems, reporting noise, the party's variates and the market sums — run as one
/// pass over the parties (`partyPass`) after migration: every stream still sees its
/// draws in the same order, and none of those steps reads what migration, a later
/// party's systems or issue accrual change, so the year is the model's order exactly.
extension World {
  mutating func stepFuture(yearIndex yi: Int) {
    let y = input.year(yi)
    for m in market.indices { market[m] = 0 }
    // Last year's end-of-year counts decide this year (§8.3).
    if yi > 0 {
      for p in 0..<partyCount { deciding[p] = decidingNext[p] }
    }
    growth(yi, y)
    switching(yi)
    failures(yi, y)
    entries(yi, y)
    let factors = renormalisation()
    advanceRollout(yi)
    // Every system from here on is a later one started this year (migration, second
    // systems): `drawSystemVariates` looks at those alone.
    let firstNewSystem = systemCount
    migrate(yi, y)
    var sums = MarketSums()
    partyPass(yi, y, renormalisedBy: factors, market: &sums)
    scheduledSecondSystems(yi, y)
    accrueIssues(yi, y)
    drawSystemVariates(y, from: firstNewSystem)
    setMarketMetrics(yi, sums)
  }

  /// The steps of §5 that touch each present party on its own, in one pass in slot
  /// order (see the extension's note on why the order is the model's):
  /// - §5.2: a supplier not in special administration takes the renormalisation
  ///   factors (`renormalisation`);
  /// - §5.5–5.6: a supplier's smart metering systems (`updateMeters(_:…)`);
  /// - §5.8: a User present before this year may start a further system, and its
  ///   template's systems stated for this year start (`startSystems`);
  /// - §4, §8.3: reporting noise on its premises counts (`reportCounts`);
  /// - §10: its entity-keyed assessment variates (`drawPartyVariates`);
  /// - §6: a supplier's part of the market sums (`addToMarket`).
  mutating func partyPass(_ yi: Int, _ y: Int, renormalisedBy f: Renormalisation, market sums: inout MarketSums) {
    let pr = input.processes
    let shareD = smartShare[0]
    let shareND = smartShare[1]
    let mppD = pr.domesticMetersPerPremises[yi]
    let secondSystems = SecondSystemYear(self, yi, y)
    let noise = stream(.reportingNoise)
    let noiseSD = pr.premisesNoiseSD[yi]
    let variates = stream(.assessments)
    for p in 0..<partyCount where present[p] {
      let supplier = isSupplier[p]
      if supplier {
        if saUntil[p] == Int.max {
          domestic[p] *= f.domestic
          nonDomestic[p] *= f.nonDomestic
        }
        updateMeters(p, shareD: shareD, shareND: shareND, mppD: mppD)
      }
      if entryYear[p] < y { startSystems(p, secondSystems) }
      reportCounts(p, noise: noise, sd: noiseSD, yi, y)
      drawPartyVariates(p, variates)
      if supplier { addToMarket(p, &sums, mppD: mppD) }
    }
  }

  // §5.1–5.2: market totals grow; supplier portfolios take a common market factor and
  // idiosyncratic noise (log scale); renormalisation to the market total follows entry.
  mutating func growth(_ yi: Int, _ y: Int) {
    guard yi > 0 else { return }
    let pr = input.processes
    domesticTotal *= 1 + pr.domesticGrowth[yi]
    nonDomesticTotal *= 1 + pr.nonDomesticGrowth[yi]
    let z = stream(.marketFactor).gaussian(sd: pr.marketFactorSD[yi])
    let sd = pr.idiosyncraticSD[yi]
    let g = stream(.growth)
    for p in 0..<partyCount where present[p] && isSupplier[p] && saUntil[p] == Int.max {
      let f = Double.exp(z + g.gaussian(sd: sd))
      domestic[p] *= f
      nonDomestic[p] *= f
    }
  }

  // §5.2 (optional): customer drift. Each supplier named in `switching_from` loses the
  // year's rate of its Domestic Premises; the other active domestic suppliers (not in
  // special administration) share them in proportion to their size. No draw; every
  // simulated year, the first included (a flow during the year, like failures and entry).
  mutating func switching(_ yi: Int) {
    let pr = input.processes
    guard yi < pr.switchingRate.count, pr.switchingRate[yi] > 0 else { return }
    let rate = pr.switchingRate[yi]
    var moved = 0.0
    var receiving = 0.0
    for p in 0..<partyCount where present[p] && isSupplier[p] && saUntil[p] == Int.max && domestic[p] > 0 {
      if isSwitchingDonor(p) { moved += domestic[p] * rate } else { receiving += domestic[p] }
    }
    guard moved > 0, receiving > 0 else { return }
    let gain = 1 + moved / receiving
    for p in 0..<partyCount where present[p] && isSupplier[p] && saUntil[p] == Int.max && domestic[p] > 0 {
      domestic[p] *= isSwitchingDonor(p) ? 1 - rate : gain
    }
  }

  @inline(__always) func isSwitchingDonor(_ p: Int) -> Bool {
    let t = templateIndex[p]
    return t >= 0 && t < input.processes.switchingDonor.count && input.processes.switchingDonor[t]
  }

  /// The year's hazards by class and the class bounds (§5.3), read once a year rather
  /// than once per supplier.
  struct HazardYear {
    let bounds: [Double]
    let hazards: [[Double]]
    let yi: Int
    let domesticTotal: Double
    let nonDomesticTotal: Double

    init(_ w: World, _ yi: Int) {
      bounds = w.input.processes.hazardClassBounds
      hazards = w.input.processes.hazard
      self.yi = yi
      domesticTotal = max(w.domesticTotal, 1)
      nonDomesticTotal = max(w.nonDomesticTotal, 1)
    }

    /// The hazard class of supplier `p`: by its share of the domestic market, or of
    /// the non-domestic one for a non-domestic-only supplier (§5.3: market-share
    /// classes, never a policy's band).
    @inline(__always) func classOf(_ w: World, _ p: Int) -> Int {
      let share = w.domestic[p] > 0 ? w.domestic[p] / domesticTotal : w.nonDomestic[p] / nonDomesticTotal
      return bounds.withUnsafeBufferPointer { b in
        for c in b.indices where share <= b[c] { return c }
        return b.count
      }
    }

    /// The hazard of class `c` this year.
    @inline(__always) func hazard(_ c: Int) -> Double { hazards[c][yi] }
  }

  // §5.3: scheduled acquisitions first (a merger or a sale: the buyer takes the
  // customers, the User leaves, no failure is counted); then failures by hazard (and
  // scheduled ones); customers go to a Supplier of Last Resort chosen among survivors by
  // size, unless the failed supplier is above the special-administration size: then it
  // stays a User for the configured years.
  mutating func failures(_ yi: Int, _ y: Int) {
    let pr = input.processes
    let gamma = yi < pr.solrSizeExponent.count ? pr.solrSizeExponent[yi] : 1
    let buyerGamma = yi < pr.buyerSizeExponent.count ? pr.buyerSizeExponent[yi] : gamma
    for event in input.events[yi] {
      guard case .acquisition(let t, let b) = event, let p = slot(ofTemplate: t), present[p] else { continue }
      // The named buyer if it is still an active supplier (not in special
      // administration); otherwise one drawn among the survivors, as for a sale at the
      // end of a special administration.
      var to = slot(ofTemplate: b)
      if let q = to, !(present[q] && saUntil[q] == Int.max) { to = nil }
      transferCustomers(from: p, to: to ?? chooseBuyer(excluding: p, domestic: domestic[p] > 0, exponent: buyerGamma))
      exit(p, year: y)
    }
    let u = stream(.failure)
    // Taken out of `scratchFailing` (not copied) so that it is unique and keeps its storage.
    var failing = scratchFailing
    scratchFailing = []
    failing.removeAll(keepingCapacity: true)
    defer { scratchFailing = failing }
    var namedSoLR: [(party: Int, solr: Int)] = []
    for event in input.events[yi] {
      if case .failure(let t, let solr) = event, let p = slot(ofTemplate: t), present[p] {
        failing.append(p)
        isFailing[p] = true
        if let solr, let q = slot(ofTemplate: solr) { namedSoLR.append((p, q)) }
      }
    }
    // One pass over the present parties: each active supplier draws its failure by
    // its hazard class's hazard, and those that survive go to `survivors` (slot order:
    // `listSurvivors`'s list, which nothing below changes but sizes); and whether a
    // special administration ends this year.
    let hazards = HazardYear(self, yi)
    var survivorCount = 0
    var administrationEnds = false
    for p in 0..<partyCount where present[p] {
      if saUntil[p] == y { administrationEnds = true }
      guard isSupplier[p] && saUntil[p] == Int.max else { continue }
      if u.bernoulli(hazards.hazard(hazards.classOf(self, p))) && !isFailing[p] {
        failing.append(p)
        isFailing[p] = true
      }
      if !isFailing[p] {
        survivors[survivorCount] = p
        survivorCount += 1
      }
    }
    failing.sort()
    defer { for p in failing { isFailing[p] = false } }
    // Special administrations that end this year: customers sold on (the buyer drawn with
    // its own γ when the scenario states one), the User exits. (Every party that exits
    // here or below is failing or ends a special administration, neither a survivor.)
    if administrationEnds {
      for p in 0..<partyCount where present[p] && saUntil[p] == y {
        let to = chooseBuyer(excluding: p, domestic: domestic[p] > 0, exponent: buyerGamma, survivors: survivorCount)
        transferCustomers(from: p, to: to)
        exit(p, year: y)
      }
    }
    for p in failing where present[p] {
      market[MarketMetric.failures.rawValue] += 1
      if domestic[p] > pr.specialAdministrationThreshold[yi] {
        saUntil[p] = y + pr.specialAdministrationYears
        market[MarketMetric.specialAdministrations.rawValue] += 1
        continue
      }
      let to =
        namedSoLR.first(where: { $0.party == p })?.solr
        ?? chooseBuyer(excluding: p, domestic: domestic[p] > 0, exponent: gamma, survivors: survivorCount)
      market[MarketMetric.solrCustomers.rawValue] += (domestic[p] + nonDomestic[p]).rounded()
      transferCustomers(from: p, to: to)
      exit(p, year: y)
    }
    // Exits stated in the scenario (customers spread over the market by renormalisation);
    // each exit touches its own party only, so they need not go in slot order.
    for t in exitingTemplates[yi] {
      if let p = slot(ofTemplate: t), present[p] { exit(p, year: y) }
    }
  }

  /// A surviving supplier chosen with probability proportional to size^`exponent`
  /// (γ, `failure.solr_size_exponent`), size in the failed supplier's segment; nil if
  /// there is none. γ = 1 weighs by size itself. Survivors are the present suppliers
  /// other than `failed`, not in special administration and not failing this year
  /// (`isFailing`), with a positive size, in slot order: the first `survivors` entries
  /// of `World.survivors` when given (listed by `failures` once the year's failing set
  /// is known, and still current), otherwise found among all party slots. The
  /// candidates and weights go to reusable buffers; GSL's Walker table draws
  /// (`RandomStream.discrete(weights:)`, built for this choice alone).
  func chooseBuyer(excluding failed: Int, domestic byDomestic: Bool, exponent: Double = 1, survivors listed: Int? = nil) -> Int? {
    let size = byDomestic ? domestic : nonDomestic
    var n = 0
    @inline(__always) func consider(_ q: Int) {
      let w = size[q]
      if w > 0 {
        buyerCandidates[n] = q
        buyerWeights[n] = w
        n += 1
      }
    }
    if let listed {
      for i in 0..<listed where survivors[i] != failed { consider(survivors[i]) }
    } else {
      for q in 0..<partyCount where present[q] && isSupplier[q] && q != failed && saUntil[q] == Int.max && !isFailing[q] {
        consider(q)
      }
    }
    if exponent != 1 {
      for i in 0..<n { buyerWeights[i] = Double.pow(buyerWeights[i], exponent) }
    }
    guard n > 0, let k = try? stream(.lastResort).discrete(weights: UnsafeBufferPointer(start: buyerWeights.base, count: n)) else {
      return nil
    }
    return buyerCandidates[k]
  }

  mutating func transferCustomers(from p: Int, to q: Int?) {
    if let q {
      domestic[q] += domestic[p]
      nonDomestic[q] += nonDomestic[p]
    }
    domestic[p] = 0
    nonDomestic[p] = 0
  }

  /// §8.12: the User leaves every count from `year`.
  mutating func exit(_ p: Int, year: Int) {
    present[p] = false
    exitYear[p] = year
    var s = firstSystem[p]
    while s >= 0 {
      if systemEnd[s] > year { systemEnd[s] = year }
      s = nextSystemOfParty[s]
    }
  }

  /// The party slot of template `t` in this replicate, if it has one (`templateSlot`).
  func slot(ofTemplate t: Int) -> Int? {
    guard t >= 0 && t < input.parties.count else { return nil }
    let p = templateSlot[t]
    return p >= 0 ? p : nil
  }

  // §5.4: scheduled entrants (Users whose entry year is this year), then a Poisson
  // number of new suppliers (or a replayed count, `entry.exact_until`) with lognormal
  // initial size; each gets an initial FUSA.
  mutating func entries(_ yi: Int, _ y: Int) {
    for t in enteringTemplates[yi] {
      let p = addParty(template: t, entryYear: y)
      present[p] = true
      for s in input.parties[t].systems where s.startYear <= y {
        addSystem(owner: p, srp: s.srp, start: y, startQuarter: s.startQuarter ?? quarter[p], share: s.share, later: false)
      }
      if firstSystem[p] < 0 { addSystem(owner: p, srp: nil, start: y, startQuarter: quarter[p], share: 1, later: false) }
      market[MarketMetric.entries.rawValue] += 1
    }
    let pr = input.processes
    let e = stream(.entry)
    // A replayed count (`entry.exact_until`) takes no draw; otherwise Poisson.
    let n = yi < pr.entryExact.count && pr.entryExact[yi] ? Int(pr.entryRate[yi]) : e.poisson(pr.entryRate[yi])
    for _ in 0..<n {
      let ndOnly = e.bernoulli(pr.entryNonDomesticOnlyShare[yi])
      let size = e.lognormal(zeta: pr.entryLogMean[yi], sigma: pr.entryLogSD[yi]).rounded()
      let p = addParty(template: -1, entryYear: y, domesticPremises: ndOnly ? 0 : size, nonDomesticPremises: ndOnly ? size : 0)
      present[p] = true
      addSystem(owner: p, srp: nil, start: y, startQuarter: quarter[p], share: 1, later: false)
      market[MarketMetric.entries.rawValue] += 1
    }
  }

  /// The roll-out stream of segment `s` (0 domestic, 1 non-domestic).
  @inline(__always) func rolloutStream(_ s: Int) -> RandomStream { s == 0 ? stream(.rollout) : rolloutNonDomesticStream }

  /// §5.5 at the start of replicate r: start shares, and each stochastic segment's
  /// midpoint shift (its stream's first draw).
  mutating func resetRollout(seed: UInt64, replicate: Int) {
    let pr = input.processes
    smartShare[0] = pr.smartShareDomestic[0]
    smartShare[1] = pr.smartShareNonDomestic[0]
    rolloutShift[0] = 0
    rolloutShift[1] = 0
    rolloutDeviation[0] = 0
    rolloutDeviation[1] = 0
    guard pr.rollout.count == 2, pr.rollout[0].isStochastic || pr.rollout[1].isStochastic else { return }
    rolloutNonDomesticStream.reseed(StreamKey(seed: seed, replicate: UInt64(replicate), entity: 1, purpose: Purpose.rollout.rawValue))
    for s in 0..<2 where pr.rollout[s].isStochastic {
      rolloutShift[s] = rolloutStream(s).gaussian(sd: pr.rollout[s].midpointSD)
    }
  }

  // §5.5: this year's smart share per segment. A deterministic segment follows the
  // scenario's path exactly; a stochastic one follows its replicate's path (midpoint
  // shifted) plus the accumulated pace deviations: each year's increase of the path
  // times (exp(ε) − 1), ε ~ N(0, pace_sd²), kept within [0, ceiling].
  mutating func advanceRollout(_ yi: Int) {
    let pr = input.processes
    for s in 0..<2 {
      let base = s == 0 ? pr.smartShareDomestic : pr.smartShareNonDomestic
      guard yi > 0, pr.rollout.count == 2, pr.rollout[s].isStochastic else {
        smartShare[s] = base[yi]
        continue
      }
      let segment = pr.rollout[s]
      let shift = rolloutShift[s]
      let now = shift == 0 ? base[yi] : segment.share(yi, shift: shift)
      let before = shift == 0 ? base[yi - 1] : segment.share(yi - 1, shift: shift)
      let eps = rolloutStream(s).gaussian(sd: segment.paceSD[yi])
      rolloutDeviation[s] += (now - before) * (Double.exp(eps) - 1)
      smartShare[s] = min(segment.ceiling[yi], max(0, now + rolloutDeviation[s]))
    }
  }

  /// §5.2's renormalisation: the factors that take the shares of the active suppliers
  /// (present, not in special administration) to the market totals, special
  /// administrations held as they are; `partyPass` applies them.
  struct Renormalisation {
    var domestic: Double
    var nonDomestic: Double
  }

  /// The year's `Renormalisation`, from the suppliers' sizes after failures and entry.
  func renormalisation() -> Renormalisation {
    var sumD = 0.0
    var sumND = 0.0
    var heldD = 0.0
    var heldND = 0.0
    for p in 0..<partyCount where present[p] && isSupplier[p] {
      if saUntil[p] == Int.max {
        sumD += domestic[p]
        sumND += nonDomestic[p]
      } else {
        heldD += domestic[p]
        heldND += nonDomestic[p]
      }
    }
    return Renormalisation(
      domestic: sumD > 0 ? max(0, domesticTotal - heldD) / sumD : 1,
      nonDomestic: sumND > 0 ? max(0, nonDomesticTotal - heldND) / sumND : 1)
  }

  // §5.7: each in-service system may move between bespoke and SRP hosting, or between
  // SRPs; a move replaces the system (a second or subsequent one, §8.10).
  mutating func migrate(_ yi: Int, _ y: Int) {
    guard yi > 0, !input.srps.isEmpty else { return }
    let pr = input.processes
    let m = stream(.migration)
    let srpCount = input.srps.count
    let toSRP = pr.toSRP[yi]
    let toBespoke = pr.toBespoke[yi]
    let betweenSRPs = pr.betweenSRPs[yi]
    let existing = systemCount
    for s in 0..<existing where inService(s, y) && present[systemOwner[s]] {
      let u = m.uniform()
      var target: Int? = nil
      var moves = false
      if systemSRP[s] < 0 {
        if u < toSRP {
          moves = true
          target = m.uniformInt(srpCount)
        }
      } else if u < toBespoke {
        moves = true
      } else if u < toBespoke + betweenSRPs, srpCount > 1 {
        moves = true
        let k = m.uniformInt(srpCount - 1)
        target = k >= systemSRP[s] ? k + 1 : k
      }
      if moves {
        let owner = systemOwner[s]
        systemEnd[s] = y
        addSystem(owner: owner, srp: target, start: y, startQuarter: quarter[owner], share: systemShare[s], later: true)
      }
    }
  }

  /// What `startSystems` needs of the year (§5.8): its stream, the adoption
  /// probabilities, and the SRPs assessed by this year.
  struct SecondSystemYear {
    let stream: RandomStream
    let adoption: Double
    let onAssessedSRP: Double
    /// How many SRPs are assessed by this year.
    let assessedCount: Int
    let year: Int
    /// Whether stated systems can start this year (a year after the start year).
    let statedStart: Bool

    init(_ w: World, _ yi: Int, _ y: Int) {
      let pr = w.input.processes
      stream = w.stream(.secondSystems)
      adoption = pr.secondSystemAdoption[yi]
      onAssessedSRP = pr.secondSystemOnAssessedSRP[yi]
      var n = 0
      for k in w.input.srps.indices where w.input.srps[k].isAssessed(by: y) { n += 1 }
      assessedCount = n
      year = y
      statedStart = y > w.input.startYear
    }
  }

  // §5.8: a User present before this year starts a further User System with the
  // year's adoption probability (on an assessed SRP with its probability, else
  // bespoke), and its template's systems stated for this year start.
  @inline(__always) mutating func startSystems(_ p: Int, _ year: SecondSystemYear) {
    let g = year.stream
    let y = year.year
    if g.uniform() < year.adoption {
      var srp: Int? = nil
      if g.bernoulli(year.onAssessedSRP), year.assessedCount > 0 {
        // The j-th assessed SRP, in scenario order.
        var j = g.uniformInt(year.assessedCount)
        for k in input.srps.indices where input.srps[k].isAssessed(by: y) {
          if j == 0 {
            srp = k
            break
          }
          j -= 1
        }
      }
      addSystem(owner: p, srp: srp, start: y, startQuarter: g.uniformInt(4) + 1, share: 1, later: true)
    }
    let t = templateIndex[p]
    if year.statedStart && t >= 0 && templateHasLaterSystems[t] {
      for s in input.parties[t].systems where s.startYear == y {
        addSystem(owner: p, srp: s.srp, start: y, startQuarter: s.startQuarter ?? quarter[p], share: s.share, later: true)
      }
    }
  }

  // §5.8: second systems the scenario schedules, after those the Users start.
  mutating func scheduledSecondSystems(_ yi: Int, _ y: Int) {
    for event in input.events[yi] {
      if case .secondSystem(let t, let sys) = event, let p = slot(ofTemplate: t), present[p] {
        addSystem(owner: p, srp: sys.srp, start: y, startQuarter: sys.startQuarter ?? quarter[p], share: sys.share, later: true)
      }
    }
  }

  // §5.9: each in-service system accrues a Poisson number of latent issues; each new
  // issue draws its resistance to detection, Exp(1), from the detection stream (keyed
  // by the issue: the n-th issue of a replicate reads that stream's n-th draw).
  mutating func accrueIssues(_ yi: Int, _ y: Int) {
    let rate = input.processes.issueRate[yi]
    guard rate > 0 else { return }
    let g = stream(.issues)
    let d = stream(.detection)
    let existing = systemCount
    for s in 0..<existing where inService(s, y) {
      for _ in 0..<g.poisson(rate) {
        addIssue(system: s)
        issueResistance[issueCount - 1] = d.exponential(mean: 1)
      }
    }
  }

  // Reporting noise on a party's premises counts (meters carry none, §4); these
  // end-of-year counts decide next year (§8.3).
  @inline(__always) func reportCounts(_ p: Int, noise g: RandomStream, sd: Double, _ yi: Int, _ y: Int) {
    if isSupplier[p] {
      let f = Double.exp(g.gaussian(sd: sd))
      reportedDomestic[p] = (domestic[p] * f).nearestInt
      reportedNonDomestic[p] = (nonDomestic[p] * Double.exp(g.gaussian(sd: sd))).nearestInt
    } else {
      reportedDomestic[p] = domestic[p].nearestInt
      reportedNonDomestic[p] = nonDomestic[p].nearestInt
    }
    decidingNext[p] = PortfolioCounts(
      domesticPremises: reportedDomestic[p], nonDomesticPremises: reportedNonDomestic[p],
      domesticMeters: domesticMeters[p], nonDomesticMeters: nonDomesticMeters[p])
    // An entrant's entry-year count decides its entry year as well (§8.3).
    if entryYear[p] == y && y >= input.startYear && !(yi == 0 && templateIndex[p] >= 0 && input.parties[templateIndex[p]].entryYear < y) {
      deciding[p] = decidingNext[p]
    }
  }

  /// A present party's entity-keyed variates of this year (§10), drawn whatever the
  /// policies do with them: a party's units never outnumber its roles (§8.9), so it
  /// draws for those role slots only. (An issue's detection reads the resistance it
  /// drew when it arose, `accrueIssues`.)
  @inline(__always) func drawPartyVariates(_ p: Int, _ a: RandomStream) {
    let t = templateIndex[p]
    let used = (t >= 0 ? templateRoleCount[t] : 1) * World.variatesPerRole
    a.fillUniform(partyVariates.base + p * roleSlots * World.variatesPerRole, count: used)
  }

  /// The SSC decision and effort variates of the later systems starting this year
  /// (§8.10: read only in a system's start year, so only those draw them), after
  /// every party's variates. The later systems starting in year `y` are all made in
  /// this year's step from slot `first` on (migration, second systems).
  mutating func drawSystemVariates(_ y: Int, from first: Int) {
    let a = stream(.assessments)
    for s in first..<systemCount where systemStart[s] == y && systemIsLater[s] {
      systemVariates[2 * s] = a.uniform()
      systemVariates[2 * s + 1] = a.uniform()
    }
  }

  /// The sums over the present suppliers, in slot order, that the market metrics of
  /// MODEL.md §6 take (`addToMarket`); the active domestic suppliers' sizes go to
  /// `scratchSizes`.
  struct MarketSums {
    var activeDomestic = 0.0
    var activeNonDomestic = 0.0
    var smart = 0.0
    var points = 0.0
    var sizes = 0
  }

  /// Adds present supplier `p` to the market sums.
  @inline(__always) func addToMarket(_ p: Int, _ sums: inout MarketSums, mppD: Double) {
    if domestic[p] > 0 {
      sums.activeDomestic += 1
      scratchSizes[sums.sizes] = domestic[p]
      sums.sizes += 1
    }
    if nonDomestic[p] > 0 { sums.activeNonDomestic += 1 }
    sums.smart += Double(domesticMeters[p] + nonDomesticMeters[p])
    sums.points += domestic[p] * mppD + nonDomestic[p] * ndMetersPerPremises[p]
  }

  // Market metrics of MODEL.md §6 at year end, from the world as it stands.
  mutating func marketMetrics(_ yi: Int, _ y: Int) {
    var sums = MarketSums()
    let mppD = input.processes.domesticMetersPerPremises[yi]
    for p in 0..<partyCount where present[p] && isSupplier[p] { addToMarket(p, &sums, mppD: mppD) }
    setMarketMetrics(yi, sums)
  }

  /// The market metrics of §6 from the year's sums.
  mutating func setMarketMetrics(_ yi: Int, _ sums: MarketSums) {
    var sorted = UnsafeMutableBufferPointer(start: scratchSizes.base, count: sums.sizes)
    sorted.sort(by: >)
    let total = sorted.reduce(0, +)
    market[MarketMetric.activeDomesticSuppliers.rawValue] = sums.activeDomestic
    market[MarketMetric.activeNonDomesticSuppliers.rawValue] = sums.activeNonDomestic
    market[MarketMetric.topSixShare.rawValue] = total > 0 ? sorted.prefix(6).reduce(0, +) / total : 0
    market[MarketMetric.smartShare.rawValue] = sums.points > 0 ? sums.smart / sums.points : 0
    market[MarketMetric.domesticPremises.rawValue] = domesticTotal.rounded()
    market[MarketMetric.nonDomesticPremises.rawValue] = nonDomesticTotal.rounded()
  }
}
