import SECOutput

/// The condition a discovery looks for, on a design point's mean of a metric.
public struct DiscoveryCondition: Sendable, Hashable, CustomStringConvertible {
  public var metric: String
  /// `total` or a calendar year.
  public var year: String
  /// The threshold and its side: above (strictly greater) or below (strictly less).
  public var threshold: Double
  public var above: Bool

  public init(metric: String, year: String = "total", threshold: Double, above: Bool) {
    self.metric = metric
    self.year = year
    self.threshold = threshold
    self.above = above
  }

  public func holds(_ value: Double) -> Bool { above ? value > threshold : value < threshold }

  public var description: String {
    "\(metric) (\(year == "total" ? "horizon total" : year)) \(above ? "above" : "below") \(formatted(threshold))"
  }
}

/// Scenario discovery on a sweep (`secsim discover`): for each policy, PRIM on the
/// design points (parameters as inputs, "the condition holds" as the case label),
/// and a plain-words account of the chosen box.
public struct Discovery: Sendable {
  /// One policy's result.
  public struct PolicyResult: Sendable {
    public var policy: String
    /// Points where the condition holds, of all points.
    public var cases: Int
    public var points: Int
    /// nil when the condition holds nowhere or everywhere (nothing to discover).
    public var prim: PRIM?
    /// The data range of each parameter (the box that restricts nothing).
    public var lower: [Double]
    public var upper: [Double]
  }

  public let parameters: [String]
  public let condition: DiscoveryCondition
  public let results: [PolicyResult]
  public let alpha: Double
  public let minSupport: Double
  public let minCoverage: Double

  public init(
    sweep: SweepFile, condition: DiscoveryCondition, policies: [String]? = nil, alpha: Double = 0.05, minSupport: Double = 0.05,
    minCoverage: Double = 0.8
  ) throws(WhatIfError) {
    guard sweep.years.contains(condition.year) else {
      throw .usage("--year \(condition.year): the sweep has \(sweep.years.joined(separator: ", "))")
    }
    let chosen = policies ?? sweep.policies.filter { $0 != "market" }
    var results: [PolicyResult] = []
    for policy in chosen {
      guard sweep.policies.contains(policy) else {
        throw .usage("unknown --policy '\(policy)'; the sweep has: \(sweep.policies.joined(separator: ", "))")
      }
      guard let values = sweep.series(policy: policy, metric: condition.metric, year: condition.year) else {
        throw .usage(
          "the sweep has no metric '\(condition.metric)' for policy \(policy) (metrics: \(MetricRef.allNames.joined(separator: ", ")))")
      }
      let y = values.map(condition.holds)
      let cases = y.filter { $0 }.count
      let d = sweep.parameters.count
      let lower = (0..<d).map { j in sweep.values.map { $0[j] }.min()! }
      let upper = (0..<d).map { j in sweep.values.map { $0[j] }.max()! }
      let prim =
        cases > 0 && cases < y.count
        ? PRIM(x: sweep.values, y: y, alpha: alpha, minSupport: minSupport, minCoverage: minCoverage) : nil
      results.append(PolicyResult(policy: policy, cases: cases, points: y.count, prim: prim, lower: lower, upper: upper))
    }
    parameters = sweep.parameters
    self.condition = condition
    self.results = results
    self.alpha = alpha
    self.minSupport = minSupport
    self.minCoverage = minCoverage
  }

  /// The chosen box in plain words: each restricted parameter's range.
  public func restrictions(_ r: PolicyResult) -> [String] {
    guard let box = r.prim?.chosen.box else { return [] }
    var out: [String] = []
    for (j, name) in parameters.enumerated() {
      let lo = box.lower[j] > r.lower[j]
      let hi = box.upper[j] < r.upper[j]
      switch (lo, hi) {
      case (true, true): out.append("\(name) between \(label(box.lower[j])) and \(label(box.upper[j]))")
      case (true, false): out.append("\(name) at least \(label(box.lower[j]))")
      case (false, true): out.append("\(name) at most \(label(box.upper[j]))")
      case (false, false): continue
      }
    }
    return out
  }

  /// One paragraph per policy saying which parameter ranges make it meet the condition.
  public func summary(_ r: PolicyResult) -> String {
    let share = label(100 * Double(r.cases) / Double(max(r.points, 1)))
    let head = "Under policy \(r.policy), \(condition) at \(r.cases) of \(r.points) design points (\(share) %)."
    guard let prim = r.prim else {
      return head + (r.cases == 0 ? " It never happens in the ranges swept." : " It happens everywhere in the ranges swept.")
    }
    let c = prim.chosen
    let words = restrictions(r)
    let box = words.isEmpty ? "no parameter range stands out" : words.joined(separator: "; ")
    let free = parameters.enumerated().filter { j, _ in c.box.lower[j] <= r.lower[j] && c.box.upper[j] >= r.upper[j] }.map(\.1)
    var text = head + " It happens mostly when \(box): that box holds \(label(100 * c.coverage)) % of the points where it happens "
    text += "(coverage) and it happens at \(label(100 * c.density)) % of the points inside the box (density), against "
    text += "\(share) % overall."
    if !free.isEmpty && !words.isEmpty { text += " The other parameters (\(free.joined(separator: ", "))) do not matter to this box." }
    return text
  }

  /// discovery.csv: per policy, every box of the peeling trajectory and the chosen
  /// box after pasting (`kind` peel or chosen), with coverage, density, support,
  /// points and cases in the box, and each parameter's bounds.
  public func csv() -> String {
    var header = ["policy", "step", "kind", "coverage", "density", "support", "points_in_box", "cases_in_box"]
    for p in parameters { header += ["\(p) low", "\(p) high"] }
    header.append("chosen")
    var csv = CSVWriter(header: header)
    for r in results {
      guard let prim = r.prim else { continue }
      func row(_ step: Int, _ kind: String, _ s: PRIM.Step, chosen: Bool) {
        var cells: [CSVWriter.Cell] = [
          .text(r.policy), .integer(Int64(step)), .text(kind), .number(s.coverage), .number(s.density), .number(s.support),
          .integer(Int64(s.count)), .integer(Int64(s.cases)),
        ]
        for j in parameters.indices { cells += [.number(s.box.lower[j]), .number(s.box.upper[j])] }
        cells.append(.integer(chosen ? 1 : 0))
        csv.appendRow(cells)
      }
      for (i, s) in prim.trajectory.enumerated() { row(i, "peel", s, chosen: false) }
      row(prim.chosenIndex, "chosen", prim.chosen, chosen: true)
    }
    return csv.text
  }
}
