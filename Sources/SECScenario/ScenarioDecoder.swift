// Scenario YAML → Scenario, walking the node tree and reporting every problem.

import Foundation
import SECRules
import Yams

/// Reads one scenario document. Call `decode()`; a scenario is returned only when
/// `walker.diagnostics` is empty.
final class ScenarioDecoder {
  let w: Walker
  /// The directory relative paths (`users_csv`) are resolved against.
  let baseDirectory: URL?
  /// How the scenario names its directory in diagnostics (`scenarios/` for `scenarios/x.yaml`).
  let displayDirectory: String
  let knownRegimes: Set<String>
  /// Fields filled from the GB default (top-level paths such as `processes.entry`).
  var defaulted: [String] = []

  init(file: String, baseDirectory: URL?, knownRegimes: Set<String>) {
    self.w = Walker(file: file)
    self.baseDirectory = baseDirectory
    let dir = (file as NSString).deletingLastPathComponent
    self.displayDirectory = dir
    self.knownRegimes = knownRegimes
  }

  static let topKeys = [
    "format", "name", "description", "start_year", "horizon_years", "replicates", "seed", "rng", "regime",
    "population", "processes", "events", "policies", "baseline", "capacity", "day_rate_gbp", "exposure", "ssc",
  ]

  // MARK: Top level

  func decode(_ root: Node) -> Scenario? {
    guard let top = w.fields(root, "", allowed: Self.topKeys, expected: "a scenario mapping (format: 1, name: …)") else {
      return nil
    }
    // Years first: series written as lists are aligned with them.
    let startYear = top["start_year"].flatMap { w.year($0, "start_year") }
    if top["start_year"] == nil { w.missing(top, "start_year", expected: "a year between 1900 and 2300") }
    let horizon = top["horizon_years"].flatMap { w.int($0, "horizon_years", min: 1, max: 100) }
    if top["horizon_years"] == nil { w.missing(top, "horizon_years", expected: "a whole number from 1 to 100") }
    w.startYear = startYear ?? 2025
    w.horizonYears = horizon ?? 10

    var format = SECScenario.formatVersion
    if let f = top["format"] {
      if let v = w.int(f, "format", expected: "1 (the scenario format this secsim reads)") {
        if v != SECScenario.formatVersion {
          w.report(f, "format", expected: "1 (the scenario format this secsim reads)")
        }
        format = v
      }
    } else {
      w.missing(top, "format", expected: "1 (the scenario format this secsim reads)")
    }
    let name = requiredString(top, "name", expected: "the scenario's name")
    let description = top["description"].flatMap { w.string($0, "description", nonEmpty: false) } ?? ""
    let replicates = top["replicates"].flatMap { w.int($0, "replicates", min: 1) } ?? 1000
    var seed: UInt64 = 1
    if let s = top["seed"] {
      if case .scalar(let sc) = s, !Walker.isQuoted(sc), let v = UInt64(sc.string.replacingOccurrences(of: "_", with: "")) {
        seed = v
      } else {
        w.report(s, "seed", expected: "a whole number from 0 to 18446744073709551615")
      }
    }
    let rng = top["rng"].flatMap { w.choice(RNGName.self, $0, "rng") } ?? .mt19937

    var regime = RegimeRef.named("sec-current")
    if let r = top["regime"] {
      regime = regimeRef(r, "regime") ?? regime
    } else {
      w.missing(top, "regime", expected: "a regime name (\(knownRegimes.sorted().joined(separator: ", "))) or an inline regime")
    }

    var population = PopulationSpec()
    if let p = top["population"] {
      population = decodePopulation(p)
    } else {
      w.missing(top, "population", expected: "a mapping with users:, users_csv: and/or srps:")
    }

    let processes = top["processes"].map(decodeProcesses) ?? nil
    if top["processes"] == nil { w.missing(top, "processes", expected: "the processes mapping") }

    var events: [ScheduledEvent] = []
    if let e = top["events"], let list = w.list(e, "events") {
      events = decodeEvents(list, population: population)
    }

    var policies: [PolicySpec] = []
    if let p = top["policies"], let list = w.list(p, "policies", expected: "a list of policies") {
      policies = decodePolicies(list, listNode: p, baselineName: top["baseline"])
    } else if top["policies"] == nil {
      w.missing(top, "policies", expected: "a list of policies, one with baseline: true")
    }

    let capacity = top["capacity"].flatMap(decodeCapacity)
    if top["capacity"] == nil { w.missing(top, "capacity", expected: "the capacity mapping") }
    var dayRate: Parameter?
    if let d = top["day_rate_gbp"] {
      dayRate = w.parameter(d, "day_rate_gbp", .nonNegative)
    } else {
      w.missing(top, "day_rate_gbp", expected: "a number ≥ 0 (£ per assessor day)")
    }
    let exposure = top["exposure"].flatMap(decodeExposure)
    if top["exposure"] == nil { w.missing(top, "exposure", expected: "the exposure mapping") }
    let ssc = top["ssc"].flatMap(decodeSSC)
    if top["ssc"] == nil { w.missing(top, "ssc", expected: "the ssc mapping") }

    guard w.diagnostics.isEmpty, let name, let startYear, let horizon, let processes, let capacity, let dayRate,
      let exposure, let ssc
    else { return nil }
    return Scenario(
      format: format, name: name, description: description, startYear: startYear, horizonYears: horizon,
      replicates: replicates, seed: seed, rng: rng, regime: regime, population: population, processes: processes,
      events: events, policies: policies, capacity: capacity, dayRateGBP: dayRate, exposure: exposure, ssc: ssc)
  }

