/// The policy frontier of one design point (issue 15): each policy's horizon
/// assessor days (a cost: less is better) against its risk-weighted FUSA coverage
/// (a benefit: more is better). A policy is dominated when another policy at the
/// same design point needs no more days and covers no less, and is strictly better
/// in one of the two; the others are non-dominated (the trade-off the SSC decides).
public enum PolicyFrontier {
  /// Whether each (days, coverage) pair is non-dominated among `points`.
  public static func nonDominated(_ points: [(days: Double, coverage: Double)]) -> [Bool] {
    points.indices.map { i in
      !points.indices.contains { k in
        k != i && points[k].days <= points[i].days && points[k].coverage >= points[i].coverage
          && (points[k].days < points[i].days || points[k].coverage > points[i].coverage)
      }
    }
  }
}
