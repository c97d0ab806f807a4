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

/// A worker's User tallies while it runs: the counts of `UserTallies`, laid out
/// year-major ([year][row][policy][field]) so that one simulated year's additions
/// fall in one contiguous block, visited in party order (the tallies' own layout,
/// row-major, puts each party-year 3.5 KB from the next and misses the cache on
/// nearly every one). `UserTallies.add(_:)` adds them into the run's tallies.
struct UserTallyRecorder {
  let rows: Int
  let years: Int
  let policies: Int
  /// Counts [year][row][policy][field].
  let counts: Buffer<Int64>

  /// Empty counts for `rows` User rows, `years` years and `policies` policies, in `arena`.
  init(rows: Int, years: Int, policies: Int, arena: Arena) {
    self.rows = rows
    self.years = years
    self.policies = policies
    counts = Buffer(arena, repeating: 0, count: rows * years * policies * UserTallies.Field.allCases.count)
  }

  /// Records one year of every policy for the present parties. `holders`
  /// (`PolicySharing.stateClass`, [party × policies + k]) names the policy whose
  /// party fields of the year policy k shares (nil: each policy's own); the
  /// deciding count is always k's own.
  func record(_ w: World, runs: [PolicyRun], holders: Buffer<Int8>? = nil, baseline: Int, yearIndex yi: Int) {
    let fields = UserTallies.Field.allCases.count
    let policies = self.policies
    let rows = self.rows
    // Buffers are plain pointers: taking them out of the runs copies no storage.
    // Party by party, every policy's fields of a party-year side by side in `counts`
    // (integer additions: the order does not matter).
    let runFields = runs.map { ($0.yearBand, $0.yearKind, $0.yearFollowUps, $0.yearSystemAssessments, $0.yearBandChanged, $0.yearCount) }
    let counts = self.counts
    for p in 0..<w.partyCount where w.present[p] {
      let row = (yi &* rows &+ w.userRow[p]) &* policies
      @inline(__always) func holder(_ k: Int) -> Int { holders.map { Int($0[p &* policies &+ k]) } ?? k }
      let baseBand = runFields[holder(baseline)].0[p]
      let baseKind = runFields[holder(baseline)].1[p]
      for k in 0..<policies {
        let (bands, kinds, followUpCounts, systemCounts, bandChanged, _) = runFields[holder(k)]
        let decidingCounts = runFields[k].5
        let at = counts.base + (row &+ k) &* fields
        let band = bands[p]
        let kind = kinds[p]
        // Every field added, 0 or more, without a branch: bands and kinds are data.
        @inline(__always) func add(_ v: Int64, _ field: UserTallies.Field) { at[field.rawValue] &+= v }
        @inline(__always) func one(_ b: Bool) -> Int64 { b ? 1 : 0 }
        add(1, .present)
        add(one(band == .large), .large)
        add(one(kind == .fusa), .fusa)
        add(one(kind == .vusa), .vusa)
        add(one(kind == .ussa), .ussa)
        add(one(kind == .initialFusa), .initialFusa)
        add(Int64(max(0, followUpCounts[p])), .followUp)  // as before: a count below 0 adds nothing
        add(Int64(max(0, systemCounts[p])), .systemAssessment)
        add(one(bandChanged[p]), .bandChange)
        add(one(band != baseBand) | one(kind != baseKind), .differsFromBaseline)
        // Rounded half away from zero, as `rounded()`, without the library call.
        add(MetricUnit.integer(decidingCounts[p], scale: 1), .decidingCountSum)
      }
    }
  }
}
