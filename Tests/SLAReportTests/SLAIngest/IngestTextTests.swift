import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

@Suite struct IngestTextTests {
    /// Whether `b` is valid UTF-8 by the standard library's decoder.
    private func stdlibValid(_ b: [UInt8]) -> Bool {
        var it = b.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &it) {
            case .valid: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    private func firstInvalid(_ b: [UInt8]) -> Int? {
        ByteView.of(b) { UTF8Scan.firstInvalidUTF8($0) }
    }

    /// Three-byte sequences around the fast path's edges (E0 and ED are excluded from it and keep
    /// their narrower second-byte ranges), cut short, and with every kind of bad continuation.
    @Test func threeByteSequencesAgreeWithTheStandardLibrary() {
        let leads: [UInt8] = [0xE0, 0xE1, 0xE4, 0xE9, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xC2, 0xDF]
        let conts: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xE4, 0xFF]
        for lead in leads {
            for a in conts {
                for b in conts {
                    for prefix in [[], [UInt8(ascii: "x")], Array("质量".utf8)] {
                        let bytes = prefix + [lead, a, b]
                        let got = firstInvalid(bytes)
                        #expect((got == nil) == stdlibValid(bytes), "\(bytes)")
                        if let got { #expect(got >= prefix.count && got < bytes.count, "\(bytes)") }
                        // Cut short: the last byte missing.
                        let cut = Array(bytes.dropLast())
                        #expect((firstInvalid(cut) == nil) == stdlibValid(cut), "\(cut)")
                    }
                }
            }
        }
    }

    @Test func randomTextAgreesWithTheStandardLibrary() {
        var rng = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [
            Array("a,b".utf8), Array("极兔速递".utf8), Array("😀".utf8), [0xED, 0xA0, 0x80],
            [0xE4, 0xB8], [0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xEF, 0xBF, 0xBF],
        ]
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                bytes +=
                    Bool.random(using: &rng)
                    ? pieces.randomElement(using: &rng)! : [UInt8.random(in: 0...255, using: &rng)]
            }
            #expect((firstInvalid(bytes) == nil) == stdlibValid(bytes), "\(bytes)")
        }
    }

    @Test func reportsTheOffendingByte() {
        #expect(firstInvalid(Array("质".utf8) + [0xE4, 0x41, 0x80]) == 3)  // bad first continuation: the lead
        #expect(firstInvalid(Array("质".utf8) + [0xE4, 0xB8, 0x41]) == 5)  // bad second one: that byte
        #expect(firstInvalid([0xED, 0xA0, 0x80]) == 0)  // a surrogate
        #expect(firstInvalid([0xE0, 0x80, 0x80]) == 0)  // an overlong form
        #expect(firstInvalid(Array("极兔速递 ok".utf8)) == nil)
    }

    @Test func cleanASCIIMeansNoHighByteAndNoNUL() {
        var rng = SystemRandomNumberGenerator()
        for n in 0...40 {
            for _ in 0..<200 {
                var b = (0..<n).map { _ in UInt8.random(in: 0x20...0x7E, using: &rng) }
                if n > 0 && Bool.random(using: &rng) {
                    b[Int.random(in: 0..<n, using: &rng)] = [0x00, 0x01, 0x7F, 0x80, 0xE4, 0xFF].randomElement(
                        using: &rng)!
                }
                let want = b.allSatisfy { $0 != 0 && $0 < 0x80 }
                let got = ByteView.of(b) { UTF8Scan.isCleanASCII($0.slice(0, n)) }
                #expect(got == want, "\(b)")
            }
        }
    }
}
