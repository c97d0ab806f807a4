import Foundation
import Testing
import _SECSimTestSupport

/// `secsim sweep … --shard I/N`, `secsim sensitivity … --shard I/N`, their merge
/// and `secsim slurm -- sweep|sensitivity …` end to end (issue 16, MODEL.md §10).
@Suite("scale-out of sweeps and sensitivity analyses: design-point shards and their merge")
struct WhatIfShardTests {
  /// The files that must be byte-identical between a command and a merge of its shards.
  static let sweepFiles = ["sweep.csv", "frontier.csv", "sweep.html"]
  static let sensitivityFiles = ["sensitivity.csv", "sensitivity.html"]
  /// Manifest fields that record how a command ran, not what it computed.
  static let recordFields: Set<String> = ["threads", "wall_seconds", "command_line"]

  let scale = ScaleOutTests()

  /// Two parameters of the noisy scenario (one a control), so points differ and replicates vary.
  static let sweepParams = [
    "--param", "policies[today].counting.threshold=150000:350000", "--param", "processes.entry.rate=0:2", "--param", "inert.x=0:1",
  ]

  func sweepArguments(_ scenario: String, samples: Int = 5, replicates: Int = 8) -> [String] {
    ["sweep", scenario] + Self.sweepParams + ["--design", "lhs", "--samples", "\(samples)", "--replicates", "\(replicates)", "--seed", "5"]
  }

  func sensitivityArguments(_ scenario: String, method: String, replicates: Int = 4) -> [String] {
    [
      "sensitivity", scenario, "--param", "policies[today].counting.threshold=150000:350000", "--param", "inert.x=0:1", "--method",
      method, "--metric", "assessor_days", "--samples", "4", "--replicates", "\(replicates)", "--bootstrap", "50", "--seed", "3",
    ]
  }

