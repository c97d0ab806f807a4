/// SECScenario reads scenario and regime files into SECRules' value types, with
/// diagnostics that name the file, line, column and field (MODEL.md §9 exit codes).
public enum SECScenario {
  /// Version of the scenario file format this build reads.
  public static let formatVersion = 1
}
