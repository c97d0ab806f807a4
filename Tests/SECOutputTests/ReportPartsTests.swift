import SECEngine
import Testing

@testable import SECOutput

@Suite("Report parts: CSV reader, escaping, names, number formats, charts")
struct ReportPartsTests {
  @Test("CSVReader reads back what CSVWriter writes, and unguards guarded cells")
  func csvRoundTrip() {
    let names = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "<script>alert(1)</script>", "a, b", "line\nbreak", "plain"]
    var csv = CSVWriter(header: ["name", "x"])
    for (i, n) in names.enumerated() { csv.appendRow([.text(n), .number(Double(i) / 8)]) }
    let rows = CSVReader.parse(csv.text)
    #expect(rows.count == names.count + 1)
    #expect(rows.dropFirst().map { CSVReader.unguarded($0[0]) } == names)
    #expect(rows.dropFirst().map { Double($0[1])! } == names.indices.map { Double($0) / 8 })
  }

  /// The report's summary and differences are handed over in memory instead of
  /// being parsed back from the CSV text; both must give the same keys and the same
  /// Double bits (NaN as NaN), guarded policy names included. A policy name that
  /// would be quoted sends the tables through the text (`readsBackPlainly`).
  @Test(
    "tables handed over in memory equal the tables read back from their text",
    arguments: [["base", "-minus", "=eq", "plain"], ["a,b", "c"]])
  func readBack(_ policies: [String]) throws {
    let layout = MetricLayout(policyCount: policies.count, baseline: 0, years: 2, parties: 30, premises: 1e5, maxDayRate: 900, maxDays: 20)
    var bank = AccumulatorBank(layouts: layout.layouts)
    var state: UInt64 = 12_345
    for slot in 0..<layout.layouts.count {
      for _ in 0..<(slot % 3 == 0 ? 1 : 5) {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let v = Int64(bitPattern: state >> 20) % 5_000_000
        bank.add(slot % 5 == 0 ? 0 : (layout.layouts[slot].signed ? v : abs(v)), to: slot)
      }
    }
    let runState = RunState(layout: layout, bank: bank, tallies: UserTallies(rows: 1, years: 2, policies: policies.count))
    let labels = RunLabels(policies: policies, baseline: 0, startYear: 2025, years: 2, userRows: [("u", "U")])
    let summary = ResultTables.summaryTable(runState, labels, readBack: true)
    let differences = ResultTables.differencesTable(runState, labels, readBack: true)
    let parsed = try RunResults(
      summary: summary.csv.text, differences: differences.csv.text, impact: ImpactTable.header.joined(separator: ",") + "\n",
      manifest: "{}")
    guard RunResults.readsBackPlainly(labels) else {
      #expect(summary.stats == nil && differences.stats == nil)
      return
    }
    func values(_ s: RunResults.Stats) -> [Double] { [s.mean, s.sd, s.se, s.p05, s.p50, s.p95] }
    func same(_ a: [RunResults.Key: RunResults.Stats]?, _ b: [RunResults.Key: RunResults.Stats]) -> Bool {
      guard let a, Set(a.keys) == Set(b.keys) else { return false }
      return a.allSatisfy { key, s in
        zip(values(s), values(b[key]!)).allSatisfy { x, y in x.isNaN ? y.isNaN : x.bitPattern == y.bitPattern }
      }
    }
    #expect(same(summary.stats, parsed.summary))
    #expect(same(differences.stats, parsed.differences))
    #expect(summary.stats!.keys.contains { $0.policy == "'-minus" })
  }

  @Test("a number read back from its CSV text is readBack's value, bit for bit")
  func numberReadBack() {
    let xs: [Double] = [
      0, -0.0, .nan, .infinity, -.infinity, 1, -1, 0.1, 1e-7, 9_007_199_254_740_991, 9_007_199_254_740_993, 1e300, 5e-324, -2.5,
    ]
    for x in xs {
      let read = RunResults.number(CSVWriter.format(x))
      #expect(read.isNaN == RunResults.readBack(x).isNaN)
      if !read.isNaN { #expect(read.bitPattern == RunResults.readBack(x).bitPattern, "\(x)") }
    }
  }

  @Test("CSVReader: CRLF and LF line ends, quoted CR LF, doubled quotes, non-ASCII text, a lone CR kept")
  func csvEdgeCases() {
    let text = "a,b\r\n\"x,\"\"y\"\"\",Zürich — £5\n\"two\r\nlines\",é\rz\n"
    #expect(CSVReader.parse(text) == [["a", "b"], ["x,\"y\"", "Zürich — £5"], ["two\r\nlines", "é\rz"]])
    #expect(CSVReader.parse("last,row") == [["last", "row"]])
    #expect(CSVReader.parse("") == [])
  }

  @Test("HTML escaping covers markup and both quote kinds")
  func escaping() {
    #expect(HTML.escape("<script>alert('x') & \"y\"</script>") == "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;")
  }

  @Test(
    "Swift property names become the scenario file's snake_case",
    arguments: [
      ("dayRateGBP", "day_rate_gbp"), ("toSRPRate", "to_srp_rate"), ("betweenSRPsRate", "between_srps_rate"),
      ("marketFactorSD", "market_factor_sd"), ("assessorDaysPerQuarter", "assessor_days_per_quarter"), ("fusa", "fusa"),
    ])
  func snakeCase(_ name: String, _ expected: String) {
    #expect(ScenarioFacts.snakeCase(name) == expected)
  }

  @Test("report number formats")
  func formats() {
    #expect(Fmt.yearRanges("2025 2026 2027 2030 2032 2033") == "2025–2027, 2030, 2032–2033")
    #expect(Fmt.value(5_593_131.4, metric: "cost_gbp") == "5,593,131")
    #expect(Fmt.value(-0.52, metric: "follow_up", signed: true) == "−0.520")
    #expect(Fmt.value(0.6355, metric: "coverage_fusa_share") == "0.636")
    #expect(Fmt.plain(3.5, signed: true) == "+3.50")
  }

  @Test("axis steps are 1, 2, 2.5 or 5 × 10^k; tick labels shorten large numbers")
  func axis() {
    #expect(SVGChart.YAxis.niceStep(0.13) == 0.2)
    #expect(SVGChart.YAxis.niceStep(23) == 25)
    #expect(SVGChart.YAxis.niceStep(4_100) == 5_000)
    #expect(SVGChart.tickLabel(250_000, step: 50_000) == "250k")
    #expect(SVGChart.tickLabel(2_500_000, step: 500_000) == "2.5M")
    #expect(SVGChart.tickLabel(0.25, step: 0.05) == "0.25")
  }

  @Test("a fan chart is one SVG with a title, axis titles, a legend entry per series, and escaped text")
  func fanChart() {
    let svg = SVGChart.fan(
      id: "c", title: "A <b> title", description: "d", xTitle: "year", yTitle: "£ a year", xTicks: [(2025, "2025"), (2026, "2026")],
      series: [
        .init(name: "<p>", color: "#000000", points: [.init(x: 2025, low: 1, mid: 2, high: 3), .init(x: 2026, low: 2, mid: 3, high: 4)])
      ],
      reference: .init(name: "capacity", points: [(2025, 3.5), (2026, 3.5)]))
    #expect(svg.hasPrefix("<svg ") && svg.hasSuffix("</svg>\n"))
    #expect(svg.contains("<title>A &lt;b&gt; title</title>"))
    #expect(svg.contains(">£ a year</text>") && svg.contains(">year</text>"))
    #expect(svg.contains(">&lt;p&gt;</text>") && svg.contains(">capacity</text>"))
    #expect(!svg.contains("<b>") && !svg.contains("<p>"))
  }

  @Test("relative paths from the notebook's folder to the run")
  func relativePaths() {
    #expect(
      NotebookExport.relativePath(of: .init(fileURLWithPath: "/a/out/gb"), from: .init(fileURLWithPath: "/a/notebooks")) == "../out/gb")
    #expect(NotebookExport.relativePath(of: .init(fileURLWithPath: "/a/b"), from: .init(fileURLWithPath: "/a/b")) == ".")
  }
}
