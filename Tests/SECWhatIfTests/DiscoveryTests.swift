import Foundation
import GSL
import SECOutput
import Testing
import _SECSimTestSupport

@testable import SECWhatIf

@Suite("Scenario discovery on sweep.csv")
struct DiscoveryTests {
  /// A sweep.csv of 400 points over two parameters whose metric exceeds 0.1 inside
  /// a known box (a ≤ 150, b ≥ 0.5) and not elsewhere.
  static func syntheticSweep() throws -> String {
    let stream = try RandomStream(StreamKey(seed: 2, replicate: 0, entity: 0, purpose: 5))
    var csv = CSVWriter(header: [
      "point", "capacity.assessor_days_per_quarter", "inert.b", "policy", "metric", "total_mean", "total_se", "mean_2025",
    ])
    for i in 1...400 {
      let a = 100 + 200 * stream.uniform()
      let b = stream.uniform()
      let exceeded = a <= 150 && b >= 0.5 ? 0.8 : 0.0
      csv.appendRow([
        .integer(Int64(i)), .number(a), .number(b), .text("today"), .text("capacity_exceeded"), .number(exceeded), .number(0), .number(0),
      ])
      csv.appendRow([
        .integer(Int64(i)), .number(a), .number(b), .text("=evil"), .text("capacity_exceeded"), .number(0), .number(0), .number(0),
      ])
    }
    return csv.text
  }

  @Test("sweep.csv reads back: parameters, policies (injection guard undone), series")
  func reading() throws {
    let file = try SweepFile(csv: try DiscoveryTests.syntheticSweep(), name: "sweep.csv")
    #expect(file.parameters == ["capacity.assessor_days_per_quarter", "inert.b"])
    #expect(file.policies == ["today", "=evil"])
    #expect(file.years == ["2025", "total"])
    #expect(file.values.count == 400)
    #expect(file.series(policy: "today", metric: "capacity_exceeded", year: "total")?.count == 400)
    #expect(file.series(policy: "today", metric: "fusa", year: "total") == nil)
  }

  @Test("discovery recovers the box and says it in plain words; a policy that never exceeds says so")
  func discovery() throws {
    let file = try SweepFile(csv: try DiscoveryTests.syntheticSweep(), name: "sweep.csv")
    let d = try Discovery(sweep: file, condition: DiscoveryCondition(metric: "capacity_exceeded", threshold: 0.1, above: true))
    let today = d.results[0]
    let prim = try #require(today.prim)
    #expect(prim.chosen.coverage >= 0.8 && prim.chosen.density >= 0.8)
    let words = d.summary(today)
    #expect(words.contains("capacity.assessor_days_per_quarter at most"), "\(words)")
    #expect(words.contains("inert.b at least"), "\(words)")
    #expect(d.results[1].prim == nil && d.summary(d.results[1]).contains("never happens"))
    let csv = d.csv()
    #expect(csv.contains("today,0,peel,1,"))
    #expect(csv.split(separator: "\n").filter { $0.hasSuffix(",1") }.count == 1)
    let html = DiscoveryReport.html(d, sweepName: "x")
    #expect(html.contains("&#39;=evil") || html.contains("=evil"))
  }

  @Test("secsim sweep, sensitivity and discover end to end: files, exit codes, usage errors")
  func commandLine() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("whatif-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let sweep = try runSecsim(
      [
        "sweep", "--param", "capacity.assessor_days_per_quarter=100:400", "--design", "grid", "--samples", "2", "--replicates", "1",
        "--policy", "today", "--out", dir.appendingPathComponent("sweep").path,
      ])
    #expect(sweep.status == 0, "\(sweep.stderr)")
    for name in ["sweep.csv", "frontier.csv", "sweep.html", "sweep.json"] {
      #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("sweep/\(name)").path))
    }
    let discover = try runSecsim(
      [
        "discover", dir.appendingPathComponent("sweep").path, "--metric", "capacity_exceeded", "--year", "2026", "--above", "0.5",
        "--out", dir.appendingPathComponent("d").path,
      ])
    #expect(discover.status == 0, "\(discover.stderr)")
    #expect(discover.stdout.contains("Under policy today"))
    let tooMany = try runSecsim(["sensitivity"] + (1...21).flatMap { ["--param", "inert.x\($0)=0:1"] } + ["--out", dir.path + "/s"])
    #expect(tooMany.status == 64 && tooMany.stderr.contains("40"))
    let unknown = try runSecsim(["sweep", "--param", "policies[meters].threshhold=1:2", "--out", dir.path + "/u"])
    #expect(unknown.status == 64 && unknown.stderr.contains("policies[meters].counting.threshold"), "\(unknown.stderr)")
    let bad = try runSecsim(["sweep", "--param", "processes.entry.rate=-1:2", "--out", dir.path + "/b"])
    #expect(bad.status == 2 && bad.stderr.contains("processes.entry.rate"), "\(bad.stderr)")
  }
}
