import GSL

extension EffortTable {
  /// Intervals of the tabulated inverse CDF.
  public static let resolution = 1024

  /// A PERT distribution on [min, max] with the given mode, tabulated from GSL's
  /// inverse Beta CDF (`gsl_cdf_beta_Pinv`). min = max gives a constant.
  public init(min: Double, mode: Double, max: Double) {
    self.min = min
    self.max = max
    guard max > min else {
      nodes = []
      return
    }
    let m = Swift.min(Swift.max(mode, min), max)
    let a = 1 + 4 * (m - min) / (max - min)
    let b = 1 + 4 * (max - m) / (max - min)
    nodes = (0...EffortTable.resolution).map { i in
      InverseCDF.beta(Double(i) / Double(EffortTable.resolution), a: a, b: b)
    }
  }

  /// A constant effort of `days`.
  public static func constant(_ days: Double) -> EffortTable { EffortTable(min: days, mode: days, max: days) }
}

/// Every effort table of a run (`ProcessValues.effort`, [kind][bespoke 0 / SRP 1]) in
/// one contiguous block of the worker's arena, so the hot loop reads nodes without
/// array bounds checks or reference counting. `days` is `EffortTable.days`, the same
/// arithmetic step for step.
struct EffortLookup {
  let hosts: Int
  let points: Int
  let nodes: Buffer<Double>
  let low: Buffer<Double>
  let high: Buffer<Double>
  let tabulated: Buffer<Bool>

  init(_ tables: [[EffortTable]], arena: Arena) {
    hosts = tables.map(\.count).max() ?? 1
    points = EffortTable.resolution + 1
    let count = max(1, tables.count * hosts)
    nodes = Buffer(arena, repeating: 0, count: count * points)
    low = Buffer(arena, repeating: 0, count: count)
    high = Buffer(arena, repeating: 0, count: count)
    tabulated = Buffer(arena, repeating: false, count: count)
    for (k, row) in tables.enumerated() {
      for (h, table) in row.enumerated() {
        let t = k * hosts + h
        low[t] = table.min
        high[t] = table.max
        let usable = table.max > table.min && table.nodes.count == points
        precondition(usable || table.max <= table.min || table.nodes.isEmpty, "effort table of \(table.nodes.count) nodes")
        tabulated[t] = usable
        if usable { for i in 0..<points { nodes[t * points + i] = table.nodes[i] } }
      }
    }
  }

  /// Assessor days of effort kind `kind` for host `host` (0 bespoke, 1 SRP) at variate u.
  @inline(__always) func days(_ kind: Int, _ host: Int, _ u: Double) -> Double {
    let t = kind &* hosts &+ host
    let min = low[t]
    guard tabulated[t] else { return min }
    let x = u * Double(points - 1)
    let i = Swift.min(Int(x), points - 2)
    let f = x - Double(i)
    let n = nodes.base + t &* points
    return min + (high[t] - min) * (n[i] + (n[i + 1] - n[i]) * f)
  }
}
