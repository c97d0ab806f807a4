/// A static assignment of replicates to workers (MODEL.md §10): replicates are
/// grouped into fixed blocks of `blockSize`, and block b goes to worker b mod W.
/// Because accumulators merge exactly, results never depend on the plan; the plan
/// only fixes who does what, so it can be recorded in `run.json`.
public struct WorkPlan: Sendable, Hashable {
  /// First replicate of this run (or shard) and one past the last.
  public let replicates: Range<Int>
  /// Replicates per block.
  public let blockSize: Int
  /// Number of workers.
  public let workers: Int

  public init(replicates: Range<Int>, blockSize: Int = 64, workers: Int) {
    precondition(blockSize >= 1 && workers >= 1)
    self.replicates = replicates
    self.blockSize = blockSize
    self.workers = workers
  }

  /// Number of blocks.
  public var blockCount: Int { (replicates.count + blockSize - 1) / blockSize }

  /// The replicates of block b.
  public func block(_ b: Int) -> Range<Int> {
    let lower = replicates.lowerBound + b * blockSize
    return lower..<min(lower + blockSize, replicates.upperBound)
  }

  /// The blocks of worker w, in order.
  public func blocks(ofWorker w: Int) -> [Int] { Array(stride(from: w, to: blockCount, by: workers)) }

  /// How many blocks each worker gets.
  public var blocksPerWorker: [Int] { (0..<workers).map { blocks(ofWorker: $0).count } }
}
