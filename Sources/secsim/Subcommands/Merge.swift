import ArgumentParser
import Foundation
import SECOutput

/// `secsim merge`: combine the partial results of `secsim run --shard I/N` into the
/// outputs of the whole run (MODEL.md §10, docs/cluster.md).
struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Merge the partial results of a sharded run into the same outputs as one `secsim run`.",
    discussion: """
      Needs no scenario file: each partial holds the scenario's text and everything \
      else the outputs need. Every partial's checksum is verified; all must agree in \
      secsim version, scenario (SHA-256), seed, --rng, policies, replicates and shard \
      count N, and every shard 1…N must be there exactly once. The merged CSVs are \
      byte-identical to a single `secsim run` with the same seed and replicates. A \
      missing, duplicated, corrupt or mismatched partial is an error naming the file \
      (exit 2); a missing shard's error gives the line that reruns it.
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
    var merger = PartialMerger()
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
    for file in files {
      guard let data = fm.contents(atPath: file) else {
        problems.append("\(file): error: cannot read the file")
        continue
      }
      merger.add(path: file, bytes: Array(data))
    }
    let merged: MergedRun
    do {
      merged = try merger.result(commandLine: CommandLine.arguments)
    } catch {
      for p in problems + error.problems { FileHandle.standardError.write(Data((p + "\n").utf8)) }
      throw ExitCode(2)
    }
    guard problems.isEmpty else {
      for p in problems { FileHandle.standardError.write(Data((p + "\n").utf8)) }
      throw ExitCode(2)
    }
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
}
