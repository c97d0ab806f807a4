import Testing
@testable import GSL
