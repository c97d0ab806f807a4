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
