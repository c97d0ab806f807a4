/// Text escaped for HTML and SVG (element content and double-quoted attributes).
public enum HTML {
  public static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for c in text {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(c)
      }
    }
    return out
  }
}

/// Small SVG charts written by SECSim (no scripts, no fonts from elsewhere): fan
/// charts (p05–p95 band and median line per series, optionally a reference line) and
/// grouped bar charts with p05–p95 whiskers. Every chart has a `<title>`, axis titles
/// with units and a legend; all text is escaped.
public enum SVGChart {
  /// Colour-blind-safe colours (Okabe and Ito), one per policy in run order.
  public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

  public static func color(_ i: Int) -> String { palette[i % palette.count] }

  /// One point of a fan chart series.
  public struct FanPoint: Sendable, Hashable {
    public var x: Double
    public var low: Double
    public var mid: Double
    public var high: Double
    public init(x: Double, low: Double, mid: Double, high: Double) {
      self.x = x
      self.low = low
      self.mid = mid
      self.high = high
    }
  }

  public struct FanSeries: Sendable, Hashable {
    public var name: String
    public var color: String
    public var points: [FanPoint]
    public init(name: String, color: String, points: [FanPoint]) {
      self.name = name
      self.color = color
      self.points = points
    }
  }

  /// A dashed black step line (capacity) drawn over the fans.
  public struct Reference: Sendable, Hashable {
    public var name: String
    /// (x, y) pairs; each value holds from x − ½ to x + ½.
    public var points: [(x: Double, y: Double)]
    public init(name: String, points: [(x: Double, y: Double)]) {
      self.name = name
      self.points = points
    }
    public static func == (a: Reference, b: Reference) -> Bool {
      a.name == b.name && a.points.map(\.x) == b.points.map(\.x) && a.points.map(\.y) == b.points.map(\.y)
    }
    public func hash(into h: inout Hasher) { h.combine(name) }
  }

  static let width = 760.0
  static let height = 360.0
  static let left = 84.0
  static let right = 560.0
  static let top = 48.0
  static let bottom = 300.0

