import Foundation
import SECEngine

/// The backtest (issue 17, docs/validation.md): observed market series read from a
/// CSV, scored against a run's simulated distributions of the same market metrics.

/// How an observed point was used: to set a parameter, or held out for the test.
public enum ObservedUse: String, Sendable, Hashable, CaseIterable {
  case calibration
  case heldOut = "held_out"
}

/// One observed value of a market metric in one year.
public struct ObservedPoint: Sendable, Hashable {
  public var metric: MarketMetric
  public var year: Int
  public var value: Double
  public var source: String
  public var use: ObservedUse
  /// Line of the observed CSV it came from (1-based; the header is line 1).
  public var line: Int

  public init(metric: MarketMetric, year: Int, value: Double, source: String, use: ObservedUse, line: Int = 0) {
    self.metric = metric
    self.year = year
    self.value = value
    self.source = source
    self.use = use
    self.line = line
  }
}

/// A problem in an observed CSV, located by file, line and column (1-based).
public struct ObservedCSVError: Error, CustomStringConvertible, Sendable {
  public var file: String
  public var line: Int
  public var column: Int
  public var message: String
  public var description: String { "\(file):\(line):\(column): error: \(message)" }
}

/// The observed-series CSV: header `series,year,value,source,use` (any order, no
/// other columns), one row per series × year; RFC 4180 quoting.
public enum ObservedCSV {
  public static let columns = ["series", "year", "value", "source", "use"]

  /// Parses `text`; the first problem found is thrown. `years`, if given, is the
  /// range of calendar years the run simulates: points outside it are errors.
  public static func parse(_ text: String, file: String, years: ClosedRange<Int>? = nil) throws -> [ObservedPoint] {
    func fail(_ line: Int, _ column: Int, _ message: String) -> ObservedCSVError {
      ObservedCSVError(file: file, line: line, column: column, message: message)
    }
    let rows = try split(text, file: file)
    guard let header = rows.first else { throw fail(1, 1, "empty file; expected the header \(columns.joined(separator: ","))") }
    var index: [String: Int] = [:]
    for (k, cell) in header.cells.enumerated() {
      let name = cell.text.trimmingCharacters(in: .whitespaces)
      guard columns.contains(name) else {
        throw fail(header.line, cell.column, "unknown column '\(name)'; expected the columns \(columns.joined(separator: ","))")
      }
      guard index[name] == nil else { throw fail(header.line, cell.column, "column '\(name)' appears twice") }
      index[name] = k
    }
    for name in columns where index[name] == nil {
      throw fail(header.line, 1, "missing column '\(name)'; expected the columns \(columns.joined(separator: ","))")
    }
    var points: [ObservedPoint] = []
    var seen: [String: Int] = [:]
    for row in rows.dropFirst() {
      if row.cells.count == 1 && row.cells[0].text.isEmpty { continue }  // blank line
      guard row.cells.count == header.cells.count else {
        let column = row.cells.count > header.cells.count ? row.cells[header.cells.count].column : (row.cells.last?.column ?? 1)
        throw fail(row.line, column, "expected \(header.cells.count) fields, found \(row.cells.count)")
      }
      func cell(_ name: String) -> (text: String, column: Int) {
        let c = row.cells[index[name]!]
        return (c.text.trimmingCharacters(in: .whitespaces), c.column)
      }
      let s = cell("series")
      guard let metric = MarketMetric.allCases.first(where: { $0.name == s.text }) else {
        throw fail(
          row.line, s.column,
          "series: expected a market metric (\(MarketMetric.allCases.map(\.name).joined(separator: ", "))), found '\(s.text)'")
      }
      let y = cell("year")
      guard let year = Int(y.text) else { throw fail(row.line, y.column, "year: expected a whole number, found '\(y.text)'") }
      if let years, !years.contains(year) {
        throw fail(
          row.line, y.column, "year: expected a year the scenario simulates (\(years.lowerBound)-\(years.upperBound)), found \(year)")
      }
      let v = cell("value")
      guard let value = Double(v.text), value.isFinite else {
        throw fail(row.line, v.column, "value: expected a number, found '\(v.text)'")
      }
      if value < 0 { throw fail(row.line, v.column, "value: expected a number ≥ 0, found \(v.text)") }
      if metric.unit == .ppm && value > 1 {
        throw fail(row.line, v.column, "value: \(metric.name) is a share, expected a fraction 0-1, found \(v.text)")
      }
      let u = cell("use")
      guard let use = ObservedUse(rawValue: u.text) else {
        throw fail(row.line, u.column, "use: expected calibration or held_out, found '\(u.text)'")
      }
      let key = "\(metric.name) \(year)"
      if let first = seen[key] {
        throw fail(row.line, s.column, "\(metric.name) \(year) given twice (first on line \(first))")
      }
      seen[key] = row.line
      points.append(ObservedPoint(metric: metric, year: year, value: value, source: cell("source").text, use: use, line: row.line))
    }
    if points.isEmpty { throw fail(header.line + 1, 1, "no observed points") }
    return points
  }

