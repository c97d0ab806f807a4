import Foundation
import Testing
import _SECSimTestSupport

/// The files of a run as analysts read them (issue 14; MODEL.md §6, §9, §10).
@Suite("secsim run outputs")
struct OutputsTests {
  // MODEL.md §6, written out here independently of the engine's catalogue.
  static let policyMetrics = [
    "fusa", "vusa", "ussa", "follow_up", "initial_fusa", "system_assessment", "assessments_total", "assessor_days", "cost_gbp",
    "ssc_agenda_items", "peak_quarter_assessor_days", "capacity_exceeded", "large_band_users", "band_changes",
    "remediation_plans", "coverage_fusa_share", "fusa_age_years", "unassessed_system_meters", "undetected_issue_meter_years",
    "cost_per_user_gbp", "assessor_days_q1", "assessor_days_q2", "assessor_days_q3", "assessor_days_q4",
  ]
  static let capacityMetrics: Set = [
    "peak_quarter_assessor_days", "capacity_exceeded", "assessor_days_q1", "assessor_days_q2", "assessor_days_q3", "assessor_days_q4",
  ]
  static let marketMetrics = [
    "active_domestic_suppliers", "active_non_domestic_suppliers", "entries", "failures", "solr_customers",
    "special_administrations", "top_six_share", "smart_share", "domestic_premises", "non_domestic_premises",
  ]
  static let classes = ["all", "supplier_domestic", "supplier_non_domestic_only", "network", "other"]

  /// The (policy, class, year, metric) keys MODEL.md §6 defines for `policies` over `years`.
  static func expectedKeys(policies: [String], years: [String], market: Bool) -> [String] {
    var keys: [String] = []
    for p in policies {
      for c in classes {
        for y in years {
          for m in policyMetrics where c == "all" || !capacityMetrics.contains(m) { keys.append("\(p),\(c),\(y),\(m)") }
        }
      }
    }
    if market { for y in years { for m in marketMetrics { keys.append("market,all,\(y),\(m)") } } }
    return keys
  }

  @Test("every CSV parses back: exact headers, one row per defined key, every number round-trips")
  func everyCSVParsesBack() throws {
    let dir = try OutputSupport.temporary("csv")
    defer { try? FileManager.default.removeItem(at: dir) }
    let scenario = try OutputSupport.deterministicVariant(extraPolicies: OutputSupport.higherThreshold, in: dir)
    let out = dir.appendingPathComponent("out")
    let result = try runSecsim(["run", scenario.path, "--replicates", "7", "--out", out.path])
    #expect(result.status == 0, "\(result.stderr)")
    let years = ["2025", "2026", "2027", "2028", "2029", "total"]
    let policies = ["today", "high", "always"]

    let summary = try OutputSupport.readCSV(out.appendingPathComponent("summary.csv"))
    #expect(summary.first == ["policy", "class", "year", "metric", "mean", "sd", "se", "p05", "p50", "p95", "replicates"])
    let summaryKeys = summary.dropFirst().map { $0.prefix(4).joined(separator: ",") }
    #expect(summaryKeys == Self.expectedKeys(policies: policies, years: years, market: true))
    for row in summary.dropFirst() {
      #expect(row.count == 11, "\(row)")
      #expect(row[4...].allSatisfy(OutputSupport.roundTrips), "\(row)")
      #expect(row[10] == "7")
    }

    let differences = try OutputSupport.readCSV(out.appendingPathComponent("differences.csv"))
    #expect(
      differences.first == ["policy", "baseline", "class", "year", "metric", "mean_diff", "se_diff", "p05_diff", "p50_diff", "p95_diff"])
    let differenceKeys = differences.dropFirst().map { [$0[0], $0[2], $0[3], $0[4]].joined(separator: ",") }
    #expect(differenceKeys == Self.expectedKeys(policies: ["high", "always"], years: years, market: false))
    for row in differences.dropFirst() {
      #expect(row.count == 10 && row[1] == "today", "\(row)")
      #expect(row[5...].allSatisfy(OutputSupport.roundTrips), "\(row)")
    }