  /// A fan chart: for each series a p05–p95 band and a median line with points.
  public static func fan(
    id: String, title: String, description: String, xTitle: String, yTitle: String, xTicks: [(x: Double, label: String)],
    series: [FanSeries], reference: Reference? = nil
  ) -> String {
    let xs = series.flatMap { $0.points.map(\.x) } + (reference?.points.map(\.x) ?? [])
    let xMin = (xs.min() ?? 0) - 0.5
    let xMax = (xs.max() ?? 1) + 0.5
    let values = series.flatMap { $0.points.flatMap { [$0.low, $0.mid, $0.high] } } + (reference?.points.map(\.y) ?? [])
    let axis = YAxis(values: values.filter(\.isFinite))
    func px(_ x: Double) -> Double { left + (x - xMin) / max(xMax - xMin, 1e-9) * (right - left) }
    var svg = open(id: id, title: title, description: description)
    svg += axis.draw(title: yTitle)
    svg += xAxis(ticks: xTicks.map { (px($0.x), $0.label) }, title: xTitle)
    for s in series {
      let finite = s.points.filter { $0.low.isFinite && $0.high.isFinite && $0.mid.isFinite }
      guard !finite.isEmpty else { continue }
      let upper = finite.map { "\(f(px($0.x))),\(f(axis.py($0.high)))" }
      let lower = finite.reversed().map { "\(f(px($0.x))),\(f(axis.py($0.low)))" }
      svg +=
        "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(s.color)\" fill-opacity=\"0.16\" stroke=\"\(s.color)\" stroke-opacity=\"0.35\" stroke-width=\"0.8\"/>\n"
      let line = finite.map { "\(f(px($0.x))),\(f(axis.py($0.mid)))" }.joined(separator: " ")
      svg += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"/>\n"
      if finite.count <= 16 {
        for p in finite { svg += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(axis.py(p.mid)))\" r=\"2.5\" fill=\"\(s.color)\"/>\n" }
      }
    }
    var legend = series.map { LegendEntry(name: $0.name, color: $0.color, kind: .fan) }
    if let reference {
      var d = ""
      for p in reference.points {
        let a = f(px(p.x - 0.5))
        let b = f(px(p.x + 0.5))
        let y = f(axis.py(p.y))
        d += d.isEmpty ? "M\(a),\(y) H\(b)" : " V\(y) H\(b)"
      }
      svg += "<path d=\"\(d)\" fill=\"none\" stroke=\"#000000\" stroke-width=\"1.6\" stroke-dasharray=\"6 4\"/>\n"
      legend.append(LegendEntry(name: reference.name, color: "#000000", kind: .dashed))
    }
    svg += drawLegend(legend, note: "band: p05–p95; line: median")
    return svg + "</svg>\n"
  }

  /// A grouped bar chart: for each category one bar per group (its mean) with a p05–p95 whisker.
  public static func bars(
    id: String, title: String, description: String, xTitle: String, yTitle: String, categories: [String],
    groups: [(name: String, color: String, values: [FanPoint])]
  ) -> String {
    let values = groups.flatMap { $0.values.flatMap { [$0.low, $0.mid, $0.high] } }
    let axis = YAxis(values: values.filter(\.isFinite))
    var svg = open(id: id, title: title, description: description)
    svg += axis.draw(title: yTitle)
    let slot = (right - left) / Double(max(categories.count, 1))
    let barWidth = slot * 0.8 / Double(max(groups.count, 1))
    svg += xAxis(ticks: categories.enumerated().map { (left + slot * (Double($0.offset) + 0.5), $0.element) }, title: xTitle)
    for (g, group) in groups.enumerated() {
      for (c, v) in group.values.enumerated() where c < categories.count && v.mid.isFinite {
        let x0 = left + slot * Double(c) + slot * 0.1 + barWidth * Double(g)
        let y = axis.py(v.mid)
        let base = axis.py(0)
        svg +=
          "<rect x=\"\(f(x0))\" y=\"\(f(min(y, base)))\" width=\"\(f(barWidth * 0.92))\" height=\"\(f(abs(base - y)))\" fill=\"\(group.color)\" fill-opacity=\"0.85\"/>\n"
        if v.low.isFinite && v.high.isFinite {
          let cx = f(x0 + barWidth * 0.46)
          let lo = f(axis.py(v.low))
          let hi = f(axis.py(v.high))
          let cap0 = f(x0 + barWidth * 0.46 - 4)
          let cap1 = f(x0 + barWidth * 0.46 + 4)
          svg +=
            "<path d=\"M\(cx),\(lo) V\(hi) M\(cap0),\(lo) H\(cap1) M\(cap0),\(hi) H\(cap1)\" stroke=\"#222222\" stroke-width=\"1.2\" fill=\"none\"/>\n"
        }
      }
    }
    svg += drawLegend(groups.map { LegendEntry(name: $0.name, color: $0.color, kind: .bar) }, note: "bar: mean; whisker: p05–p95")
    return svg + "</svg>\n"
  }

  // MARK: - Parts

  static func open(id: String, title: String, description: String) -> String {
    let t = HTML.escape(title)
    return """
      <svg xmlns="http://www.w3.org/2000/svg" id="\(HTML.escape(id))" class="chart" width="\(Int(width))" height="\(Int(height))" \
      viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(t)" \
      style="font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; font-size: 12px">
      <title>\(t)</title>
      <desc>\(HTML.escape(description))</desc>
      <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="#ffffff"/>
      <text x="\(f(left))" y="24" font-size="15" font-weight="bold" fill="#111111">\(t)</text>

      """
  }

  static func xAxis(ticks: [(x: Double, label: String)], title: String) -> String {
    var svg = "<line x1=\"\(f(left))\" y1=\"\(f(bottom))\" x2=\"\(f(right))\" y2=\"\(f(bottom))\" stroke=\"#333333\"/>\n"
    for (x, label) in ticks {
      svg += "<line x1=\"\(f(x))\" y1=\"\(f(bottom))\" x2=\"\(f(x))\" y2=\"\(f(bottom + 5))\" stroke=\"#333333\"/>\n"
      let lines = wrapped(label)
      svg += "<text x=\"\(f(x))\" y=\"\(f(bottom + 19))\" text-anchor=\"middle\" fill=\"#222222\">\(HTML.escape(lines[0]))"
      for line in lines.dropFirst() { svg += "<tspan x=\"\(f(x))\" dy=\"14\">\(HTML.escape(line))</tspan>" }
      svg += "</text>\n"
    }
    svg +=
      "<text x=\"\(f((left + right) / 2))\" y=\"\(f(bottom + 50))\" text-anchor=\"middle\" fill=\"#222222\">\(HTML.escape(title))</text>\n"
    return svg
  }

  /// A tick label on at most two lines: labels longer than 16 characters break at the space nearest the middle.
  static func wrapped(_ label: String) -> [String] {
    guard label.count > 16 else { return [label] }
    let chars = Array(label)
    let spaces = chars.indices.filter { chars[$0] == " " }
    guard let cut = spaces.min(by: { abs($0 - chars.count / 2) < abs($1 - chars.count / 2) }) else { return [label] }
    return [String(chars[..<cut]), String(chars[(cut + 1)...])]
  }

  enum LegendKind { case fan, bar, dashed }
  struct LegendEntry {
    var name: String
    var color: String
    var kind: LegendKind
  }

  static func drawLegend(_ entries: [LegendEntry], note: String) -> String {
    var svg = "<g class=\"legend\">\n"
    let x = right + 22
    var y = top + 8
    for e in entries {
      switch e.kind {
      case .fan:
        svg += "<rect x=\"\(f(x))\" y=\"\(f(y - 8))\" width=\"26\" height=\"14\" fill=\"\(e.color)\" fill-opacity=\"0.16\"/>\n"
        svg += "<line x1=\"\(f(x))\" y1=\"\(f(y - 1))\" x2=\"\(f(x + 26))\" y2=\"\(f(y - 1))\" stroke=\"\(e.color)\" stroke-width=\"2\"/>\n"
      case .bar:
        svg += "<rect x=\"\(f(x))\" y=\"\(f(y - 8))\" width=\"26\" height=\"14\" fill=\"\(e.color)\" fill-opacity=\"0.85\"/>\n"
      case .dashed:
        svg +=
          "<line x1=\"\(f(x))\" y1=\"\(f(y - 1))\" x2=\"\(f(x + 26))\" y2=\"\(f(y - 1))\" stroke=\"\(e.color)\" stroke-width=\"1.6\" stroke-dasharray=\"6 4\"/>\n"
      }
      svg += "<text x=\"\(f(x + 34))\" y=\"\(f(y + 3))\" fill=\"#222222\">\(HTML.escape(truncated(e.name)))</text>\n"
      y += 22
    }
    svg += "<text x=\"\(f(x))\" y=\"\(f(y + 8))\" font-size=\"11\" fill=\"#555555\">\(HTML.escape(note))</text>\n"
    return svg + "</g>\n"
  }

  static func truncated(_ s: String) -> String { s.count > 22 ? String(s.prefix(21)) + "…" : s }

  /// A vertical axis from 0 (or the data minimum, if negative) to a rounded maximum.
  struct YAxis {
    let min: Double
    let max: Double
    let step: Double

    init(values: [Double]) {
      let lo = Swift.min(values.min() ?? 0, 0)
      var hi = Swift.max(values.max() ?? 1, lo + 1e-9)
      if hi == lo { hi = lo + 1 }
      let step = YAxis.niceStep((hi - lo) / 5)
      self.step = step
      self.min = (lo / step).rounded(.down) * step
      self.max = Swift.max((hi / step).rounded(.up) * step, self.min + step)
    }

    static func niceStep(_ raw: Double) -> Double {
      guard raw > 0, raw.isFinite else { return 1 }
      var magnitude = 1.0
      while magnitude * 10 <= raw { magnitude *= 10 }
      while magnitude > raw { magnitude /= 10 }
      for m in [1.0, 2.0, 2.5, 5.0, 10.0] where m * magnitude >= raw { return m * magnitude }
      return 10 * magnitude
    }

    func py(_ v: Double) -> Double { SVGChart.bottom - (v - min) / (max - min) * (SVGChart.bottom - SVGChart.top) }

    func draw(title: String) -> String {
      var svg = ""
      var v = min
      var guardCount = 0
      while v <= max + step * 1e-9, guardCount < 40 {
        let y = f(py(v))
        svg +=
          "<line x1=\"\(f(SVGChart.left))\" y1=\"\(y)\" x2=\"\(f(SVGChart.right))\" y2=\"\(y)\" stroke=\"#dddddd\" stroke-width=\"1\"/>\n"
        svg +=
          "<text x=\"\(f(SVGChart.left - 8))\" y=\"\(f(py(v) + 4))\" text-anchor=\"end\" fill=\"#222222\">\(SVGChart.tickLabel(v, step: step))</text>\n"
        v += step
        guardCount += 1
      }
      svg +=
        "<line x1=\"\(f(SVGChart.left))\" y1=\"\(f(SVGChart.top))\" x2=\"\(f(SVGChart.left))\" y2=\"\(f(SVGChart.bottom))\" stroke=\"#333333\"/>\n"
      let cy = f((SVGChart.top + SVGChart.bottom) / 2)
      svg +=
        "<text x=\"18\" y=\"\(cy)\" transform=\"rotate(-90 18 \(cy))\" text-anchor=\"middle\" fill=\"#222222\">\(HTML.escape(title))</text>\n"
      return svg
    }
  }

  /// A tick label: k and M suffixes for large numbers, enough decimals for the step.
  static func tickLabel(_ v: Double, step: Double) -> String {
    let a = abs(v)
    if a >= 1_000_000 && step >= 100_000 { return trim(v / 1_000_000, decimals: step >= 1_000_000 ? 0 : 1) + "M" }
    if a >= 10_000 && step >= 1_000 { return trim(v / 1_000, decimals: step >= 10_000 ? 0 : 1) + "k" }
    var decimals = 0
    var s = step
    while s < 1, decimals < 6 {
      s *= 10
      decimals += 1
    }
    if step * pow10(decimals) != (step * pow10(decimals)).rounded() { decimals += 1 }
    return trim(v, decimals: decimals)
  }

  static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { r, _ in r * 10 } }

  /// `v` rounded to `decimals` places, without a trailing `.0`.
  static func trim(_ v: Double, decimals: Int) -> String {
    let scale = pow10(decimals)
    let r = (v * scale).rounded() / scale
    if decimals == 0 || r == r.rounded() { return String(Int64(r)) }
    var s = String(r)
    if s.contains("e") { s = String(Int64((r * scale).rounded())) }
    return s
  }

  /// A coordinate with at most one decimal.
  static func f(_ v: Double) -> String {
    let r = (v * 10).rounded() / 10
    return r == r.rounded() ? String(Int64(r)) : String(r)
  }
}
