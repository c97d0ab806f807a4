/// What a random stream is for (MODEL.md §10). Each replicate has one stream per
/// purpose, keyed (seed, replicate, entity 0, purpose); within it, variates are
/// drawn in a fixed, policy-independent order (year, then party or system or issue
/// slot), so every variate is attached to its entity and event and every policy
/// reads the same one. No stream is ever keyed by a policy.
public enum Purpose: UInt64, CaseIterable, Sendable {
  /// Anniversary quarters of Users that state none, and of random entrants.
  case quarters = 1
  /// Each supplier's non-domestic meters per premises (§5.6).
  case metersPerPremises
  /// The common market factor of portfolio growth (§5.2).
  case marketFactor
  /// Idiosyncratic portfolio growth (§5.2).
  case growth
  /// Supplier failures (§5.3).
  case failure
  /// The choice of Supplier of Last Resort, or buyer after special administration (§5.3).
  case lastResort
  /// Market entry: counts, sizes, segments (§5.4).
  case entry
  /// SRP migration (§5.7).
  case migration
  /// Second User Systems (§5.8).
  case secondSystems
  /// Issue accrual (§5.9).
  case issues
  /// Reporting noise on premises counts (§4).
  case reportingNoise
  /// Entity-keyed variates of assessments: outcomes, effort, SSC decisions (§5.10, §10).
  case assessments
  /// Each issue's resistance to detection, Exp(1), drawn when it arises, in the order
  /// issues arise (§5.9, §10: the variate is the issue's own, whatever the policy).
  case detection
  /// Smart-meter roll-out uncertainty (§5.5), keyed by segment: entity 0 domestic (this
  /// purpose's replicate stream), entity 1 non-domestic. Per replicate and segment: the
  /// midpoint shift, then one pace variate per year from the second year. Drawn only
  /// when the scenario's roll-out is stochastic.
  case rollout
}
