import Foundation
import Testing
import _SECSimTestSupport

/// The outputs as their readers open them: CSV in LibreOffice Calc (default and explicit
/// CSV import, headless), report.html under Debian's tidy and in headless Chromium. The
/// tools come from `make deps`; without them these tests fail when CI=true and are
/// skipped otherwise.
@Suite("outputs in LibreOffice, tidy and Chromium")
struct ExternalToolTests {
  static let soffice = OutputSupport.which("soffice")
  static let tidy = OutputSupport.which("tidy")
  static let chromium = OutputSupport.which("chromium")
  static let python = OutputSupport.which("python3")

  /// A run of the hostile scenario (policies `low` and `huge`), shared by the tests of this suite.
  static func hostileRun(_ tag: String) throws -> (dir: URL, out: URL) {
    let dir = try OutputSupport.temporary(tag)
    let scenario = try OutputSupport.hostileScenario(in: dir)
    let out = dir.appendingPathComponent("out")
    let result = try runSecsim(["run", scenario.path, "--replicates", "6", "--policy", "low", "--policy", "huge", "--out", out.path])
    guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: ["stderr": result.stderr]) }
    return (dir, out)
  }

  /// Reads a .fods (flat OpenDocument spreadsheet): for every row, each cell's value type,
  /// text, numeric value and whether it holds a formula (repeated cells expanded).
  static let readFODS = #"""
    import json, sys
    import xml.etree.ElementTree as ET
    T = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    O = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    X = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    rows = []
    for row in ET.parse(sys.argv[1]).getroot().iter(f"{{{T}}}table-row"):
        cells = []
        for cell in row:
            if not cell.tag.endswith("table-cell"):
                continue
            repeat = min(int(cell.get(f"{{{T}}}number-columns-repeated", "1")), 64)
            text = "\n".join("".join(p.itertext()) for p in cell.iter(f"{{{X}}}p"))
            item = [cell.get(f"{{{O}}}value-type", ""), text, cell.get(f"{{{O}}}value", ""), cell.get(f"{{{T}}}formula") is not None]
            cells.extend([item] * repeat)
        while cells and cells[-1][0] == "" and cells[-1][1] == "":
            cells.pop()
        if cells:
            rows.append(cells)
    print(json.dumps(rows))
    """#

  struct Cell {
    var type: String
    var text: String
    var value: String
    var formula: Bool
  }

  /// Converts `files` to .fods with LibreOffice (the default CSV import, or the explicit
  /// filter of the notes) and returns each file's cells.
  static func importWithLibreOffice(_ files: [URL], explicitFilter: Bool, in dir: URL) throws -> [[[Cell]]] {
    let soffice = try #require(Self.soffice)
    let python = try #require(Self.python)
    let outDir = dir.appendingPathComponent(explicitFilter ? "fods-explicit" : "fods-default")
    let profile = dir.appendingPathComponent("lo-profile-\(explicitFilter)")
    var arguments = [soffice, "--headless", "-env:UserInstallation=file://\(profile.path)"]
    if explicitFilter { arguments.append("--infilter=CSV:44,34,76,1,,1033,false,false,false,false,false,-1,false") }
    arguments += ["--convert-to", "fods", "--outdir", outDir.path] + files.map(\.path)
    let converted = try OutputSupport.run(arguments)
    let script = dir.appendingPathComponent("read_fods.py")
    try readFODS.write(to: script, atomically: true, encoding: .utf8)
    return try files.map { file in
      let fods = outDir.appendingPathComponent(file.deletingPathExtension().lastPathComponent + ".fods")
      // soffice exits 0 even when a conversion failed: the file must exist.
      guard FileManager.default.fileExists(atPath: fods.path) else {
        Issue.record("LibreOffice wrote no \(fods.lastPathComponent): \(converted.stdout) \(converted.stderr)")
        return []
      }
      let read = try OutputSupport.run([python, script.path, fods.path])
      let rows = try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [[[Any]]] ?? []
      return rows.map { row in
        row.map {
          Cell(type: $0[0] as? String ?? "", text: $0[1] as? String ?? "", value: $0[2] as? String ?? "", formula: $0[3] as? Bool ?? true)
        }
      }
    }
  }

  @Test(
    "LibreOffice's default and explicit CSV import: statistics arrive as numbers, hostile names as text, no formula evaluated",
    .enabled(if: (soffice != nil && python != nil) || OutputSupport.onCI, "soffice or python3 missing (make deps); skipped outside CI"),
    arguments: [false, true])
  func libreOfficeImport(explicitFilter: Bool) throws {
    guard Self.soffice != nil else { throw ToolMissing(tool: "soffice (libreoffice-calc-nogui)") }
    guard Self.python != nil else { throw ToolMissing(tool: "python3") }
    let (dir, out) = try Self.hostileRun("lo-\(explicitFilter)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let files = ["summary.csv", "users.csv", "impact.csv"].map { out.appendingPathComponent($0) }
    let sheets = try Self.importWithLibreOffice(files, explicitFilter: explicitFilter, in: dir)
    try #require(sheets.count == 3)

    for (file, sheet) in zip(files, sheets) {
      let csv = try OutputSupport.readCSV(file)
      #expect(sheet.count == csv.count, "\(file.lastPathComponent): \(sheet.count) rows in Calc, \(csv.count) in the CSV")
      #expect(!sheet.joined().contains { $0.formula }, "\(file.lastPathComponent): a cell was imported as a formula")
      for (cells, fields) in zip(sheet.dropFirst(), csv.dropFirst()) {
        for (i, field) in fields.enumerated() where i < cells.count {
          let cell = cells[i]
          if OutputSupport.roundTrips(field), !(file.lastPathComponent == "impact.csv" && i == 6) {
            // A statistic: a number in Calc, with the CSV's value.
            #expect(cell.type == "float", "\(file.lastPathComponent) \(fields[0...3]) column \(i): \(cell)")
            #expect(Double(cell.value) == Double(field), "\(file.lastPathComponent) column \(i): \(cell.value) vs \(field)")
          } else if field.hasPrefix("'") {
            // A guarded text: stays text, apostrophe visible, nothing evaluated.
            #expect(cell.type == "string" && cell.text == field, "\(file.lastPathComponent) column \(i): \(cell) vs \(field)")
          }
        }
      }
    }
    // Every hostile name reached Calc as the text the CSV holds.
    let names = Set(sheets[1].dropFirst().compactMap { $0.count > 1 ? $0[1].text : nil })
    for name in ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "<script>alert(1)</script>"] {
      #expect(names.contains(name), "\(name) in \(names.sorted())")
    }
  }

  @Test(
    "report.html has no errors under tidy",
    .enabled(if: tidy != nil || OutputSupport.onCI, "tidy missing (make deps); skipped outside CI"))
  func tidyClean() throws {
    let tidy = try Self.tidy ?? { throw ToolMissing(tool: "tidy") }()
    let (dir, out) = try Self.hostileRun("tidy")
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = try OutputSupport.run([tidy, "-errors", "-q", out.appendingPathComponent("report.html").path])
    // tidy: 0 clean, 1 warnings only, 2 errors.
    #expect(result.status == 0 || result.status == 1, "tidy status \(result.status)")
    #expect(!result.stderr.contains("Error:"), "\(result.stderr)")
    if !result.stderr.isEmpty { print("tidy warnings on report.html:\n\(result.stderr)") }
  }

  @Test(
    "headless Chromium's DOM holds one <svg> per chart, each with its <title>",
    .enabled(if: chromium != nil || OutputSupport.onCI, "chromium missing (make deps); skipped outside CI"))
  func chromiumDOM() throws {
    let chromium = try Self.chromium ?? { throw ToolMissing(tool: "chromium") }()
    let (dir, out) = try Self.hostileRun("chromium")
    defer { try? FileManager.default.removeItem(at: dir) }
    let profile = dir.appendingPathComponent("chromium-profile")
    let result = try OutputSupport.run([
      chromium, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)", "--dump-dom",
      "file://\(out.appendingPathComponent("report.html").path)",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let dom = result.stdout
    let svgs = dom.components(separatedBy: "<svg").dropFirst()
    #expect(svgs.count == ReportTests.chartCount, "\(svgs.count) <svg> elements")
    for svg in svgs {
      let body = svg.components(separatedBy: "</svg>")[0]
      let title = body.components(separatedBy: "<title>").dropFirst().first?.components(separatedBy: "</title>").first ?? ""
      #expect(!title.isEmpty, "an <svg> without a <title>: \(body.prefix(200))")
    }
    // The hostile names arrive as text, not markup.
    #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(!dom.contains("<script"))
  }
}