    let users = try OutputSupport.readCSV(out.appendingPathComponent("users.csv"))
    #expect(
      users.first == [
        "user", "name", "year", "policy", "p_present", "p_large", "mean_deciding_count", "p_fusa", "p_vusa", "p_ussa",
        "p_initial_fusa", "mean_follow_ups", "mean_system_assessments", "p_band_change", "p_differs_from_baseline",
      ])
    for row in users.dropFirst() {
      #expect(row.count == 15, "\(row)")
      #expect(row[4...].allSatisfy(OutputSupport.roundTrips), "\(row)")
    }

    let impact = try OutputSupport.readCSV(out.appendingPathComponent("impact.csv"))
    #expect(impact.first == Self.impactHeader)
    for row in impact.dropFirst() {
      #expect(row.count == Self.impactHeader.count, "\(row)")
      #expect(OutputSupport.roundTrips(row[4]) && OutputSupport.roundTrips(row[5]), "\(row)")
      #expect(row[8...].allSatisfy(OutputSupport.roundTrips), "\(row)")
    }
  }

  static let impactHeader = [
    "policy", "baseline", "user", "name", "p_differs_max", "year_of_max", "years", "kinds", "fusa_change", "vusa_change",
    "ussa_change", "initial_fusa_change", "follow_up_change", "system_assessment_change",
  ]

  @Test("impact.csv lists who a policy affects, most affected first, with years and kinds")
  func impactListsAffectedUsers() throws {
    let dir = try OutputSupport.temporary("impact")
    defer { try? FileManager.default.removeItem(at: dir) }
    let scenario = try OutputSupport.deterministicVariant(extraPolicies: OutputSupport.higherThreshold, in: dir)
    let out = dir.appendingPathComponent("out")
    #expect(try runSecsim(["run", scenario.path, "--replicates", "5", "--policy", "high", "--out", out.path]).status == 0)
    let text = try String(contentsOf: out.appendingPathComponent("impact.csv"), encoding: .utf8)
    // N1: 5 × 60,000 = 300,000 is small under T = 350,000 in every year (cycle FUSA, VUSA, USSA
    // from position 1 instead of FUSA every year); D2 reaches 300,000 in 2027 and stays small.
    #expect(
      text == """
        \(Self.impactHeader.joined(separator: ","))
        high,today,D2,,1,2027,2027 2028 2029,band fusa vusa ussa,-2,1,1,0,0,0
        high,today,N1,,1,2025,2025 2026 2027 2028 2029,band fusa vusa ussa,-4,2,2,0,0,0

        """)
  }

  @Test("a copy of the baseline policy gives an impact.csv with no rows and differences of exactly zero")
  func copyOfBaselineAffectsNobody() throws {
    let dir = try OutputSupport.temporary("copy")
    defer { try? FileManager.default.removeItem(at: dir) }
    // The hand-checkable scenario, and the stochastic GB default with `today` copied as `copy`.
    let deterministic = try OutputSupport.deterministicVariant(extraPolicies: OutputSupport.copyOfBaseline, in: dir)
    var gb = try String(contentsOf: OutputSupport.root.appendingPathComponent("scenarios/gb-default.yaml"), encoding: .utf8)
    let today = try #require(gb.range(of: "  - name: today\n"))
    let meters = try #require(gb.range(of: "  - name: meters"))
    let block = String(gb[today.lowerBound..<meters.lowerBound]).replacingOccurrences(of: "    baseline: true\n", with: "")
    gb.insert(contentsOf: block.replacingOccurrences(of: "name: today", with: "name: copy"), at: meters.lowerBound)
    let gbCopy = dir.appendingPathComponent("gb-copy.yaml")
    try gb.write(to: gbCopy, atomically: true, encoding: .utf8)
    for (tag, scenario, replicates) in [("deterministic", deterministic, "6"), ("gb", gbCopy, "20")] {
      let out = dir.appendingPathComponent(tag)
      let result = try runSecsim(["run", scenario.path, "--replicates", replicates, "--policy", "copy", "--out", out.path])
      #expect(result.status == 0, "\(result.stderr)")
      let impact = try OutputSupport.readCSV(out.appendingPathComponent("impact.csv"))
      #expect(impact == [Self.impactHeader], "\(tag)")
      let differences = try OutputSupport.readCSV(out.appendingPathComponent("differences.csv"))
      #expect(differences.count > 1)
      #expect(differences.dropFirst().allSatisfy { $0[0] == "copy" && $0[5...].allSatisfy { $0 == "0" } }, "\(tag)")
    }
  }

  @Test("run.json: scenario SHA-256, parameter source labels, policy settings; reruns differ only in host, time and rates")
  func manifest() throws {
    let dir = try OutputSupport.temporary("manifest")
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("out")
    let scenario = OutputSupport.deterministic.path
    var objects: [[String: Any]] = []
    for _ in 0..<2 {
      let result = try runSecsim(["run", scenario, "--replicates", "4", "--threads", "2", "--out", out.path])
      #expect(result.status == 0, "\(result.stderr)")
      let data = try Data(contentsOf: out.appendingPathComponent("run.json"))
      objects.append(try JSONSerialization.jsonObject(with: data) as! [String: Any])
    }
    let json = objects[0]
    let sha = try OutputSupport.run(["/usr/bin/sha256sum", scenario]).stdout.split(separator: " ").first.map(String.init)
    let scenarioObject = json["scenario"] as? [String: Any] ?? [:]
    #expect(scenarioObject["sha256"] as? String == sha)
    #expect(scenarioObject["name"] as? String == "deterministic")
    #expect((scenarioObject["description"] as? String)?.hasPrefix("Hand-checkable") == true)
    let sources = json["parameter_sources"] as? [[String: Any]] ?? []
    let byPath = Dictionary(uniqueKeysWithValues: sources.map { ($0["path"] as? String ?? "", $0) })
    #expect(byPath["day_rate_gbp"]?["label"] as? String == "assumption")
    #expect(byPath["processes.effort.fusa.bespoke.mode"]?["value"] as? String == "5")
    #expect(byPath["population.provenance"]?["source"] as? String == "invented for hand checks")
    let settings = json["policy_settings"] as? [[String: Any]] ?? []
    #expect(settings.map { $0["name"] as? String } == ["today", "always"])
    let always = settings.last?["settings"] as? [String: String] ?? [:]
    #expect(always["second_system.rule"] == "always_assess")
    #expect(json["start_year"] as? Int == 2025 && json["horizon_years"] as? Int == 5)
    var a = objects[0]
    var b = objects[1]
    for key in ["host", "wall_time_s", "replicates_per_s", "party_years_per_s"] {
      #expect(a[key] != nil, "\(key)")
      a[key] = nil
      b[key] = nil
    }
    #expect(NSDictionary(dictionary: a).isEqual(to: b))
  }
}
