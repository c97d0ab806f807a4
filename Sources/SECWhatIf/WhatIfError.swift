import SECScenario

/// Why a what-if analysis cannot go ahead. `usage` errors are the analyst's command
/// line (exit 64); `invalidScenario` means a design point's scenario does not
/// validate (exit 2, every problem listed); `invalidInput` a sweep folder that
/// cannot be read (exit 2).
public enum WhatIfError: Error, Sendable, CustomStringConvertible, Equatable {
  /// A command-line problem: a malformed `--param`, an unknown path, too many parameters.
  case usage(String)
  /// The scenario with some parameter values applied is invalid: the usual located
  /// diagnostics, preceded by a line saying which values were applied.
  case invalidScenario(context: String, diagnostics: [Diagnostic])
  /// A sweep folder or file that is missing or malformed.
  case invalidInput(String)

  public var description: String {
    switch self {
    case .usage(let message): return message
    case .invalidScenario(let context, let diagnostics):
      return ([context] + diagnostics.map(\.description)).joined(separator: "\n")
    case .invalidInput(let message): return message
    }
  }
}
