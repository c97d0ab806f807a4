// Turning a scenario's `regime:` (a shipped name or an inline mapping) into a
// SECRules `Regime`, through the regime loader (RegimeFile).

import Foundation
import SECRules
import Yams

extension ScenarioLibrary {
  /// The regime file for `name`: `directory/regimes/NAME.yaml`,
  /// `directory/../regimes/NAME.yaml`, then the built-in copy. Nil if none exists.
  public static func regimeURL(named name: String, near directory: URL?) -> URL? {
    var candidates: [URL] = []
    if let directory {
      candidates.append(directory.appendingPathComponent("regimes/\(name).yaml"))
      candidates.append(directory.deletingLastPathComponent().appendingPathComponent("regimes/\(name).yaml"))
    }
    if let builtIn = builtInDirectory { candidates.append(builtIn.appendingPathComponent("regimes/\(name).yaml")) }
    return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
  }
}

extension RegimeRef {
  /// Loads the regime: a named one from `ScenarioLibrary.regimeURL(named:near:)`
  /// (`directory` is the scenario file's folder), an inline one from its text.
  /// Throws `RegimeFileError` (or `ScenarioError` for an unknown name).
  public func load(near directory: URL?) throws -> Regime {
    switch self {
    case .named(let name):
      guard let url = ScenarioLibrary.regimeURL(named: name, near: directory) else {
        throw ScenarioError([
          Diagnostic(file: "\(name).yaml", line: 0, column: 0, path: "regime", expected: "a regime file named \(name).yaml", found: "none")
        ])
      }
      return try RegimeFile.load(url: url)
    case .inline(let yaml):
      return try RegimeFile.load(yaml: yaml, file: "inline regime")
    }
  }
}

extension Scenario {
  /// Every policy as a SECRules `Policy`, its regime loaded (named regimes are looked
  /// up near `directory`, the scenario file's folder). Policies keep the scenario's order.
  public func resolvedPolicies(near directory: URL?) throws -> [Policy] {
    var cache: [RegimeRef: Regime] = [:]
    return try policies.map { spec in
      let ref = regime(of: spec)
      if let r = cache[ref] { return spec.policy(regime: r) }
      let r = try ref.load(near: directory)
      cache[ref] = r
      return spec.policy(regime: r)
    }
  }
}

extension ScenarioDecoder {
  /// Checks a regime reference by loading it; problems of an inline regime are
  /// placed at the field they name inside `node`.
  func checkRegime(_ ref: RegimeRef, node: Node, path: String) {
    do {
      _ = try ref.load(near: baseDirectory)
    } catch let error as RegimeFileError {
      for p in error.problems {
        if case .named(let name) = ref {
          w.report(node, path, expected: "a valid regime file (\(name): \(p))")
          continue
        }
        var target = node
        for part in p.field.split(separator: ".") {
          let key = String(part.prefix { $0 != "[" })
          guard let next = target.mapping?[key] else { break }
          target = next
        }
        let field = p.field.isEmpty ? path : join(path, p.field)
        w.report(at: Position(target.mark), field, expected: "a valid regime", found: p.message)
      }
    } catch {
      w.report(node, path, expected: "a readable regime (\(error))")
    }
  }
}