  struct Row {
    var line: Int
    var cells: [(text: String, column: Int)]
  }

  /// RFC 4180 rows with the line and column where each field starts.
  static func split(_ text: String, file: String) throws -> [Row] {
    var rows: [Row] = []
    var cells: [(text: String, column: Int)] = []
    var field = ""
    var fieldColumn = 1
    var line = 1
    var column = 1
    var rowLine = 1
    var quoted = false
    var atFieldStart = true
    var afterQuote = false
    var chars = Array(text.unicodeScalars.map(Character.init))
    if chars.last != "\n" { chars.append("\n") }
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if quoted {
        if c == "\"" {
          if i + 1 < chars.count && chars[i + 1] == "\"" {
            field.append("\"")
            i += 2
            column += 2
            continue
          }
          quoted = false
          afterQuote = true
        } else {
          field.append(c)
          if c == "\n" {
            line += 1
            column = 0
          }
        }
      } else if c == "\"" && atFieldStart {
        quoted = true
        atFieldStart = false
      } else if c == "," || c == "\n" || c == "\r" {
        if c == "\r" && i + 1 < chars.count && chars[i + 1] == "\n" {
          i += 1
        }
        cells.append((field, fieldColumn))
        field = ""
        atFieldStart = true
        afterQuote = false
        if c == "," {
          fieldColumn = column + 1
        } else {
          rows.append(Row(line: rowLine, cells: cells))
          cells = []
          line += 1
          column = 0
          rowLine = line
          fieldColumn = 1
        }
      } else {
        if afterQuote {
          throw ObservedCSVError(file: file, line: line, column: column, message: "unexpected character after a closing quote")
        }
        field.append(c)
        atFieldStart = false
      }
      i += 1
      column += 1
    }
    if quoted { throw ObservedCSVError(file: file, line: rowLine, column: fieldColumn, message: "quoted field never closed") }
    return rows
  }
}

/// One scored point: the observation against the simulated distribution of its year.
public struct BacktestRow: Sendable, Hashable {
  public var point: ObservedPoint
  public var p05: Double
  public var p50: Double
  public var p95: Double
  /// p05 ≤ observed ≤ p95.
  public var inside: Bool
  /// The observed value's mid-rank percentile (0–100) in the simulated distribution.
  public var percentile: Double
}

/// Coverage and error of one group of points (a series, or all series, by use).
public struct BacktestScore: Sendable, Hashable {
  public var points: Int
  public var inside: Int
  public var coverage: Double { points > 0 ? Double(inside) / Double(points) : .nan }
  /// Median of |observed − p50| / observed × 100 over points with observed ≠ 0 (NaN if none).
  public var medianAbsolutePercentageError: Double

  public init(_ rows: [BacktestRow]) {
    points = rows.count
    inside = rows.filter(\.inside).count
    let apes = rows.filter { $0.point.value != 0 }.map { abs($0.point.value - $0.p50) / abs($0.point.value) * 100 }.sorted()
    if apes.isEmpty {
      medianAbsolutePercentageError = .nan
    } else if apes.count % 2 == 1 {
      medianAbsolutePercentageError = apes[apes.count / 2]
    } else {
      medianAbsolutePercentageError = (apes[apes.count / 2 - 1] + apes[apes.count / 2]) / 2
    }
  }
}

public enum Backtest {
  public static let files = ["backtest.csv", "backtest.html"]
  public static let header = ["series", "year", "use", "observed", "p05", "p50", "p95", "inside", "percentile", "source"]

