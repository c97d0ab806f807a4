import Testing

@testable import SECEngine

/// A worker records User tallies year-major; adding them into the run's tallies must
/// put every count in its (row, year, policy, field) place.
@Suite("User tally recorder")
struct UserTallyRecorderTests {
  @Test("adding a recorder puts each count in its place, adds to what is there and empties the recorder")
  func addsInPlace() {
    let (rows, years, policies) = (5, 3, 2)
    let fields = UserTallies.Field.allCases
    let arena = Arena()
    let recorder = UserTallyRecorder(rows: rows, years: years, policies: policies, arena: arena)
    func code(_ row: Int, _ yi: Int, _ k: Int, _ f: UserTallies.Field) -> Int64 {
      Int64(((row * 10 + yi) * 10 + k) * 100 + f.rawValue + 1)
    }
    for yi in 0..<years {
      for row in 0..<rows {
        for k in 0..<policies {
          for f in fields { recorder.counts[((yi * rows + row) * policies + k) * fields.count + f.rawValue] = code(row, yi, k, f) }
        }
      }
    }
    var tallies = UserTallies(rows: rows, years: years, policies: policies)
    tallies.add(recorder)
    tallies.add(recorder)  // now empty: adds nothing
    for row in 0..<rows {
      for yi in 0..<years {
        for k in 0..<policies {
          for f in fields { #expect(tallies.value(row: row, year: yi, policy: k, field: f) == code(row, yi, k, f)) }
        }
      }
    }
  }
}