  func requiredString(_ f: Fields, _ key: String, expected: String) -> String? {
    guard let n = f[key] else {
      w.missing(f, key, expected: expected)
      return nil
    }
    return w.string(n, join(f.path, key), expected: expected)
  }

  func regimeRef(_ node: Node, _ path: String) -> RegimeRef? {
    switch node {
    case .scalar:
      let known = knownRegimes.sorted()
      guard let name = w.string(node, path, expected: "a regime name") else { return nil }
      guard knownRegimes.contains(name) else {
        var found = "unknown regime \"\(name)\""
        if let s = didYouMean(name, among: known) { found += " (did you mean \"\(s)\"?)" }
        w.report(node.mark, path, expected: "a shipped regime (\(known.joined(separator: ", "))) or an inline regime", found: found)
        return nil
      }
      checkRegime(.named(name), node: node, path: path)
      return .named(name)
    case .mapping:
      // Kept as YAML text in the regime file's format; the regime loader checks it.
      guard let text = try? Yams.serialize(node: node) else {
        w.report(node, path, expected: "an inline regime in the regime file's format")
        return nil
      }
      checkRegime(.inline(yaml: text), node: node, path: path)
      return .inline(yaml: text)
    default:
      w.report(node, path, expected: "a regime name or an inline regime mapping")
      return nil
    }
  }

  // MARK: Population

  var userMarks: [String: Position] = [:]
  var systemIDs: Set<String> = []
  var srpIDs: Set<String> = []
  /// Users with a supplier role, for SoLR checks.
  var supplierIDs: Set<String> = []
  /// SRP references made by Users, checked once all SRPs are known.
  var srpReferences: [(id: String, at: Position, path: String, file: String)] = []

  static let userKeys = [
    "id", "name", "roles", "entry_year", "exit_year", "anniversary_quarter", "cycle_position", "domestic_premises",
    "non_domestic_premises", "domestic_meters", "non_domestic_meters", "exposure_sms", "srp", "systems", "provenance",
  ]

