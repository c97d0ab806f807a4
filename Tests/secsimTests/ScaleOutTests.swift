import Foundation
import Testing
import _SECSimTestSupport

/// `secsim run --shard I/N`, `secsim merge` and `secsim slurm` end to end (issue 16, MODEL.md §10).
@Suite("scale-out: shards, merge, Slurm scripts")
struct ScaleOutTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let deterministic = root.appendingPathComponent("scenarios/deterministic.yaml").path
  /// The CSVs that must be byte-identical between a run and a merge of its shards.
  static let csvs = ["summary.csv", "differences.csv", "users.csv", "impact.csv"]
  /// run.json fields that record how and where a run ran, not what it computed.
  static let runRecordFields: Set<String> = [
    "host", "wall_time_s", "replicates_per_s", "party_years_per_s", "threads", "blocks_per_worker", "command_line",
  ]

  func temporary() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secsim-scale-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  /// Runs the N shards of a run into `parts` and returns their files.
  @discardableResult
  func runShards(_ n: Int, scenario: String, extra: [String], into parts: URL, threads: Int = 1) throws -> [URL] {
    try (1...n).map { i in
      let r = try runSecsim(["run", scenario] + extra + ["--threads", "\(threads)", "--shard", "\(i)/\(n)", "--out", parts.path])
      #expect(r.status == 0, "shard \(i)/\(n): \(r.stderr)")
      #expect(r.stdout.contains("Wrote shard \(i)/\(n)"), "\(r.stdout)")
      return parts.appendingPathComponent("shard-\(i)-of-\(n).secsim-partial")
    }
  }

  /// deterministic.yaml with randomness switched on (portfolio noise, failures,
  /// entrants, second systems, issues, variable effort): six Users, quick to run.
  func noisyScenario(in dir: URL) throws -> String {
    try variant(
      of: Self.deterministic, in: dir, name: "noisy.yaml",
      [
        ("portfolio: {market_factor_sd: 0, idiosyncratic_sd: 0}", "portfolio: {market_factor_sd: 0.1, idiosyncratic_sd: 0.3}"),
        ("      - {hazard: 0}\n", "      - {hazard: 0.05}\n"),
        (
          "    rate: 0\n    initial_size_log_mean: 0\n    initial_size_log_sd: 0",
          "    rate: 1\n    initial_size_log_mean: 11\n    initial_size_log_sd: 1.5"
        ),
        ("second_systems: {adoption_probability: 0,", "second_systems: {adoption_probability: 0.2,"),
        ("fusa: {bespoke: {min: 5, mode: 5, max: 5}", "fusa: {bespoke: {min: 3, mode: 5, max: 10}"),
        ("  issues:\n    rate: 0\n", "  issues:\n    rate: 0.3\n"),
      ])
  }

  /// deterministic.yaml cut to one year (and its one 2025 event): the cheapest replicate.
  func tinyScenario(in dir: URL) throws -> String {
    var text = try String(contentsOf: URL(fileURLWithPath: Self.deterministic), encoding: .utf8)
    text = text.replacingOccurrences(of: "horizon_years: 5", with: "horizon_years: 1")
    let events = try #require(text.range(of: "events:\n"))
    let policies = try #require(text.range(of: "policies:\n"))
    text.replaceSubrange(
      events.lowerBound..<policies.lowerBound,
      with: "events:\n  - {year: 2025, user: D1, event: outcome, kind: fusa, outcome: approved_subject_to_steps}\n")
    let url = dir.appendingPathComponent("tiny.yaml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  func variant(of path: String, in dir: URL, name: String, _ edits: [(String, String)]) throws -> String {
    var text = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
    for (old, new) in edits {
      let range = try #require(text.range(of: old), "\(old) not in \(path)")
      text.replaceSubrange(range, with: new)
    }
    let url = dir.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  func json(_ url: URL) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
  }

  @Test(
    "merged CSVs are byte-identical to one run for N = 1, 3 and 8 shards; run.json differs only in how it ran",
    arguments: [1, 3, 8])
  func byteIdentity(_ n: Int) throws {
    let dir = try temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    // 600 replicates are 10 blocks of 64: with 8 shards, some take one block and some two.
    let scenario = try noisyScenario(in: dir)
    let extra = ["--replicates", "600", "--seed", "77"]
    let single = dir.appendingPathComponent("single")
    let r = try runSecsim(["run", scenario] + extra + ["--threads", "2", "--out", single.path])
    try #require(r.status == 0, "\(r.stderr)")
    let summary = try String(contentsOf: single.appendingPathComponent("summary.csv"), encoding: .utf8)
    let varying = summary.split(separator: "\n").dropFirst().filter { (Double($0.split(separator: ",")[5]) ?? 0) > 0 }
    #expect(varying.count > 100, "the scenario is random (rows with sd > 0: \(varying.count))")
    let parts = dir.appendingPathComponent("parts")
    let files = try runShards(n, scenario: scenario, extra: extra, into: parts, threads: n == 3 ? 2 : 1)
    let merged = dir.appendingPathComponent("merged")
    // Files in reverse order: the merge order must not matter.
    let m = try runSecsim(["merge"] + files.reversed().map(\.path) + ["--out", merged.path])
    try #require(m.status == 0, "\(m.stderr)")
    #expect(m.stderr.isEmpty, "\(m.stderr)")
    for name in Self.csvs {
      let a = try Data(contentsOf: single.appendingPathComponent(name))
      let b = try Data(contentsOf: merged.appendingPathComponent(name))
      #expect(a == b, "\(name) differs between the single run and the merge of \(n) shards")
    }
    var a = try json(single.appendingPathComponent("run.json"))
    var b = try json(merged.appendingPathComponent("run.json"))
    #expect((b["threads"] as? Int) == n, "a merged run.json records the shards as its workers")
    #expect((b["blocks_per_worker"] as? [Int])?.reduce(0, +) == 10)
    for key in Self.runRecordFields {
      a[key] = nil
      b[key] = nil
    }
    #expect(NSDictionary(dictionary: a).isEqual(to: b), "run.json differs beyond timing, host and plan fields")
  }

  @Test("merging a folder of partials equals merging the files; a merge needs no scenario file")
  func mergeFolderWithoutScenario() throws {
    let dir = try temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    // The scenario is a copy that is deleted before the merge.
    let copy = dir.appendingPathComponent("copy.yaml")
    try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.deterministic), to: copy)
    let parts = dir.appendingPathComponent("parts")
    try runShards(2, scenario: copy.path, extra: ["--replicates", "200"], into: parts)
    let single = dir.appendingPathComponent("single")
    #expect(try runSecsim(["run", copy.path, "--replicates", "200", "--out", single.path]).status == 0)
    try FileManager.default.removeItem(at: copy)
    let merged = dir.appendingPathComponent("merged")
    let m = try runSecsim(["merge", parts.path, "--out", merged.path])
    try #require(m.status == 0, "\(m.stderr)")
    #expect(m.stdout.contains("Merged 2 shards"), "\(m.stdout)")
    for name in Self.csvs {
      #expect(try Data(contentsOf: single.appendingPathComponent(name)) == Data(contentsOf: merged.appendingPathComponent(name)), "\(name)")
    }
  }

  @Test("a partial's size does not depend on the replicate count (1,000 and 10,000)")
  func partialSizeFixed() throws {
    let dir = try temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    var sizes: [Int] = []
    let tiny = try tinyScenario(in: dir)
    for replicates in [1_000, 10_000] {
      let file = dir.appendingPathComponent("r\(replicates).secsim-partial")
      let r = try runSecsim(["run", tiny, "--replicates", "\(replicates)", "--shard", "1/1", "--partial", file.path])
      try #require(r.status == 0, "\(r.stderr)")
      sizes.append(try Data(contentsOf: file).count)
    }
    #expect(sizes[0] == sizes[1], "sizes \(sizes)")
    #expect(sizes[0] > 0)
  }

  @Test(
    "--shard must be I/N with 1 ≤ I ≤ N (usage error, exit 64)",
    arguments: ["0/3", "4/3", "1/0", "abc", "1/3x", "-1/3", "2", "1//3", ""])
  func badShard(_ spec: String) throws {
    let dir = try temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try runSecsim(["run", Self.deterministic, "--shard=\(spec)", "--out", dir.path])
    #expect(r.status == 64, "\(spec): \(r.stderr)")
    // An empty value is refused by the argument parser itself ("Missing value").
    #expect(r.stderr.contains(spec.isEmpty ? "Missing value for '--shard" : "--shard expects I/N"), "\(r.stderr)")
  }

  @Test("--partial and --job-script without --shard are usage errors")
  func partialWithoutShard() throws {
    let r = try runSecsim(["run", Self.deterministic, "--partial", "/tmp/x.secsim-partial"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("go with --shard"), "\(r.stderr)")
  }

  /// Three shards of the deterministic scenario in `dir/parts`, recorded as run by `script`.
  func threeShards(in dir: URL, seed: Int = 1, script: String? = nil, into folder: String = "parts") throws -> [URL] {
    let extra = ["--replicates", "300", "--seed", "\(seed)"] + (script.map { ["--job-script", $0] } ?? [])
    return try runShards(3, scenario: Self.deterministic, extra: extra, into: dir.appendingPathComponent(folder))
  }

  @Test("a corrupt partial (one byte changed) is refused, naming the file, exit 2")
  func corruptPartial() throws {
    let dir = try temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let files = try threeShards(in: dir)
    var bytes = try Data(contentsOf: files[1])
    bytes[bytes.count / 2] ^= 0x01
    try bytes.write(to: files[1])
    let r = try runSecsim(["merge"] + files.map(\.path) + ["--out", dir.appendingPathComponent("m").path])
    #expect(r.status == 2)
    #expect(r.stderr.contains("\(files[1].path): error: checksum mismatch"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("m").path))
    // A file that is not a partial at all.
    let junk = dir.appendingPathComponent("junk.secsim-partial")
    try Data("hello".utf8).write(to: junk)
    let j = try runSecsim(["merge", files[0].path, junk.path, "--out", dir.appendingPathComponent("m").path])
    #expect(j.status == 2)
    #expect(j.stderr.contains("\(junk.path): error: not a secsim partial-result file"), "\(j.stderr)")
  }

  @Test("a duplicated shard is refused, naming both files, exit 2")
  func duplicateShard() throws {
    let dir = try temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let files = try threeShards(in: dir)
    let copy = dir.appendingPathComponent("again.secsim-partial")
    try FileManager.default.copyItem(at: files[2], to: copy)
    let r = try runSecsim(["merge"] + files.map(\.path) + [copy.path, "--out", dir.appendingPathComponent("m").path])
    #expect(r.status == 2)
    #expect(r.stderr.contains("\(copy.path): error: shard 3 of 3 is there more than once (also \(files[2].path))"), "\(r.stderr)")
  }

  @Test("a missing shard is named with the line that reruns it: locally, and with sbatch --array=I under Slurm")
  func missingShard() throws {
    let dir = try temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let files = try threeShards(in: dir)
    let r = try runSecsim(["merge", files[0].path, files[2].path, "--out", dir.appendingPathComponent("m").path])
    #expect(r.status == 2)
    #expect(r.stderr.contains("error: shard 2 of 3 is missing (present: 1, 3)"), "\(r.stderr)")
    let parts = dir.appendingPathComponent("parts").path
    #expect(r.stderr.contains("--shard 2/3 --out \(parts)"), "\(r.stderr)")
    #expect(!r.stderr.contains("sbatch"), "no job script recorded: no sbatch line")
    // The rerun line works and the merge then succeeds.
    let (command, status) = try runRerunLine(r.stderr)
    #expect(status == 0, "\(command)")
    #expect(try runSecsim(["merge", parts, "--out", dir.appendingPathComponent("m").path]).status == 0)

    // Partials run by a Slurm job script name the sbatch line.
    let script = dir.appendingPathComponent("job dir/secsim-array.sbatch").path
    let slurmFiles = try threeShards(in: dir, script: script, into: "slurm-parts")
    let s = try runSecsim(["merge", slurmFiles[0].path, slurmFiles[1].path, "--out", dir.appendingPathComponent("m2").path])
    #expect(s.status == 2)
    #expect(s.stderr.contains("error: shard 3 of 3 is missing"), "\(s.stderr)")
    #expect(s.stderr.contains("rerun it with: sbatch --array=3 '\(script)'"), "\(s.stderr)")
  }

  @Test("partials of different runs (another seed) are refused, naming the file, exit 2")
  func mismatchedSeed() throws {
    let dir = try temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let files = try threeShards(in: dir, seed: 1)
    let other = try threeShards(in: dir, seed: 2, into: "other")
    let r = try runSecsim(["merge", files[0].path, other[1].path, files[2].path, "--out", dir.appendingPathComponent("m").path])
    #expect(r.status == 2)
    #expect(r.stderr.contains("\(other[1].path): error: seed 2 differs from 1 in \(files[0].path)"), "\(r.stderr)")
    // A different replicate count is refused the same way.
    let more = try runShards(
      3, scenario: Self.deterministic, extra: ["--replicates", "400", "--seed", "1"], into: dir.appendingPathComponent("more"))
    let m = try runSecsim(["merge", files[0].path, files[1].path, more[2].path, "--out", dir.appendingPathComponent("m").path])
    #expect(m.status == 2)
    #expect(m.stderr.contains("\(more[2].path): error: replicate count 400 differs from 300"), "\(m.stderr)")
  }

  @Test("secsim slurm writes an array script, a dependent merge and the one submit command")
  func slurmScripts() throws {
    let dir = try temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("job")
    let r = try runSecsim([
      "slurm", Self.deterministic, "--shards", "4", "--partition", "short", "--time", "10:00", "--cpus", "2", "--replicates", "500",
      "--seed", "3", "--out", out.path,
    ])
    try #require(r.status == 0, "\(r.stderr)")
    let array = try String(contentsOf: out.appendingPathComponent("secsim-array.sbatch"), encoding: .utf8)
    let merge = try String(contentsOf: out.appendingPathComponent("secsim-merge.sbatch"), encoding: .utf8)
    for line in [
      "#SBATCH --array=1-4", "#SBATCH --partition=short", "#SBATCH --time=10:00", "#SBATCH --cpus-per-task=2",
      "shard=$((SLURM_ARRAY_TASK_ID))", "--shard \"$shard/4\"", "--replicates 500 --seed 3 --rng mt19937",
      "--job-script \(out.path)/secsim-array.sbatch", "DependencyNeverSatisfied", "scancel <MERGE_JOB_ID>",
      "sbatch --parsable --array=I \(out.path)/secsim-array.sbatch",
    ] {
      #expect(array.contains(line), "array script lacks \(line)")
    }
    #expect(merge.contains(" merge \(out.path)/parts/shard-*-of-4.secsim-partial --out \(out.path)/results"), "\(merge)")
    let command = try #require(r.stdout.split(separator: "\n").last)
    #expect(command.contains("sbatch --parsable \(out.path)/secsim-array.sbatch"), "\(command)")
    #expect(command.contains("sbatch --dependency=afterok:${jid%%;*} \(out.path)/secsim-merge.sbatch"), "\(command)")
    for name in ["secsim-array.sbatch", "secsim-merge.sbatch", "submit.sh"] {
      let check = Process()
      check.executableURL = URL(fileURLWithPath: "/bin/bash")
      check.arguments = ["-n", out.appendingPathComponent(name).path]
      try check.run()
      check.waitUntilExit()
      #expect(check.terminationStatus == 0, "\(name) is not valid shell")
    }
    let bad = try runSecsim(["slurm", Self.deterministic, "--shards", "0", "--out", out.path])
    #expect(bad.status == 64)
  }
}
