import Foundation

/// What a run of the built `secsim` printed and returned.
public struct ProcessResult: Sendable {
  public let status: Int32
  public let stdout: String
  public let stderr: String
}

/// Error raised when the built `secsim` executable cannot be found.
public struct SecsimNotBuilt: Error, CustomStringConvertible {
  public let searched: String
  public var description: String { "secsim executable not found next to the test bundle (searched \(searched)); run `swift build` first" }
}

/// The path of the `secsim` executable built beside the test bundle.
public func secsimExecutableURL() throws -> URL {
  // Tests run from .build/<config>/; the bundle sits in the same folder as secsim.
  var dir = Bundle.main.bundleURL
  for _ in 0..<4 {
    let candidate = dir.appendingPathComponent("secsim")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    dir = dir.deletingLastPathComponent()
  }
  for bundle in Bundle.allBundles {
    let candidate = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("secsim")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
  }
  throw SecsimNotBuilt(searched: Bundle.main.bundleURL.path)
}

/// Runs the built `secsim` with `arguments`, in `directory` if given, and waits.
public func runSecsim(_ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil) throws -> ProcessResult {
  let process = Process()
  process.executableURL = try secsimExecutableURL()
  process.arguments = arguments
  if let directory { process.currentDirectoryURL = directory }
  if let environment { process.environment = environment }
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  // Read both pipes before waiting so a large output cannot block the child.
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return ProcessResult(
    status: process.terminationStatus,
    stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData, as: UTF8.self))
}