  func decodePopulation(_ node: Node) -> PopulationSpec {
    var pop = PopulationSpec()
    guard let f = w.fields(node, "population", allowed: ["provenance", "users", "users_csv", "srps"]) else { return pop }
    if let p = f["provenance"] { pop.provenance = w.provenance(p, "population.provenance") ?? .assumption }
    // SRPs first, so Users can refer to them.
    if let s = f["srps"], let list = w.list(s, "population.srps") {
      for (i, item) in list.enumerated() {
        if let srp = decodeSRP(item, "population.srps[\(i)]") { pop.srps.append(srp) }
      }
    }
    if let u = f["users"], let list = w.list(u, "population.users", expected: "a list of Users") {
      for (i, item) in list.enumerated() {
        if let user = decodeUser(item, "population.users", index: i, entryYear: nil) {
          register(user, mark: item.mark, path: "population.users[\(user.id)]")
          pop.users.append(user)
        }
      }
    }
    if let c = f["users_csv"], let path = w.string(c, "population.users_csv", expected: "a path to a Users CSV") {
      pop.usersCSV = path
      pop.csvUsers = loadCSV(path, node: c)
    }
    if !f.has("users") && !f.has("users_csv") {
      w.missing(f, "users", expected: "a list of Users (or users_csv: a path)")
    }
    checkSRPReferences()
    return pop
  }

  func register(_ user: UserSpec, mark: Mark?, path: String) {
    if userMarks[user.id] != nil {
      w.report(mark, join(path, "id"), expected: "a User id not used before", found: "\"\(user.id)\" again")
    } else {
      userMarks[user.id] = Position(mark)
    }
    if user.isSupplier { supplierIDs.insert(user.id) }
    for sys in user.systems {
      if systemIDs.contains(sys.id) {
        w.report(mark, join(path, "systems[\(sys.id)]"), expected: "a User System id not used before", found: "\"\(sys.id)\" again")
      }
      systemIDs.insert(sys.id)
    }
  }

  func checkSRPReferences() {
    for ref in srpReferences where !srpIDs.contains(ref.id) {
      var found = "unknown SRP \"\(ref.id)\""
      if let s = didYouMean(ref.id, among: srpIDs.sorted()) { found += " (did you mean \"\(s)\"?)" }
      w.diagnostics.append(
        Diagnostic(
          file: ref.file, line: ref.at.line, column: ref.at.column, path: ref.path,
          expected: "bespoke or an SRP of population.srps", found: found))
    }
    srpReferences.removeAll()
  }

  func decodeSRP(_ node: Node, _ indexPath: String) -> SRPSpec? {
    guard let f = w.fields(node, indexPath, allowed: ["id", "name", "assessed_year", "stated_aggregate"]) else { return nil }
    guard let idNode = f["id"] else {
      w.missing(f, "id", expected: "an identifier")
      return nil
    }
    guard let id = w.identifier(idNode, join(indexPath, "id")) else { return nil }
    let path = "population.srps[\(id)]"
    if srpIDs.contains(id) {
      w.report(idNode, join(path, "id"), expected: "an SRP id not used before")
    }
    srpIDs.insert(id)
    var srp = SRPSpec(id: id)
    if let n = f["name"] { srp.name = w.string(n, join(path, "name")) ?? "" }
    if let y = f["assessed_year"] { srp.assessedYear = w.year(y, join(path, "assessed_year")) }
    if let a = f["stated_aggregate"] { srp.statedAggregate = w.count(a, join(path, "stated_aggregate")) }
    return srp
  }

