import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

@Suite("Model.StringPool")
struct StringPoolTests {
    /// `absorb` (it probes a few strings ahead of the one it interns) maps every string to the
    /// id the same bytes have here: strings already present keep their id, new ones are added
    /// once, repeats inside `other` do not exist (a pool never holds one twice).
    @Test(arguments: [0, 1, 7, 8, 9, 1000])
    func absorbMapsEveryStringToItsID(n: Int) {
        let here = StringPool(capacity: 4)
        let before = (0..<n / 2).map { here.intern("S\($0 * 2)") }  // the even ones, half of them
        let other = StringPool(capacity: 4)
        let theirs = (0..<n).map { other.intern("S\($0)") }
        let map = here.absorb(other)
        #expect(map.count == n)
        for i in 0..<n {
            #expect(here.string(map[Int(theirs[i])]) == "S\(i)")
            #expect(here.lookup("S\(i)") == map[Int(theirs[i])])
        }
        for (k, id) in before.enumerated() { #expect(map[Int(theirs[2 * k])] == id) }
        #expect(here.count == n)  // every even one was among other's
    }
}
