import SECScenario
import Testing

@Test("the scenario format version is 1") func formatVersion() {
  #expect(SECScenario.formatVersion == 1)
}
