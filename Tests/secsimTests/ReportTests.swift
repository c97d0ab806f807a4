import Foundation
import Testing
import _SECSimTestSupport

/// report.html as written by `secsim run` (issue 14).
@Suite("report.html")
struct ReportTests {
  /// Charts of the report: 4 workload + 3 coverage fans, the quarterly load, 2 class bars.
  static let chartCount = 10

  @Test("hostile User names are guarded in CSV and escaped in the report")
  func hostileNames() throws {
    let dir = try OutputSupport.temporary("hostile")
    defer { try? FileManager.default.removeItem(at: dir) }
    let scenario = try OutputSupport.hostileScenario(in: dir)
    let out = dir.appendingPathComponent("out")
    let result = try runSecsim(["run", scenario.path, "--replicates", "4", "--policy", "low", "--policy", "huge", "--out", out.path])
    #expect(result.status == 0, "\(result.stderr)")

    let impact = try OutputSupport.readCSV(out.appendingPathComponent("impact.csv"))
    let names = Set(impact.dropFirst().map { $0[3] })
    #expect(names == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "<script>alert(1)</script>"])
    let users = try OutputSupport.readCSV(out.appendingPathComponent("users.csv"))
    #expect(Set(users.dropFirst().map { $0[1] }).isSuperset(of: names))

    let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    for escaped in [
      "=HYPERLINK(&quot;http://x&quot;)", "<td>+1</td>", "<td>-2</td>", "<td>@SUM(A1)</td>", "&lt;script&gt;alert(1)&lt;/script&gt;",
    ] {
      #expect(html.contains(escaped), "\(escaped)")
    }
    #expect(!html.lowercased().contains("<script"))
    #expect(!html.contains("HYPERLINK(\"http"))
  }

  @Test("the report is self-contained: one SVG per chart, each with a <title>, nothing fetched from elsewhere")
  func selfContained() throws {
    let dir = try OutputSupport.temporary("report")
    defer { try? FileManager.default.removeItem(at: dir) }
    let scenario = try OutputSupport.deterministicVariant(extraPolicies: OutputSupport.higherThreshold, in: dir)
    let out = dir.appendingPathComponent("out")
    #expect(try runSecsim(["run", scenario.path, "--replicates", "5", "--out", out.path]).status == 0)
    let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    let svgs = html.components(separatedBy: "<svg ").dropFirst()
    #expect(svgs.count == Self.chartCount)
    for svg in svgs {
      let head = svg.components(separatedBy: ">\n")
      #expect(head.count > 1 && head[1].hasPrefix("<title>") && !head[1].hasPrefix("<title></title>"), "\(svg.prefix(300))")
      #expect(svg.contains("</svg>"))
    }
    for forbidden in ["<script", "<link", "src=", "href=", "@import", "url(", "@font-face"] {
      #expect(!html.lowercased().contains(forbidden), "\(forbidden)")
    }
    for section in [
      "The question", "The policies side by side", "Workload", "Risk coverage", "Assessor load per quarter",
      "Burden per Party class", "Differences from the baseline", "Who is affected", "Assumptions and their sources",
    ] {
      #expect(html.contains(">\(section)</h2>"), "\(section)")
    }
    // The impact table holds the two affected Users of policy `high`; figures resting on assumptions say so.
    #expect(html.contains("<td>high</td><td>D2</td>") && html.contains("<td>high</td><td>N1</td>"))
    #expect(html.contains("rests on assumptions"))
    #expect(html.contains("invented for hand checks"))
  }
}
