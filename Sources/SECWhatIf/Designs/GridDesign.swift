/// A full factorial grid: `levels` equally spaced values per parameter, 0 and 1
/// included (one level: the midpoint), every combination; the first parameter
/// varies slowest.
public enum GridDesign {
  public static func points(levels: Int, dimensions d: Int) -> [[Double]] {
    precondition(levels >= 1 && d >= 1)
    let values = (0..<levels).map { levels == 1 ? 0.5 : Double($0) / Double(levels - 1) }
    var points: [[Double]] = [[]]
    for _ in 0..<d {
      points = points.flatMap { p in values.map { p + [$0] } }
    }
    return points
  }
}
