import SECRules

/// Per-User counts over replicates for users.csv (MODEL.md §9): for each User row ×
/// year × policy, how many replicates had it present, large, each assessment kind, a
/// band change, a band or assessment different from the baseline's on the same
/// future, and the sum of its deciding counts. Users present at the start have a row
/// each; entrants share one row per entry year (`entrants-YYYY`), so memory stays
/// fixed. All integers: shards merge exactly by addition.
public struct UserTallies: Sendable, Equatable {
  public enum Field: Int, CaseIterable, Sendable {
    case present, large, fusa, vusa, ussa, initialFusa, followUp, systemAssessment, bandChange, differsFromBaseline
    case decidingCountSum

    public var name: String {
      switch self {
      case .present: return "present"
      case .large: return "large"
      case .fusa: return "fusa"
      case .vusa: return "vusa"
      case .ussa: return "ussa"
      case .initialFusa: return "initial_fusa"
      case .followUp: return "follow_up"
      case .systemAssessment: return "system_assessment"
      case .bandChange: return "band_change"
      case .differsFromBaseline: return "differs_from_baseline"
      case .decidingCountSum: return "deciding_count"
      }
    }
  }

  public let rows: Int
  public let years: Int
  public let policies: Int
  public private(set) var counts: [Int64]

  public init(rows: Int, years: Int, policies: Int) {
    self.rows = rows
    self.years = years
    self.policies = policies
    counts = [Int64](repeating: 0, count: rows * years * policies * Field.allCases.count)
  }

  @inline(__always) func index(row: Int, year: Int, policy: Int, field: Field) -> Int {
    ((row * years + year) * policies + policy) * Field.allCases.count + field.rawValue
  }

  public func value(row: Int, year: Int, policy: Int, field: Field) -> Int64 {
    counts[index(row: row, year: year, policy: policy, field: field)]
  }

  public mutating func merge(_ other: UserTallies) {
    precondition(counts.count == other.counts.count, "merging user tallies of different shapes")
    for i in counts.indices { counts[i] &+= other.counts[i] }
  }

  /// Restores tallies from counts written elsewhere (partial results).
  public init?(rows: Int, years: Int, policies: Int, counts: [Int64]) {
    self.init(rows: rows, years: years, policies: policies)
    guard counts.count == self.counts.count else { return nil }
    self.counts = counts
  }

  /// Adds a worker's recorded counts (laid out year-major) into these tallies and
  /// sets the recorder's counts back to zero.
  mutating func add(_ recorder: UserTallyRecorder) {
    precondition(recorder.rows == rows && recorder.years == years && recorder.policies == policies, "tallies of different shapes")
    recorder.settleAll()
    let fields = Field.allCases.count
    let from = recorder.counts
    counts.withUnsafeMutableBufferPointer { counts in
      for yi in 0..<years {
        for row in 0..<rows {
          let source = from.base + (yi * rows + row) * policies * fields
          let target = (row * years + yi) * policies * fields
          for i in 0..<(policies * fields) { counts[target + i] &+= source[i] }
        }
      }
    }
    from.fill(0, count: from.capacity)
  }
}

/// A worker's User tallies while it runs, laid out year-major so that one simulated
/// year's additions fall in one contiguous block, visited in party order (the
/// tallies' own layout, row-major, puts each party-year 3.5 KB from the next and
/// misses the cache on nearly every one). `UserTallies.add(_:)` adds them into the
/// run's tallies.
///
/// A party-year adds to a 32-byte record per (year, row, policy): the eight fields
/// that add 0 or 1 (present, large, the four regular kinds, band change, differs from
/// the baseline) as 8-bit lanes of one `UInt64` (one addition instead of eight), and
/// follow-ups, system assessments and the deciding count as 64-bit words (counts
/// with no bound per party-year). The lanes cannot overflow: each adds at most 1 per
/// party-year of its (year, row) and `present` exactly 1, so no lane exceeds
/// `present`; before a party-year would take `present` past 255 the (year, row)'s
/// records are settled, added into `counts` and zeroed (`settle`). Entrants of one
/// entry year share a row, so a row may take several party-years a year; a starting
/// User's row settles every 255 replicates. All integer additions: when they are
/// settled does not change the sums.
struct UserTallyRecorder {
  let rows: Int
  let years: Int
  let policies: Int
  /// Settled counts [year][row][policy][field].
  let counts: Buffer<Int64>
  /// Unsettled records [year][row][policy][4]: the lanes, then follow-ups, system
  /// assessments and the deciding count (two's complement).
  let records: Buffer<UInt64>
  /// Per policy, for `record`: the year fields of its run (bands and kinds read as
  /// their bytes, `code`).
  let bands: Buffer<UnsafeRawPointer>
  let kinds: Buffer<UnsafeRawPointer>
  let bandChanged: Buffer<UnsafePointer<Bool>>
  let followUps: Buffer<UnsafePointer<Int>>
  let systemAssessments: Buffer<UnsafePointer<Int>>
  let decidingCounts: Buffer<UnsafePointer<Double>>
  /// The lanes of `present`, `large` and the kind of each band and kind (`code`).
  let laneTable: Buffer<UInt64>

