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

/// CSV structure, line numbers and encodings; every fixture is also read at chunk sizes
/// 1, 2, 7 and 65536 and must give the same outcome as the whole input.
@Suite struct IngestCSVTests {
    @Test func lineNumbersAfterQuotedNewlinesAndBlankLines() {
        // line 1 header, 2 row, 3 blank, 4–5 quoted newline, 6–7 blank (one of spaces), 8 row
        let o = F.readAllChunkings(F.bytes("id,name,note\n1,a,x\n\n2,\"b\nc\",y\n\n   \n3,d,z\n"))
        #expect(o.error == nil)
        #expect(o.header == ["id", "name", "note"])
        #expect(
            o.rows == [
                .init(line: 2, index: 1, fields: ["1", "a", "x"]),
                .init(line: 4, index: 2, fields: ["2", "b\nc", "y"]),
                .init(line: 8, index: 3, fields: ["3", "d", "z"]),
            ])
        #expect(o.info?.records == 3)
        #expect(o.info?.encoding == "utf-8")
        #expect(o.info?.gzip == false)
    }

    @Test func doubledQuotesAndTrimming() {
        // Quoted or not, fields lose leading/trailing spaces and tabs (SPEC 2.6).
        // libcsv trims unquoted fields itself; the assembler trims quoted ones. Other bytes below
        // 0x21 (a control character, a newline in quotes) are kept.
        let o = F.readAllChunkings(
            F.bytes(
                "id , q\n 1 ,\"say \"\"hi\"\"\"\n2,\" padded \t\"\n3,\"a,b\"\n4,\n5,\tz\n6,z\t\n7,\u{1}k\u{1}\n"
                    + "8,\"\nn\"\n9, \t \n10,y \n11, y\n12,\"y \"\n13,\" y\"\n14,\"z\t\"\n15,\"\u{1}k \"\n"))
        #expect(o.header == ["id", "q"])
        #expect(
            o.rows.map(\.fields) == [
                ["1", "say \"hi\""], ["2", "padded"], ["3", "a,b"], ["4", ""], ["5", "z"], ["6", "z"],
                ["7", "\u{1}k\u{1}"],
                ["8", "\nn"], ["9", ""], ["10", "y"], ["11", "y"], ["12", "y"], ["13", "y"], ["14", "z"],
                ["15", "\u{1}k"],
            ])
    }

    @Test func raggedRows() {
        let o = F.readAllChunkings(F.bytes("a,b,c\n1,2\n1,2,3\n1,2,3,4\n"))
        #expect(o.rows == [.init(line: 3, index: 2, fields: ["1", "2", "3"])])
        #expect(
            o.rejects == [
                .init(kind: .fieldCount, line: 2, index: 1, reason: "expected 3 fields, got 2", raw: ["1", "2"]),
                .init(
                    kind: .fieldCount, line: 4, index: 3, reason: "expected 3 fields, got 4", raw: ["1", "2", "3", "4"]),
            ])
        #expect(o.info?.records == 3)
    }

    @Test(arguments: [
        ("0 bytes", [UInt8]()),
        ("only a BOM", [0xEF, 0xBB, 0xBF]),
        ("only blank lines", Array("\n\r\n  \n\t\n".utf8)),
    ])
    func emptyInputIsABadHeader(_ what: String, _ bytes: [UInt8]) {
        let o = F.readAllChunkings(bytes)
        #expect(o.ingestError == .badHeader(path: "t.csv", line: 1, message: "empty file: no header row"), "\(what)")
    }

    @Test func headerOnly() {
        let o = F.readAllChunkings(F.bytes("order_id,ordered_at\r\n"))
        #expect(o.error == nil)
        #expect(o.header == ["order_id", "ordered_at"])
        #expect(o.rows.isEmpty && o.rejects.isEmpty)
        #expect(o.info?.records == 0)
    }

    @Test func bomAndQuotedHeader() {
        let o = F.readAllChunkings([0xEF, 0xBB, 0xBF] + F.bytes("\"order_id\",\"名称\"\n1,x\n"))
        #expect(o.header == ["order_id", "名称"])
        #expect(o.headerLine == 1)
        #expect(o.rows == [.init(line: 2, index: 1, fields: ["1", "x"])])
        #expect(o.info?.encoding == "utf-8-bom")
    }

    @Test func gbkExportWithChineseHeader() {
        let text = "订单号,类目,备注\n1001,数码,\"你好,世界\"\n1002,服装,退货\n"
        let o = F.readAllChunkings(F.gb18030(text))
        #expect(o.error == nil)
        #expect(o.info?.encoding == "gb18030")
        #expect(o.header == ["订单号", "类目", "备注"])
        #expect(o.rows.map(\.fields) == [["1001", "数码", "你好,世界"], ["1002", "服装", "退货"]])
        // The same text as UTF-8 gives the same records.
        let u = F.readAllChunkings(F.bytes(text))
        #expect(u.rows == o.rows && u.header == o.header)
        #expect(u.info?.encoding == "utf-8")
    }

    @Test func gb18030InvalidFieldRejectsOnlyThatRow() {
        // 0x81 0x20 is no GB18030 character; forced encoding so the sniff does not decide.
        let bytes = F.gb18030("id,类目\n1,数码\n") + [0x32, 0x2C, 0x81, 0x20, 0x41, 0x0A] + F.bytes("3,x\n")
        let o = F.readAllChunkings(bytes, F.options(encoding: .gb18030))
        #expect(o.rows.map(\.fields) == [["1", "数码"], ["3", "x"]])
        #expect(o.rejects.map(\.reason) == ["column 2 (类目): invalid GB18030 byte 0x81"])
        #expect(o.rejects.first?.raw == ["2", "\\x81 A"])
    }

    @Test(
        arguments: [
            (
                "UTF-16LE BOM", [0xFF, 0xFE, 0x61, 0x00, 0x2C, 0x00, 0x62, 0x00],
                "unsupported encoding UTF-16LE (BOM FF FE): re-export as CSV UTF-8"
            ),
            (
                "UTF-16BE BOM", [0xFE, 0xFF, 0x00, 0x61, 0x00, 0x2C, 0x00, 0x62],
                "unsupported encoding UTF-16BE (BOM FE FF): re-export as CSV UTF-8"
            ),
            (
                "UTF-32LE BOM", [0xFF, 0xFE, 0, 0, 0x61, 0, 0, 0],
                "unsupported encoding UTF-32LE (BOM FF FE 00 00): re-export as CSV UTF-8"
            ),
            (
                "UTF-16LE without BOM", Array("id,name\n1,x\n".utf8).flatMap { [$0, 0] },
                "unsupported encoding UTF-16LE (NUL bytes, no BOM): re-export as CSV UTF-8"
            ),
        ] as [(String, [UInt8], String)])
    func utf16And32AreRejected(_ what: String, _ bytes: [UInt8], _ message: String) {
        let o = F.readAllChunkings(bytes)
        #expect(o.ingestError == .unsupportedEncoding(path: "t.csv", message: message), "\(what)")
    }

    @Test func semicolonDelimiterHint() {
        let o = F.readAllChunkings(F.bytes("order_id;status;amount\n1;a;2\n"))
        #expect(
            o.ingestError
                == .badHeader(
                    path: "t.csv", line: 1,
                    message: "header has 1 column `order_id;status;amount`; the delimiter appears to be ';'"))
    }

    @Test func nulByteRejectsTheRow() {
        let o = F.readAllChunkings(F.bytes("a,b\n1,x\u{0}y\n2,z\n"))
        #expect(o.rows == [.init(line: 3, index: 2, fields: ["2", "z"])])
        #expect(
            o.rejects == [
                .init(kind: .encoding, line: 2, index: 1, reason: "NUL byte in column 2 (b)", raw: ["1", "x\\x00y"])
            ])
    }

    @Test func invalidUTF8RejectsOnlyThatRowWithoutReplacement() {
        let bytes =
            F.bytes("id,name,category\n1,a,数码\n") + [0x32, 0x2C, 0x62, 0x2C, 0xB7, 0x78, 0x0A] + F.bytes("3,c,ü\n")
        let o = F.readAllChunkings(bytes, F.options(encoding: .utf8))
        #expect(o.rows.map(\.fields) == [["1", "a", "数码"], ["3", "c", "ü"]])
        #expect(
            o.rejects == [
                .init(
                    kind: .encoding, line: 3, index: 2, reason: "column 3 (category): invalid UTF-8 byte 0xB7",
                    raw: ["2", "b", "\\xB7x"])
            ])
        #expect(o.info?.encoding == "utf-8")
    }

    @Test func characterSplitAcrossTwoFieldsIsInvalid() {
        // C3 | A9 is "é" only when the comma is ignored: each field alone is invalid UTF-8.
        let o = F.readAllChunkings(
            F.bytes("a,b\n") + [0xC3, 0x2C, 0xA9, 0x0A] + F.bytes("é,ok\n"), F.options(encoding: .utf8))
        #expect(o.rejects.map(\.reason) == ["column 1 (a): invalid UTF-8 byte 0xC3"])
        #expect(o.rejects.first?.raw == ["\\xC3", "\\xA9"])
        #expect(o.rows.map(\.fields) == [["é", "ok"]])
    }

    @Test func fieldsOfEveryShortLength() {
        // Field copies take different paths below 4, 8 and 16 bytes.
        let fields = (0...40).map { n in String((0..<n).map { i in Character(UnicodeScalar(UInt8(97 + (n + i) % 26))) })
        }
        let header = (0...40).map { "c\($0)" }.joined(separator: ",")
        let o = F.readAllChunkings(F.bytes(header + "\n" + fields.joined(separator: ",") + "\n"))
        #expect(o.rows.map(\.fields) == [fields])
    }

    @Test func autoPicksUTF8FromTheFirstMiBAndRejectsLaterBadBytes() {
        // Over 1 MiB of valid UTF-8 (including a character cut by the sniff window), then one bad byte.
        var text = "id,note\n"
        var n = 0
        while text.utf8.count < (1 << 20) + 1000 {
            n += 1
            text += "\(n),数码产品\n"
        }
        let bytes = F.bytes(text) + F.bytes("bad,") + [0xFF] + F.bytes("\nlast,ok\n")
        let o = F.read(bytes, chunk: 65536, F.options())
        #expect(o.info?.encoding == "utf-8")
        #expect(o.rows.count == n + 1)
        #expect(o.rejects.map(\.reason) == ["column 2 (note): invalid UTF-8 byte 0xFF"])
        #expect(o.rejects.first?.line == n + 2)
        // Within the first MiB an invalid byte means GB18030.
        #expect(F.read(F.bytes("id,note\n1,") + [0xB7, 0xA2, 0x0A], chunk: 7, F.options()).info?.encoding == "gb18030")
    }

    @Test(arguments: [
        ("LF", "\n"), ("CRLF", "\r\n"), ("CR", "\r"),
    ])
    func lineEndingsGiveTheSameRecordsAndLines(_ what: String, _ nl: String) {
        let text = ["id,text", "1,\"two\(nl)lines\"", "", "2,b"].joined(separator: nl) + nl
        let o = F.readAllChunkings(F.bytes(text))
        #expect(o.rows.map(\.line) == [2, 5], "\(what)")
        #expect(o.rows.map(\.fields) == [["1", "two\(nl)lines"], ["2", "b"]], "\(what)")
    }

    @Test func mixedLineEndings() {
        // line 1 LF, 2 CRLF, 3 CR, 4 blank CRLF, 5 no final newline
        let o = F.readAllChunkings(F.bytes("a,b\n1,x\r\n2,y\r\r\n3,z"))
        #expect(
            o.rows == [
                .init(line: 2, index: 1, fields: ["1", "x"]),
                .init(line: 3, index: 2, fields: ["2", "y"]),
                .init(line: 5, index: 3, fields: ["3", "z"]),
            ])
    }

    @Test func unterminatedQuoteAtEOF() {
        let o = F.readAllChunkings(F.bytes("a,b\n1,x\n2,\"open\n3,y\n"))
        #expect(o.error == nil)
        #expect(o.rows == [.init(line: 2, index: 1, fields: ["1", "x"])])
        #expect(
            o.rejects == [
                .init(
                    kind: .csvSyntax, line: 3, index: 2, reason: "unterminated quoted field starting at line 3",
                    raw: ["2", "open\n3,y\n"])
            ])
    }

    @Test(
        arguments: [
            // (input, reject line, reason, raw, row lines after); raw keeps the rest of the line after
            // the error (the last field: its content so far, then the line's remaining bytes)
            ("a,b\n1,x\n2,bad\"q\n3,y\n", 3, "stray quote at line 3, column 6", ["2", "bad\"q"], [2, 4]),
            (
                "a,b\n1,\"ab\"c\n3,y\n", 2, "unexpected character after a closing quote at line 2, column 7",
                ["1", "abc"], [3]
            ),
            (
                "a,b\n1,\"multi\nline\" x\n3,y\n", 2, "unexpected character after a closing quote at line 3, column 7",
                ["1", "multi\nlinex"], [4]
            ),
            ("a,b\n1,x\"y,z,w\r\n3,y\n", 2, "stray quote at line 2, column 4", ["1", "x\"y,z,w"], [3]),
            // Spaces before the stray quote stay in the raw text; after a closing quote they go with it.
            ("a,b\n2,bad \t \"q\n3,y\n", 2, "stray quote at line 2, column 9", ["2", "bad \t \"q"], [3]),
            ("a,b\n1,\"ab\"  \"c\n3,y\n", 2, "stray quote at line 2, column 9", ["1", "ab\"c"], [3]),
            // A quoted line break, then a later line of the same record cut by the chunking.
            (
                "a,b\n1,\"x\ny\"z\n3,y\n", 2, "unexpected character after a closing quote at line 3, column 3",
                ["1", "x\nyz"], [4]
            ),
            (
                "a,b\n1,\"x\ny\" \n  \n3,\"p\"q\n", 5, "unexpected character after a closing quote at line 5, column 6",
                ["3", "pq"], [2]
            ),
        ] as [(String, Int, String, [String], [Int])])
    func syntaxErrorsResyncAtTheNextLine(_ text: String, _ line: Int, _ reason: String, _ raw: [String], _ after: [Int])
    {
        let o = F.readAllChunkings(F.bytes(text))
        #expect(o.rejects.map(\.kind) == [.csvSyntax])
        #expect(o.rejects.first?.line == line)
        #expect(o.rejects.first?.reason == reason)
        #expect(o.rejects.first?.raw == raw)
        #expect(o.rows.map(\.line) == after)
    }

    @Test func runawayQuoteOverTheLineCap() {
        // Record from line 2 would span lines 2–5 > 3: rejected at line 5, which is skipped;
        // reading resumes at line 6.
        let o = F.readAllChunkings(F.bytes("a,b\n1,\"run\n2,x\n3,y\n4,z\n5,w\n6,v\n"), F.options(maxLines: 3))
        #expect(
            o.rejects == [
                .init(
                    kind: .recordTooLarge, line: 2, index: 1,
                    reason: "record starting at line 2 spans over 3 lines (runaway quote?)", raw: [])
            ])
        #expect(
            o.rows == [.init(line: 6, index: 2, fields: ["5", "w"]), .init(line: 7, index: 3, fields: ["6", "v"])])
    }

    @Test func runawayQuoteOverTheByteCap() {
        let long = String(repeating: "x", count: 40)
        let o = F.readAllChunkings(F.bytes("a,b\n1,\"\(long)\n\(long)\n2,y\n"), F.options(maxBytes: 64))
        #expect(o.rejects.map(\.reason) == ["record starting at line 2 is over 64 bytes (runaway quote?)"])
        #expect(o.rows == [.init(line: 4, index: 2, fields: ["2", "y"])])
        let big = F.readAllChunkings(
            F.bytes("a,b\n1,\"" + String(repeating: "y", count: 3000) + "\n2,z\n"), F.options(maxBytes: 1 << 10))
        #expect(big.rejects.map(\.reason) == ["record starting at line 2 is over 1 KiB (runaway quote?)"])
        #expect(big.rows.map(\.fields) == [["2", "z"]])
    }

    @Test func tsvWithEmptyFields() {
        let o = F.readAllChunkings(
            F.bytes("a\tb\tc\n1\t\t3\n\t\t\n x \t y z \t\"q\"\n"), name: "t.tsv", F.options(delimiter: "\t"))
        #expect(o.header == ["a", "b", "c"])
        #expect(o.rows.map(\.fields) == [["1", "", "3"], ["", "", ""], ["x", "y z", "q"]])
        #expect(o.rejects.isEmpty)
    }

    @Test func headerErrorsPropagate() {
        struct Missing: Error {}
        let r = CSVFileReader(bytes: F.bytes("x,y\n1,2\n"), name: "t.csv", chunkSize: 3, options: F.options())
        var rows = 0
        #expect(throws: Missing.self) {
            _ = try r.read(header: { _ in throw Missing() }, record: { _ in rows += 1 }, reject: { _ in })
        }
        #expect(rows == 0)
    }

    @Test func rejectLocationsCarryTheNameAsGiven() {
        let o = F.read(F.bytes("a,b\n1\n"), chunk: 100, name: "in/tickets-1.csv", F.options(.tickets))
        let r = CSVFileReader(
            bytes: F.bytes("a,b\n1\n"), name: "in/tickets-1.csv", chunkSize: 100, options: F.options(.logistics))
        var got: [Reject] = []
        _ = try? r.read(header: { _ in }, record: { _ in }, reject: { got.append($0) })
        #expect(got.first?.location == RowLocation(file: "in/tickets-1.csv", line: 2, record: 1))
        #expect(got.first?.table == .logistics)
        #expect(o.rejects.count == 1)
    }
}

/// Generated inputs from the bytes that matter to the parser: whatever they give, every
/// chunking gives the same (and nothing crashes or hangs).
@Suite struct IngestChunkInvarianceTests {
    @Test func randomInputsAreChunkInvariant() {
        let alphabet: [UInt8] = Array("a,\"\n\r\t ;".utf8) + [0xB7, 0xE6, 0x95, 0xB0, 0x00]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return seed
        }
        for round in 0..<300 {  // 4000 rounds also pass (about 10 s in debug)
            let n = Int(next() % 120)
            let bytes = Array("h1,h2\n".utf8) + (0..<n).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            let options = IngestFixture.options(
                encoding: round % 3 == 0 ? .gb18030 : .auto, delimiter: round % 4 == 1 ? "\t" : ",",
                maxBytes: 24, maxLines: 4)
            _ = IngestFixture.readAllChunkings(bytes, options)
        }
    }
}
