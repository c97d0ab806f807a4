import Foundation
import SECOutput

/// A number for a chart label or report text: thousands separated, up to 3
/// significant decimals.
func label(_ x: Double) -> String {
  if x.isNaN { return "–" }
  let a = abs(x)
  if a >= 1000 || x == x.rounded() {
    let f = NumberFormatter()
    f.numberStyle = .decimal
    f.maximumFractionDigits = a >= 1000 ? 0 : 2
    f.locale = Locale(identifier: "en_GB")
    return f.string(from: NSNumber(value: x)) ?? String(x)
  }
  return String(format: a >= 1 ? "%.2f" : "%.3g", x)
}

/// The categorical colours of every chart: the run report's (Okabe–Ito, readable by
/// colour-blind readers).
let palette = SVGChart.palette

/// A small self-contained SVG chart: points (optionally joined) per series, axes
/// with "nice" ticks, axis titles and a legend. No scripts, no external resources.
struct ScatterChart {
  struct Series {
    var name: String
    var color: String
    /// (x, y, filled): hollow points are drawn as rings.
    var points: [(x: Double, y: Double, filled: Bool)]
    var joined = false
  }

  var title: String
  var xTitle: String
  var yTitle: String
  var series: [Series]
  var width = 520.0
  var height = 320.0
  /// A horizontal reference line (e.g. a threshold), with its label.
  var referenceY: (value: Double, label: String)?

  func svg() -> String {
    let left = 70.0
    let right = 150.0
    let top = 30.0
    let bottom = 48.0
    let xs = series.flatMap { $0.points.map(\.x) }.filter(\.isFinite)
    var ys = series.flatMap { $0.points.map(\.y) }.filter(\.isFinite)
    if let r = referenceY { ys.append(r.value) }
    let (x0, x1) = ScatterChart.span(xs)
    let (y0, y1) = ScatterChart.span(ys)
    let pw = width - left - right
    let ph = height - top - bottom
    func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * pw }
    func py(_ y: Double) -> Double { top + ph - (y - y0) / (y1 - y0) * ph }
    var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
    s +=
      "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\" font-family=\"sans-serif\" font-size=\"11\">\n"
    s += "<text x=\"\(left)\" y=\"18\" font-size=\"13\" font-weight=\"bold\">\(HTML.escape(title))</text>\n"
    s += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(pw)\" height=\"\(ph)\" fill=\"none\" stroke=\"#999\"/>\n"
    for t in ScatterChart.ticks(x0, x1) {
      s += "<line x1=\"\(f(px(t)))\" y1=\"\(top + ph)\" x2=\"\(f(px(t)))\" y2=\"\(top + ph + 4)\" stroke=\"#999\"/>"
      s += "<text x=\"\(f(px(t)))\" y=\"\(top + ph + 16)\" text-anchor=\"middle\">\(label(t))</text>\n"
    }
    for t in ScatterChart.ticks(y0, y1) {
      s += "<line x1=\"\(left - 4)\" y1=\"\(f(py(t)))\" x2=\"\(left + pw)\" y2=\"\(f(py(t)))\" stroke=\"#eee\"/>"
      s += "<text x=\"\(left - 6)\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(label(t))</text>\n"
    }
    s += "<text x=\"\(left + pw / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\">\(HTML.escape(xTitle))</text>\n"
    s += "<text transform=\"translate(14,\(top + ph / 2)) rotate(-90)\" text-anchor=\"middle\">\(HTML.escape(yTitle))</text>\n"
    if let r = referenceY {
      s +=
        "<line x1=\"\(left)\" y1=\"\(f(py(r.value)))\" x2=\"\(left + pw)\" y2=\"\(f(py(r.value)))\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>"
      s += "<text x=\"\(left + pw - 4)\" y=\"\(f(py(r.value) - 4))\" text-anchor=\"end\" fill=\"#555\">\(HTML.escape(r.label))</text>\n"
    }
    for series in self.series {
      let color = HTML.escape(series.color)
      let pts = series.points.filter { $0.x.isFinite && $0.y.isFinite }
      if series.joined, pts.count > 1 {
        let path = pts.sorted { $0.x < $1.x }.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
        s += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>\n"
      }
      for p in pts {
        let fill = p.filled ? color : "white"
        s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3.2\" fill=\"\(fill)\" stroke=\"\(color)\" stroke-width=\"1.2\"/>"
      }
      s += "\n"
    }
    for (i, series) in self.series.enumerated() {
      let y = top + 8 + Double(i) * 16
      s += "<circle cx=\"\(left + pw + 14)\" cy=\"\(y)\" r=\"4\" fill=\"\(HTML.escape(series.color))\"/>"
      s += "<text x=\"\(left + pw + 24)\" y=\"\(y + 4)\">\(HTML.escape(series.name))</text>\n"
    }
    s += "</svg>"
    return s
  }

  func f(_ x: Double) -> String { String(format: "%.1f", x) }

  /// The data span, widened a little (and made non-empty).
  static func span(_ values: [Double]) -> (Double, Double) {
    guard let lo = values.min(), let hi = values.max() else { return (0, 1) }
    if lo == hi { return lo == 0 ? (-1, 1) : (lo - abs(lo) * 0.1, hi + abs(hi) * 0.1) }
    let pad = (hi - lo) * 0.05
    return (lo - pad, hi + pad)
  }

  /// About five round tick values inside [lo, hi].
  static func ticks(_ lo: Double, _ hi: Double) -> [Double] {
    let raw = (hi - lo) / 5
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    var t = (lo / step).rounded(.up) * step
    var out: [Double] = []
    while t <= hi + step * 1e-9 && out.count < 20 {
      out.append(abs(t) < step * 1e-9 ? 0 : t)
      t += step
    }
    return out
  }
}

