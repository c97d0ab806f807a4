/// discovery.html: per policy, the plain-words finding, the coverage–density
/// trade-off curve of the peeling trajectory with the chosen box marked, and the
/// chosen box's ranges.
public enum DiscoveryReport {
  public static func html(_ d: Discovery, sweepName: String) -> String {
    var page = HTMLPage(title: "Scenario discovery: \(d.condition)")
    page.paragraph(
      "PRIM (Friedman & Fisher 1999) on the design points of \(sweepName): peeling α = \(label(d.alpha)), minimum support "
        + "\(label(d.minSupport)); the chosen box is the densest box of the trajectory whose coverage is at least "
        + "\(label(d.minCoverage)), then pasted. Coverage: the share of the points where the condition holds that lie in the box. "
        + "Density: the share of the points in the box where it holds.")
    for r in d.results {
      page.heading("Policy \(r.policy)")
      page.paragraph(d.summary(r))
      guard let prim = r.prim else { continue }
      let curve = ScatterChart.Series(
        name: "peeling", color: palette[0], points: prim.trajectory.map { (x: $0.coverage, y: $0.density, filled: false) }, joined: true)
      let chosen = ScatterChart.Series(
        name: "chosen box", color: palette[1], points: [(x: prim.chosen.coverage, y: prim.chosen.density, filled: true)])
      page.raw(
        ScatterChart(title: "Coverage–density trade-off, \(r.policy)", xTitle: "coverage", yTitle: "density", series: [curve, chosen]).svg()
      )
      page.table(
        ["parameter", "box low", "box high", "swept low", "swept high"],
        d.parameters.enumerated().map { j, name in
          [name, label(prim.chosen.box.lower[j]), label(prim.chosen.box.upper[j]), label(r.lower[j]), label(r.upper[j])]
        })
    }
    return page.html
  }
}
