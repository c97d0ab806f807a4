import SECRules
import Testing

/// One (regime, role, band, cycle year) cell of a shipped regime and the kind a
/// reader of docs/regimes.md expects there (hand-written, MODEL.md §3, §8.2, §8.4).
struct Cell: Sendable, CustomTestStringConvertible {
  var regime: String
  var role: UserRole
  var band: SizeBand
  var year: Int
  var expected: AssessmentKind
  var testDescription: String { "\(regime)/\(role.rawValue)/\(band.rawValue)/year \(year) → \(expected.rawValue)" }
}

private let i = AssessmentKind.initialFusa
private let f = AssessmentKind.fusa
private let v = AssessmentKind.vusa
private let u = AssessmentKind.ussa

/// Years 1–7 of each row, as the tables in docs/regimes.md read.
private let rows: [(String, UserRole, SizeBand, [AssessmentKind])] = {
  var out: [(String, UserRole, SizeBand, [AssessmentKind])] = []
  let smallCycle = [i, v, u, f, v, u, f]
  let largeCycle = [i, f, f, f, f, f, f]
  for band in SizeBand.allCases {
    // sec-current: suppliers banded; everyone else unbanded FUSA, VUSA, USSA.
    out.append(("sec-current", .supplier, band, band == .large ? largeCycle : smallCycle))
    for role in [UserRole.electricityDistributor, .gasTransporter, .otherUser, .registeredSupplierAgent] {
      out.append(("sec-current", role, band, smallCycle))
    }
    // sec-pre-mp0059: Other Users and RSAs FUSA, USSA, USSA.
    out.append(("sec-pre-mp0059", .supplier, band, band == .large ? largeCycle : smallCycle))
    for role in [UserRole.electricityDistributor, .gasTransporter] { out.append(("sec-pre-mp0059", role, band, smallCycle)) }
    for role in [UserRole.otherUser, .registeredSupplierAgent] {
      out.append(("sec-pre-mp0059", role, band, [i, u, u, f, u, u, f]))
    }
    // sec-networks-banded: Network Parties banded like suppliers.
    for role in [UserRole.supplier, .electricityDistributor, .gasTransporter] {
      out.append(("sec-networks-banded", role, band, band == .large ? largeCycle : smallCycle))
    }
    for role in [UserRole.otherUser, .registeredSupplierAgent] { out.append(("sec-networks-banded", role, band, smallCycle)) }
  }
  return out
}()

private let cells: [Cell] = rows.flatMap { row in
  row.3.enumerated().map { Cell(regime: row.0, role: row.1, band: row.2, year: $0.offset + 1, expected: $0.element) }
}

@Suite("Every (role, band, cycle year) cell of the shipped regimes")
struct RegimeCellTests {
  @Test("cell", arguments: cells)
  func cell(_ c: Cell) throws {
    let regime = try shippedRegime(c.regime)
    let policy = Policy(name: "t", regime: regime, counting: .secmp0059)
    let party = Party(id: "P", roles: [c.role], entryYear: 2025, anniversaryQuarter: 2)
    let counts = c.band == .large ? large : small
    let schedule = try scheduleOne(party, policy: policy, years: 2025...2031, counts: { _ in counts })
    let record = try #require(schedule.record("P", 2024 + c.year))
    #expect(record.units.count == 1)
    #expect(record.units[0].regular.kind == c.expected)
    #expect(record.units[0].regular.quarter == 2)
    // Only banded rows report a band (§8.4).
    let banded = regime.roles[c.role]!.isBanded
    #expect(record.units[0].band == (banded ? c.band : nil))
  }

  @Test("the table itself: 3 regimes × 5 roles × 2 bands × 7 years")
  func coverage() {
    #expect(cells.count == 3 * 5 * 2 * 7)
  }
}
