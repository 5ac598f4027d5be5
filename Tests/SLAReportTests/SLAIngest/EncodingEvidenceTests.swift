import Testing

@testable import SLAConfig
@testable import SLAFast
@testable import SLAIngest
@testable import SLAMetrics
@testable import SLAModel
@testable import SLAOutput
@testable import SLAReport
@testable import SLAReports

private typealias F = IngestFixture

/// `encoding = auto` decides on the evidence of the first MiB (valid multi-byte UTF-8 sequences
/// against bytes that are not UTF-8), so a stray byte in a UTF-8 export never turns the whole
/// file into GB18030 mojibake, while a Chinese Excel (GBK) export is still read as GB18030.
@Suite struct EncodingEvidenceTests {
    static func evidence(_ b: [UInt8]) -> (valid: Int, invalid: Int) {
        ByteView.of(b) { UTF8Scan.utf8Evidence($0, allowCutEnd: false) }
    }

    @Test(
        arguments: [
            // (bytes, valid multi-byte sequences, invalid bytes, GB18030?)
            (Array("质量问题".utf8), 4, 0, false),
            (Array("ascii only".utf8), 0, 0, false),
            (Array("质量问题,".utf8) + [0xFF] + Array("物流".utf8), 6, 1, false),  // one stray byte
            (Array("Caf".utf8) + [0xE9] + Array(" au lait".utf8), 0, 1, false),  // a Latin-1 é
            ([0xB7, 0xA2], 0, 2, true),  // 发 in GBK: two bytes that are not UTF-8
            // 质量 in GBK: D6 and CA lead without a continuation, C1 is never UTF-8, BF has no lead.
            (Array("id,".utf8) + [0xD6, 0xCA, 0xC1, 0xBF], 0, 4, true),
        ] as [([UInt8], Int, Int, Bool)])
    func counts(_ bytes: [UInt8], _ valid: Int, _ invalid: Int, _ gb: Bool) {
        let e = Self.evidence(bytes)
        #expect(e.valid == valid && e.invalid == invalid, "\(e)")
        #expect(TextDecoding.looksLikeGB18030(valid: e.valid, invalid: e.invalid) == gb)
    }

    /// A UTF-8 ticket export without a BOM and one invalid byte in one row: UTF-8, that row
    /// rejected as `encoding`, every other category read as written.
    @Test func oneBadByteRejectsOneRow() {
        var bytes = F.bytes("ticket_id,category\n")
        for i in 1...50 { bytes += F.bytes("T\(i),质量问题\n") }
        bytes += F.bytes("T51,物流") + [0xE9] + F.bytes("\n")
        for i in 52...60 { bytes += F.bytes("T\(i),物流延迟\n") }
        let o = F.read(bytes, chunk: 64, F.options())
        #expect(o.info?.encoding == "utf-8")
        #expect(o.rows.count == 59)
        #expect(o.rejects.map(\.kind) == [.encoding] && o.rejects.first?.line == 52)
        #expect(o.rows.allSatisfy { $0.fields[1] == "质量问题" || $0.fields[1] == "物流延迟" })
    }

    /// A GBK export is read as GB18030, however short its Chinese text.
    @Test func gbkExportIsGB18030() {
        let o = F.read(F.gb18030("工单号,问题分类\nT1,质量问题\nT2,物流\n"), chunk: 7, F.options())
        #expect(o.info?.encoding == "gb18030")
        #expect(o.rows.map { $0.fields[1] } == ["质量问题", "物流"])
    }

    /// A header that does not decode says which encoding was tried and why.
    @Test func badHeaderSaysWhichEncodingAndWhy() {
        let forced = F.read(F.gb18030("工单号,问题分类\nT1,质量问题\n"), chunk: 64, F.options(encoding: .utf8))
        #expect(forced.error?.contains("read as UTF-8 (encoding = \"utf-8\")") == true, "\(forced.error ?? "")")
    }
}