  /// Scores every observed point against the run's market slot of its year.
  public static func evaluate(_ state: RunState, startYear: Int, points: [ObservedPoint]) -> [BacktestRow] {
    points.map { point in
      let t = point.year - startYear
      let slot = state.layout.marketSlot(t: t, metric: point.metric)
      let scale = point.metric.unit.scale
      let s = state.bank.summary(slot, scale: scale)
      // Shares are compared in the metric's integer unit (ppm), as the run stores them.
      let observed = Double(point.metric.unit.integer(point.value)) / scale
      return BacktestRow(
        point: point, p05: s.p05, p50: s.p50, p95: s.p95, inside: s.p05 <= observed && observed <= s.p95,
        percentile: percentile(state.bank, slot: slot, value: point.metric.unit.integer(point.value)))
    }
  }

  /// Mid-rank percentile of `value` (in the slot's integer unit) from the exact
  /// histogram state: 100 × (replicates below + ½ × replicates in the same bucket) / n,
  /// 0 below the simulated minimum and 100 above the maximum. Buckets below 128 units
  /// hold one value each, so for counts under 128 this is the exact mid-rank; above,
  /// "the same bucket" is within 1/128 of the value (HistogramLayout).
  public static func percentile(_ bank: AccumulatorBank, slot: Int, value: Int64) -> Double {
    let n = bank.counts[slot]
    guard n > 0 else { return .nan }
    if value < bank.minima[slot] { return 0 }
    if value > bank.maxima[slot] { return 100 }
    let layout = bank.layouts[slot]
    let target = layout.index(of: value).index
    var below: UInt64 = 0
    let base = bank.offsets[slot]
    for i in 0..<target { below += UInt64(bank.buckets[base + i]) }
    let same = Double(bank.buckets[base + target])
    return 100 * (Double(below) + same / 2) / Double(n)
  }

  /// backtest.csv: one row per observed point, in the observed file's order.
  public static func csv(_ rows: [BacktestRow]) -> String {
    var csv = CSVWriter(header: header)
    for r in rows {
      csv.appendRow([
        .text(r.point.metric.name), .integer(Int64(r.point.year)), .text(r.point.use.rawValue), .number(r.point.value),
        .number(r.p05), .number(r.p50), .number(r.p95), .integer(r.inside ? 1 : 0), .number((r.percentile * 10).rounded() / 10),
        .text(r.point.source),
      ])
    }
    return csv.text
  }

  /// The report page: headline tables (by series and use, then overall) and one chart
  /// per observed series, the simulated p05–p95 fan and median with the observed
  /// points on top; a point outside the band is drawn as a red cross and listed.
  public static func html(
    _ rows: [BacktestRow], state: RunState, startYear: Int, years: Int, scenarioName: String, observedFile: String,
    replicates: Int, seed: UInt64
  ) -> String {
    let e = HTML.escape
    var h = """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><title>Backtest: \(e(scenarioName))</title>
      <style>body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em}table{border-collapse:collapse;margin:1em 0}
      td,th{border:1px solid #999;padding:.2em .5em;text-align:right}th{background:#eee}td.l,th.l{text-align:left}
      .miss{color:#B00020;font-weight:bold}</style></head><body>
      <h1>Backtest of \(e(scenarioName))</h1>
      <p>Observed series: <code>\(e(observedFile))</code>. \(replicates) replicates, seed \(seed).
      A point is <em>inside</em> when it lies in the simulated p05–p95 band of its year; MdAPE is the median absolute
      percentage error of the simulated median. Calibration points informed the scenario's parameters; held-out points did not
      and are the honest test.</p>

      """
    let metrics = MarketMetric.allCases.filter { m in rows.contains { $0.point.metric == m } }
    h +=
      "<h2>Headline</h2>\n<table><tr><th class=\"l\">series</th><th class=\"l\">points</th><th>n</th><th>inside p05–p95</th><th>coverage</th><th>MdAPE %</th></tr>\n"
    func scoreRow(_ label: String, _ use: String, _ subset: [BacktestRow]) -> String {
      let s = BacktestScore(subset)
      return
        "<tr><td class=\"l\">\(e(label))</td><td class=\"l\">\(use)</td><td>\(s.points)</td><td>\(s.inside)</td><td>\(pct(s.coverage))</td><td>\(num(s.medianAbsolutePercentageError))</td></tr>\n"
    }
    for m in metrics {
      for use in ObservedUse.allCases {
        let subset = rows.filter { $0.point.metric == m && $0.point.use == use }
        if !subset.isEmpty { h += scoreRow(m.name, use.rawValue, subset) }
      }
    }
    for use in ObservedUse.allCases {
      h += scoreRow("all series", use.rawValue, rows.filter { $0.point.use == use })
    }
    h += "</table>\n"
    let misses = rows.filter { !$0.inside }
    h += "<h2>Misses (\(misses.count) of \(rows.count) points)</h2>\n"
    if misses.isEmpty {
      h += "<p>None.</p>\n"
    } else {
      h +=
        "<table><tr><th class=\"l\">series</th><th>year</th><th class=\"l\">use</th><th>observed</th><th>p05</th><th>p50</th><th>p95</th><th>percentile</th></tr>\n"
      for r in misses {
        h +=
          "<tr class=\"miss\"><td class=\"l\">\(r.point.metric.name)</td><td>\(r.point.year)</td><td class=\"l\">\(r.point.use.rawValue)</td><td>\(num(r.point.value))</td><td>\(num(r.p05))</td><td>\(num(r.p50))</td><td>\(num(r.p95))</td><td>\(num(r.percentile))</td></tr>\n"
      }
      h += "</table>\n"
    }
    h += "<h2>Series</h2>\n"
    for m in metrics {
      var band: [(year: Int, low: Double, mid: Double, high: Double)] = []
      for t in 0..<years {
        let s = state.bank.summary(state.layout.marketSlot(t: t, metric: m), scale: m.unit.scale)
        band.append((startYear + t, s.p05, s.p50, s.p95))
      }
      h += "<h3>\(m.name)</h3>\n" + chart(metric: m, band: band, rows: rows.filter { $0.point.metric == m }) + "\n"
    }
    h += "</body></html>\n"
    return h
  }