  /// Words per record; the 8-bit lanes of the first word, in lane order, and the
  /// fields of the other three.
  static let recordWidth = 4
  static let laneFields: [UserTallies.Field] = [.present, .large, .fusa, .vusa, .ussa, .initialFusa, .bandChange, .differsFromBaseline]
  static let wordFields: [UserTallies.Field] = [.followUp, .systemAssessment, .decidingCountSum]
  static let laneMax: UInt64 = 0xFF

  /// 1 in the lane of a packed field.
  static func lane(_ field: UserTallies.Field) -> UInt64 {
    guard let i = laneFields.firstIndex(of: field) else { preconditionFailure("\(field.name) has no lane") }
    return 1 << UInt64(8 * i)
  }
  static let bandChangeLane = lane(.bandChange)
  static let differsLane = lane(.differsFromBaseline)

  /// A band and a kind as one small integer, from their bytes (`Optional`s of
  /// field-less enums: one byte each, equal values equal bytes).
  @inline(__always) static func code(band: UInt8, kind: UInt8) -> Int { Int(kind) &<< 2 | Int(band) }
  static func byte<T>(_ value: T) -> UInt8 {
    precondition(MemoryLayout<T>.size == 1, "a band or kind is one byte")
    return withUnsafeBytes(of: value) { $0[0] }
  }

  /// Empty counts for `rows` User rows, `years` years and `policies` policies, in `arena`.
  init(rows: Int, years: Int, policies: Int, arena: Arena) {
    self.rows = rows
    self.years = years
    self.policies = policies
    counts = Buffer(arena, repeating: 0, count: rows * years * policies * UserTallies.Field.allCases.count)
    records = Buffer(arena, repeating: 0, count: rows * years * policies * UserTallyRecorder.recordWidth)
    let none = UnsafeRawPointer(bitPattern: 8)!
    bands = Buffer(arena, repeating: none, count: policies)
    kinds = Buffer(arena, repeating: none, count: policies)
    bandChanged = Buffer(arena, repeating: none.assumingMemoryBound(to: Bool.self), count: policies)
    followUps = Buffer(arena, repeating: none.assumingMemoryBound(to: Int.self), count: policies)
    systemAssessments = Buffer(arena, repeating: none.assumingMemoryBound(to: Int.self), count: policies)
    decidingCounts = Buffer(arena, repeating: none.assumingMemoryBound(to: Double.self), count: policies)
    laneTable = Buffer(arena, repeating: 0, count: 32)
    for band in [nil] + SizeBand.allCases.map(Optional.some) {
      for kind in [nil] + AssessmentKind.allCases.map(Optional.some) {
        let (b, k) = (UserTallyRecorder.byte(band), UserTallyRecorder.byte(kind))
        precondition(b < 4 && k < 8, "band and kind bytes index the lane table")
        var lanes = UserTallyRecorder.lane(.present)
        if band == .large { lanes |= UserTallyRecorder.lane(.large) }
        switch kind {
        case .fusa?: lanes |= UserTallyRecorder.lane(.fusa)
        case .vusa?: lanes |= UserTallyRecorder.lane(.vusa)
        case .ussa?: lanes |= UserTallyRecorder.lane(.ussa)
        case .initialFusa?: lanes |= UserTallyRecorder.lane(.initialFusa)
        case .followUp?, .systemAssessment?, nil: break
        }
        laneTable[UserTallyRecorder.code(band: b, kind: k)] = lanes
      }
    }
  }

  /// Adds the records of (year `yi`, row) into `counts` and zeroes them.
  func settle(yearIndex yi: Int, row: Int) {
    let fields = UserTallies.Field.allCases.count
    let width = UserTallyRecorder.recordWidth
    let first = (yi &* rows &+ row) &* policies
    for k in 0..<policies {
      let record = records.base + (first &+ k) &* width
      let at = counts.base + (first &+ k) &* fields
      for (i, field) in UserTallyRecorder.laneFields.enumerated() {
        at[field.rawValue] &+= Int64(truncatingIfNeeded: (record[0] >> UInt64(8 * i)) & UserTallyRecorder.laneMax)
      }
      for (i, field) in UserTallyRecorder.wordFields.enumerated() { at[field.rawValue] &+= Int64(bitPattern: record[1 + i]) }
      record.update(repeating: 0, count: width)
    }
  }

