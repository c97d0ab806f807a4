import Dispatch
import Foundation
import GSL
import SECEngine
import SECRules
import SECScenario
import Synchronization

/// One design point's finished run, handed to the caller's reduction.
public struct PointRun: Sendable {
  /// The merged state of the point's replicates (exact, MODEL.md §10).
  public let state: RunState
  /// The policies run, in run order.
  public let policies: [String]
  public let startYear: Int
  public let years: Int
  /// Party-years simulated.
  public var partyYears: Int64 { state.partyYears }
}

/// Runs the engine at every design point on the same common random numbers: each
/// point runs replicates 0 ..< R with the same master seed, so replicate r of every
/// point starts from the same streams (MODEL.md §10) and differences between points
/// come from the parameters, not from different futures.
///
/// Work is spread over `threads` workers: with at least as many points as
/// workers, each worker takes the next unrun point and runs its replicates alone;
/// with fewer points, the points run one after another, each on every worker.
/// Each point's state is an exact merge whoever ran it, so results never depend on
/// `threads`.
public struct DesignRunner: Sendable {
  public var template: ScenarioTemplate
  public var parameters: [SweptParameter]
  /// The policies to run, by name (nil: every policy of the scenario). The
  /// baseline is run too unless `baselineOptional`.
  public var policies: [String]?
  /// Run only the named policies (the first becomes the engine's baseline).
  public var baselineOptional = false
  public var seed: UInt64
  public var replicates: Int
  public var threads: Int
  public var algorithm: RNGAlgorithm

  public init(
    template: ScenarioTemplate, parameters: [SweptParameter], policies: [String]? = nil, seed: UInt64, replicates: Int,
    threads: Int, algorithm: RNGAlgorithm = .mt19937
  ) {
    self.template = template
    self.parameters = parameters
    self.policies = policies
    self.seed = seed
    self.replicates = replicates
    self.threads = max(1, threads)
    self.algorithm = algorithm
  }

  /// The engine input at one point (parameter values as applied).
  public func input(at values: [Double]) throws -> EngineInput {
    let scenario = try template.scenario(parameters, values: values)
    let all = try scenario.resolvedPolicies(near: template.baseDirectory)
    let baselineName = scenario.baseline?.name
    var chosen: [Policy] = []
    for policy in all {
      if let names = policies {
        guard names.contains(policy.name) || (!baselineOptional && policy.name == baselineName) else { continue }
      }
      chosen.append(policy)
    }
    if let names = policies, let missing = names.first(where: { n in !all.contains { $0.name == n } }) {
      throw WhatIfError.usage("unknown policy '\(missing)'; the scenario's policies are: \(all.map(\.name).joined(separator: ", "))")
    }
    let baseline = chosen.firstIndex { $0.name == baselineName } ?? 0
    return EngineInput(scenario: scenario, policies: chosen, baseline: baseline)
  }

  /// Runs every point (parameter values as applied, one array per point) and
  /// returns `reduce` of each, in point order. Points that differ only in inert
  /// parameters are the same scenario on the same futures, so they run once and
  /// share the result. Throws the error of the first failing point (in point order).
  public func run<T: Sendable>(
    _ points: [[Double]], progress: ProgressCounter? = nil, reduce: @escaping @Sendable (PointRun) throws -> T
  ) throws -> [T] {
    var unique: [[Double]] = []
    var firstOf: [[UInt64]: Int] = [:]
    var slotOf: [Int] = []
    for p in points {
      let key = zip(parameters, p).filter { !$0.0.range.isInert }.map { $0.1.bitPattern }
      if let u = firstOf[key] {
        slotOf.append(u)
      } else {
        firstOf[key] = unique.count
        slotOf.append(unique.count)
        unique.append(p)
      }
    }
    let results = try runUnique(unique, progress: progress, reduce: reduce)
    if let progress { progress.add((points.count - unique.count) * replicates) }
    return slotOf.map { results[$0] }
  }

  func runUnique<T: Sendable>(
    _ points: [[Double]], progress: ProgressCounter?, reduce: @escaping @Sendable (PointRun) throws -> T
  ) throws -> [T] {
    let results = Mutex<[Result<T, any Error>?]>(Array(repeating: nil, count: points.count))
    let runner = self
    if points.count >= threads && threads > 1 {
      let next = Atomic<Int>(0)
      DispatchQueue.concurrentPerform(iterations: threads) { _ in
        while true {
          let i = next.add(1, ordering: .relaxed).oldValue
          guard i < points.count else { return }
          let outcome = Result { try runner.point(points[i], threads: 1, progress: progress, reduce: reduce) }
          results.withLock { $0[i] = outcome }
          if case .failure = outcome { next.store(points.count, ordering: .relaxed) }
        }
      }
    } else {
      for (i, p) in points.enumerated() {
        let outcome = Result { try runner.point(p, threads: threads, progress: progress, reduce: reduce) }
        results.withLock { $0[i] = outcome }
        if case .failure = outcome { break }
      }
    }
    return try results.withLock { slots in
      if let failure = slots.compactMap({ $0 }).first(where: { if case .failure = $0 { true } else { false } }) {
        _ = try failure.get()
      }
      return try slots.map { try $0!.get() }
    }
  }

  func point<T>(_ values: [Double], threads: Int, progress: ProgressCounter?, reduce: (PointRun) throws -> T) throws -> T {
    let input = try input(at: values)
    let configuration = RunConfiguration(seed: seed, replicates: replicates, threads: threads, algorithm: algorithm, blockSize: 16)
    let (state, _) = try Simulation.run(input, configuration, progress: progress)
    return try reduce(
      PointRun(state: state, policies: input.policies.map(\.name), startYear: input.startYear, years: input.years))
  }
}
