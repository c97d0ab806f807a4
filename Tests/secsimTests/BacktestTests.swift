import Foundation
import Testing
import _SECSimTestSupport

@Suite("secsim backtest")
struct BacktestTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let history = root.appendingPathComponent("scenarios/gb-history.yaml").path
  static let observed = root.appendingPathComponent("scenarios/observed/gb.csv")
  static let header = ["series", "year", "use", "observed", "p05", "p50", "p95", "inside", "percentile", "source"]

  func temporary() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secsim-backtest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  /// (series, year) → row of backtest.csv, keyed by name.
  func rows(_ url: URL) throws -> (header: [String], rows: [[String: String]]) {
    let table = try OutputSupport.readCSV(url)
    let header = table.first ?? []
    let rows = table.dropFirst().filter { $0 != [""] }.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    return (header, rows)
  }

  @Test("backtest.csv has every observed point with parseable numbers consistent with the band")
  func everyPointScored() throws {
    let out = try temporary()
    defer { try? FileManager.default.removeItem(at: out) }
    let dir = out.appendingPathComponent("bt")
    let result = try runSecsim(
      [
        "backtest", Self.history, "--observed", Self.observed.path, "--replicates", "40", "--seed", "3", "--threads", "2", "--out",
        dir.path,
      ])
    #expect(result.status == 0, "\(result.stderr)")
    let (header, rows) = try rows(dir.appendingPathComponent("backtest.csv"))
    #expect(header == Self.header)
    let observed = try OutputSupport.readCSV(Self.observed).dropFirst().filter { $0 != [""] }
    #expect(rows.count == observed.count)
    for o in observed {
      let row = rows.first { $0["series"] == o[0] && $0["year"] == o[1] }
      #expect(row != nil, "observed point \(o[0]) \(o[1]) missing from backtest.csv")
      guard let row else { continue }
      #expect(row["use"] == o[4])
      #expect(Double(row["observed"] ?? "") == Double(o[2]))
      let numbers = ["p05", "p50", "p95", "percentile"].map { Double(row[$0] ?? "") }
      #expect(numbers.allSatisfy { $0 != nil }, "\(row)")
      guard let p05 = numbers[0], let p50 = numbers[1], let p95 = numbers[2], let pct = numbers[3], let value = Double(o[2]) else {
        continue
      }
      #expect(p05 <= p50 && p50 <= p95, "\(row)")
      #expect((0...100).contains(pct))
      #expect(row["inside"] == ((p05 <= value && value <= p95) ? "1" : "0"), "\(row)")
    }
    let html = try String(contentsOf: dir.appendingPathComponent("backtest.html"), encoding: .utf8)
    for series in Set(observed.map { $0[0] }) { #expect(html.contains("<h3>\(series)</h3>")) }
    #expect(html.contains("held_out") && html.contains("calibration"))
    #expect(result.stdout.contains("held_out:"))
  }

  @Test("an absurd observed value is flagged outside the band, at the 100th percentile, and listed as a miss")
  func wrongValueFlagged() throws {
    let out = try temporary()
    defer { try? FileManager.default.removeItem(at: out) }
    let csv = out.appendingPathComponent("wrong.csv")
    try """
    series,year,value,source,use
    active_domestic_suppliers,2020,5000,"deliberately wrong",held_out
    active_domestic_suppliers,2016,51,"CALIBRATION §4.1",calibration
    smart_share,2024,0.01,"deliberately wrong",held_out

    """.write(to: csv, atomically: true, encoding: .utf8)
    let dir = out.appendingPathComponent("bt")
    let result = try runSecsim(["backtest", Self.history, "--observed", csv.path, "--replicates", "30", "--out", dir.path])
    #expect(result.status == 0, "\(result.stderr)")
    let (_, rows) = try rows(dir.appendingPathComponent("backtest.csv"))
    let wrong = rows.first { $0["series"] == "active_domestic_suppliers" && $0["year"] == "2020" }
    #expect(wrong?["inside"] == "0")
    #expect(wrong?["percentile"] == "100")
    let low = rows.first { $0["series"] == "smart_share" }
    #expect(low?["inside"] == "0")
    #expect(low?["percentile"] == "0")
    let html = try String(contentsOf: dir.appendingPathComponent("backtest.html"), encoding: .utf8)
    #expect(html.contains("<tr class=\"miss\"><td class=\"l\">active_domestic_suppliers</td><td>2020</td>"))
    #expect(html.contains(">miss</text>"))
  }

  @Test(
    "a malformed observed CSV is reported by file, line and column, exit 2",
    arguments: [
      ("series,year,value,source,use\nactive_domestic_suppliers,20x0,52,src,held_out\n", ":2:27: error: year: expected a whole number"),
      ("series,year,value,source,use\nsmart_share,2020,0.42,src,calibration\nsuppliers,2021,26,src,calibration\n", ":3:1: error: series:"),
      ("series,year,value,source,use\nentries,2016,13,src,maybe\n", ":2:21: error: use: expected calibration or held_out"),
      ("series,year,value,source,use\nentries,2016,thirteen,src,calibration\n", ":2:14: error: value: expected a number"),
      ("series,year,value,use\nentries,2016,13,calibration\n", ":1:1: error: missing column 'source'"),
      (
        "series,year,value,source,use\nentries,2040,13,src,calibration\n",
        ":2:9: error: year: expected a year the scenario simulates (2016-2024)"
      ),
      ("series,year,value,source,use\nentries,2016,13,src\n", ":2:17: error: expected 5 fields, found 4"),
    ])
  func malformed(_ text: String, _ message: String) throws {
    let out = try temporary()
    defer { try? FileManager.default.removeItem(at: out) }
    let csv = out.appendingPathComponent("bad.csv")
    try text.write(to: csv, atomically: true, encoding: .utf8)
    let dir = out.appendingPathComponent("bt")
    let result = try runSecsim(["backtest", Self.history, "--observed", csv.path, "--replicates", "2", "--out", dir.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("bad.csv" + message), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.path))
  }
}