/// Horizontal bars around a centre value (a tornado chart) or from zero (index
/// bars with intervals).
struct BarChart {
  struct Bar {
    var label: String
    /// From and to (a tornado bar goes from the low-end output to the high-end output).
    var from: Double
    var to: Double
    var color: String
    /// An interval drawn as a whisker (nil: none).
    var interval: (Double, Double)?
    var note = ""
  }

  var title: String
  var axisTitle: String
  var bars: [Bar]
  var centre: Double?
  var width = 640.0

  func svg() -> String {
    let left = 260.0
    let right = 110.0
    let top = 30.0
    let rowH = 22.0
    let height = top + rowH * Double(max(bars.count, 1)) + 44
    var values = bars.flatMap { [$0.from, $0.to] + ($0.interval.map { [$0.0, $0.1] } ?? []) }.filter(\.isFinite)
    if let c = centre { values.append(c) }
    let (x0, x1) = ScatterChart.span(values)
    let pw = width - left - right
    func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * pw }
    func f(_ x: Double) -> String { String(format: "%.1f", x) }
    var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
    s +=
      "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\" font-family=\"sans-serif\" font-size=\"11\">\n"
    s += "<text x=\"10\" y=\"18\" font-size=\"13\" font-weight=\"bold\">\(HTML.escape(title))</text>\n"
    let bottom = top + rowH * Double(bars.count)
    for t in ScatterChart.ticks(x0, x1) {
      s += "<line x1=\"\(f(px(t)))\" y1=\"\(top)\" x2=\"\(f(px(t)))\" y2=\"\(bottom + 4)\" stroke=\"#eee\"/>"
      s += "<text x=\"\(f(px(t)))\" y=\"\(bottom + 16)\" text-anchor=\"middle\">\(label(t))</text>\n"
    }
    if let c = centre {
      s += "<line x1=\"\(f(px(c)))\" y1=\"\(top - 4)\" x2=\"\(f(px(c)))\" y2=\"\(bottom)\" stroke=\"#333\"/>\n"
    }
    for (i, bar) in bars.enumerated() {
      let y = top + rowH * Double(i)
      let a = px(min(bar.from, bar.to))
      let b = px(max(bar.from, bar.to))
      s += "<text x=\"\(left - 6)\" y=\"\(f(y + 15))\" text-anchor=\"end\">\(HTML.escape(bar.label))</text>"
      s += "<rect x=\"\(f(a))\" y=\"\(f(y + 4))\" width=\"\(f(max(b - a, 1)))\" height=\"\(rowH - 8)\" fill=\"\(HTML.escape(bar.color))\"/>"
      if let (lo, hi) = bar.interval, lo.isFinite, hi.isFinite {
        s += "<line x1=\"\(f(px(lo)))\" y1=\"\(f(y + rowH / 2))\" x2=\"\(f(px(hi)))\" y2=\"\(f(y + rowH / 2))\" stroke=\"#000\"/>"
      }
      if !bar.note.isEmpty {
        s += "<text x=\"\(f(left + pw + 6))\" y=\"\(f(y + 15))\">\(HTML.escape(bar.note))</text>"
      }
      s += "\n"
    }
    s += "<text x=\"\(left + pw / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\">\(HTML.escape(axisTitle))</text>\n"
    s += "</svg>"
    return s
  }
}

/// A self-contained HTML page (inline CSS, no scripts).
struct HTMLPage {
  var title: String
  var body = ""

  mutating func heading(_ text: String, level: Int = 2) { body += "<h\(level)>\(HTML.escape(text))</h\(level)>\n" }
  mutating func paragraph(_ text: String) { body += "<p>\(HTML.escape(text))</p>\n" }
  /// Raw, already-safe markup (SVG built here, escaped tables).
  mutating func raw(_ markup: String) { body += markup + "\n" }

  mutating func table(_ header: [String], _ rows: [[String]]) {
    body += "<table><thead><tr>" + header.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
    for row in rows { body += "<tr>" + row.map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>\n" }
    body += "</tbody></table>\n"
  }

  var html: String {
    """
    <!DOCTYPE html>
    <html lang="en-GB"><head><meta charset="utf-8"><title>\(HTML.escape(title))</title>
    <style>
    body{font-family:sans-serif;max-width:1100px;margin:1.5em auto;padding:0 1em;color:#222}
    table{border-collapse:collapse;margin:0.6em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:0.9em}
    th{background:#f3f3f3}.charts{display:flex;flex-wrap:wrap;gap:12px}.note{color:#555;font-size:0.9em}
    </style></head><body>
    <h1>\(HTML.escape(title))</h1>
    \(body)
    </body></html>

    """
  }
}
