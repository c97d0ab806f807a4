import Foundation
import Testing

@testable import SECOutput

@Suite("Atomic output folders (MODEL.md §10)")
struct OutputFolderTests {
  func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secsim-out-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test("a committed folder replaces the earlier one whole")
  func commitReplaces() throws {
    let root = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let target = root.appendingPathComponent("run")
    var first = try OutputFolder(target: target)
    try first.write("old a\n", to: "a.csv")
    try first.write("old b\n", to: "b.csv")
    try first.commit()
    var second = try OutputFolder(target: target)
    try second.write("new a\n", to: "a.csv")
    try second.commit()
    #expect(try String(contentsOf: target.appendingPathComponent("a.csv"), encoding: .utf8) == "new a\n")
    #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("b.csv").path), "nothing of the old set survives")
    #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["run"], "no staging or old folders are left")
  }

  @Test("a write that fails leaves the earlier folder byte-for-byte intact")
  func failureLeavesEarlier() throws {
    let root = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let target = root.appendingPathComponent("run")
    var first = try OutputFolder(target: target)
    try first.write("keep me\n", to: "a.csv")
    try first.commit()
    let second = try OutputFolder(target: target)
    try second.write("partial\n", to: "a.csv")
    // A second file that cannot be written (a directory is in the way).
    try FileManager.default.createDirectory(
      at: second.staging.appendingPathComponent("b.csv"), withIntermediateDirectories: false)
    #expect(throws: (any Error).self) { try second.write("x", to: "b.csv") }
    second.discard()
    #expect(try String(contentsOf: target.appendingPathComponent("a.csv"), encoding: .utf8) == "keep me\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["run"])
  }
}
