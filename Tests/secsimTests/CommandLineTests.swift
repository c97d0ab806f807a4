import Foundation
import Testing
import _SECSimTestSupport

@Suite("secsim command line")
struct CommandLineTests {
  @Test("--version prints the version and exits 0")
  func version() throws {
    let result = try runSecsim(["--version"])
    #expect(result.status == 0)
    #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
  }

  @Test("an unknown option is a usage error with exit code 64")
  func usageError() throws {
    let result = try runSecsim(["--no-such-option"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--no-such-option"))
  }
}
