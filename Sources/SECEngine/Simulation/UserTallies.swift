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

  @inline(__always) mutating func add(_ v: Int64, row: Int, year: Int, policy: Int, field: Field) {
    counts[index(row: row, year: year, policy: policy, field: field)] &+= v
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

  /// Records one year of every policy for the present parties.
  mutating func record(_ w: World, runs: [PolicyRun], baseline: Int, yearIndex yi: Int) {
    let fields = Field.allCases.count
    let policies = self.policies
    let years = self.years
    // Buffers are plain pointers: taking them out of the runs copies no storage.
    let baseBands = runs[baseline].yearBand
    let baseKinds = runs[baseline].yearKind
    // Party by party, every policy's fields of a party-year side by side in `counts`
    // (integer additions: the order does not matter).
    let runFields = runs.map { ($0.yearBand, $0.yearKind, $0.yearFollowUps, $0.yearSystemAssessments, $0.yearBandChanged, $0.yearCount) }
    counts.withUnsafeMutableBufferPointer { counts in
      for p in 0..<w.partyCount where w.present[p] {
        let row = (w.userRow[p] * years + yi) * policies
        let baseBand = baseBands[p]
        let baseKind = baseKinds[p]
        for k in 0..<policies {
          let (bands, kinds, followUpCounts, systemCounts, bandChanged, decidingCounts) = runFields[k]
          let at = (row + k) * fields
          @inline(__always) func add(_ v: Int64, _ field: Field) { counts[at + field.rawValue] &+= v }
          add(1, .present)
          let band = bands[p]
          let kind = kinds[p]
          if band == .large { add(1, .large) }
          switch kind {
          case .fusa: add(1, .fusa)
          case .vusa: add(1, .vusa)
          case .ussa: add(1, .ussa)
          case .initialFusa: add(1, .initialFusa)
          default: break
          }
          let followUps = followUpCounts[p]
          if followUps > 0 { add(Int64(followUps), .followUp) }
          let systems = systemCounts[p]
          if systems > 0 { add(Int64(systems), .systemAssessment) }
          if bandChanged[p] { add(1, .bandChange) }
          if band != baseBand || kind != baseKind { add(1, .differsFromBaseline) }
          add(Int64(decidingCounts[p].rounded()), .decidingCountSum)
        }
      }
    }
  }
}
