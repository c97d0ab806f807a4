import Foundation

/// An output folder written whole or not at all (MODEL.md §10): files go into a
/// temporary folder beside the target, which replaces the target only when every
/// file is written. A failure at any point leaves the earlier folder as it was.
public struct OutputFolder {
  /// The folder the caller asked for.
  public let target: URL
  /// Where files are written until `commit()`.
  public let staging: URL
  private var committed = false

  /// Prepares a staging folder beside `target` (same file system, so the final
  /// rename cannot copy).
  public init(target: URL) throws {
    self.target = target.standardizedFileURL
    let parent = self.target.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
    let tag = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    staging = parent.appendingPathComponent(".\(self.target.lastPathComponent).partial-\(tag)")
    try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
  }

  /// Writes one file into the staging folder. `SECSIM_FAULT_AFTER_FILES=N` (tests
  /// only) makes the (N+1)-th write fail as a full disk would.
  public func write(_ text: String, to name: String) throws {
    try OutputFolder.injectFault(before: name, in: staging)
    try Data(text.utf8).write(to: staging.appendingPathComponent(name), options: .atomic)
  }

  /// Writes raw bytes into the staging folder.
  public func write(bytes: [UInt8], to name: String) throws {
    try OutputFolder.injectFault(before: name, in: staging)
    try Data(bytes).write(to: staging.appendingPathComponent(name), options: .atomic)
  }

  /// Replaces the target with the staging folder: the old target is moved aside,
  /// the new one renamed into place, then the old one removed; if the second rename
  /// fails the old target is put back.
  public mutating func commit() throws {
    let fm = FileManager.default
    var aside: URL?
    if fm.fileExists(atPath: target.path) {
      let tag = UInt32.random(in: 0...UInt32.max)
      let moved = staging.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).old-\(tag)")
      try fm.moveItem(at: target, to: moved)
      aside = moved
    }
    do {
      try fm.moveItem(at: staging, to: target)
    } catch {
      if let aside { try? fm.moveItem(at: aside, to: target) }
      throw error
    }
    if let aside { try? fm.removeItem(at: aside) }
    committed = true
  }

  /// Removes the staging folder (after a failure); the target is untouched.
  public func discard() {
    if !committed { try? FileManager.default.removeItem(at: staging) }
  }

  static func injectFault(before name: String, in folder: URL) throws {
    guard let limit = ProcessInfo.processInfo.environment["SECSIM_FAULT_AFTER_FILES"].flatMap(Int.init) else { return }
    let written = (try? FileManager.default.contentsOfDirectory(atPath: folder.path).count) ?? 0
    if written >= limit {
      throw CocoaError(.fileWriteOutOfSpace, userInfo: [NSFilePathErrorKey: folder.appendingPathComponent(name).path])
    }
  }
}
