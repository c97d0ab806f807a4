import SECRules
import Testing

@Suite("Counting rules (MODEL.md §8.1, §8.11)")
struct CountingRuleTests {
  @Test(
    "threshold boundary under SECMP0059 (D + 5 × ND > 250,000)",
    arguments: [
      ("domestic-only 250,000 is small", PortfolioCounts(domesticPremises: 250_000), SizeBand.small),
      ("domestic-only 250,001 is large", PortfolioCounts(domesticPremises: 250_001), .large),
      ("non-domestic-only 50,000 is small", PortfolioCounts(nonDomesticPremises: 50_000), .small),
      ("non-domestic-only 50,001 is large", PortfolioCounts(nonDomesticPremises: 50_001), .large),
    ])
  func boundary(_ id: String, _ counts: PortfolioCounts, _ expected: SizeBand) {
    let rule = CountingRule.secmp0059
    #expect(rule.band(forCount: rule.count(counts)) == expected, "\(id)")
  }
}
