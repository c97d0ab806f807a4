import ArgumentParser
import Foundation
import SECWhatIf

/// `secsim discover`: which parameter ranges make a policy meet a condition.
struct Discover: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Find the parameter ranges under which a policy meets a condition (PRIM scenario discovery).",
    discussion: """
      Reads a `secsim sweep` output folder and, for each policy, marks the design points \
      where --metric (its mean over replicates, horizon total or --year) is --above or \
      --below a value, then runs PRIM: it peels the parameter space down to a box where \
      those points concentrate, records the coverage–density trade-off, picks the densest \
      box that still holds --min-coverage of them, and widens it back (pasting) where that \
      costs no density. The report says in plain words which ranges make the policy meet \
      the condition.

      Writes discovery.csv (the peeling trajectory and the chosen box per policy) and \
      discovery.html into --out, all or nothing.

      Example: secsim discover out/sweep --metric capacity_exceeded --above 0.1 --out out/discovery
      See docs/whatif.md.
      """)

  @Argument(help: "The output folder of `secsim sweep` (holding sweep.csv).")
  var sweepDir: String

  @Option(help: "The metric to test (a metric of sweep.csv, e.g. capacity_exceeded, assessor_days).")
  var metric: String

  @Option(help: "The condition: the metric's mean strictly above this value.")
  var above: Double?

  @Option(help: "The condition: the metric's mean strictly below this value.")
  var below: Double?

  @Option(help: "A calendar year, or `total` for the horizon total.")
  var year: String = "total"

  @Option(name: .customLong("policy"), help: "Analyse this policy only (repeatable). Default: every policy in the sweep.")
  var policies: [String] = []

  @Option(help: "Peeling share α: the share of the box's points each step removes.")
  var alpha: Double = 0.05

  @Option(help: "Stop peeling when a box would hold fewer than this share of all points.")
  var minSupport: Double = 0.05

  @Option(help: "The chosen box is the densest one holding at least this share of the points that meet the condition.")
  var minCoverage: Double = 0.8

  @Option(help: "Output folder (replaced whole at the end).")
  var out: String = "out/discovery"

  func validate() throws {
    if (above == nil) == (below == nil) { throw ValidationError("give exactly one of --above VALUE or --below VALUE") }
    guard MetricRef(name: metric) != nil else {
      throw ValidationError("unknown --metric '\(metric)'; expected one of: \(MetricRef.allNames.joined(separator: ", "))")
    }
    if !(alpha > 0 && alpha < 0.5) { throw ValidationError("--alpha must be between 0 and 0.5 (found \(alpha))") }
    if !(minSupport >= 0 && minSupport < 1) { throw ValidationError("--min-support must be in [0, 1) (found \(minSupport))") }
    if !(minCoverage >= 0 && minCoverage <= 1) { throw ValidationError("--min-coverage must be in [0, 1] (found \(minCoverage))") }
  }

  func run() throws {
    let discovery = try whatIf {
      let sweep = try SweepFile(folder: URL(fileURLWithPath: sweepDir))
      let condition = DiscoveryCondition(metric: metric, year: year, threshold: above ?? below!, above: above != nil)
      return try Discovery(
        sweep: sweep, condition: condition, policies: policies.isEmpty ? nil : policies, alpha: alpha, minSupport: minSupport,
        minCoverage: minCoverage)
    }
    let target = try writeAtomically(
      [("discovery.csv", discovery.csv()), ("discovery.html", DiscoveryReport.html(discovery, sweepName: sweepDir))], to: out)
    for r in discovery.results { print(discovery.summary(r)) }
    print("Wrote discovery.csv, discovery.html to \(target.path)")
  }
}
