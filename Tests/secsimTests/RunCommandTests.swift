import Foundation
import Testing
import _SECSimTestSupport

@Suite("secsim run")
struct RunCommandTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let deterministic = root.appendingPathComponent("scenarios/deterministic.yaml").path

  func temporary() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secsim-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test(
    "usage errors exit 64 and say what to do",
    arguments: [
      (["--replicates", "0"], "--replicates must be at least 1"),
      (["--rng", "ranlux"], "unknown --rng 'ranlux'"),
      (["--policy", "nosuch"], "unknown --policy 'nosuch'"),
    ])
  func usageErrors(_ extra: [String], _ message: String) throws {
    let out = try temporary()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try runSecsim(["run", Self.deterministic, "--out", out.appendingPathComponent("r").path] + extra)
    #expect(result.status == 64)
    #expect(result.stderr.contains(message), "\(result.stderr)")
  }

  @Test("summary.csv is byte-identical with 1, 2 and 7 threads; run.json records the plan")
  func threadsIdentical() throws {
    let out = try temporary()
    defer { try? FileManager.default.removeItem(at: out) }
    var summaries: [Data] = []
    for threads in [1, 2, 7] {
      let dir = out.appendingPathComponent("t\(threads)")
      let result = try runSecsim(
        ["run", "supplier-crisis", "--replicates", "150", "--seed", "9", "--threads", "\(threads)", "--out", dir.path], in: Self.root)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.contains("party-years/s"))
      summaries.append(try Data(contentsOf: dir.appendingPathComponent("summary.csv")))
      for name in ["differences.csv", "users.csv"] {
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path))
      }
    }
    #expect(summaries[0] == summaries[1])
    #expect(summaries[0] == summaries[2])
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("t2/run.json"))) as! [String: Any]
    #expect(json["seed"] as? Int == 9)
    #expect(json["replicates"] as? Int == 150)
    #expect(json["threads"] as? Int == 2)
    let blocks = json["blocks_per_worker"] as? [Int] ?? []
    #expect(blocks.count == 2 && blocks.allSatisfy { $0 > 0 }, "every worker got blocks: \(blocks)")
  }

  @Test("summary.csv has the exact header and parses back")
  func summaryParses() throws {
    let out = try temporary()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try runSecsim(["run", Self.deterministic, "--replicates", "5", "--out", out.path])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = try String(contentsOf: out.appendingPathComponent("summary.csv"), encoding: .utf8).split(separator: "\n")
    #expect(lines.first == "policy,class,year,metric,mean,sd,se,p05,p50,p95,replicates")
    let fusa2025 = lines.first { $0.hasPrefix("today,all,2025,fusa,") }
    #expect(fusa2025 == "today,all,2025,fusa,4,0,0,4,4,4,5")
    for line in lines.dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      #expect(fields.count == 11, "\(line)")
      #expect(fields[4...].allSatisfy { Double($0) != nil }, "\(line)")
    }
  }

  @Test("a run that fails validation, or fails writing any of its files, leaves the earlier output folder byte-for-byte intact")
  func failedRunKeepsEarlierOutput() throws {
    let out = try temporary()
    defer { try? FileManager.default.removeItem(at: out) }
    let target = out.appendingPathComponent("keep")
    #expect(try runSecsim(["run", Self.deterministic, "--replicates", "3", "--out", target.path]).status == 0)
    func snapshot() throws -> [String: Data] {
      let names = try FileManager.default.contentsOfDirectory(atPath: target.path)
      return try Dictionary(uniqueKeysWithValues: names.map { ($0, try Data(contentsOf: target.appendingPathComponent($0))) })
    }
    let before = try snapshot()
    #expect(
      Set(before.keys) == ["summary.csv", "differences.csv", "users.csv", "impact.csv", "run.json", "report.html"])
    let broken = out.appendingPathComponent("broken.yaml")
    try "format: 1\nname: broken\nstart_year: twenty\n".write(to: broken, atomically: true, encoding: .utf8)
    let failed = try runSecsim(["run", broken.path, "--out", target.path])
    #expect(failed.status == 2)
    #expect(failed.stderr.contains("broken.yaml:3:"), "\(failed.stderr)")
    #expect(try snapshot() == before)
    // A fault while writing (a full disk at the 1st, …, 6th file, report.html last) must not touch the earlier set either.
    for written in 0..<before.count {
      var environment = ProcessInfo.processInfo.environment
      environment["SECSIM_FAULT_AFTER_FILES"] = "\(written)"
      let faulted = try runSecsim(["run", Self.deterministic, "--replicates", "4", "--out", target.path], environment: environment)
      #expect(faulted.status == 1, "fault after \(written) files")
      #expect(try snapshot() == before, "fault after \(written) files")
      #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["broken.yaml", "keep"])
    }
  }
}
