import Foundation
import Testing
import _SECSimTestSupport

/// `secsim slurm` on a real one-node Slurm cluster (Debian's slurmctld, slurmd and
/// munge, configured for localhost by .ci/slurm-localhost.sh and stopped by pid).
/// As root a cluster that cannot start is a failure; without root the tests cannot
/// run at all (munged runs as user munge, slurmd as root) and are skipped, saying so.
@Suite("Slurm: job arrays on a one-node cluster", .serialized)
struct SlurmTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let clusterScript = root.appendingPathComponent(".ci/slurm-localhost.sh").path
  static let isRoot = getuid() == 0
  /// How long a job array may take before the test cancels it and fails.
  static let timeout: TimeInterval = 180

  /// A cluster started by the repository's script, private to `dir`.
  struct Cluster {
    let dir: URL
    var environment: [String: String] {
      var env = ProcessInfo.processInfo.environment
      env["SLURM_CONF"] = dir.appendingPathComponent("slurm.conf").path
      return env
    }

    static func start(in dir: URL) throws -> Cluster {
      let r = try SlurmTests.shell("\(SlurmTests.clusterScript) start \(dir.path)")
      guard r.status == 0 else {
        throw ClusterError(
          "the one-node Slurm cluster did not start (\(SlurmTests.clusterScript) start, exit \(r.status)); "
            + "this is a failure, not a skip, as root:\n\(r.stdout)\n\(r.stderr)")
      }
      return Cluster(dir: dir)
    }

    func stop() {
      let r = try? SlurmTests.shell("\(SlurmTests.clusterScript) stop \(dir.path)")
      if let r, r.status != 0 { Issue.record("stopping the cluster: \(r.stderr)") }
    }

    func run(_ command: String) throws -> ShellResult { try SlurmTests.shell(command, environment: environment) }

    /// Polls squeue every 0.2 s until `done` says so; on timeout cancels `jobs` and fails.
    func wait(for jobs: [String], until done: (String) -> Bool) throws {
      let deadline = Date().addingTimeInterval(SlurmTests.timeout)
      while Date() < deadline {
        let q = try run("squeue -h -j \(jobs.joined(separator: ",")) -o '%i %T %r'")
        if done(q.status == 0 ? q.stdout : "") { return }
        Thread.sleep(forTimeInterval: 0.2)
      }
      _ = try? run("scancel \(jobs.joined(separator: " "))")
      let logs = (try? run("tail -n 30 \(dir.path)/log/slurmctld.log \(dir.path)/log/slurmd.log").stdout) ?? ""
      throw ClusterError("jobs \(jobs) did not finish within \(Int(SlurmTests.timeout)) s; cancelled them. Logs:\n\(logs)")
    }
  }

  struct ShellResult {
    let status: Int32
    let stdout: String
    let stderr: String
  }

  struct ClusterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  static func shell(_ command: String, environment: [String: String]? = nil) throws -> ShellResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", command]
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ShellResult(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
  }

  func temporary() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secsim-slurm-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  /// Job ids from the output of the submit command `secsim slurm` printed.
  func submittedIDs(_ output: String) throws -> (array: String, merge: String) {
    let lines = output.split(separator: "\n")
    let array = try #require(lines.first { $0.hasPrefix("Submitted array job ") }).split(separator: " ").last
    let merge = try #require(lines.first { $0.hasPrefix("Submitted batch job ") }).split(separator: " ").last
    return (String(try #require(array)), String(try #require(merge)))
  }

  /// `secsim slurm` for 4 shards into `dir/name`; returns the folder and the submit command.
  func generate(_ scenario: String, in dir: URL, name: String) throws -> (folder: URL, command: String) {
    let folder = dir.appendingPathComponent(name)
    let r = try runSecsim([
      "slurm", scenario, "--shards", "4", "--replicates", "300", "--seed", "11", "--cpus", "1", "--time", "10:00", "--out", folder.path,
    ])
    try #require(r.status == 0, "\(r.stderr)")
    return (folder, String(try #require(r.stdout.split(separator: "\n").last)))
  }

  func expectSameCSVs(_ a: URL, _ b: URL) throws {
    for name in ["summary.csv", "differences.csv", "users.csv", "impact.csv"] {
      #expect(try Data(contentsOf: a.appendingPathComponent(name)) == Data(contentsOf: b.appendingPathComponent(name)), "\(name)")
    }
  }

  @Test(
    "a 4-shard job array and its afterok merge, submitted with sbatch, write the bytes of a local run",
    .enabled(if: SlurmTests.isRoot, "skipped: not root, so munged and slurmd cannot be started on this machine"))
  func arrayAndMerge() throws {
    let dir = try temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let scenario = try ScaleOutTests().noisyScenario(in: dir)
    let local = dir.appendingPathComponent("local")
    let l = try runSecsim(["run", scenario, "--replicates", "300", "--seed", "11", "--out", local.path])
    try #require(l.status == 0, "\(l.stderr)")
    let (folder, command) = try generate(scenario, in: dir, name: "job")

    let cluster = try Cluster.start(in: dir.appendingPathComponent("cluster"))
    defer { cluster.stop() }
    let started = Date()
    let submitted = try cluster.run(command)
    try #require(submitted.status == 0, "\(command): \(submitted.stderr)")
    let ids = try submittedIDs(submitted.stdout)
    try cluster.wait(for: [ids.array, ids.merge]) { $0.isEmpty }
    let seconds = Date().timeIntervalSince(started)
    let logs = (try? cluster.run("cat \(folder.path)/logs/*").stdout) ?? ""
    let results = folder.appendingPathComponent("results")
    try #require(
      FileManager.default.fileExists(atPath: results.appendingPathComponent("summary.csv").path), "no merged results; logs:\n\(logs)")
    try expectSameCSVs(local, results)
    let partials = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("parts").path).sorted()
    #expect(partials == (1...4).map { "shard-\($0)-of-4.secsim-partial" })
    print("Slurm: 4-shard array + merge finished in \(String(format: "%.1f", seconds)) s")
  }

  @Test(
    "secsim slurm -- sweep …: a 4-shard array of design points and its afterok merge write the bytes of a local sweep",
    .enabled(if: SlurmTests.isRoot, "skipped: not root, so munged and slurmd cannot be started on this machine"))
  func sweepArrayAndMerge() throws {
    let dir = try temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let scenario = try ScaleOutTests().noisyScenario(in: dir)
    let sweep = WhatIfShardTests().sweepArguments(scenario)
    let local = dir.appendingPathComponent("local")
    let l = try runSecsim(sweep + ["--out", local.path])
    try #require(l.status == 0, "\(l.stderr)")
    let folder = dir.appendingPathComponent("job")
    let g = try runSecsim(["slurm", "--shards", "4", "--cpus", "1", "--time", "10:00", "--out", folder.path, "--"] + sweep)
    try #require(g.status == 0, "\(g.stderr)")
    let command = String(try #require(g.stdout.split(separator: "\n").last))

    let cluster = try Cluster.start(in: dir.appendingPathComponent("cluster"))
    defer { cluster.stop() }
    let submitted = try cluster.run(command)
    try #require(submitted.status == 0, "\(command): \(submitted.stderr)")
    let ids = try submittedIDs(submitted.stdout)
    try cluster.wait(for: [ids.array, ids.merge]) { $0.isEmpty }
    let logs = (try? cluster.run("cat \(folder.path)/logs/*").stdout) ?? ""
    let results = folder.appendingPathComponent("results")
    try #require(
      FileManager.default.fileExists(atPath: results.appendingPathComponent("sweep.csv").path), "no merged sweep; logs:\n\(logs)")
    for name in WhatIfShardTests.sweepFiles {
      #expect(try Data(contentsOf: local.appendingPathComponent(name)) == Data(contentsOf: results.appendingPathComponent(name)), "\(name)")
    }
    let partials = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("parts").path).sorted()
    #expect(partials == (1...4).map { "sweep-shard-\($0)-of-4.secsim-partial" })
  }

  @Test(
    "a failed task leaves the merge pending; secsim merge names the missing shard and its sbatch line, which repairs the run",
    .enabled(if: SlurmTests.isRoot, "skipped: not root, so munged and slurmd cannot be started on this machine"))
  func failedTask() throws {
    let dir = try temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let scenario = try ScaleOutTests().noisyScenario(in: dir)
    let (folder, command) = try generate(scenario, in: dir, name: "job")
    // Task 3 fails (as a node failure or a full disk would).
    let script = folder.appendingPathComponent("secsim-array.sbatch")
    let original = try String(contentsOf: script, encoding: .utf8)
    let failing = original.replacingOccurrences(
      of: "set -euo pipefail\n",
      with: "set -euo pipefail\nif [ \"$SLURM_ARRAY_TASK_ID\" = 3 ]; then echo 'shard 3 fails on purpose' >&2; exit 1; fi\n")
    try #require(failing != original)
    try failing.write(to: script, atomically: true, encoding: .utf8)

    let cluster = try Cluster.start(in: dir.appendingPathComponent("cluster"))
    defer { cluster.stop() }
    let submitted = try cluster.run(command)
    try #require(submitted.status == 0, "\(command): \(submitted.stderr)")
    let ids = try submittedIDs(submitted.stdout)
    // Every array task has left the queue; the merge waits for ever.
    try cluster.wait(for: [ids.array, ids.merge]) { queue in
      let lines = queue.split(separator: "\n")
      return lines.count == 1 && lines[0].hasPrefix("\(ids.merge) PENDING DependencyNeverSatisfied")
    }
    let shown = try cluster.run("scontrol show job \(ids.array)")
    #expect(shown.stdout.contains("ArrayTaskId=3") && shown.stdout.contains("JobState=FAILED"), "\(shown.stdout)")
    _ = try cluster.run("scancel \(ids.merge)")

    let parts = folder.appendingPathComponent("parts")
    let merged = folder.appendingPathComponent("results")
    let m = try runSecsim(["merge", parts.path, "--out", merged.path])
    #expect(m.status == 2)
    #expect(m.stderr.contains("error: shard 3 of 4 is missing (present: 1, 2, 4)"), "\(m.stderr)")
    let rerun = "sbatch --array=3 \(script.path)"
    #expect(m.stderr.contains("rerun it with: \(rerun)"), "\(m.stderr)")
    #expect(!FileManager.default.fileExists(atPath: merged.path))

    // The printed line, run as printed (with the cause of the failure gone), repairs the run.
    try original.write(to: script, atomically: true, encoding: .utf8)
    let again = try cluster.run(rerun)
    try #require(again.status == 0, "\(again.stderr)")
    let id = try #require(again.stdout.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines)
    try cluster.wait(for: [id]) { $0.isEmpty }
    let repaired = try runSecsim(["merge", parts.path, "--out", merged.path])
    try #require(repaired.status == 0, "\(repaired.stderr)")
    let local = dir.appendingPathComponent("local")
    #expect(try runSecsim(["run", scenario, "--replicates", "300", "--seed", "11", "--out", local.path]).status == 0)
    try expectSameCSVs(local, merged)
  }
}