  /// A User mapping (inline, or an entrant's). `entryYear` fills a missing
  /// `entry_year` (an entry event's year) and must match a stated one.
  func decodeUser(_ node: Node, _ listPath: String, index: Int?, entryYear: Int?, fixedID: String? = nil) -> UserSpec? {
    let indexPath = index.map { "\(listPath)[\($0)]" } ?? listPath
    guard let f = w.fields(node, indexPath, allowed: Self.userKeys) else { return nil }
    var id = fixedID
    if let idNode = f["id"] {
      if let read = w.identifier(idNode, join(indexPath, "id")) {
        if let fixedID, read != fixedID {
          w.report(idNode, join(indexPath, "id"), expected: "the event's user \"\(fixedID)\" (or no id)")
        }
        id = read
      }
    } else if fixedID == nil {
      w.missing(f, "id", expected: "an identifier (S01, ND017, …)")
    }
    let path = index == nil ? listPath : (id.map { "\(listPath)[\($0)]" } ?? indexPath)

    var roles: [UserRole] = []
    if let r = f["roles"] {
      let rp = join(path, "roles")
      if case .sequence(let seq) = r {
        if seq.isEmpty { w.report(r, rp, expected: "at least one User Role") }
        for (i, item) in seq.enumerated() {
          if let role = w.choice(UserRole.self, item, "\(rp)[\(i)]") {
            if roles.contains(role) { w.report(item, "\(rp)[\(i)]", expected: "each role once") } else { roles.append(role) }
          }
        }
      } else if let role = w.choice(UserRole.self, r, rp) {
        roles = [role]
      }
    } else {
      w.missing(f, "roles", expected: "a list of User Roles (" + UserRole.allCases.map(\.rawValue).joined(separator: ", ") + ")")
    }

    var entry = entryYear
    if let e = f["entry_year"] {
      if let y = w.year(e, join(path, "entry_year")) {
        if let entryYear, y != entryYear {
          w.report(e, join(path, "entry_year"), expected: "the entry event's year \(entryYear) (or no entry_year)")
        }
        entry = y
      }
    } else if entryYear == nil {
      w.missing(f, "entry_year", expected: "a year (the User's initial FUSA, MODEL.md §8.2)")
    }
    if let e = entry, entryYear == nil, e > w.startYear {
      w.report(
        f["entry_year"]?.mark, join(path, "entry_year"),
        expected: "a year ≤ start_year \(w.startYear) (later entrants are entry events)", found: "\(e)")
    }

    var user = UserSpec(id: id ?? "?", roles: roles, entryYear: entry ?? w.startYear)
    if let n = f["name"] { user.name = w.string(n, join(path, "name")) ?? "" }
    if let x = f["exit_year"], let y = w.year(x, join(path, "exit_year")) {
      if let e = entry, y <= e { w.report(x, join(path, "exit_year"), expected: "a year after entry_year \(e)") }
      user.exitYear = y
    }
    if let q = f["anniversary_quarter"] { user.anniversaryQuarter = w.int(q, join(path, "anniversary_quarter"), min: 1, max: 4) }
    if let c = f["cycle_position"] {
      let cp = join(path, "cycle_position")
      if case .mapping = c {
        if let cf = w.fields(c, cp, allowed: UserRole.allCases.map(\.rawValue)) {
          for pair in cf.pairs {
            guard let role = UserRole(rawValue: pair.key) else { continue }
            if !roles.contains(role) {
              w.report(pair.keyNode.mark, join(cp, pair.key), expected: "one of the User's roles", found: "\"\(pair.key)\"")
            }
            if let v = w.int(pair.value, join(cp, pair.key), min: 1) { user.cyclePositions[role] = v }
          }
        }
      } else if let v = w.int(c, cp, min: 1, expected: "a position ≥ 1 (or a mapping role: position)") {
        for role in roles { user.cyclePositions[role] = v }
      }
    }
    if let v = f["domestic_premises"] { user.domesticPremises = w.count(v, join(path, "domestic_premises")) ?? 0 }
    if let v = f["non_domestic_premises"] { user.nonDomesticPremises = w.count(v, join(path, "non_domestic_premises")) ?? 0 }
    if let v = f["domestic_meters"] { user.domesticMeters = w.count(v, join(path, "domestic_meters")) }
    if let v = f["non_domestic_meters"] { user.nonDomesticMeters = w.count(v, join(path, "non_domestic_meters")) }
    if let v = f["exposure_sms"] { user.exposureSMS = w.count(v, join(path, "exposure_sms")) }
    if let p = f["provenance"] { user.provenance = w.provenance(p, join(path, "provenance")) }

    if f.has("srp") && f.has("systems") {
      w.report(
        f.keyNode("systems")?.mark, join(path, "systems"), expected: "either srp: or systems:, not both",
        found: "both")
    }
    if let s = f["srp"], let srp = w.identifier(s, join(path, "srp")) {
      if srp != "bespoke" { srpReferences.append((srp, Position(s.mark), join(path, "srp"), w.file)) }
      user.systems = [UserSystemSpec(id: "\(user.id)-1", srp: srp == "bespoke" ? nil : srp)]
    }
    if let s = f["systems"], let list = w.list(s, join(path, "systems"), expected: "a list of User Systems") {
      if list.isEmpty { w.report(s, join(path, "systems"), expected: "at least one User System") }
      for (i, item) in list.enumerated() {
        if let sys = decodeSystem(item, join(path, "systems[\(i)]"), requireID: true) { user.systems.append(sys) }
      }
    }
    return user
  }

