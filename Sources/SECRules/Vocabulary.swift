// The vocabulary of SEC Section G8 as SECSim models it (MODEL.md §2). Every other
// file in SECRules, SECScenario and SECEngine speaks in these types.

/// A DCC User Role (SEC Section A; MODEL.md §2). "Large supplier" and "small
/// supplier" are not roles: the role is `supplier` and the size band decides.
public enum UserRole: String, CaseIterable, Sendable, Hashable, Codable {
  case supplier
  case electricityDistributor = "electricity_distributor"
  case gasTransporter = "gas_transporter"
  case otherUser = "other_user"
  case registeredSupplierAgent = "registered_supplier_agent"
}

/// The size band of a banded role in a year (MODEL.md §3): `large` when the
/// deciding count is above the policy's threshold T (§8.1), else `small`.
public enum SizeBand: String, CaseIterable, Sendable, Hashable, Codable {
  case small
  case large
}

/// The kinds of User Security Assessment SECSim counts (MODEL.md §2; SEC G8.16–G8.18).
///
/// - `fusa`: Full User Security Assessment by the User Independent Security
///   Assurance Service Provider (the User CIO), G8.16.
/// - `vusa`: Verification User Security Assessment, G8.17 (paragraph number not seen).
/// - `ussa`: User Security Self-Assessment, reviewed by the User CIO, G8.18.
/// - `followUp`: the assessment after a Deferred or Rejected outcome (MP091; §8.6).
/// - `initialFusa`: the FUSA of the User Entry Process (H1.10), the User's year 1 (§8.2).
/// - `systemAssessment`: an assessment of a second or subsequent User System (seed 004; §8.10).
public enum AssessmentKind: String, CaseIterable, Sendable, Hashable, Codable {
  case fusa
  case vusa
  case ussa
  case followUp = "follow_up"
  case initialFusa = "initial_fusa"
  case systemAssessment = "system_assessment"

  /// The kinds a regime's cycle may hold (positions of a regular cycle).
  public static let cycleKinds: [AssessmentKind] = [.fusa, .vusa, .ussa]
}

/// The assurance status the SSC assigns after a FUSA or VUSA (G8.34; MP091 names).
/// Deferred and Rejected need a follow-up (§8.6); Approved subject to steps adds a
/// remediation plan to the SSC agenda (MODEL.md §2).
public enum Outcome: String, CaseIterable, Sendable, Hashable, Codable {
  case approved
  case approvedSubjectToSteps = "approved_subject_to_steps"
  case deferred
  case rejected
}

/// The Party classes metrics are broken down by (MODEL.md §6; SEC D2.6 undue
/// discrimination between classes of Party).
public enum PartyClass: String, CaseIterable, Sendable, Hashable, Codable {
  /// A supplier with any Domestic Premises.
  case supplierDomestic = "supplier_domestic"
  /// A supplier with Non-Domestic Premises only.
  case supplierNonDomesticOnly = "supplier_non_domestic_only"
  /// Electricity distributors and gas transporters (Network Parties).
  case network
  /// Other Users and Registered Supplier Agents.
  case other
}

/// A Party's portfolio at one moment (MODEL.md §2): premises served and smart
/// metering systems (SMS, one per MPAN or MPRN) at them. Units: counts.
public struct PortfolioCounts: Sendable, Hashable, Codable {
  /// Domestic Premises supplied (or served, for a Network Party).
  public var domesticPremises: Int
  /// Non-Domestic Premises supplied.
  public var nonDomesticPremises: Int
  /// Smart metering systems at Domestic Premises.
  public var domesticMeters: Int
  /// Smart metering systems at Non-Domestic Premises.
  public var nonDomesticMeters: Int

  public init(domesticPremises: Int = 0, nonDomesticPremises: Int = 0, domesticMeters: Int = 0, nonDomesticMeters: Int = 0) {
    self.domesticPremises = domesticPremises
    self.nonDomesticPremises = nonDomesticPremises
    self.domesticMeters = domesticMeters
    self.nonDomesticMeters = nonDomesticMeters
  }

  public static let zero = PortfolioCounts()
}
