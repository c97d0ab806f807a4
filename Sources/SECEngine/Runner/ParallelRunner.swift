import Dispatch
import Synchronization

/// Runs a `WorkPlan` on threads that share nothing mutable: each worker builds its
/// own state from `makeState`, steps its blocks in order, and hands the state back.
/// `progress` (if given) is bumped by the replicates of each finished block.
public enum ParallelRunner {
  public static func run<State: Sendable>(
    _ plan: WorkPlan,
    progress: ProgressCounter? = nil,
    makeState: @Sendable (Int) throws -> State,
    block: @Sendable (inout State, Range<Int>) throws -> Void
  ) throws -> [State] {
    let results = Mutex<[Result<State, any Error>?]>(Array(repeating: nil, count: plan.workers))
    DispatchQueue.concurrentPerform(iterations: plan.workers) { w in
      let outcome = Result<State, any Error> {
        var state = try makeState(w)
        for b in plan.blocks(ofWorker: w) {
          let range = plan.block(b)
          try block(&state, range)
          progress?.add(range.count)
        }
        return state
      }
      results.withLock { $0[w] = outcome }
    }
    return try results.withLock { slots in try slots.map { try $0!.get() } }
  }
}

/// A count of finished replicates that workers bump and a progress display reads.
public final class ProgressCounter: Sendable {
  private let value = Atomic<Int>(0)
  public init() {}
  /// Adds `n` finished replicates.
  public func add(_ n: Int) { value.add(n, ordering: .relaxed) }
  /// Replicates finished so far.
  public var current: Int { value.load(ordering: .relaxed) }
}
