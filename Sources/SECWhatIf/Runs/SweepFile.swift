import Foundation
import SECOutput

/// sweep.csv read back (for `secsim discover`): the parameter columns (those between
/// `point` and `policy`), and per design point the parameter values and each
/// (policy, metric)'s horizon total and yearly means.
public struct SweepFile: Sendable {
  public let parameters: [String]
  /// Parameter values per point, in point order.
  public let values: [[Double]]
  /// Policies in file order (`market` included when present).
  public let policies: [String]
  /// Year labels: the calendar years of the `mean_YYYY` columns, then `total`.
  public let years: [String]
  /// [point][policy/metric key] → values per year label index (last = total).
  let table: [[String: [Double]]]

  /// Reads the sweep.csv in `folder`.
  public init(folder: URL) throws(WhatIfError) {
    let url = folder.appendingPathComponent("sweep.csv")
    guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
      throw .invalidInput("\(url.path): no sweep.csv there (give the --out folder of `secsim sweep`)")
    }
    try self.init(csv: text, name: url.path)
  }

  public init(csv text: String, name: String) throws(WhatIfError) {
    // The writer's own reader (RFC 4180), with its injection guard taken off each cell.
    let rows = CSVReader.parse(text).map { $0.map(CSVReader.unguarded) }
    guard let header = rows.first, header.first == "point", let policyColumn = header.firstIndex(of: "policy"),
      header.count > policyColumn + 3, header[policyColumn + 1] == "metric", header[policyColumn + 2] == "total_mean"
    else {
      throw .invalidInput("\(name):1: expected the sweep.csv header (point, parameters…, policy, metric, total_mean, total_se, mean_YYYY…)")
    }
    parameters = Array(header[1..<policyColumn])
    let yearColumns = Array(header[(policyColumn + 4)...])
    years = yearColumns.map { String($0.dropFirst("mean_".count)) } + ["total"]
    var values: [[Double]] = []
    var table: [[String: [Double]]] = []
    var policies: [String] = []
    for (n, row) in rows.enumerated().dropFirst() where !(row.count == 1 && row[0].isEmpty) {
      guard row.count == header.count, let point = Int(row[0]), point >= 1 else {
        throw .invalidInput("\(name):\(n + 1): expected \(header.count) fields starting with a point number")
      }
      func number(_ i: Int) throws(WhatIfError) -> Double {
        if row[i].isEmpty { return .nan }
        guard let v = Double(row[i]) else {
          throw .invalidInput("\(name):\(n + 1): column \(header[i]): expected a number, found \"\(row[i])\"")
        }
        return v
      }
      if point > values.count {
        guard point == values.count + 1 else { throw .invalidInput("\(name):\(n + 1): point \(point) out of order") }
        values.append(try (1..<policyColumn).map { i throws(WhatIfError) in try number(i) })
        table.append([:])
      }
      let policy = row[policyColumn]
      if !policies.contains(policy) { policies.append(policy) }
      var series = try ((policyColumn + 4)..<row.count).map { i throws(WhatIfError) in try number(i) }
      series.append(try number(policyColumn + 2))
      table[point - 1][policy + "\u{1}" + row[policyColumn + 1]] = series
    }
    guard !values.isEmpty else { throw .invalidInput("\(name): no design points") }
    self.values = values
    self.table = table
    self.policies = policies
  }

  /// The mean of `metric` for `policy` at every point in year `year` (`total` or a
  /// calendar year), or nil when the file has no such rows.
  public func series(policy: String, metric: String, year: String) -> [Double]? {
    guard let t = years.firstIndex(of: year) else { return nil }
    var out: [Double] = []
    for point in table {
      guard let v = point[policy + "\u{1}" + metric] else { return nil }
      out.append(v[t])
    }
    return out
  }
}
