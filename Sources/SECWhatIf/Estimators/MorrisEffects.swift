import GSL

/// Morris elementary-effect statistics of one parameter (Campolongo et al. 2007).
///
/// On trajectory t the step that moves parameter i gives the elementary effect
/// EEᵢ = (f(x + sΔeᵢ) − f(x)) / (sΔ) with s = ±1, in output units per unit of the
/// parameter's normalised range (so EE ≈ the change of the output over the whole
/// LOW…HIGH range for a linear response). Over r trajectories:
///
///     μ*ᵢ = (1/r) Σ |EEᵢ|,   μᵢ = (1/r) Σ EEᵢ,   σᵢ = sd(EEᵢ) (divisor r − 1)
///
/// μ* ranks importance; σ large against μ* means interactions or non-linearity.
/// The μ* interval resamples trajectories (bootstrap, GSL stream).
public struct MorrisEffect: Sendable, Hashable {
  public var muStar: Estimate
  public var mu: Double
  public var sigma: Double
  /// The elementary effects, one per trajectory.
  public var effects: [Double]

  /// Statistics of every parameter from outputs in `design.points` order.
  public static func estimate(
    _ design: MorrisDesign, outputs: [Double], bootstrap: Int = 0, confidence: Double = 0.95, seed: UInt64 = 1
  ) -> [MorrisEffect] {
    let d = design.dimensions
    let r = design.trajectories.count
    precondition(outputs.count == r * (d + 1), "outputs do not match the Morris design")
    var effects = [[Double]](repeating: [], count: d)
    for t in 0..<r {
      for (k, move) in design.moves[t].enumerated() {
        let before = outputs[t * (d + 1) + k]
        let after = outputs[t * (d + 1) + k + 1]
        effects[move.parameter].append((after - before) / (move.sign * design.delta))
      }
    }
    let stream = WhatIfPurpose.stream(seed: seed, purpose: WhatIfPurpose.bootstrap &+ 1)
    return effects.map { ee in
      let absolute = ee.map(abs)
      var star = Estimate(value: SampleStatistics.mean(absolute))
      if bootstrap > 0 {
        var draws: [Double] = []
        for _ in 0..<bootstrap {
          var s = 0.0
          for _ in 0..<r { s += absolute[stream.uniformInt(r)] }
          draws.append(s / Double(r))
        }
        let sorted = SampleStatistics.sorted(draws)
        star.low = SampleStatistics.nearestRankQuantile(sortedSample: sorted, (1 - confidence) / 2)
        star.high = SampleStatistics.nearestRankQuantile(sortedSample: sorted, (1 + confidence) / 2)
      }
      return MorrisEffect(
        muStar: star, mu: SampleStatistics.mean(ee), sigma: r >= 2 ? SampleStatistics.standardDeviation(ee) : 0, effects: ee)
    }
  }
}
