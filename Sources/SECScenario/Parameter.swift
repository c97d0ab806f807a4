// A number in a scenario: one value or a per-year series, with the source label
// and citation the engine copies into its outputs (MODEL.md §5, §9 "Uncertainty labels").

/// Where a parameter's value comes from (CALIBRATION.md's three labels plus
/// "assumption" for a value no public figure supports).
public enum SourceLabel: String, Sendable, Hashable, CaseIterable, Codable {
  /// Stated by the cited page.
  case sourced
  /// Arithmetic on sourced values (the citation shows the arithmetic).
  case derived
  /// Not the quantity wanted: the closest public figure, used as a stand-in.
  case proxy
  /// No public figure; the scenario's author chose it.
  case assumption
}

/// A source label and its citation text (e.g. "CALIBRATION §3 G-Cloud 12 SFIA rate card").
public struct Provenance: Sendable, Hashable, Codable, CustomStringConvertible {
  public var label: SourceLabel
  /// Citation; empty for a bare assumption.
  public var source: String

  public init(_ label: SourceLabel, _ source: String = "") {
    self.label = label
    self.source = source
  }

  /// A bare number's provenance: an assumption without citation.
  public static let assumption = Provenance(.assumption)

  /// `proxy: CALIBRATION §3 …` (or just the label when there is no citation).
  public var description: String { source.isEmpty ? label.rawValue : "\(label.rawValue): \(source)" }
}

/// A scenario number: one value for every year, or a per-year series, with its
/// provenance. In YAML: `0.05`, `{2025: 0.02, 2027: 0.05}`, `[0.02, 0.03, …]`
/// (aligned with the years from `start_year`), or any of these as
/// `{value: …, label: proxy, source: "…"}`.
public struct Parameter: Sendable, Hashable, CustomStringConvertible {
  /// The values: a constant, or (year, value) pairs in increasing year order.
  public enum Values: Sendable, Hashable {
    case constant(Double)
    /// Years strictly increasing, one value each, at least one pair.
    case series(years: [Int], values: [Double])
  }

  public var values: Values
  public var provenance: Provenance

  public init(_ value: Double, _ provenance: Provenance = .assumption) {
    self.values = .constant(value)
    self.provenance = provenance
  }

  /// A per-year series; pairs are sorted by year. Precondition: not empty.
  public init(series: [Int: Double], _ provenance: Provenance = .assumption) {
    precondition(!series.isEmpty, "a series needs at least one year")
    let years = series.keys.sorted()
    self.values = .series(years: years, values: years.map { series[$0]! })
    self.provenance = provenance
  }

  /// The value in force in `year`: a constant's value; for a series, the value of the
  /// latest year at or before `year` (a step function), or the first value before the
  /// series starts.
  @inlinable public func value(inYear year: Int) -> Double {
    switch values {
    case .constant(let v): return v
    case .series(let years, let values):
      var result = values[0]
      for i in years.indices where years[i] <= year { result = values[i] }
      return result
    }
  }

  /// Every value the parameter can take (for range checks).
  public var allValues: [Double] {
    switch values {
    case .constant(let v): return [v]
    case .series(_, let values): return values
    }
  }

  /// Whether it is one number for every year.
  public var isConstant: Bool {
    if case .constant = values { return true }
    return false
  }

  /// The label travels into outputs; `assumption` and `proxy` must be shown beside figures.
  public var label: SourceLabel { provenance.label }

  public var description: String {
    switch values {
    case .constant(let v): return "\(formatNumber(v)) (\(provenance))"
    case .series(let years, let values):
      let pairs = zip(years, values).map { "\($0): \(formatNumber($1))" }.joined(separator: ", ")
      return "{\(pairs)} (\(provenance))"
    }
  }
}

/// A number as a scenario file writes it: integers without a decimal point,
/// others in Swift's shortest round-tripping form.
func formatNumber(_ v: Double) -> String {
  if v.isInfinite { return v > 0 ? ".inf" : "-.inf" }
  if v.isNaN { return ".nan" }
  if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
  return "\(v)"
}
