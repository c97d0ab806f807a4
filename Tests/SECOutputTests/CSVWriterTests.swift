import Testing

@testable import SECOutput

@Suite("CSV writer (RFC 4180, injection guard)")
struct CSVWriterTests {
  @Test(
    "hostile text cells get a leading apostrophe and quoting where needed",
    arguments: [
      ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
      ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
      ("plain, with comma", "\"plain, with comma\""), ("S01", "S01"), ("<script>", "<script>"),
      // "\r\n" is one Character; the field must still be quoted.
      ("two\r\nlines", "\"two\r\nlines\""), ("one\nline", "\"one\nline\""), ("Énergie, Ltd", "\"Énergie, Ltd\""),
    ])
  func guardAndQuote(_ input: String, _ expected: String) {
    var csv = CSVWriter(header: ["name"])
    csv.appendRow([.text(input)])
    #expect(csv.text == "name\n\(expected)\n")
  }

  @Test(
    "numbers print in shortest round-trip form",
    arguments: [(0.0, "0"), (-0.0, "0"), (250_000, "250000"), (0.1, "0.1"), (-2.5, "-2.5"), (1e-7, "1e-07"), (Double.nan, "")])
  func numbers(_ x: Double, _ expected: String) {
    #expect(CSVWriter.format(x) == expected)
    if !x.isNaN { #expect(Double(CSVWriter.format(x)) == x) }
  }
}
