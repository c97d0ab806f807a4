/// sensitivity.html: the indices (Sobol S1 and ST with bootstrap intervals, or
/// Morris μ* against σ) and the tornado chart.
public enum SensitivityReport {
  public static func html(_ a: SensitivityAnalysis, scenarioName: String) -> String {
    let what = "\(a.target.metric.name) (\(a.target.year == "total" ? "horizon total" : a.target.year)) of policy \(a.target.policy)"
    var page = HTMLPage(title: "Sensitivity of \(what), \(scenarioName)")
    page.paragraph(
      "\(a.points) design points, \(a.replicates) replicates each, all on the same random futures; the output at a point is the "
        + "mean over its replicates. Parameters whose name starts with inert. are read by nothing: their indices show the "
        + "estimator's noise floor.")
    switch a.method {
    case .sobol:
      guard let s = a.sobol else { break }
      page.heading("Sobol indices")
      page.paragraph(
        "First-order index S1 (Saltelli et al. 2010): the share of the output's variance due to the parameter alone. Total index "
          + "ST (Jansen 1999): its share including every interaction; ST near 0 means the parameter can be fixed anywhere in its "
          + "range. Bars: estimates; lines: 95 % bootstrap intervals. Base sample N = \(a.samples), \(a.points - 2 * a.parameters.count - 1) runs."
      )
      var bars: [BarChart.Bar] = []
      for (i, p) in a.parameters.enumerated() {
        let f = s.firstOrder[i]
        let t = s.total[i]
        bars.append(
          BarChart.Bar(label: "\(p.name) S1", from: 0, to: f.value, color: palette[0], interval: (f.low, f.high), note: label(f.value)))
        bars.append(
          BarChart.Bar(label: "\(p.name) ST", from: 0, to: t.value, color: palette[1], interval: (t.low, t.high), note: label(t.value)))
      }
      page.raw(BarChart(title: "Sobol indices", axisTitle: "share of output variance", bars: bars, centre: 0).svg())
      page.table(
        ["parameter", "S1", "S1 95 % interval", "ST", "ST 95 % interval"],
        a.parameters.enumerated().map { i, p in
          [
            p.name, label(s.firstOrder[i].value), "\(label(s.firstOrder[i].low)) – \(label(s.firstOrder[i].high))", label(s.total[i].value),
            "\(label(s.total[i].low)) – \(label(s.total[i].high))",
          ]
        })
      page.paragraph("Output mean \(label(s.mean)), variance \(label(s.variance)) over the design.")
    case .morris:
      guard let m = a.morris else { break }
      page.heading("Morris elementary effects")
      page.paragraph(
        "μ*: mean absolute elementary effect (importance), in output units over each parameter's whole range; σ: their standard "
          + "deviation (large against μ* means interactions or a non-linear response). \(a.samples) trajectories on a "
          + "\(a.morrisLevels)-level grid.")
      let series = a.parameters.enumerated().map { i, p in
        ScatterChart.Series(name: p.name, color: palette[i % palette.count], points: [(x: m[i].muStar.value, y: m[i].sigma, filled: true)])
      }
      page.raw(ScatterChart(title: "Morris μ* against σ", xTitle: "μ*", yTitle: "σ", series: series).svg())
      page.table(
        ["parameter", "μ*", "μ* 95 % interval", "μ", "σ"],
        a.parameters.enumerated().map { i, p in
          [p.name, label(m[i].muStar.value), "\(label(m[i].muStar.low)) – \(label(m[i].muStar.high))", label(m[i].mu), label(m[i].sigma)]
        })
    }
    page.heading("Tornado (one at a time)")
    page.paragraph(
      "Each parameter moved alone to its LOW and its HIGH end, the others at their base values (the scenario's own value, "
        + "or the middle of the range). Base output \(label(a.tornado.baseOutput)) (the vertical line). Each bar spans the "
        + "output at LOW to the output at HIGH: orange when the output rises with the parameter, blue when it falls.")
    let bars = a.tornado.bars.map { b in
      BarChart.Bar(
        label: a.parameters[b.parameter].name, from: b.outputAtLow, to: b.outputAtHigh,
        color: b.outputAtHigh >= b.outputAtLow ? palette[1] : palette[0], interval: nil,
        note: "\(label(b.outputAtLow)) → \(label(b.outputAtHigh))")
    }
    page.raw(BarChart(title: "Tornado: \(what)", axisTitle: a.target.metric.name, bars: bars, centre: a.tornado.baseOutput).svg())
    page.table(
      ["parameter", "LOW", "HIGH", "base value", "output at LOW", "output at HIGH", "swing"],
      a.tornado.bars.map { b in
        let p = a.parameters[b.parameter]
        return [
          p.name, label(p.range.low), label(p.range.high), label(a.baseValues[b.parameter]), label(b.outputAtLow), label(b.outputAtHigh),
          label(b.swing),
        ]
      })
    return page.html
  }
}
