import ArgumentParser
import Foundation
import SECOutput
import SECWhatIf

/// `secsim merge`: combine the partial results of `secsim run`, `secsim sweep` or
/// `secsim sensitivity` with `--shard I/N` into the outputs of the whole command
/// (MODEL.md §10, docs/cluster.md).
struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Merge the partial results of a sharded run, sweep or sensitivity analysis into the outputs of the whole command.",
    discussion: """
      Needs no scenario file: each partial holds the scenario's text and everything \
      else the outputs need. Every partial's checksum is verified; all must agree in \
      secsim version, scenario (SHA-256), seed, --rng, replicates and shard count N \
      (a run's also in its policies; a sweep's or sensitivity analysis's in its design: \
      parameters and ranges, design kind and size, design seed, target), and every shard \
      1…N must be there exactly once. The merged files are byte-identical to those of \
      the unsharded command (`secsim run`: the CSVs; `sweep`: sweep.csv, frontier.csv, \
      sweep.html; `sensitivity`: sensitivity.csv and .html) with the same inputs. A \
      missing, duplicated, corrupt or mismatched partial, or partials of different \
      commands, are errors naming the file (exit 2); a missing shard's error gives the \
      line that reruns it.
      """)

  @Argument(help: "Partial-result files, or folders holding them (every *.secsim-partial inside).")
  var partials: [String]

  @Option(help: "Output folder (replaced whole at the end of a successful merge).")
  var out: String = "out/merged"

  func validate() throws {
    if partials.isEmpty { throw ValidationError("give the partial-result files (or their folder) to merge") }
  }

  func run() throws {
    let fm = FileManager.default
    var files: [String] = []
    var problems: [String] = []
    for given in partials {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: given, isDirectory: &isDirectory) else {
        problems.append("\(given): error: no such file or folder")
        continue
      }
      if isDirectory.boolValue {
        let names = ((try? fm.contentsOfDirectory(atPath: given)) ?? []).filter { $0.hasSuffix("." + PartialResult.fileExtension) }
        if names.isEmpty { problems.append("\(given): error: no *.\(PartialResult.fileExtension) files in this folder") }
        files += names.sorted().map { URL(fileURLWithPath: given).appendingPathComponent($0).path }
      } else {
        files.append(given)
      }
    }
    // The first partial decides what is merged: a run's (SECSIMPR) or a sweep's or
    // sensitivity analysis's (SECSIMDP) partials; the other kind is refused by name.
    // Each file is read and merged in turn, so memory holds one partial at a time.
    let first = files.first { fm.isReadableFile(atPath: $0) }
    let firstMagic = first.flatMap { FileHandle(forReadingAtPath: $0) }.map { handle in
      defer { try? handle.close() }
      return [UInt8]((try? handle.read(upToCount: DesignPartial.magic.count)) ?? Data())
    }
    if let first, let firstMagic, DesignPartial.isDesignPartial(firstMagic) {
      return try mergeDesign(files, first: first, problems: problems)
    }
    var merger = PartialMerger()
    Merge.read(files, into: &problems) { file, bytes in
      guard !DesignPartial.isDesignPartial(bytes) else {
        return "a sweep or sensitivity partial cannot be merged with the run partials such as \(first ?? file)"
      }
      merger.add(path: file, bytes: bytes)
      return nil
    }
    let merged = try Merge.result(problems) { () throws(PartialMergeError) in try merger.result(commandLine: CommandLine.arguments) }
    for w in merged.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
    var folder = try OutputFolder(target: URL(fileURLWithPath: out))
    do {
      try RunOutputs.write(state: merged.state, labels: merged.labels, manifest: merged.manifest, into: folder)
      try folder.commit()
    } catch {
      folder.discard()
      throw error
    }
    let shards = merged.manifest.threads
    print("Merged \(shards) shard\(shards == 1 ? "" : "s") (\(merged.manifest.replicates) replicates of \(merged.manifest.scenarioName))")
    print("Wrote \(RunOutputs.files.joined(separator: ", ")) to \(folder.target.path)")
  }

  /// Merges the partials of a sharded sweep or sensitivity analysis.
  func mergeDesign(_ files: [String], first: String, problems: [String]) throws {
    var problems = problems
    var merger = DesignPartialMerger()
    Merge.read(files, into: &problems) { file, bytes in
      guard !bytes.starts(with: PartialResult.magic) else {
        return "a run partial cannot be merged with the sweep or sensitivity partials such as \(first)"
      }
      merger.add(path: file, bytes: bytes)
      return nil
    }
    let merged = try Merge.result(problems) { () throws(PartialMergeError) in try merger.result(commandLine: CommandLine.arguments) }
    let target = try writeAtomically(merged.files, to: out)
    print(
      "Merged \(merged.shards) \(merged.command.rawValue) shard\(merged.shards == 1 ? "" : "s") (\(merged.points) design points × "
        + "\(merged.replicates) replicates of \(merged.scenarioName))")
    print("Wrote \(merged.files.map(\.name).joined(separator: ", ")) to \(target.path)")
  }

  /// Reads each partial in turn (memory holds one at a time) and hands it to `merge`,
  /// which returns why the file is of the other kind, if it is; unreadable and
  /// other-kind files become problems naming the file.
  static func read(_ files: [String], into problems: inout [String], merge: (String, [UInt8]) -> String?) {
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else {
        problems.append("\(file): error: cannot read the file")
        continue
      }
      if let otherKind = merge(file, Array(data)) {
        problems.append("\(file): error: \(otherKind); merge the partials of one command at a time")
      }
    }
  }

  /// The merger's result; or, when it fails or the files had problems, every
  /// problem on stderr and exit status 2.
  static func result<T>(_ problems: [String], _ merge: () throws(PartialMergeError) -> T) throws -> T {
    let merged: T
    do {
      merged = try merge()
    } catch {
      report(problems + error.problems)
      throw ExitCode(2)
    }
    guard problems.isEmpty else {
      report(problems)
      throw ExitCode(2)
    }
    return merged
  }

  static func report(_ problems: [String]) {
    for p in problems { FileHandle.standardError.write(Data((p + "\n").utf8)) }
  }
}
