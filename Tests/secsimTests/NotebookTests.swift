import Foundation
import Testing
import _SECSimTestSupport

/// `secsim notebook` and the exported notebook of the default scenario, validated with
/// nbformat and executed headless with nbclient in the project's virtual environment
/// (`make venv`: .venv with nbformat, nbclient, ipykernel, pandas, matplotlib).
@Suite("secsim notebook")
struct NotebookTests {
  static let python = OutputSupport.root.appendingPathComponent(".venv/bin/python").path
  static let available = FileManager.default.isExecutableFile(atPath: python)
  static let exported = OutputSupport.root.appendingPathComponent("notebooks-export/gb-default.ipynb")

  /// Validates each notebook, executes it with SECSIM_RUN_DIR set, and prints one JSON
  /// line per notebook: stored SVG outputs before, images after, cell errors.
  static let check = #"""
    import json, os, sys
    import nbformat
    from nbclient import NotebookClient
    run_dir, paths = sys.argv[1], sys.argv[2:]
    os.environ["SECSIM_RUN_DIR"] = run_dir
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        stored = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/svg+xml" in o.get("data", {}))
        titles = [c.source for c in nb.cells if c.cell_type == "code" and c.outputs]
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}}).execute()
        images = [sum(1 for o in c.outputs if any(k.startswith("image/") for k in o.get("data", {}))) for c in nb.cells if c.cell_type == "code"]
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "error"]
        print(json.dumps({"path": path, "stored_svg": stored, "chart_cells": len(titles), "images": sum(images),
                          "cells_with_images": sum(1 for n in images if n > 0), "errors": len(errors)}))
    """#

  @Test(
    "the exported notebook and a fresh one validate with nbformat and execute headless, one image per report chart",
    .enabled(if: available || OutputSupport.onCI, "no .venv with nbformat/nbclient (run `make venv`); skipped outside CI"))
  func notebooksExecute() throws {
    guard Self.available else { throw ToolMissing(tool: "\(Self.python) (make venv)") }
    let dir = try OutputSupport.temporary("notebook")
    defer { try? FileManager.default.removeItem(at: dir) }
    let run = dir.appendingPathComponent("run")
    let result = try runSecsim(["run", "--replicates", "12", "--out", run.path], in: OutputSupport.root)
    #expect(result.status == 0, "\(result.stderr)")
    let fresh = dir.appendingPathComponent("nb/fresh.ipynb")
    let written = try runSecsim(["notebook", run.path, "--out", fresh.path])
    #expect(written.status == 0, "\(written.stderr)")
    #expect(written.stdout.contains("10 charts"))
    #expect(try String(contentsOf: fresh, encoding: .utf8).contains("\"SECSIM_RUN_DIR\\\", \\\"../run\\\""))

    let script = dir.appendingPathComponent("check.py")
    try Self.check.write(to: script, atomically: true, encoding: .utf8)
    let checked = try OutputSupport.run([Self.python, script.path, run.path, Self.exported.path, fresh.path])
    #expect(checked.status == 0, "\(checked.stderr)")
    let reports = checked.stdout.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    #expect(reports.count == 2, "\(checked.stdout)\n\(checked.stderr)")
    for report in reports {
      #expect(report["stored_svg"] as? Int == ReportTests.chartCount, "\(report)")
      #expect(report["chart_cells"] as? Int == ReportTests.chartCount, "\(report)")
      #expect(report["images"] as? Int == ReportTests.chartCount, "\(report)")
      #expect(report["cells_with_images"] as? Int == ReportTests.chartCount, "\(report)")
      #expect(report["errors"] as? Int == 0, "\(report)")
    }
  }

  @Test("a folder that is not a run is an input error (exit 2)")
  func notARun() throws {
    let dir = try OutputSupport.temporary("notarun")
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try runSecsim(["notebook", dir.path, "--out", dir.appendingPathComponent("x.ipynb").path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("summary.csv"), "\(result.stderr)")
  }
}