  func decodeSystem(_ node: Node, _ path: String, requireID: Bool) -> UserSystemSpec? {
    guard let f = w.fields(node, path, allowed: ["id", "host", "start_year", "start_quarter", "exposure_share"]) else {
      return nil
    }
    var sys = UserSystemSpec(id: "?")
    if let i = f["id"] {
      sys.id = w.identifier(i, join(path, "id")) ?? "?"
    } else if requireID {
      w.missing(f, "id", expected: "an identifier")
    }
    if let h = f["host"] {
      if let host = w.identifier(h, join(path, "host")), host != "bespoke" {
        sys.srp = host
        srpReferences.append((host, Position(h.mark), join(path, "host"), w.file))
      }
    } else {
      w.missing(f, "host", expected: "bespoke or an SRP id")
    }
    if let y = f["start_year"] { sys.startYear = w.year(y, join(path, "start_year")) }
    if let q = f["start_quarter"] { sys.startQuarter = w.int(q, join(path, "start_quarter"), min: 1, max: 4) }
    if let e = f["exposure_share"], let v = w.number(e, join(path, "exposure_share"), .probability) { sys.exposureShare = v }
    return sys
  }

  func loadCSV(_ path: String, node: Node) -> [UserSpec] {
    let url: URL
    if path.hasPrefix("/") {
      url = URL(fileURLWithPath: path)
    } else if let baseDirectory {
      url = baseDirectory.appendingPathComponent(path)
    } else {
      w.report(node, "population.users_csv", expected: "a Users CSV next to a scenario file (this scenario has no folder)")
      return []
    }
    let display = path.hasPrefix("/") || displayDirectory.isEmpty ? path : (displayDirectory as NSString).appendingPathComponent(path)
    guard let data = FileManager.default.contents(atPath: url.path) else {
      w.report(node.mark, "population.users_csv", expected: "a readable CSV file", found: "no file at \(display)")
      return []
    }
    let result = UsersCSV.parse(String(decoding: data, as: UTF8.self), file: display, startYear: w.startYear)
    w.diagnostics += result.diagnostics
    for (user, line) in zip(result.users, result.lines) {
      let position = Position(line: line, column: 1)
      if userMarks[user.id] != nil {
        w.diagnostics.append(
          Diagnostic(
            file: display, line: line, column: 1, path: "users_csv[\(user.id)].id", expected: "a User id not used before",
            found: "\"\(user.id)\" again"))
      } else {
        userMarks[user.id] = position
      }
      if user.isSupplier { supplierIDs.insert(user.id) }
      for sys in user.systems {
        systemIDs.insert(sys.id)
        if let srp = sys.srp {
          let column = result.srpColumns[user.id] ?? 1
          srpReferences.append((srp, Position(line: line, column: column), "users_csv[\(user.id)].srp", display))
        }
      }
    }
    return result.users
  }
}
