import SECRules

/// What every policy reads about this year's User Systems but no policy changes
/// (MODEL.md §9 risk exposure, §5.10 SRP hosting), worked out once per year after the
/// future is drawn instead of once per policy: the in-service systems of present
/// Users in party order (each party's systems in list order, so sums over them add
/// in the same order as a walk over the parties), each system's smart metering
/// systems and exposure weight, the exposed estate per class, and whether each
/// party's in-service systems are all hosted by SRPs.
struct YearExposure {
  /// In-service systems of present parties, in party order then list order.
  var systems: Buffer<Int>
  var count = 0
  /// Per system slot: its share of its User's smart metering systems (§9) and that
  /// times the User's role weight (the exposure), and the User's class.
  var meters: Buffer<Double>
  var weight: Buffer<Double>
  var classIndex: Buffer<PartyClassIndex>
  /// Per party slot: every in-service system is hosted by an SRP (SRP effort, §5.10).
  var hostIsSRP: Buffer<Bool>
  /// Per party slot: a system event this year that a policy must look at (§8.10): a
  /// later system starting, or an in-service system whose SRP is assessed this year.
  var systemEvent: Buffer<Bool>
  /// Exposure of the whole estate per metric class (`all` first).
  var estate = SIMD8<Double>()
  /// Present Users per metric class (`all` first), for cost per User.
  var presentByClass = SIMD8<Double>()
  /// Per SRP: assessed in the year being worked out (a system event for the systems
  /// it hosts, §8.10), set once a year by `update`.
  var srpAssessedNow: Buffer<Bool>

  init(_ arena: Arena, parties: Int, systems: Int) {
    self.systems = Buffer(arena, repeating: 0, count: systems)
    meters = Buffer(arena, repeating: 0, count: systems)
    weight = Buffer(arena, repeating: 0, count: systems)
    classIndex = Buffer(arena, repeating: .other, count: systems)
    hostIsSRP = Buffer(arena, repeating: false, count: parties)
    systemEvent = Buffer(arena, repeating: false, count: parties)
    srpAssessedNow = Buffer(arena, repeating: false, count: 1)
  }

  /// Recomputes everything for calendar year `y` of world `w`.
  mutating func update(_ w: World, year y: Int) {
    let arena = w.arena
    if systems.capacity < w.systemCount {
      systems.reserve(w.systemCount, filling: 0, in: arena)
      meters.reserve(w.systemCount, filling: 0, in: arena)
      weight.reserve(w.systemCount, filling: 0, in: arena)
      classIndex.reserve(w.systemCount, filling: .other, in: arena)
    }
    if hostIsSRP.capacity < w.partyCount {
      hostIsSRP.reserve(w.partyCount, filling: false, in: arena)
      systemEvent.reserve(w.partyCount, filling: false, in: arena)
    }
    let srps = w.input.srps
    if srpAssessedNow.capacity < srps.count { srpAssessedNow.reserve(srps.count, filling: false, in: arena) }
    for k in srps.indices { srpAssessedNow[k] = srps[k].assessedYear == y }
    count = 0
    // Sums per class in plain memory, copied to the SIMD8s at the end: a SIMD8 indexed
    // by a run-time class is reloaded and stored whole on every add.
    withUnsafeTemporaryAllocation(of: Double.self, capacity: 16) { sums in
      sums.initialize(repeating: 0)
      addUp(w, year: y, estate: sums.baseAddress!, present: sums.baseAddress! + 8)
      for c in 0..<8 {
        estate[c] = sums[c]
        presentByClass[c] = sums[8 + c]
      }
    }
  }

  /// `update`'s walk over the parties, with the sums per class (`all` first) in memory.
  /// Each party's system list is walked once: its in-service systems go straight to
  /// `systems` (kept only if their shares add up to more than zero), then that
  /// contiguous run, not the list again, gets the meters and weights.
  private mutating func addUp(
    _ w: World, year y: Int, estate: UnsafeMutablePointer<Double>, present presentByClass: UnsafeMutablePointer<Double>
  ) {
    var n = 0
    // The `all` sums in registers (the same additions in the same order); the per-class
    // ones, indexed at run time, in memory.
    var presentAll = 0.0
    var estateAll = 0.0
    defer {
      presentByClass[0] = presentAll
      estate[0] = estateAll
    }
    for p in 0..<w.partyCount where w.present[p] {
      presentAll += 1
      presentByClass[w.partyClass[p].rawValue + 1] += 1
      let first = n
      var shares = 0.0
      var allSRP = true
      var event = false
      var s = w.firstSystem[p]
      while s >= 0 {
        let srp = w.systemSRP[s]
        if w.inService(s, y) {
          shares += w.systemShare[s]
          systems[n] = s
          n += 1
          if srp < 0 { allSRP = false }
          if srp >= 0 && srpAssessedNow[srp] { event = true }
        }
        if w.systemStart[s] == y && w.systemIsLater[s] { event = true }
        s = w.nextSystemOfParty[s]
      }
      hostIsSRP[p] = n > first && allSRP
      systemEvent[p] = event
      guard shares > 0 else {
        n = first
        continue
      }
      let sms = w.isSupplier[p] ? Double(w.domesticMeters[p] + w.nonDomesticMeters[p]) : w.exposureSMS[p]
      let roleWeight = w.roleWeight[p]
      let c = w.partyClass[p]
      for j in first..<n {
        let s = systems[j]
        let systemSMS = sms * w.systemShare[s] / shares
        let e = systemSMS * roleWeight
        meters[s] = systemSMS
        weight[s] = e
        classIndex[s] = c
        estateAll += e
        estate[c.rawValue + 1] += e
      }
    }
    count = n
  }
}
