/// Morris trajectories (Morris 1991; Campolongo, Cariboni & Saltelli 2007): r
/// random one-at-a-time paths through a p-level grid of [0, 1]^d with step
/// Δ = p / (2(p − 1)). Each path starts at a base point x* with coordinates in
/// {0, 1/(p−1), …, 1 − Δ}; its d steps move the parameters one at a time in a
/// random order, each by +Δ or −Δ (random direction; a −Δ step starts at x*ᵢ + Δ),
/// so every path has d + 1 points and yields one elementary effect per parameter.
/// Draws: GSL uniforms from the what-if Morris stream of the run's seed.
public struct MorrisDesign: Sendable, Hashable {
  public let dimensions: Int
  public let levels: Int
  /// Δ in unit coordinates.
  public let delta: Double
  /// Trajectories: (d + 1) points each.
  public let trajectories: [[[Double]]]
  /// For each trajectory, the parameter moved at step k (k = 1…d) and its sign.
  public let moves: [[(parameter: Int, sign: Double)]]

  public init(trajectories r: Int, dimensions d: Int, levels p: Int = 4, seed: UInt64) {
    precondition(r >= 1 && d >= 1 && p >= 2 && p % 2 == 0, "Morris needs r ≥ 1, d ≥ 1 and an even number of levels")
    let stream = WhatIfPurpose.stream(seed: seed, purpose: WhatIfPurpose.morris)
    let delta = Double(p) / (2 * Double(p - 1))
    let baseLevels = p / 2  // levels 0 … p/2 − 1 lie in [0, 1 − Δ]
    var paths: [[[Double]]] = []
    var allMoves: [[(parameter: Int, sign: Double)]] = []
    for _ in 0..<r {
      var x = (0..<d).map { _ in Double(stream.uniformInt(baseLevels)) / Double(p - 1) }
      let signs = (0..<d).map { _ in stream.uniformInt(2) == 0 ? -1.0 : 1.0 }
      for i in 0..<d where signs[i] < 0 { x[i] += delta }
      var order = Array(0..<d)
      for i in stride(from: d - 1, to: 0, by: -1) { order.swapAt(i, stream.uniformInt(i + 1)) }
      var path = [x]
      var moves: [(parameter: Int, sign: Double)] = []
      for i in order {
        x[i] += signs[i] * delta
        x[i] = min(1, max(0, x[i]))
        path.append(x)
        moves.append((i, signs[i]))
      }
      paths.append(path)
      allMoves.append(moves)
    }
    dimensions = d
    levels = p
    self.delta = delta
    trajectories = paths
    self.moves = allMoves
  }

  /// Every point to run, trajectory by trajectory.
  public var points: [[Double]] { trajectories.flatMap { $0 } }

  public static func == (a: MorrisDesign, b: MorrisDesign) -> Bool { a.trajectories == b.trajectories && a.levels == b.levels }
  public func hash(into h: inout Hasher) { h.combine(trajectories) }
}
