/// The Patient Rule Induction Method for scenario discovery (Friedman & Fisher 1999;
/// Bryant & Lempert 2010; as in the EMA Workbench's `prim`): find a box — a range
/// per parameter — where the cases of interest (y = 1) are concentrated.
///
/// - **Peeling**: from the box holding every point, each step tries to cut, on each
///   side of each parameter, the α share of the box's points with the lowest (or
///   highest) values (at least one point; tied values go together) and keeps the
///   cut that leaves the highest density (ties: more points left, then parameter
///   order, low before high). Peeling stops when a cut would leave fewer than
///   `minSupport` × n points, when density reaches 1, or when nothing can be cut.
/// - **Trade-off curve**: every box of the peeling trajectory with its coverage
///   (cases inside ÷ all cases) and density (cases inside ÷ points inside).
/// - **Chosen box** (the stated rule): the densest box whose coverage is at least
///   `minCoverage` (ties: higher coverage, then the earlier box); the first box
///   (everything, coverage 1) always qualifies.
/// - **Pasting**: the chosen box is then widened, one side at a time, by the α
///   share of its points' count taken from the points just outside that side,
///   while a widening keeps the density at least as high and adds cases.
public struct PRIM: Sendable {
  /// A box: closed bounds per parameter, on the data's own values.
  public struct Box: Sendable, Hashable {
    public var lower: [Double]
    public var upper: [Double]

    public func contains(_ x: [Double]) -> Bool {
      for j in lower.indices where x[j] < lower[j] || x[j] > upper[j] { return false }
      return true
    }
  }

  /// One box of the trajectory with its statistics.
  public struct Step: Sendable, Hashable {
    public var box: Box
    /// Points in the box.
    public var count: Int
    /// Cases (y = 1) in the box.
    public var cases: Int
    public var coverage: Double
    public var density: Double
    /// Share of all points in the box.
    public var support: Double
  }

  public let x: [[Double]]
  public let y: [Bool]
  public let alpha: Double
  public let minSupport: Double
  /// The peeling trajectory, first box = every point.
  public let trajectory: [Step]
  /// Index in `trajectory` of the box the rule chose.
  public let chosenIndex: Int
  /// The chosen box after pasting.
  public let chosen: Step

  /// Runs PRIM on points `x` (n rows of d values) labelled `y`.
  public init(x: [[Double]], y: [Bool], alpha: Double = 0.05, minSupport: Double = 0.05, minCoverage: Double = 0.8) {
    precondition(!x.isEmpty && x.count == y.count && alpha > 0 && alpha < 1)
    self.x = x
    self.y = y
    self.alpha = alpha
    self.minSupport = minSupport
    let d = x[0].count
    let full = Box(lower: (0..<d).map { j in x.map { $0[j] }.min()! }, upper: (0..<d).map { j in x.map { $0[j] }.max()! })
    var steps = [PRIM.statistics(full, x, y)]
    var inside = Array(x.indices)
    let minCount = max(1, Int((minSupport * Double(x.count)).rounded(.up)))
    while steps.last!.density < 1 {
      var best: (box: Box, kept: [Int], density: Double)?
      for j in 0..<d {
        let values = inside.map { x[$0][j] }.sorted()
        let k = max(1, Int(alpha * Double(values.count)))
        guard k < values.count else { continue }
        for side in [false, true] {
          var box = steps.last!.box
          if side {
            // Cut the top: keep values ≤ the largest value below the k-th highest.
            let cut = values[values.count - k]
            guard let keep = values.last(where: { $0 < cut }) else { continue }
            box.upper[j] = keep
          } else {
            let cut = values[k - 1]
            guard let keep = values.first(where: { $0 > cut }) else { continue }
            box.lower[j] = keep
          }
          let kept = inside.filter { x[$0][j] >= box.lower[j] && x[$0][j] <= box.upper[j] }
          guard kept.count >= minCount else { continue }
          let density = Double(kept.filter { y[$0] }.count) / Double(kept.count)
          if best == nil || density > best!.density || (density == best!.density && kept.count > best!.kept.count) {
            best = (box, kept, density)
          }
        }
      }
      guard let best else { break }
      inside = best.kept
      steps.append(PRIM.statistics(best.box, x, y))
    }
    trajectory = steps
    var pick = 0
    for (i, s) in steps.enumerated() where s.coverage >= minCoverage {
      let p = steps[pick]
      if s.density > p.density || (s.density == p.density && s.coverage > p.coverage) { pick = i }
    }
    chosenIndex = pick
    chosen = PRIM.paste(steps[pick], x, y, alpha: alpha)
  }

  static func statistics(_ box: Box, _ x: [[Double]], _ y: [Bool]) -> Step {
    var count = 0
    var cases = 0
    for (i, row) in x.enumerated() where box.contains(row) {
      count += 1
      if y[i] { cases += 1 }
    }
    let total = y.filter { $0 }.count
    return Step(
      box: box, count: count, cases: cases, coverage: total > 0 ? Double(cases) / Double(total) : 0,
      density: count > 0 ? Double(cases) / Double(count) : 0, support: Double(count) / Double(x.count))
  }

  static func paste(_ start: Step, _ x: [[Double]], _ y: [Bool], alpha: Double) -> Step {
    var current = start
    let d = start.box.lower.count
    while true {
      var best: Step?
      for j in 0..<d {
        // Points outside only on parameter j, on either side.
        let near = x.indices.filter { i in
          (0..<d).allSatisfy { $0 == j || (x[i][$0] >= current.box.lower[$0] && x[i][$0] <= current.box.upper[$0]) }
        }
        let k = max(1, Int(alpha * Double(current.count)))
        let below = near.map { x[$0][j] }.filter { $0 < current.box.lower[j] }.sorted(by: >)
        let above = near.map { x[$0][j] }.filter { $0 > current.box.upper[j] }.sorted()
        for (side, values) in [(false, below), (true, above)] where !values.isEmpty {
          var box = current.box
          let reach = values[min(k, values.count) - 1]
          if side { box.upper[j] = reach } else { box.lower[j] = reach }
          let s = statistics(box, x, y)
          guard s.cases > current.cases, s.density >= current.density else { continue }
          if best == nil || s.density > best!.density || (s.density == best!.density && s.cases > best!.cases) { best = s }
        }
      }
      guard let best else { return current }
      current = best
    }
  }
}