  /// Runs `arguments` as N shards into `parts` and returns the partials.
  @discardableResult
  func shards(_ n: Int, _ arguments: [String], into parts: URL, extra: [String] = []) throws -> [URL] {
    try (1...n).map { i in
      let r = try runSecsim(arguments + ["--threads", "1", "--shard", "\(i)/\(n)", "--out", parts.path] + extra)
      #expect(r.status == 0, "shard \(i)/\(n): \(r.stderr)")
      let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("Wrote ") }, "\(r.stdout)")
      let path = try #require(line.split(separator: " ").last)
      #expect(path.hasSuffix("\(arguments[0])-shard-\(i)-of-\(n).secsim-partial"), "\(line)")
      return URL(fileURLWithPath: String(path))
    }
  }

  func expectSame(_ files: [String], _ a: URL, _ b: URL, _ what: String) throws {
    for name in files {
      let x = try Data(contentsOf: a.appendingPathComponent(name))
      let y = try Data(contentsOf: b.appendingPathComponent(name))
      #expect(x == y, "\(name) differs between the unsharded command and the merge (\(what))")
    }
  }

  func expectSameManifest(_ a: URL, _ b: URL, shards n: Int) throws {
    var x = try scale.json(a)
    var y = try scale.json(b)
    #expect((y["threads"] as? Int) == n, "a merged manifest records the shards as its workers")
    for key in Self.recordFields {
      x[key] = nil
      y[key] = nil
    }
    #expect(NSDictionary(dictionary: x).isEqual(to: y), "the manifest differs beyond threads, wall time and command line")
  }

  @Test("merged sweep files are byte-identical to one sweep for N = 1, 3 and 8 shards (8 > 5 points: empty shards)", arguments: [1, 3, 8])
  func sweepByteIdentity(_ n: Int) throws {
    let dir = try scale.temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let scenario = try scale.noisyScenario(in: dir)
    let arguments = sweepArguments(scenario)
    let single = dir.appendingPathComponent("single")
    let r = try runSecsim(arguments + ["--threads", "2", "--out", single.path])
    try #require(r.status == 0, "\(r.stderr)")
    let csv = try String(contentsOf: single.appendingPathComponent("sweep.csv"), encoding: .utf8)
    let ses = csv.split(separator: "\n").dropFirst().compactMap { Double($0.split(separator: ",")[7]) }
    #expect(ses.filter { $0 > 0 }.count > 50, "replicates vary (rows with total_se > 0)")
    let files = try shards(n, arguments, into: dir.appendingPathComponent("parts"))
    let merged = dir.appendingPathComponent("merged")
    let m = try runSecsim(["merge"] + files.reversed().map(\.path) + ["--out", merged.path])
    try #require(m.status == 0, "\(m.stderr)")
    #expect(m.stdout.contains("Merged \(n) sweep shard"), "\(m.stdout)")
    try expectSame(Self.sweepFiles, single, merged, "\(n) shards")
    try expectSameManifest(single.appendingPathComponent("sweep.json"), merged.appendingPathComponent("sweep.json"), shards: n)
  }

  @Test(
    "merged sensitivity files are byte-identical to one analysis for N = 1, 3 and 8 shards (Sobol) and 3 (Morris)",
    arguments: [("sobol", 1), ("sobol", 3), ("sobol", 8), ("morris", 3)])
  func sensitivityByteIdentity(_ method: String, _ n: Int) throws {
    let dir = try scale.temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let scenario = try scale.noisyScenario(in: dir)
    let arguments = sensitivityArguments(scenario, method: method)
    let single = dir.appendingPathComponent("single")
    let r = try runSecsim(arguments + ["--threads", "2", "--out", single.path])
    try #require(r.status == 0, "\(r.stderr)")
    let files = try shards(n, arguments, into: dir.appendingPathComponent("parts"))
    let merged = dir.appendingPathComponent("merged")
    let m = try runSecsim(["merge", dir.appendingPathComponent("parts").path, "--out", merged.path])
    try #require(m.status == 0, "\(m.stderr)")
    #expect(files.count == n)
    try expectSame(Self.sensitivityFiles, single, merged, "\(method), \(n) shards")
    try expectSameManifest(
      single.appendingPathComponent("sensitivity.json"), merged.appendingPathComponent("sensitivity.json"), shards: n)
    let text = try String(contentsOf: merged.appendingPathComponent("sensitivity.csv"), encoding: .utf8)
    #expect(text.contains("\(method),today,assessor_days,total,policies[today].counting.threshold,"), "\(text)")
  }

  @Test("a sweep or sensitivity partial has the same size at 10 and 1,000 replicates")
  func partialSizeFixed() throws {
    let dir = try scale.temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let tiny = try scale.tinyScenario(in: dir)
    for (name, base) in [
      ("sweep", sweepArguments(tiny, samples: 4)), ("sensitivity", sensitivityArguments(tiny, method: "sobol")),
    ] {
      var sizes: [Int] = []
      for replicates in [10, 1_000] {
        var arguments = base
        arguments[arguments.firstIndex(of: "--replicates")! + 1] = "\(replicates)"
        let file = dir.appendingPathComponent("\(name)-\(replicates).secsim-partial")
        let r = try runSecsim(arguments + ["--shard", "2/3", "--partial", file.path])
        try #require(r.status == 0, "\(r.stderr)")
        sizes.append(try Data(contentsOf: file).count)
      }
      print("\(name) partial (shard 2/3 of the one-year scenario): \(sizes) bytes at 10 and 1,000 replicates")
      #expect(sizes[0] == sizes[1], "\(name): sizes \(sizes)")
    }
  }

  @Test("partials of another design (a different range, another --samples) and a duplicated shard are refused naming the file, exit 2")
  func mismatchedDesign() throws {
    let dir = try scale.temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let scenario = ScaleOutTests.deterministic
    let files = try shards(3, sweepArguments(scenario), into: dir.appendingPathComponent("a"))
    var other = sweepArguments(scenario)
    other[other.firstIndex(of: "processes.entry.rate=0:2")!] = "processes.entry.rate=0:3"
    let others = try shards(3, other, into: dir.appendingPathComponent("b"))
    let r = try runSecsim(["merge", files[0].path, others[1].path, files[2].path, "--out", dir.appendingPathComponent("m").path])
    #expect(r.status == 2)
    #expect(
      r.stderr.contains("\(others[1].path): error: parameters ") && r.stderr.contains("processes.entry.rate=0:3")
        && r.stderr.contains("differs from") && r.stderr.contains("in \(files[0].path)"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("m").path))
    let more = try shards(3, sweepArguments(scenario, samples: 6), into: dir.appendingPathComponent("c"))
    let s = try runSecsim(["merge", files[0].path, files[1].path, more[2].path, "--out", dir.appendingPathComponent("m").path])
    #expect(s.status == 2)
    #expect(s.stderr.contains("\(more[2].path): error: --samples 6 differs from 5 in \(files[0].path)"), "\(s.stderr)")
    // A shard given twice is named too.
    let copy = dir.appendingPathComponent("again.secsim-partial")
    try FileManager.default.copyItem(at: files[1], to: copy)
    let d = try runSecsim(["merge"] + files.map(\.path) + [copy.path, "--out", dir.appendingPathComponent("m").path])
    #expect(d.status == 2)
    #expect(d.stderr.contains("\(copy.path): error: shard 2 of 3 is there more than once (also \(files[1].path))"), "\(d.stderr)")
  }

  @Test("a missing shard is named with its local rerun line (and sbatch line under Slurm); running that line repairs the merge")
  func missingShard() throws {
    let dir = try scale.temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let parts = dir.appendingPathComponent("parts")
    let files = try shards(3, sweepArguments(ScaleOutTests.deterministic), into: parts)
    try FileManager.default.removeItem(at: files[1])
    let r = try runSecsim(["merge", parts.path, "--out", dir.appendingPathComponent("m").path])
    #expect(r.status == 2)
    #expect(r.stderr.contains("error: shard 2 of 3 is missing (present: 1, 3)"), "\(r.stderr)")
    #expect(r.stderr.contains("sweep \(ScaleOutTests.deterministic) --param"), "\(r.stderr)")
    #expect(r.stderr.contains("--shard 2/3 --out \(parts.path)"), "\(r.stderr)")
    #expect(!r.stderr.contains("sbatch"), "no job script recorded: no sbatch line")
    let (command, status) = try runRerunLine(r.stderr)
    #expect(status == 0, "\(command)")
    #expect(try runSecsim(["merge", parts.path, "--out", dir.appendingPathComponent("m").path]).status == 0)

    // Shards run by a job script name its sbatch line; an explicit --partial is renamed for the missing shard.
    let script = dir.appendingPathComponent("job dir/secsim-array.sbatch").path
    let args = sensitivityArguments(ScaleOutTests.deterministic, method: "sobol")
    for i in [1, 3] {
      let file = dir.appendingPathComponent("s/sensitivity-shard-\(i)-of-3.secsim-partial")
      let s = try runSecsim(args + ["--shard", "\(i)/3", "--partial", file.path, "--job-script", script])
      try #require(s.status == 0, "\(s.stderr)")
    }
    let s = try runSecsim(["merge", dir.appendingPathComponent("s").path, "--out", dir.appendingPathComponent("m2").path])
    #expect(s.status == 2)
    #expect(s.stderr.contains("error: shard 2 of 3 is missing (present: 1, 3)"), "\(s.stderr)")
    #expect(s.stderr.contains("rerun it with: sbatch --array=2 '\(script)'"), "\(s.stderr)")
    #expect(s.stderr.contains("--partial \(dir.appendingPathComponent("s/sensitivity-shard-2-of-3.secsim-partial").path)"), "\(s.stderr)")
  }

  @Test("one count changed in a sweep partial (checksum recomputed) changes exactly that cell of the merge; unsealed, it is refused")
  func tamperedCount() throws {
    let dir = try scale.temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let arguments = sweepArguments(try scale.noisyScenario(in: dir))
    let single = dir.appendingPathComponent("single")
    try #require(try runSecsim(arguments + ["--out", single.path]).status == 0)
    let files = try shards(2, arguments, into: dir.appendingPathComponent("parts"))
    // The first slot of shard 1's first point: policy today, fusa, 2025 (n, then Σx as Int128).
    // Adding n to Σx raises that mean by exactly 1 assessment.
    var bytes = [UInt8](try Data(contentsOf: files[0]))
    let headerLength = bytes[12..<16].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    let slot = 16 + headerLength + 8 + 8
    func u64(_ at: Int) -> UInt64 { bytes[at..<(at + 8)].enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) } }
    let n = u64(slot)
    let sum = u64(slot + 8)
    #expect(n == 8 && u64(slot + 16) == 0, "n = \(n), a small positive Σx")
    for (i, b) in withUnsafeBytes(of: (sum + n).littleEndian, Array.init).enumerated() { bytes[slot + 8 + i] = b }
    let unsealed = dir.appendingPathComponent("unsealed.secsim-partial")
    try Data(bytes).write(to: unsealed)
    let u = try runSecsim(["merge", unsealed.path, files[1].path, "--out", dir.appendingPathComponent("u").path])
    #expect(u.status == 2)
    #expect(u.stderr.contains("\(unsealed.path): error: checksum mismatch"), "\(u.stderr)")

    let body = Data(bytes.dropLast(32))
    let sealed = body + (try sha256(body))
    try sealed.write(to: files[0])
    let merged = dir.appendingPathComponent("merged")
    let m = try runSecsim(["merge"] + files.map(\.path) + ["--out", merged.path])
    try #require(m.status == 0, "\(m.stderr)")
    try expectSame(["frontier.csv", "sweep.html"], single, merged, "fusa 2025 is in neither")
    let a = OutputSupport.parseCSV(try String(contentsOf: single.appendingPathComponent("sweep.csv"), encoding: .utf8))
    let b = OutputSupport.parseCSV(try String(contentsOf: merged.appendingPathComponent("sweep.csv"), encoding: .utf8))
    try #require(a.count == b.count)
    var changed: [(row: Int, column: String, from: String, to: String)] = []
    for (i, (x, y)) in zip(a, b).enumerated() {
      for (j, (p, q)) in zip(x, y).enumerated() where p != q { changed.append((i, a[0][j], p, q)) }
    }
    try #require(changed.count == 1, "\(changed)")
    let cell = changed[0]
    #expect(cell.column == "mean_2025" && a[cell.row][0] == "1" && a[cell.row][4] == "today" && a[cell.row][5] == "fusa", "\(cell)")
    #expect(abs(Double(cell.to)! - Double(cell.from)! - 1) < 1e-9, "\(cell.from) → \(cell.to)")
  }

  /// SHA-256 through the system's sha256sum (the test target links no crypto library).
  func sha256(_ data: Data) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(data)
    try input.fileHandleForWriting.close()
    let hex = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
    process.waitUntilExit()
    var digest = Data()
    var at = hex.startIndex
    while at < hex.endIndex {
      let next = hex.index(at, offsetBy: 2)
      digest.append(UInt8(hex[at..<next], radix: 16)!)
      at = next
    }
    return digest
  }

  @Test("run partials and sweep or sensitivity partials do not mix: the odd file is named, exit 2")
  func mixedKinds() throws {
    let dir = try scale.temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let sweep = try shards(1, sweepArguments(ScaleOutTests.deterministic, samples: 2), into: dir.appendingPathComponent("sweep"))
    let sensitivity = try shards(
      1, sensitivityArguments(ScaleOutTests.deterministic, method: "morris"), into: dir.appendingPathComponent("sens"))
    let run = dir.appendingPathComponent("run.secsim-partial")
    try #require(
      try runSecsim(["run", ScaleOutTests.deterministic, "--replicates", "64", "--shard", "1/1", "--partial", run.path]).status == 0)
    let out = dir.appendingPathComponent("m").path
    let a = try runSecsim(["merge", run.path, sweep[0].path, "--out", out])
    #expect(a.status == 2)
    #expect(
      a.stderr.contains("\(sweep[0].path): error: a sweep or sensitivity partial cannot be merged with the run partials"), "\(a.stderr)")
    let b = try runSecsim(["merge", sweep[0].path, run.path, "--out", out])
    #expect(b.status == 2)
    #expect(b.stderr.contains("\(run.path): error: a run partial cannot be merged with the sweep or sensitivity partials"), "\(b.stderr)")
    let c = try runSecsim(["merge", sweep[0].path, sensitivity[0].path, "--out", out])
    #expect(c.status == 2)
    #expect(
      c.stderr.contains("\(sensitivity[0].path): error: a sensitivity partial cannot be merged with the sweep partials"), "\(c.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test("secsim slurm -- sweep …: the array runs the sweep's design-point shards, the merge reads sweep-shard-*-of-N")
  func slurmSweepScripts() throws {
    let dir = try scale.temporary()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("job")
    let r = try runSecsim(
      ["slurm", "--shards", "4", "--cpus", "2", "--out", out.path, "--"] + sweepArguments(ScaleOutTests.deterministic, samples: 3))
    try #require(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("warning: 4 shards for 3 design points"), "\(r.stderr)")
    let array = try String(contentsOf: out.appendingPathComponent("secsim-array.sbatch"), encoding: .utf8)
    let merge = try String(contentsOf: out.appendingPathComponent("secsim-merge.sbatch"), encoding: .utf8)
    for line in [
      "#SBATCH --array=1-4", "#SBATCH --job-name=secsim-sweep-deterministic", "3 design points (lhs) × 8 replicates",
      " sweep \(ScaleOutTests.deterministic) --param 'policies[today].counting.threshold=150000:350000'",
      "--replicates 8 --seed 5 --rng mt19937 --design lhs --samples 3", "--shard \"$shard/4\"",
      "--out \(out.path)/parts --job-script \(out.path)/secsim-array.sbatch",
    ] {
      #expect(array.contains(line), "array script lacks \(line):\n\(array)")
    }
    #expect(merge.contains(" merge \(out.path)/parts/sweep-shard-*-of-4.secsim-partial --out \(out.path)/results"), "\(merge)")
    let check = Process()
    check.executableURL = URL(fileURLWithPath: "/bin/bash")
    check.arguments = ["-n", out.appendingPathComponent("secsim-array.sbatch").path]
    try check.run()
    check.waitUntilExit()
    #expect(check.terminationStatus == 0)

    let s = try runSecsim(
      ["slurm", "--shards", "2", "--out", out.path, "--"] + sensitivityArguments(ScaleOutTests.deterministic, method: "morris"))
    try #require(s.status == 0, "\(s.stderr)")
    let sens = try String(contentsOf: out.appendingPathComponent("secsim-array.sbatch"), encoding: .utf8)
    #expect(sens.contains("--method morris --metric assessor_days --year total --samples 4 --levels 4 --bootstrap 50"), "\(sens)")
    #expect(
      try String(contentsOf: out.appendingPathComponent("secsim-merge.sbatch"), encoding: .utf8).contains(
        "sensitivity-shard-*-of-2.secsim-partial"))
  }

  @Test(
    "secsim slurm -- …: usage errors (exit 64) for another command, options the scripts set, run options before --, a bad sweep",
    arguments: [
      (["--", "run"], "after --, give the `sweep …` or `sensitivity …` command"),
      (["--", "sweep", "--param", "inert.x=0:1", "--threads", "2"], "leave --threads out of the sweep command"),
      (["--", "sweep", "--param", "inert.x=0:1", "--out", "x"], "leave --out out of the sweep command"),
      (["--replicates", "5", "--", "sweep", "--param", "inert.x=0:1"], "give the scenario, --replicates"),
      (["--", "sweep", "--design", "nope", "--param", "inert.x=0:1"], "the sweep command after --: unknown --design 'nope'"),
      (["--", "sensitivity", "--param", "inert.x=0:1", "--levels", "3"], "the sensitivity command after --: --levels must be"),
    ])
  func slurmUsage(_ arguments: [String], _ message: String) throws {
    let r = try runSecsim(["slurm", "--shards", "2", "--out", "/tmp/never-written"] + arguments)
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.contains(message), "\(r.stderr)")
  }
}
