import Foundation

/// A Jupyter notebook (nbformat 4.5) for a run's output folder: markdown cells with the
/// scenario summary, a code cell that reads the run's CSVs with pandas, and one code
/// cell per report chart that redraws it with matplotlib. Each chart cell stores the
/// report's own SVG of that chart as its output, so the notebook reads well before it
/// is executed; executing it replaces them with matplotlib's figures.
public enum NotebookExport {
  /// The notebook's JSON text. `runDirectory` is where the notebook looks for the run
  /// (relative to the notebook's folder, or absolute); `SECSIM_RUN_DIR` overrides it.
  public static func notebook(_ r: RunResults, runDirectory: String) throws -> String {
    let m = r.manifest
    let e = HTML.escape
    var cells: [[String: Any]] = []
    func markdown(_ text: String) {
      cells.append(["cell_type": "markdown", "id": "cell-\(cells.count + 1)", "metadata": [String: Any](), "source": lines(text)])
    }
    func code(_ text: String, outputs: [[String: Any]] = []) {
      cells.append([
        "cell_type": "code", "id": "cell-\(cells.count + 1)", "metadata": [String: Any](), "execution_count": NSNull(),
        "outputs": outputs, "source": lines(text),
      ])
    }
    let span = ReportCharts.years(r)
    markdown(
      """
      # SECSim: \(e(m.scenarioName))

      \(e(m.scenarioDescription))

      **The question.** What does each policy do, compared with the baseline **\(e(m.baseline))** on the same random futures, \
      to Section G8 User Security Assessment workload (assessments, assessor days, cost, assessor capacity) and to risk \
      coverage (share of the estate under a FUSA, time since the last FUSA, undetected issues) over \(e(span))?

      | | |
      |---|---|
      | scenario | \(e(m.scenarioName)) (\(e(m.scenarioFile))) |
      | scenario SHA-256 | `\(e(m.scenarioSHA256))` |
      | replicates | \(m.replicates) |
      | seed, generator | \(e(m.seed)), \(e(m.rng)) |
      | policies | \(m.policies.map(e).joined(separator: ", ")) (baseline: \(e(m.baseline))) |
      | secsim | \(e(m.version)) |

      Every figure is a distribution over the replicates: median (line) and 5th–95th percentile (band or whisker). \
      Percentiles are nearest-rank on exact histograms (exact below 128 units, else within 0.78%); see docs/outputs.md. \
      The charts stored in this notebook are the report's own SVG; running it redraws them from the CSV files with matplotlib.
      """)
    let counts = Dictionary(grouping: m.parameterSources, by: \.label).mapValues(\.count)
    let weak = m.parameterSources.filter { $0.label == .proxy || $0.label == .assumption }
    if !m.parameterSources.isEmpty {
      var text = """
        ## Assumptions

        Parameters by source label: \(counts[.sourced] ?? 0) sourced, \(counts[.derived] ?? 0) derived, \
        \(counts[.proxy] ?? 0) proxy, \(counts[.assumption] ?? 0) assumption. Figures marked *rests on assumptions* depend \
        on proxies or assumptions (effort, day rate, capacity, issue rates, detection); no public series validates them. \
        The proxies:

        """
      for p in weak where p.label == .proxy {
        text += "\n- `\(e(p.path))` = \(e(p.value)): \(e(p.source))"
      }
      markdown(text)
    }
    code(setupCode(runDirectory: runDirectory))
    for chart in ReportCharts.all(r) {
      let note = chart.restsOnAssumptions ? " *Rests on assumptions.*" : ""
      markdown("### \(e(chart.title))\n\n\(e(chart.description))\(note)")
      let call: String
      switch chart.kind {
      case .fan(let metric): call = "fan(\(py(metric)), \(py(chart.yTitle)), \(py(chart.title)))"
      case .quarterly: call = "quarterly(\(py(chart.yTitle)), \(py(chart.title)))"
      case .byClass(let metric): call = "by_class(\(py(metric)), \(py(chart.yTitle)), \(py(chart.title)))"
      }
      code(
        call,
        outputs: [
          [
            "output_type": "display_data", "metadata": [String: Any](),
            "data": ["image/svg+xml": lines(chart.svg), "text/plain": ["<SECSim chart: \(chart.title)>"]],
          ]
        ])
    }
    markdown("## Differences from the baseline and who is affected\n\nHorizon totals, all Users (differences.csv), then impact.csv.")
    code(
      """
      differences[(differences["class"] == "all") & (differences.year == "total")].pivot(
          index="metric", columns="policy", values=["mean_diff", "p05_diff", "p95_diff"])
      """)
    code("impact.head(30)")
    let notebook: [String: Any] = [
      "nbformat": 4, "nbformat_minor": 5,
      "metadata": [
        "kernelspec": ["display_name": "Python 3", "language": "python", "name": "python3"],
        "language_info": ["name": "python"],
        "secsim": ["scenario": m.scenarioName, "scenario_sha256": m.scenarioSHA256, "replicates": m.replicates],
      ],
      "cells": cells,
    ]
    let data = try JSONSerialization.data(withJSONObject: notebook, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// Source text as nbformat stores it: lines keeping their `\n`, the last without.
  static func lines(_ text: String) -> [String] {
    var out: [String] = []
    var current = ""
    for c in text {
      current.append(c)
      if c == "\n" {
        out.append(current)
        current = ""
      }
    }
    if !current.isEmpty { out.append(current) }
    return out
  }

  /// A Python string literal.
  static func py(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
      switch c {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "\n": out += "\\n"
      default: out.unicodeScalars.append(c)
      }
    }
    return out + "\""
  }

  /// `path` relative to the folder `from` (both made absolute), for the notebook's default RUN_DIR.
  public static func relativePath(of path: URL, from folder: URL) -> String {
    let a = path.standardizedFileURL.pathComponents
    let b = folder.standardizedFileURL.pathComponents
    var common = 0
    while common < a.count, common < b.count, a[common] == b[common] { common += 1 }
    guard common > 1 else { return path.standardizedFileURL.path }
    let up = Array(repeating: "..", count: b.count - common)
    let rest = up + a[common...]
    return rest.isEmpty ? "." : rest.joined(separator: "/")
  }

  static func setupCode(runDirectory: String) -> String {
    let palette = SVGChart.palette.map(py).joined(separator: ", ")
    let classes = ReportCharts.partyClasses.map(py).joined(separator: ", ")
    let classTitles = ReportCharts.partyClasses.map { py(ReportCharts.partyClassTitles[$0] ?? $0) }.joined(separator: ", ")
    return #"""
      # Reads the run's files; set SECSIM_RUN_DIR to point the notebook at another run.
      import json
      import os
      from pathlib import Path

      import matplotlib.pyplot as plt
      import numpy as np
      import pandas as pd

      RUN_DIR = Path(os.environ.get("SECSIM_RUN_DIR", \#(py(runDirectory))))
      summary = pd.read_csv(RUN_DIR / "summary.csv", dtype={"year": str})
      differences = pd.read_csv(RUN_DIR / "differences.csv", dtype={"year": str})
      impact = pd.read_csv(RUN_DIR / "impact.csv", dtype={"user": str, "name": str, "years": str, "kinds": str})
      with open(RUN_DIR / "run.json", encoding="utf-8") as f:
          run = json.load(f)
      POLICIES = run["policies"]
      COLORS = [\#(palette)]
      CLASSES = [\#(classes)]
      CLASS_TITLES = [\#(classTitles)]
      YEARS = sorted(int(y) for y in summary.year.unique() if y != "total")


      def rows(policy, metric, cls="all"):
          return summary[(summary.policy == policy) & (summary["class"] == cls) & (summary.metric == metric)]


      def fan(metric, ylabel, title):
          """p05-p95 band and median per policy over the years, all Users."""
          fig, ax = plt.subplots(figsize=(9, 4.2))
          for i, p in enumerate(POLICIES):
              d = rows(p, metric)
              d = d[d.year != "total"]
              x = d.year.astype(int)
              ax.fill_between(x, d.p05, d.p95, color=COLORS[i % len(COLORS)], alpha=0.16)
              ax.plot(x, d.p50, color=COLORS[i % len(COLORS)], lw=2, marker="o", ms=3, label=p)
          ax.set(title=title, xlabel="year", ylabel=ylabel)
          ax.set_ylim(bottom=min(0, ax.get_ylim()[0]))
          ax.grid(alpha=0.3)
          ax.legend(title="median; band p05-p95", loc="center left", bbox_to_anchor=(1.01, 0.5))
          fig.tight_layout()
          plt.show()


      def quarterly(ylabel, title):
          """Assessor demand per quarter (median, p05-p95) against capacity."""
          fig, ax = plt.subplots(figsize=(9, 4.2))
          for i, p in enumerate(POLICIES):
              pts = []
              for yi, y in enumerate(YEARS):
                  for q in range(1, 5):
                      d = rows(p, f"assessor_days_q{q}")
                      d = d[d.year == str(y)]
                      if len(d):
                          pts.append((yi * 4 + q - 1, d.p05.iloc[0], d.p50.iloc[0], d.p95.iloc[0]))
              x, lo, mid, hi = (np.array(v) for v in zip(*pts))
              ax.fill_between(x, lo, hi, color=COLORS[i % len(COLORS)], alpha=0.16)
              ax.plot(x, mid, color=COLORS[i % len(COLORS)], lw=2, label=p)
          cap = [(yi * 4 + q, c) for yi, e in enumerate(run["assessor_capacity_per_quarter"]) for q, c in enumerate(e["assessor_days"])]
          if cap:
              ax.step([c[0] for c in cap], [c[1] for c in cap], where="mid", color="black", ls="--", lw=1.6, label="capacity")
          ax.set_xticks([yi * 4 for yi in range(len(YEARS))], [f"{y} Q1" for y in YEARS], rotation=45)
          ax.set(title=title, xlabel="quarter", ylabel=ylabel)
          ax.set_ylim(bottom=0)
          ax.grid(alpha=0.3)
          ax.legend(title="median; band p05-p95", loc="center left", bbox_to_anchor=(1.01, 0.5))
          fig.tight_layout()
          plt.show()


      def by_class(metric, ylabel, title):
          """Horizon total per Party class: mean with a p05-p95 whisker per policy."""
          fig, ax = plt.subplots(figsize=(9, 4.2))
          width = 0.8 / len(POLICIES)
          for i, p in enumerate(POLICIES):
              d = summary[(summary.policy == p) & (summary.metric == metric) & (summary.year == "total")]
              d = d.set_index("class").reindex(CLASSES)
              x = np.arange(len(CLASSES)) - 0.4 + width * (i + 0.5)
              err = [(d["mean"] - d.p05).clip(lower=0), (d.p95 - d["mean"]).clip(lower=0)]
              ax.bar(x, d["mean"], width * 0.92, color=COLORS[i % len(COLORS)], label=p, yerr=err, capsize=3)
          ax.set_xticks(np.arange(len(CLASSES)), [t.replace(" ", "\n", 1) if len(t) > 16 else t for t in CLASS_TITLES])
          ax.set(title=title, xlabel="Party class", ylabel=ylabel)
          ax.grid(alpha=0.3, axis="y")
          ax.legend(title="bar: mean; whisker: p05-p95", loc="center left", bbox_to_anchor=(1.01, 0.5))
          fig.tight_layout()
          plt.show()
      """#
  }
}
