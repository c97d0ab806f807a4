import SECRules
import SECScenario
import Testing

@Suite("Regime files (scenarios/regimes, RegimeFile loader)")
struct RegimeFileTests {
  @Test("shipped regime loads and validates", arguments: ["sec-current", "sec-pre-mp0059", "sec-networks-banded"])
  func shipped(_ name: String) throws {
    let regime = try shippedRegime(name)
    #expect(regime.name == name)
    #expect(regime.problems().isEmpty)
    #expect(regime.entryKind == .initialFusa)
    #expect(regime.transitions == BandTransitions(smallToLarge: .restart, largeToSmall: .sinceLastFusa))
    #expect(regime.rolePriority == [.supplier, .electricityDistributor, .gasTransporter, .registeredSupplierAgent, .otherUser])
    #expect(!regime.sources.isEmpty)
  }

  @Test("networks-banded regime is flagged to confirm against the SEC text")
  func networksFlagged() throws {
    let regime = try shippedRegime("sec-networks-banded")
    #expect(regime.caveats.contains { $0.contains("TO CONFIRM AGAINST THE SEC TEXT") })
    #expect(regime.roles[.electricityDistributor]?.isBanded == true)
    #expect(regime.roles[.otherUser]?.isBanded == false)
  }

  @Test("unknown assessment kind names file, line, column and field")
  func unknownKind() {
    let yaml = """
      name: broken
      roles:
        supplier: { small: [fusa, vusa, usa], large: [fusa] }
        electricity_distributor: { cycle: [fusa] }
        gas_transporter: { cycle: [fusa] }
        other_user: { cycle: [fusa] }
        registered_supplier_agent: { cycle: [fusa] }
      role_priority: [supplier, electricity_distributor, gas_transporter, registered_supplier_agent, other_user]
      """
    #expect {
      _ = try RegimeFile.load(yaml: yaml, file: "broken.yaml")
    } throws: { error in
      let text = String(describing: error)
      return text.contains("broken.yaml:3:") && text.contains("roles.supplier.small[2]") && text.contains("'usa'")
    }
  }

  @Test("missing role and duplicate priority are both reported")
  func validationProblems() {
    let yaml = """
      name: partial
      roles:
        supplier: { cycle: [fusa, follow_up] }
      role_priority: [supplier, supplier]
      """
    #expect {
      _ = try RegimeFile.load(yaml: yaml, file: "partial.yaml")
    } throws: { error in
      let text = String(describing: error)
      return text.contains("partial.yaml") && text.contains("no cycle for role gas_transporter")
        && text.contains("role_priority: role supplier is listed 2 times") && text.contains("follow_up cannot be a regular assessment")
        && text.contains("roles.supplier.cycle")
    }
  }

  @Test("YAML syntax error carries the line")
  func syntax() {
    #expect {
      _ = try RegimeFile.load(yaml: "name: [unclosed\nroles: {}\n", file: "bad.yaml")
    } throws: { error in
      String(describing: error).hasPrefix("bad.yaml:")
    }
  }

  @Test("a role with both cycle and small is rejected, unknown keys too")
  func shapeErrors() {
    let yaml = """
      name: odd
      colour: blue
      roles:
        supplier: { cycle: [fusa], small: [fusa] }
      role_priority: [supplier]
      """
    #expect {
      _ = try RegimeFile.load(yaml: yaml, file: "odd.yaml")
    } throws: { error in
      let text = String(describing: error)
      return text.contains("odd.yaml:2:1: colour: unknown key") && text.contains("odd.yaml:4:") && text.contains("give either cycle")
    }
  }
}

@Suite("Packed cycles and rule masks")
struct PackedRulesTests {
  @Test("a packed cycle keeps every kind in order")
  func packedCycle() {
    let kinds: [AssessmentKind] = [.fusa, .vusa, .ussa, .ussa, .vusa, .fusa, .ussa, .vusa]
    let packed = PackedCycle(kinds)
    #expect(packed.count == 8 && packed.kinds == kinds)
  }

  @Test("unit rules keep the follow-up policy they were built from")
  func followUpRoundTrip() {
    let policy = FollowUpPolicy(triggers: [.deferred, .approvedSubjectToSteps], months: 7, fusaKindAfter: [.deferred])
    let rules = UnitRules(
      regime: Regime(name: "r", roles: [.supplier: .banded(small: [.fusa, .vusa], large: [.fusa])], rolePriority: [.supplier]),
      role: .supplier, followUp: policy)
    #expect(rules.followUp == policy)
    #expect(rules.followUpPlacement(year: 2025, quarter: 4) == (2026, 3))
  }

  @Test("a regime with a nine-year cycle is refused with a readable problem")
  func tooLong() {
    let r = Regime(
      name: "long",
      roles: Dictionary(
        uniqueKeysWithValues: UserRole.allCases.map { ($0, RoleSchedule.unbanded(cycle: Array(repeating: .fusa, count: 9))) }),
      rolePriority: UserRole.allCases)
    #expect(r.problems().contains { $0.message.contains("at most 8 years") })
  }
}