  static func pct(_ x: Double) -> String { x.isNaN ? "–" : String(format: "%.0f%%", x * 100) }
  static func num(_ x: Double) -> String {
    if x.isNaN { return "–" }
    if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
    return String(format: abs(x) < 1 ? "%.3f" : "%.1f", x)
  }

  /// One SVG chart: band, median, observed points (calibration filled, held-out open;
  /// misses as red crosses).
  static func chart(metric: MarketMetric, band: [(year: Int, low: Double, mid: Double, high: Double)], rows: [BacktestRow]) -> String {
    let (w, hgt, l, r, t, b) = (720.0, 320.0, 70.0, 560.0, 30.0, 270.0)
    let xs = band.map { Double($0.year) } + rows.map { Double($0.point.year) }
    let ys = band.flatMap { [$0.low, $0.high] } + rows.map(\.point.value)
    let x0 = (xs.min() ?? 0) - 0.5
    let x1 = (xs.max() ?? 1) + 0.5
    // Counts from zero; shares zoomed to the data (a 0.84 vs 0.86 gap must be visible).
    let lo = ys.min() ?? 0
    let hi = ys.max() ?? 1
    let pad = max((hi - lo) * 0.1, metric.unit == .ppm ? 0.005 : 0.5)
    var y0 = metric.unit == .ppm ? max(0, lo - pad) : min(0, lo)
    var y1 = hi + pad
    if y1 <= y0 {
      y0 -= 1
      y1 += 1
    }
    func px(_ x: Double) -> Double { l + (x - x0) / (x1 - x0) * (r - l) }
    func py(_ y: Double) -> Double { b - (y - y0) / (y1 - y0) * (b - t) }
    func f(_ v: Double) -> String { String(format: "%.1f", v) }
    let e = HTML.escape
    var s =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(w)) \(Int(hgt))\" width=\"\(Int(w))\" height=\"\(Int(hgt))\" role=\"img\">"
    s += "<title>\(e(metric.name)): simulated p05–p95 and median, observed points</title>"
    s += "<rect x=\"\(f(l))\" y=\"\(f(t))\" width=\"\(f(r - l))\" height=\"\(f(b - t))\" fill=\"none\" stroke=\"#999\"/>"
    for k in 0...4 {
      let v = y0 + (y1 - y0) * Double(k) / 4
      s += "<line x1=\"\(f(l - 4))\" y1=\"\(f(py(v)))\" x2=\"\(f(l))\" y2=\"\(f(py(v)))\" stroke=\"#999\"/>"
      s +=
        "<text x=\"\(f(l - 6))\" y=\"\(f(py(v) + 4))\" font-size=\"11\" text-anchor=\"end\">\(num(metric.unit == .ppm ? (v * 1000).rounded() / 1000 : (y1 - y0 < 8 ? (v * 10).rounded() / 10 : v.rounded())))</text>"
    }
    for p in band {
      s += "<text x=\"\(f(px(Double(p.year))))\" y=\"\(f(b + 16))\" font-size=\"11\" text-anchor=\"middle\">\(p.year)</text>"
    }
    s += "<text x=\"\(f((l + r) / 2))\" y=\"\(f(b + 34))\" font-size=\"12\" text-anchor=\"middle\">year (year end)</text>"
    s +=
      "<text x=\"14\" y=\"\(f((t + b) / 2))\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(f((t + b) / 2)))\">\(e(metric.name))\(metric.unit == .ppm ? " (fraction)" : "")</text>"
    let upper = band.map { "\(f(px(Double($0.year)))),\(f(py($0.high)))" }
    let lower = band.reversed().map { "\(f(px(Double($0.year)))),\(f(py($0.low)))" }
    s += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"#0072B2\" fill-opacity=\"0.25\" stroke=\"none\"/>"
    s +=
      "<polyline points=\"\(band.map { "\(f(px(Double($0.year)))),\(f(py($0.mid)))" }.joined(separator: " "))\" fill=\"none\" stroke=\"#0072B2\" stroke-width=\"2\"/>"
    for row in rows {
      let cx = px(Double(row.point.year))
      let cy = py(row.point.value)
      let tip =
        "<title>\(row.point.year): observed \(num(row.point.value)) (\(row.point.use.rawValue)); p05 \(num(row.p05)), p50 \(num(row.p50)), p95 \(num(row.p95))\(row.inside ? "" : ": MISS")</title>"
      if row.inside {
        let fill = row.point.use == .calibration ? "#000" : "#fff"
        s += "<circle cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"5\" fill=\"\(fill)\" stroke=\"#000\" stroke-width=\"1.5\">\(tip)</circle>"
      } else {
        s +=
          "<g stroke=\"#B00020\" stroke-width=\"3\"><line x1=\"\(f(cx - 6))\" y1=\"\(f(cy - 6))\" x2=\"\(f(cx + 6))\" y2=\"\(f(cy + 6))\"/><line x1=\"\(f(cx - 6))\" y1=\"\(f(cy + 6))\" x2=\"\(f(cx + 6))\" y2=\"\(f(cy - 6))\"/>\(tip)</g>"
        s += "<text x=\"\(f(cx + 8))\" y=\"\(f(cy - 8))\" font-size=\"11\" fill=\"#B00020\">miss</text>"
      }
    }
    // Legend.
    let lx = r + 16
    s +=
      "<rect x=\"\(f(lx))\" y=\"\(f(t + 4))\" width=\"18\" height=\"10\" fill=\"#0072B2\" fill-opacity=\"0.25\"/><text x=\"\(f(lx + 24))\" y=\"\(f(t + 13))\" font-size=\"11\">simulated p05–p95</text>"
    s +=
      "<line x1=\"\(f(lx))\" y1=\"\(f(t + 28))\" x2=\"\(f(lx + 18))\" y2=\"\(f(t + 28))\" stroke=\"#0072B2\" stroke-width=\"2\"/><text x=\"\(f(lx + 24))\" y=\"\(f(t + 32))\" font-size=\"11\">simulated median</text>"
    s +=
      "<circle cx=\"\(f(lx + 9))\" cy=\"\(f(t + 46))\" r=\"5\" fill=\"#000\"/><text x=\"\(f(lx + 24))\" y=\"\(f(t + 50))\" font-size=\"11\">observed, calibration</text>"
    s +=
      "<circle cx=\"\(f(lx + 9))\" cy=\"\(f(t + 64))\" r=\"5\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"1.5\"/><text x=\"\(f(lx + 24))\" y=\"\(f(t + 68))\" font-size=\"11\">observed, held out</text>"
    s +=
      "<g stroke=\"#B00020\" stroke-width=\"3\"><line x1=\"\(f(lx + 3))\" y1=\"\(f(t + 76))\" x2=\"\(f(lx + 15))\" y2=\"\(f(t + 88))\"/><line x1=\"\(f(lx + 3))\" y1=\"\(f(t + 88))\" x2=\"\(f(lx + 15))\" y2=\"\(f(t + 76))\"/></g><text x=\"\(f(lx + 24))\" y=\"\(f(t + 86))\" font-size=\"11\">observed, outside band (miss)</text>"
    s += "</svg>"
    return s
  }
}