  /// Settles every record: afterwards `counts` holds everything recorded.
  func settleAll() {
    for yi in 0..<years {
      for row in 0..<rows { settle(yearIndex: yi, row: row) }
    }
  }

  /// Records one year of every policy for the present parties. `holders`
  /// (`PolicySharing.stateClass`, [party × policies + k]) names the policy whose
  /// party fields of the year policy k shares (nil: each policy's own); the
  /// deciding count is always k's own.
  func record(_ w: World, runs: [PolicyRun], holders: Buffer<Int8>? = nil, baseline: Int, yearIndex yi: Int) {
    let policies = self.policies
    guard policies > 0 else { return }
    precondition(runs.count == policies && baseline >= 0 && baseline < policies, "one run per policy")
    // Buffers are plain pointers: taking them out of the runs copies no storage.
    for k in 0..<policies {
      let run = runs[k]
      bands[k] = UnsafeRawPointer(run.yearBand.base)
      kinds[k] = UnsafeRawPointer(run.yearKind.base)
      bandChanged[k] = UnsafePointer(run.yearBandChanged.base)
      followUps[k] = UnsafePointer(run.yearFollowUps.base)
      systemAssessments[k] = UnsafePointer(run.yearSystemAssessments.base)
      decidingCounts[k] = UnsafePointer(run.yearCount.base)
    }
    let (bands, kinds, bandChanged, followUps) = (self.bands.base, self.kinds.base, self.bandChanged.base, self.followUps.base)
    let (systemAssessments, decidingCounts, laneTable) = (self.systemAssessments.base, self.decidingCounts.base, self.laneTable.base)
    let (present, userRow) = (w.present.base, w.userRow.base)
    let (bandChangeLane, differsLane) = (UserTallyRecorder.bandChangeLane, UserTallyRecorder.differsLane)
    let width = UserTallyRecorder.recordWidth
    let holderBase = holders?.base
    let yearRecords = records.base + yi &* rows &* policies &* width
    // The party loop twice, with and without holders (`shared` a constant in each),
    // so the per-policy loop does not test for them.
    @inline(__always) func recordParties(shared: Bool) {
      for p in 0..<w.partyCount where present[p] {
        let row = userRow[p]
        let first = yearRecords + row &* policies &* width
        // `present` (lane 0 of the row's first record) counts the party-years since
        // the last settle; every other lane is at most that.
        if first[0] & UserTallyRecorder.laneMax == UserTallyRecorder.laneMax { settle(yearIndex: yi, row: row) }
        @inline(__always) func holder(_ k: Int) -> Int { shared ? Int(holderBase.unsafelyUnwrapped[p &* policies &+ k]) : k }
        @inline(__always) func code(_ h: Int) -> Int {
          UserTallyRecorder.code(
            band: bands[h].load(fromByteOffset: p, as: UInt8.self), kind: kinds[h].load(fromByteOffset: p, as: UInt8.self))
        }
        let baseCode = code(holder(baseline))
        // The fields read from a holder, kept while the next policy reads the same one
        // (policies following one holder: the common case).
        var last = -1
        var lanes: UInt64 = 0
        var followUp: UInt64 = 0
        var systemAssessment: UInt64 = 0
        for k in 0..<policies {
          let h = holder(k)
          if h != last {
            last = h
            let c = code(h)
            // Every lane added, 0 or 1, without a branch: bands and kinds are data.
            lanes = laneTable[c] | (bandChanged[h][p] ? bandChangeLane : 0) | (c != baseCode ? differsLane : 0)
            followUp = UInt64(truncatingIfNeeded: max(0, followUps[h][p]))  // as before: a count below 0 adds nothing
            systemAssessment = UInt64(truncatingIfNeeded: max(0, systemAssessments[h][p]))
          }
          let record = first + k &* width
          record[0] &+= lanes
          record[1] &+= followUp
          record[2] &+= systemAssessment
          // Rounded half away from zero, as `rounded()`, without the library call.
          record[3] &+= UInt64(bitPattern: MetricUnit.integer(decidingCounts[k][p], scale: 1))
        }
      }
    }
    if holderBase != nil { recordParties(shared: true) } else { recordParties(shared: false) }
  }
}
