import ArgumentParser
import Foundation
import SECOutput

/// `secsim notebook DIR`: a Jupyter notebook for a run's output folder (issue 14).
struct Notebook: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a Jupyter notebook that redraws a run's report charts with pandas and matplotlib.",
    discussion: """
      Reads summary.csv, differences.csv, impact.csv and run.json from DIR (a `secsim run` \
      output folder) and writes an nbformat 4 notebook: the scenario summary in markdown, \
      a cell that loads the CSV files with pandas, and one matplotlib cell per report chart \
      whose stored output is the report's own SVG, so it reads well unexecuted. The notebook \
      finds the run at DIR relative to its own folder; set SECSIM_RUN_DIR to point it elsewhere.
      """)

  @Argument(help: "A run's output folder (written by `secsim run --out DIR`).")
  var directory: String

  @Option(help: "Notebook file to write. Default: notebooks-export/SCENARIO.ipynb.")
  var out: String?

  func run() throws {
    let folder = URL(fileURLWithPath: directory)
    let results: RunResults
    do {
      results = try RunResults(folder: folder)
    } catch {
      FileHandle.standardError.write(Data("secsim notebook: error: \(error)\n".utf8))
      throw ExitCode(2)
    }
    let name = results.manifest.scenarioName.isEmpty ? "run" : results.manifest.scenarioName
    let target = URL(fileURLWithPath: out ?? "notebooks-export/\(name).ipynb")
    let notebookFolder = target.standardizedFileURL.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: notebookFolder, withIntermediateDirectories: true)
    let text = try NotebookExport.notebook(results, runDirectory: NotebookExport.relativePath(of: folder, from: notebookFolder))
    try Data(text.utf8).write(to: target, options: .atomic)
    print("Wrote \(target.path) (\(ReportCharts.all(results).count) charts)")
  }
}
