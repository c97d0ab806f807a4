import Testing

@testable import SECWhatIf

@Suite("Designs")
struct DesignTests {
  @Test("a grid has levels^d points with both ends; a 10-level grid of 1…10 hits every whole number")
  func grid() throws {
    let g = GridDesign.points(levels: 3, dimensions: 2)
    #expect(g.count == 9 && g[0] == [0, 0] && g[1] == [0, 0.5] && g[8] == [1, 1])
    let w = ParameterRange(path: "w", low: 1, high: 10)
    #expect(GridDesign.points(levels: 10, dimensions: 1).map { w.value(atUnit: $0[0]) } == (1...10).map(Double.init))
  }

  @Test("a Latin hypercube puts one point in each stratum of each parameter, the same points for the same seed")
  func lhs() {
    let n = 50
    let p = LatinHypercubeDesign.points(samples: n, dimensions: 3, seed: 4)
    for j in 0..<3 {
      #expect(Set(p.map { Int($0[j] * Double(n)) }) == Set(0..<n))
    }
    #expect(p == LatinHypercubeDesign.points(samples: n, dimensions: 3, seed: 4))
    #expect(p != LatinHypercubeDesign.points(samples: n, dimensions: 3, seed: 5))
  }

  @Test("Sobol points are GSL's sequence, starting at ½; more than 40 dimensions is refused")
  func sobol() throws {
    let p = try SobolDesign.points(samples: 4, dimensions: 2)
    #expect(p[0] == [0.5, 0.5])
    #expect(p[1] == [0.75, 0.25])
    #expect(throws: WhatIfError.self) { try SobolDesign.points(samples: 4, dimensions: 41) }
  }

  @Test("a Saltelli design: A_B^(i) is A with column i from B")
  func saltelli() throws {
    let s = try SaltelliDesign(base: 8, dimensions: 3)
    let points = s.points
    #expect(points.count == 8 * 5)
    for i in 0..<3 {
      for j in 0..<8 {
        var expected = s.a[j]
        expected[i] = s.b[j][i]
        #expect(points[(2 + i) * 8 + j] == expected)
      }
    }
  }

  @Test("PATH=LOW:HIGH parsing")
  func parsing() throws {
    let r = try ParameterRange(parsing: "policies[today].counting.threshold=150_000:350000")
    #expect(r.path == "policies[today].counting.threshold" && r.low == 150_000 && r.high == 350_000)
    #expect(throws: WhatIfError.self) { try ParameterRange(parsing: "x=3:1") }
    #expect(throws: WhatIfError.self) { try ParameterRange(parsing: "x=1") }
    #expect(throws: WhatIfError.self) { try ParameterRange(parsing: "x=a:b") }
    let p = try ParameterPath(parsing: "policies[meters].counting.threshold")
    #expect(p.segments == [.key("policies"), .item("meters"), .key("counting"), .key("threshold")])
    #expect(p.description == "policies[meters].counting.threshold")
    #expect(throws: WhatIfError.self) { try ParameterPath(parsing: "a..b") }
    #expect(throws: WhatIfError.self) { try ParameterPath(parsing: "a[b") }
    #expect(throws: WhatIfError.self) { try ParameterPath(parsing: "[b].c") }
  }
}
