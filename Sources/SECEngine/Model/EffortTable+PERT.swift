import GSL
import Synchronization

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
    nodes = EffortTable.standardNodes(a: a, b: b)
  }

  /// The quantiles of the standardised Beta(a, b) at i/`resolution`: a PERT's
  /// shape alone (a table scales them to its [min, max]). Each inverse CDF costs
  /// ~15,000 instructions, so shapes already tabulated in this process are reused:
  /// gb-default's 9 tables have 6 shapes (VUSA, USSA and the follow-up review share
  /// one), and every design point of a sweep has its base scenario's shapes.
  static func standardNodes(a: Double, b: Double) -> [Double] {
    let key = ShapeKey(a: a.bitPattern, b: b.bitPattern)
    if let nodes = tabulatedShapes.withLock({ $0[key] }) { return nodes }
    let nodes = (0...EffortTable.resolution).map { i in
      InverseCDF.beta(Double(i) / Double(EffortTable.resolution), a: a, b: b)
    }
    tabulatedShapes.withLock { shapes in
      if shapes.count >= EffortTable.shapeCacheLimit { shapes.removeAll() }  // a bound on a long sweep's memory
      shapes[key] = nodes
    }
    return nodes
  }

  private struct ShapeKey: Hashable {
    let a: UInt64
    let b: UInt64
  }

  /// At most this many shapes are kept (8 KB each).
  static let shapeCacheLimit = 256
  private static let tabulatedShapes = Mutex<[ShapeKey: [Double]]>([:])

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
