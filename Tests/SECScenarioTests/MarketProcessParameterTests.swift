import Foundation
import SECScenario
import Testing

/// The optional market-process parameters of issue 17: roll-out uncertainty
/// (`rollout.*.midpoint_year_sd`, `pace_sd`), customer drift (`portfolio.switching_rate`,
/// `switching_from`) and SoLR size weighting (`failure.solr_size_exponent`,
/// `failure.special_administration.buyer_size_exponent`).
@Suite("roll-out uncertainty, customer drift and SoLR weighting parameters")
struct MarketProcessParameterTests {
  static let users = minimalScenario.replacingOccurrences(
    of: "{id: A, roles: [supplier], entry_year: 2020, domestic_premises: 1000}\n",
    with: "{id: A, roles: [supplier], entry_year: 2020, domestic_premises: 1000}\n"
      + "    - {id: B, roles: [supplier], entry_year: 2020, domestic_premises: 500}\n"
      + "    - {id: N, roles: [electricity_distributor], entry_year: 2020, domestic_premises: 500}\n")

  static let stated =
    users + """
      processes:
        portfolio:
          market_factor_sd: 0
          idiosyncratic_sd: 0
          switching_rate: {value: {2025: 0.07, 2027: 0}, label: derived, source: "CALIBRATION §4.3"}
          switching_from: [A]
        failure:
          classes: [{hazard: 0}]
          crisis: {years: [], multiplier: 1}
          special_administration: {threshold_premises: 1000000, years: 1, buyer_size_exponent: 1.5}
          solr_size_exponent: {value: 0.4, label: derived, source: "SoLR appointments"}
        rollout:
          domestic: {start_share: 0.5, midpoint_year: 2020, steepness: 0.3, ceiling: 0.9, midpoint_year_sd: 1.5, pace_sd: {value: 0.12, label: derived, source: "CALIBRATION §5"}}
          non_domestic: {start_share: 0.4, midpoint_year: 2022, steepness: 0.2, ceiling: 0.9}

      """

  @Test("stated values are read with their labels; left out, they take the old behaviour (0, 0, none, γ = 1)")
  func readAndDefaults() throws {
    let s = try ScenarioFile.load(yaml: Self.stated, file: "t.yaml", baseDirectory: nil)
    #expect(s.population.allUsers.map(\.id) == ["A", "B", "N"])
    let p = s.processes
    #expect(p.portfolio.switchingRate.value(inYear: 2026) == 0.07 && p.portfolio.switchingRate.value(inYear: 2027) == 0)
    #expect(p.portfolio.switchingRate.label == .derived)
    #expect(p.portfolio.switchingFrom == ["A"])
    #expect(p.failure.solrSizeExponent.value(inYear: 2025) == 0.4)
    #expect(p.failure.buyerSizeExponent == Parameter(1.5))
    #expect(p.rollout.domestic.midpointYearSD == Parameter(1.5))
    #expect(p.rollout.domestic.paceSD.value(inYear: 2025) == 0.12 && p.rollout.domestic.paceSD.label == .derived)
    #expect(p.rollout.nonDomestic.midpointYearSD == Parameter(0) && p.rollout.nonDomestic.paceSD == Parameter(0))

    let plain = try ScenarioFile.load(yaml: minimalScenario, file: "t.yaml", baseDirectory: nil)
    #expect(plain.processes.portfolio.switchingRate == Parameter(0) && plain.processes.portfolio.switchingFrom.isEmpty)
    #expect(plain.processes.failure.solrSizeExponent == Parameter(1))
    #expect(plain.processes.failure.buyerSizeExponent == nil)
    let deterministic = try ScenarioFile.load(contentsOf: scenariosFolder.appendingPathComponent("deterministic.yaml"))
    #expect(deterministic.processes.rollout.domestic.paceSD == Parameter(0))
    #expect(deterministic.processes.rollout.domestic.midpointYearSD == Parameter(0))
  }

  @Test("they round-trip through YAML with their labels, without the defaults")
  func roundTrip() throws {
    let first = try ScenarioFile.load(yaml: Self.stated, file: "t.yaml", baseDirectory: nil)
    let text = try first.yaml()
    #expect(text.contains("switching_from: [A]") && text.contains("solr_size_exponent:") && text.contains("pace_sd:"))
    #expect(text.contains("buyer_size_exponent: 1.5"))
    // Left out, it stays out.
    let plain = try ScenarioFile.load(yaml: minimalScenario, file: "t.yaml", baseDirectory: nil)
    #expect(try !plain.yaml().contains("buyer_size_exponent"))
    let second = try ScenarioFile.load(yaml: text, file: "again.yaml", baseDirectory: nil, useDefaults: false)
    #expect(first == second)
    #expect(try second.yaml() == text)
  }

  @Test("the midpoint shift of 0 is the scenario's path exactly; a shift moves the path")
  func midpointShift() throws {
    let s = try ScenarioFile.load(yaml: Self.stated, file: "t.yaml", baseDirectory: nil)
    let path = s.processes.rollout.domestic
    for y in 2025...2028 {
      #expect(path.share(inYear: y, startYear: 2025, midpointShift: 0) == path.share(inYear: y, startYear: 2025))
    }
    #expect(path.share(inYear: 2025, startYear: 2025, midpointShift: 3) == 0.5)
    #expect(path.share(inYear: 2027, startYear: 2025, midpointShift: 3) < path.share(inYear: 2027, startYear: 2025))
  }

  @Test(
    "a bad value is reported at its line and column with its path",
    arguments: [
      (
        "switching_rate: {value: {2025: 0.07, 2027: 0}, label: derived, source: \"CALIBRATION §4.3\"}", "switching_rate: 1.5",
        "t.yaml:17:21: error: processes.portfolio.switching_rate: expected a probability between 0 and 1, found 1.5"
      ),
      (
        "switching_from: [A]", "switching_from: [A, Z]",
        "t.yaml:18:25: error: processes.portfolio.switching_from[1]: expected a supplier of the population, found unknown User \"Z\""
      ),
      (
        "switching_from: [A]", "switching_from: [N]",
        "t.yaml:18:22: error: processes.portfolio.switching_from[0]: expected a supplier of the population, found \"N\", not a supplier"
      ),
      (
        "switching_from: [A]", "",
        "t.yaml:15:5: error: processes.portfolio.switching_from: expected the suppliers that lose customers when switching_rate > 0, found nothing (the field is missing)"
      ),
      (
        "solr_size_exponent: {value: 0.4, label: derived, source: \"SoLR appointments\"}", "solr_size_exponent: -0.4",
        "t.yaml:23:25: error: processes.failure.solr_size_exponent: expected a number ≥ 0, found -0.4"
      ),
      (
        "buyer_size_exponent: 1.5}", "buyer_size_exponent: -2}",
        "t.yaml:22:90: error: processes.failure.special_administration.buyer_size_exponent: expected a number ≥ 0, found -2"
      ),
      (
        "midpoint_year_sd: 1.5,", "midpoint_year_sd: lots,",
        "t.yaml:25:103: error: processes.rollout.domestic.midpoint_year_sd: expected a number ≥ 0, found \"lots\""
      ),
      (
        "pace_sd: {value: 0.12,", "pace_sd: {value: -0.12,",
        "t.yaml:25:125: error: processes.rollout.domestic.pace_sd.value: expected a number ≥ 0, found -0.12"
      ),
    ])
  func located(_ find: String, _ replace: String, _ message: String) {
    expectDiagnostic(Self.stated, replacing: find, with: replace, message)
  }
}
